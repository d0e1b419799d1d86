"""Backups and moving a city between databases.

`backup`/`restore` copy the database as its engine copies itself (SQLite's
online backup API, pg_dump/pg_restore), with the uploaded files, to come back
to the same kind of database. `export-all`/`import-all` write every row as
portable JSON lines, with the files, to move a city from one kind of database
to another (SQLite to PostgreSQL) with every id kept.
"""
