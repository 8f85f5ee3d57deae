"""Entry script of the frozen app: PyInstaller runs this file as ``__main__``.

It is ``python -m terjman_desktop`` with nothing added, so the frozen app and the installed one
start the same way (options: ``terjman-desktop --help``; checks: ``--self-test PACKAGE_DIR``).
"""

from __future__ import annotations

import sys

from terjman_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
