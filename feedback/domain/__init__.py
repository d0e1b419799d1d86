"""Pure domain rules: no database, no Flask request."""
