"""Template tags of the recommendation widgets: ``{% load recommendations %}``."""
