"""dialogue sessions: sessions, their procedures, registrations; questions as cases

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 16:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# As in 0004: the triggers that keep the SQLite search index in step.
SQLITE_SEARCH_TRIGGERS = [
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
]


def upgrade():
    op.create_table('dialogues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('topic', sa.Text(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_dialogues_created_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_dialogues_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogues'))
    )
    with op.batch_alter_table('dialogues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dialogues_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_dialogues_unit_id'), ['unit_id'], unique=False)

    op.create_table('dialogue_procedures',
    sa.Column('dialogue_id', sa.Integer(), nullable=False),
    sa.Column('procedure_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['dialogue_id'], ['dialogues.id'], name=op.f('fk_dialogue_procedures_dialogue_id_dialogues')),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedures.id'], name=op.f('fk_dialogue_procedures_procedure_id_procedures')),
    sa.PrimaryKeyConstraint('dialogue_id', 'procedure_id', name=op.f('pk_dialogue_procedures'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dialogue_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_cases_dialogue_id'), ['dialogue_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_cases_dialogue_id_dialogues'), 'dialogues', ['dialogue_id'], ['id'])

    op.create_table('dialogue_registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dialogue_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('reporter_type', sa.String(length=20), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_dialogue_registrations_case_id_cases')),
    sa.ForeignKeyConstraint(['dialogue_id'], ['dialogues.id'], name=op.f('fk_dialogue_registrations_dialogue_id_dialogues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogue_registrations'))
    )
    with op.batch_alter_table('dialogue_registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dialogue_registrations_dialogue_id'), ['dialogue_id'], unique=False)

    with op.batch_alter_table('public_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dialogue_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_public_records_dialogue_id'), ['dialogue_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_public_records_dialogue_id_dialogues'), 'dialogues', ['dialogue_id'], ['id'])
    if op.get_bind().dialect.name == "sqlite":
        # The batch copied public_records and lost the search triggers of 0004.
        for statement in SQLITE_SEARCH_TRIGGERS:
            op.execute(statement)


def downgrade():
    with op.batch_alter_table('public_records', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_public_records_dialogue_id_dialogues'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_public_records_dialogue_id'))
        batch_op.drop_column('dialogue_id')
    op.drop_table('dialogue_registrations')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cases_dialogue_id_dialogues'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_cases_dialogue_id'))
        batch_op.drop_column('dialogue_id')
    op.drop_table('dialogue_procedures')
    op.drop_table('dialogues')
