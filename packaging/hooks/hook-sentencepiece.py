"""PyInstaller hook for SentencePiece (none upstream).

The extension module is found by ordinary analysis. ``sentencepiece/package_data/*.bin`` (the
built-in normalization rules, about 1 MB) is data the package points its C++ side at on import
(``SetDataDir``); a model file carries its own rules, but the folder is collected so the
package behaves in the bundle as it does installed. numpy is optional (only for
``return_type="numpy"``, which Terjman never uses) and stays out of the bundle.
"""

from __future__ import annotations

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("sentencepiece", excludes=["**/*.cc", "**/*.pyi"])
excludedimports = ["numpy"]
