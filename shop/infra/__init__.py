"""Embedded PostgreSQL and Redis so a fresh machine needs no system services."""
