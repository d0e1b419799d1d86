"""inbox indexes: a state's cases by deadline, per unit and per track; low ratings to follow up

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 23:30:00

"""
from alembic import op


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_cases_unit_inbox', 'cases',
                    ['unit_id', 'confidential', 'state', 'due_on', 'id'], unique=False)
    op.create_index('ix_cases_inbox', 'cases', ['confidential', 'state', 'due_on', 'id'], unique=False)
    op.create_index('ix_ratings_follow_up', 'ratings', ['followed_up_at', 'score'], unique=False)
    op.drop_index('ix_cases_unit_state', table_name='cases')
    op.drop_index('ix_cases_unit_due', table_name='cases')
    op.drop_index('ix_cases_confidential_due', table_name='cases')


def downgrade():
    op.create_index('ix_cases_confidential_due', 'cases', ['confidential', 'due_on', 'id'], unique=False)
    op.create_index('ix_cases_unit_due', 'cases', ['unit_id', 'due_on', 'id'], unique=False)
    op.create_index('ix_cases_unit_state', 'cases', ['unit_id', 'state'], unique=False)
    op.drop_index('ix_ratings_follow_up', table_name='ratings')
    op.drop_index('ix_cases_inbox', table_name='cases')
    op.drop_index('ix_cases_unit_inbox', table_name='cases')
