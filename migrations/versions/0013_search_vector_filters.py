"""search vector: a record's category, unit and ward as words of its vector

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 11:20:00

PostgreSQL only (SQLite searches its FTS5 index). A search within a category
(or unit, or ward) was answered by the GIN index for its words and then by
visiting every matching record to check its category: the planner guesses
that common words together match few records. With the filters as words of
the vector ("=c12"), the GIN index answers both. The column is computed by the
server, so it is dropped and added again: the table is rewritten (a few
minutes at a million published records).
"""
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

WITH_FILTERS = ("to_tsvector('simple', search_text) || array_to_tsvector(array_remove(ARRAY["
                "'=c' || category_id, '=u' || unit_id, '=w' || ward_id], NULL))")
WORDS_ONLY = "to_tsvector('simple', search_text)"


def _vector(expression: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_public_records_search")
    op.execute("ALTER TABLE public_records DROP COLUMN IF EXISTS search_vector")
    op.execute("ALTER TABLE public_records ADD COLUMN search_vector tsvector "
               f"GENERATED ALWAYS AS ({expression}) STORED")
    op.execute("CREATE INDEX ix_public_records_search ON public_records USING gin (search_vector)")


def upgrade():
    _vector(WITH_FILTERS)


def downgrade():
    _vector(WORDS_ONLY)
