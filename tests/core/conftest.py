"""Core tests share the fixtures of tests/conftest.py (the age CLI among them)."""
