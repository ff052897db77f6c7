"""The command-line fixtures (``run``, ``workspace``) for the notes commands' tests."""

from tests.cli.conftest import run, workspace

__all__ = ["run", "workspace"]
