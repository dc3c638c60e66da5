"""The demo store: catalog, cart, checkout, orders, reviews and search."""
