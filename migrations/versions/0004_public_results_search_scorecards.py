"""public results: search indexes, working days to answer, scorecard aggregates

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 15:40:00

The search indexes are not models (an FTS5 table on SQLite, a GIN expression
index on PostgreSQL); their statements are copied here as they were at this
revision (feedback/models/public.py).
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

SEARCH = {
    "sqlite": [
        "CREATE VIRTUAL TABLE IF NOT EXISTS public_records_fts USING fts5("
        "search_text, content='public_records', content_rowid='id')",
        "CREATE TRIGGER IF NOT EXISTS public_records_fts_insert AFTER INSERT ON public_records BEGIN "
        "INSERT INTO public_records_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
        "CREATE TRIGGER IF NOT EXISTS public_records_fts_delete AFTER DELETE ON public_records BEGIN "
        "INSERT INTO public_records_fts(public_records_fts, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); END",
        "CREATE TRIGGER IF NOT EXISTS public_records_fts_update AFTER UPDATE OF search_text "
        "ON public_records BEGIN "
        "INSERT INTO public_records_fts(public_records_fts, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        "INSERT INTO public_records_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
        "INSERT INTO public_records_fts(public_records_fts) VALUES ('rebuild')",
    ],
    "postgresql": [
        "CREATE INDEX IF NOT EXISTS ix_public_records_search ON public_records "
        "USING gin (to_tsvector('simple', search_text))",
    ],
}


def upgrade():
    with op.batch_alter_table('public_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('working_days', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index('ix_public_records_ward_published', ['ward_id', 'published_at', 'id'], unique=False)
        batch_op.create_index('ix_public_records_category_published', ['category_id', 'published_at', 'id'], unique=False)

    op.create_table('daily_stats',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('hotline_id', sa.Integer(), nullable=False),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.Column('answered', sa.Integer(), nullable=False),
    sa.Column('on_time', sa.Integer(), nullable=False),
    sa.Column('sent_back', sa.Integer(), nullable=False),
    sa.Column('reopened', sa.Integer(), nullable=False),
    sa.Column('rating_count', sa.Integer(), nullable=False),
    sa.Column('rating_sum', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'unit_id', 'channel', 'hotline_id', name=op.f('pk_daily_stats'))
    )
    op.create_table('answer_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('working_days', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'unit_id', 'working_days', name=op.f('pk_answer_days'))
    )
    for statement in SEARCH.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS public_records_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_public_records_search")
    op.drop_table('answer_days')
    op.drop_table('daily_stats')
    with op.batch_alter_table('public_records', schema=None) as batch_op:
        batch_op.drop_index('ix_public_records_category_published')
        batch_op.drop_index('ix_public_records_ward_published')
        batch_op.drop_column('working_days')
