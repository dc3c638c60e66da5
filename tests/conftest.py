"""Shared fixtures: the embedded PostgreSQL is started once per run by the first connection."""
