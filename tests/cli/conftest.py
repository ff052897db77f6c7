"""The command-line fixtures (``run``, ``workspace``) for every test module in this folder."""

from tests.cli.test_publisher_cli import run, workspace

__all__ = ["run", "workspace"]
