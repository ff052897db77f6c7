"""Fuzz harnesses for ReadingRoom's parsers (see README.md)."""
