"""PyInstaller hook for PySide6.QtCore: the built-in collection minus what must not be bundled.

Hooks in the spec's hookspath take precedence over PyInstaller's built-in ones. Filtering here,
rather than only in the spec, keeps the dependencies of a dropped plugin (GTK, cairo and pango
for the gtk3 platform theme, CUPS for print support) from being analysed and collected.
"""

from bundle_filter import keep_collected, keep_hidden_imports
from PyInstaller.utils.hooks.qt import add_qt6_dependencies  # type: ignore[import-untyped]

_hiddenimports, _binaries, _datas = add_qt6_dependencies(__file__)
hiddenimports = keep_hidden_imports(_hiddenimports)
binaries = keep_collected(_binaries)
datas = keep_collected(_datas)
