"""PyInstaller hook for wordfreq: its English word lists, which ``names suggest`` reads.

wordfreq loads its lists from data files beside its code, which PyInstaller does not collect by
itself (there is no contributed hook). Only the English lists are taken: the other 40-odd
languages are 55 MB an English-only application never reads.
"""

from PyInstaller.utils.hooks import collect_data_files  # type: ignore[import-untyped]

datas = collect_data_files("wordfreq", includes=["data/*_en.msgpack.gz"])
