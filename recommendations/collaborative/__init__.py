"""Collaborative filtering: what shoppers do together, learned from recorded interactions."""
