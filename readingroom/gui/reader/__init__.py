"""The document reader and its own widgets: page view, actions, toolbar, panels, layout saving.

Widgets here receive what they act on (the page view, callables), never the reader that owns
them; an import-linter contract in pyproject.toml keeps it so.
"""
