"""PyInstaller hook for the classroom server: its page for phones is package data.

``terjman_desktop/serve/static`` (HTML, CSS, JavaScript) is read with ``importlib.resources``
when a phone asks for the page; h11 and segno are pure Python and found by analysis.
"""

from __future__ import annotations

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("terjman_desktop.serve", includes=["static/*"])
