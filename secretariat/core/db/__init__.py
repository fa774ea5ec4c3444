"""Django's database backends for SQLite and PostgreSQL, each with the hooks of
`precommit` (work done inside a transaction just before it commits); settings.py names
them as the ENGINE of every database."""
