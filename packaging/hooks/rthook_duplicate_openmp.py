"""Runtime hook, OFF by default: lets two OpenMP runtimes coexist in the frozen app.

Intel's OpenMP aborts the process ("OMP: Error #15") when a second copy of ``libiomp5md.dll``
initialises. The spec already keeps a single copy, so this hook is only a last resort for a
build environment where that is impossible; Intel documents the variable as unsafe (it "may
cause crashes or silently produce incorrect results"). Enabled by building with
``TERJMAN_ALLOW_DUPLICATE_OPENMP=1`` — see packaging/README.md, "Duplicate OpenMP runtimes".
"""

import os

os.environ.setdefault("KMP_DUPLICATE_LIB_OK", "TRUE")
