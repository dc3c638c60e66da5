"""Placements, merchandising rules and A/B experiments."""
