"""Django database backend: PostgreSQL that starts the embedded server on first connection."""
