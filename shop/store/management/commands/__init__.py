"""Management commands of the demo store."""
