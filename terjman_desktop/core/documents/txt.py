"""Plain text (``.txt``): each line is a unit; line breaks (LF, CRLF, CR) stay as they were.

Read in any encoding (detected when it is not Unicode, see
:func:`~terjman_desktop.core.textfile.read_text_detect`). Bilingual "interleaved": each
line that was translated is followed by its translation on the next line.
"""

from __future__ import annotations

from pathlib import Path

from terjman_desktop.core.documents.prepared import (
    DocumentFormat,
    Prepared,
    PrepareOptions,
    check_can_hold,
    encode_output,
    output_encoding,
    split_line,
)
from terjman_desktop.core.textfile import MAX_TEXT_BYTES, read_text_detect


def first_line_break(ends: list[str]) -> str:
    """The file's own line break, for lines a bilingual copy adds."""
    return next((end for end in ends if end), "\n")


def prepare_txt(path: Path, options: PrepareOptions | None = None) -> Prepared:
    """Each line is a unit; line breaks (LF, CRLF, CR) are kept as they were."""
    options = options or PrepareOptions("ary")
    text, read = read_text_detect(
        path, max_bytes=MAX_TEXT_BYTES, kind="text", encoding=options.input_encoding
    )
    write = output_encoding(read, options)
    check_can_hold(write, options.target_language, path.name)
    lines = [split_line(chunk) for chunk in text.splitlines(keepends=True)]
    newline = first_line_break([end for _, end in lines])

    def render(translations: list[str]) -> bytes:
        out: list[str] = []
        for translation, (line, end) in zip(translations, lines, strict=True):
            if options.bilingual == "interleaved" and translation != line:
                out.append(line + newline + translation + end)
            else:
                out.append(translation + end)
        return encode_output("".join(out), write, path.name)

    return Prepared([body for body, _ in lines], render, encoding=read)


FORMAT = DocumentFormat(".txt", "Text files", prepare_txt, bilingual=("interleaved",), text=True)
