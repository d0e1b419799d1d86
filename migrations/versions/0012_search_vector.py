"""search vector: PostgreSQL stores each public record's words, indexed

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 02:15:00

PostgreSQL only (SQLite searches its FTS5 index). The column is computed by the
server from search_text, so nothing writes it; adding it rewrites the table
(about two minutes at a million published records).
"""
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_public_records_search")
    op.execute("ALTER TABLE public_records ADD COLUMN IF NOT EXISTS search_vector tsvector "
               "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED")
    op.execute("CREATE INDEX IF NOT EXISTS ix_public_records_search ON public_records "
               "USING gin (search_vector)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_public_records_search")
    op.execute("ALTER TABLE public_records DROP COLUMN IF EXISTS search_vector")
    op.execute("CREATE INDEX IF NOT EXISTS ix_public_records_search ON public_records "
               "USING gin (to_tsvector('simple', search_text))")
