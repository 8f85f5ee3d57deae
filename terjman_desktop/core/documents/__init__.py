"""The documents wing: whole files translated with their layout kept.

Public surface (the GUI and the CLI import only these names): :func:`translate_document`,
its progress, the supported formats and the helpers a dialog needs. A new format is one
module here with a ``FORMAT`` (see :mod:`~terjman_desktop.core.documents.prepared`), added to
``registry.FORMATS``.
"""

from terjman_desktop.core.documents.prepared import DocumentFormat, Prepared, PrepareOptions
from terjman_desktop.core.documents.registry import (
    FORMATS,
    SUPPORTED_EXTENSIONS,
    DocumentProgress,
    csv_columns,
    default_output_path,
    translate_document,
)

__all__ = [
    "FORMATS",
    "SUPPORTED_EXTENSIONS",
    "DocumentFormat",
    "DocumentProgress",
    "PrepareOptions",
    "Prepared",
    "csv_columns",
    "default_output_path",
    "translate_document",
]
