"""ReadingRoom: a desktop reading room for restricted documents."""

__version__ = "0.1.0"
