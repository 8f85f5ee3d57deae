"""The documents wing: whole files translated with their layout kept.

Public surface (the GUI and the CLI import only these names): :func:`translate_file` (and
its short form :func:`translate_document`), its progress and result, the supported formats
and the helpers a dialog needs. A new format is one module here with a ``FORMAT`` (see
:mod:`~terjman_desktop.core.documents.prepared`), added to ``registry.FORMATS``.
"""

from terjman_desktop.core.documents.prepared import (
    BILINGUAL_LAYOUTS,
    Bilingual,
    ColumnMode,
    DocumentFormat,
    OutputEncoding,
    Prepared,
    PrepareOptions,
)
from terjman_desktop.core.documents.registry import (
    FORMATS,
    SUPPORTED_EXTENSIONS,
    DocumentProgress,
    DocumentResult,
    csv_columns,
    default_output_path,
    document_format,
    table_columns,
    translate_document,
    translate_file,
)

__all__ = [
    "BILINGUAL_LAYOUTS",
    "FORMATS",
    "SUPPORTED_EXTENSIONS",
    "Bilingual",
    "ColumnMode",
    "DocumentFormat",
    "DocumentProgress",
    "DocumentResult",
    "OutputEncoding",
    "PrepareOptions",
    "Prepared",
    "csv_columns",
    "default_output_path",
    "document_format",
    "table_columns",
    "translate_document",
    "translate_file",
]
