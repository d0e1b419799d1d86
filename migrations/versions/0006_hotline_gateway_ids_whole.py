"""hotline: gateway message ids stored whole (up to 200 characters)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 12:00:00.000000

The gateway's ids were cut to 64 characters before the duplicate check, so two
messages whose ids shared their first 64 characters counted as one. They are
now kept whole; the webhook refuses an id over 200 characters (README).

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('inbound_messages', schema=None) as batch_op:
        batch_op.alter_column('external_id', existing_type=sa.String(length=64),
                              type_=sa.String(length=200), existing_nullable=False)


def downgrade():
    with op.batch_alter_table('inbound_messages', schema=None) as batch_op:
        batch_op.alter_column('external_id', existing_type=sa.String(length=200),
                              type_=sa.String(length=64), existing_nullable=False)
