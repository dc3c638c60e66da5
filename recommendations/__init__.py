"""A reusable recommendation engine for Django shops, backed by PostgreSQL + pgvector."""
