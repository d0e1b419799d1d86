"""scorecards by month: monthly_stats and answer_months, filled from the daily rows

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 21:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

COUNTS = ('received', 'answered', 'on_time', 'sent_back', 'reopened', 'rating_count', 'rating_sum')


def _month(column: str) -> str:
    if op.get_bind().dialect.name == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS DATE)"
    return f"date({column}, 'start of month')"


def upgrade():
    op.create_table('monthly_stats',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('hotline_id', sa.Integer(), nullable=False),
    *[sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS],
    sa.PrimaryKeyConstraint('month', 'unit_id', 'channel', 'hotline_id', name=op.f('pk_monthly_stats'))
    )
    op.create_table('answer_months',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('working_days', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('month', 'unit_id', 'working_days', name=op.f('pk_answer_months'))
    )
    sums = ", ".join(f"sum({name})" for name in COUNTS)
    month = _month("day")
    op.execute(f"INSERT INTO monthly_stats (month, unit_id, channel, hotline_id, {', '.join(COUNTS)}) "
               f"SELECT {month}, unit_id, channel, hotline_id, {sums} FROM daily_stats "
               f"GROUP BY {month}, unit_id, channel, hotline_id")
    op.execute(f"INSERT INTO answer_months (month, unit_id, working_days, count) "
               f"SELECT {month}, unit_id, working_days, sum(count) FROM answer_days "
               f"GROUP BY {month}, unit_id, working_days")


def downgrade():
    op.drop_table('answer_months')
    op.drop_table('monthly_stats')
