"""The Qt-free core shared by the GUI, the ``terjman`` CLI and the tests.

Importing this package (or any module in it) must stay cheap and side-effect free: no
directories created, no network, no model loaded, and never PySide6, torch or transformers.
"""
