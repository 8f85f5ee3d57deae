"""Excel workbooks (``.xlsx``, read and written with ``openpyxl``).

Every text cell of every sheet is translated in place, or, with chosen columns (by their
header in the first row, or by letter), only those columns: their first row is the header
and is not translated, and the translation goes in a new column after the sheet's last
column (headed "english (ary)") or, with ``column_mode="replace"``, in place. A new column
goes after the last one, not right beside its source, so no cell moves and no formula or
reference changes meaning. Formulas, numbers, dates, styles, merged cells and sheet names
are not touched; cell comments are not translated (the result says how many).

Bilingual "interleaved": a translated cell holds its source, a line break and the
translation (wrapped); "side_by_side" is the new-column layout.

openpyxl does not keep charts, images and drawn shapes of a workbook it rewrites: when the
workbook has any, the result says so.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from terjman_desktop.core.documents.prepared import DocumentFormat, Prepared, PrepareOptions
from terjman_desktop.core.errors import InputError
from terjman_desktop.core.readfile import read_input_file

MAX_XLSX_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
_REPAIR_HINT = "Open it in Excel or LibreOffice Calc and save it again as .xlsx."


@dataclass
class _Target:
    """A cell to translate, and where its translation goes."""

    cell: Any
    text: str
    destination: Any  # the same cell, or one in a new column


def _read(path: Path) -> bytes:
    return read_input_file(path, max_bytes=MAX_XLSX_BYTES, noun="an Excel workbook",
                           split_hint="Split it into smaller workbooks.")


def _open(path: Path) -> tuple[Any, list[str]]:
    """The workbook, and the names of the parts openpyxl will not write back."""
    import openpyxl

    raw = _read(path)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
                raise InputError(
                    f"'{path.name}' unpacks to more than {MAX_UNPACKED_BYTES / 1e6:.0f} MB.",
                    hint="Split it into smaller workbooks.",
                )
            names = [info.filename for info in infos]
        workbook = openpyxl.load_workbook(io.BytesIO(raw), rich_text=True)
    except (
        zipfile.BadZipFile,
        zlib.error,
        KeyError,
        ValueError,
        TypeError,
        OSError,
        SyntaxError,
        EOFError,
    ) as error:  # lxml's XMLSyntaxError is a SyntaxError
        raise InputError(
            f"'{path.name}' is not a readable Excel workbook ({type(error).__name__}).",
            hint=_REPAIR_HINT,
        ) from None
    dropped = sorted(
        {
            kind
            for name in names
            for folder, kind in (
                ("xl/charts/", "charts"),
                ("xl/media/", "images"),
                ("xl/drawings/", "drawn shapes"),
            )
            if name.startswith(folder)
        }
    )
    return workbook, dropped


def _is_text(cell: Any) -> bool:
    from openpyxl.cell.rich_text import CellRichText

    if isinstance(cell.value, CellRichText):
        return True
    return cell.data_type == "s" and isinstance(cell.value, str) and bool(cell.value.strip())


def _header_names(sheet: Any) -> list[str]:
    return [
        str(cell.value).strip()
        for cell in next(sheet.iter_rows(max_row=1), ())
        if cell.value is not None and cell.data_type != "f" and str(cell.value).strip()
    ]


def xlsx_columns(path: Path) -> list[str]:
    """The header names of every sheet (first row), each once, in order."""
    workbook, _ = _open(path)
    names: list[str] = []
    for sheet in workbook.worksheets:
        names += [name for name in _header_names(sheet) if name not in names]
    return names


def _chosen(sheet: Any, columns: tuple[str, ...]) -> list[int]:
    """1-based indices of the sheet's chosen columns (by header name, or by letter)."""
    from openpyxl.utils import column_index_from_string

    indices: list[int] = []
    header = [
        str(c.value).strip().casefold() if c.value is not None else ""
        for c in next(sheet.iter_rows(max_row=1), ())
    ]
    for column in columns:
        wanted = column.strip()
        if wanted.casefold() in header:
            indices.append(header.index(wanted.casefold()) + 1)
        elif wanted.isalpha() and wanted.isupper() and len(wanted) <= 3:
            indices.append(column_index_from_string(wanted))
    return sorted(set(indices))


def _targets(workbook: Any, options: PrepareOptions) -> list[_Target]:
    targets: list[_Target] = []
    found_any = not options.columns
    for sheet in workbook.worksheets:
        if not options.columns:
            targets += [
                _Target(cell, str(cell.value), cell)
                for row in sheet.iter_rows()
                for cell in row
                if _is_text(cell)
            ]
            continue
        chosen = _chosen(sheet, options.columns)
        found_any = found_any or bool(chosen)
        next_free = sheet.max_column + 1
        for index in chosen:
            header = sheet.cell(row=1, column=index)
            destination_column = index
            if options.column_mode != "replace":
                destination_column, next_free = next_free, next_free + 1
                name = str(header.value).strip() if header.value is not None else ""
                new_header = sheet.cell(row=1, column=destination_column)
                new_header.value = f"{name} ({options.target_language})"
                new_header.font = copy(header.font)
            for row in range(2, sheet.max_row + 1):
                cell = sheet.cell(row=row, column=index)
                if _is_text(cell):
                    targets.append(
                        _Target(
                            cell, str(cell.value), sheet.cell(row=row, column=destination_column)
                        )
                    )
    if not found_any:
        raise InputError(
            f"No sheet has a column {', '.join(map(repr, options.columns))}.",
            hint="Give a header of the first row, or a column letter such as C.",
        )
    return targets


def prepare_xlsx(path: Path, options: PrepareOptions) -> Prepared:
    """Read a workbook into its text cells; rendering writes the translated workbook."""
    from openpyxl.styles import Alignment

    if options.bilingual == "side_by_side" and not options.columns:
        raise InputError(
            "Side by side needs the columns to translate.",
            hint="Choose the columns; their translation goes in new columns.",
        )
    workbook, dropped = _open(path)
    if options.bilingual == "side_by_side":
        options = PrepareOptions(**{**options.__dict__, "column_mode": "new_column"})
    targets = _targets(workbook, options)
    comments = sum(
        1
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.comment is not None
    )

    def render(translations: list[str]) -> bytes:
        for target, translation in zip(targets, translations, strict=True):
            if translation == target.text and target.destination is target.cell:
                continue
            value = translation
            if options.bilingual == "interleaved":
                value = f"{target.text}\n{translation}"
                target.destination.alignment = Alignment(wrap_text=True)
            target.destination.value = value
            target.destination.data_type = "s"  # a translation starting "=" is no formula
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    notes = []
    if dropped:
        notes.append(
            f"The workbook's {', '.join(dropped)} are not in the translated copy "
            "(openpyxl does not write them back); copy them from the original."
        )
    untranslated = [f"{comments} cell comment{'s' if comments != 1 else ''}"] if comments else []
    return Prepared([t.text for t in targets], render, notes=notes, untranslated=untranslated)


FORMAT = DocumentFormat(
    ".xlsx", "Excel workbooks", prepare_xlsx, bilingual=("interleaved", "side_by_side")
)
