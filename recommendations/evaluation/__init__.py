"""Offline evaluation and batch scoring: the strategies as matrix operations over all shoppers."""
