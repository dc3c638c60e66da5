"""Template tags of the store, loaded with {% load store_tags %}."""
