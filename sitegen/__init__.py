"""A static site generator for Vietnamese public news portals."""

__version__ = "0.1.0"
