"""``terjman arabizi``, and Arabizi input for ``terjman translate``.

``terjman arabizi [TEXT]`` prints the Arabic-script form of Darija typed in Latin letters
(``wach nta mzyan?`` → ``واش نتا مزيان?``); ``--reverse`` prints the reading aid, Arabic
script in Latin letters. One line out for each line in; standard input when no text is given,
so a file of either can be checked with ``terjman arabizi < file``.

``terjman translate`` converts Arabizi before translating Darija: with ``--from ary-Latn``,
and on its own when ``--from`` is left out (or is ``ary``) and the text reads as Arabizi and
the model translates from Darija. The converted text is shown on standard error (and in
``--json`` as ``source``, beside ``arabizi_input``), so a person sees what was translated.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from terjman_desktop.core.errors import InputError
from terjman_desktop.core.text_safety import printable

if TYPE_CHECKING:
    from terjman_desktop.core.translate import Direction, ModelPackage

ARABIZI_CODE = "ary-Latn"  # what --from calls Darija written in Latin letters
DARIJA_CODE = "ary"


def add_parser(commands: Any) -> None:
    """Register ``arabizi`` on the ``terjman`` command's subparsers."""
    arabizi = commands.add_parser(
        "arabizi",
        help="Darija in Latin letters (Arabizi) → Arabic script, or back with --reverse",
        description="Print TEXT (or standard input) converted line by line: Darija typed "
        "in Latin letters (Arabizi: 3afak, wach nta mzyan?) into Arabic script, or with "
        "--reverse Arabic-script Darija into the Latin-letter reading aid.",
    )
    arabizi.add_argument("text", nargs="?", help="text to convert (default: standard input)")
    arabizi.add_argument(
        "--reverse",
        "-r",
        action="store_true",
        help="Arabic script → Latin letters (the reading aid shown under Darija)",
    )
    arabizi.set_defaults(handler=cmd_arabizi)


def cmd_arabizi(args: argparse.Namespace) -> int:
    from terjman_desktop.core.textfile import check_text, read_text_input
    from terjman_desktop.core.translate import arabizi_to_arabic, to_arabizi

    if args.text is not None:
        text = check_text(str(args.text), "The text given on the command line")
    else:
        text = read_text_input(sys.stdin.buffer)
    convert = to_arabizi if args.reverse else arabizi_to_arabic
    # Line by line, so the output has exactly the input's lines (\r\n read as one break).
    lines = [convert(line) for line in text.splitlines()]
    sys.stdout.write("".join(line + "\n" for line in lines))
    sys.stdout.flush()
    return 0


def source_language(source: str | None) -> str | None:
    """The model language ``--from`` stands for (``ary-Latn`` is Darija, ``ary``)."""
    return DARIJA_CODE if source == ARABIZI_CODE else source


def arabizi_input(
    text: str,
    source: str | None,
    target: str | None,
    direction: Direction,
    package: ModelPackage,
    document: bool,
) -> tuple[str, Direction, str | None]:
    """The text to translate, its direction, and the Arabizi it was converted from (if any).

    Converts with ``--from ary-Latn``; without ``--from`` (or with ``--from ary``) converts
    when the text reads as Arabizi and the model has a direction from Darija (to ``--to``,
    when given); otherwise everything is returned as it came.

    Raises:
        InputError: ``--from ary-Latn`` for a document (.docx, .srt, .csv…): documents are
            translated as they are written.
    """
    from terjman_desktop.core.translate import arabizi_to_arabic, looks_like_arabizi

    if source == ARABIZI_CODE:
        if document:
            raise InputError(
                "--from ary-Latn converts text, not documents.",
                hint="Convert the document's text with `terjman arabizi` first, or give "
                "the text itself.",
            )
    elif document or source not in (None, DARIJA_CODE) or not looks_like_arabizi(text):
        return text, direction, None
    else:
        from_darija = [
            d
            for d in package.manifest.directions
            if d.source == DARIJA_CODE and target in (None, d.target)
        ]
        if not from_darija:
            return text, direction, None  # the model reads no Darija: leave the text alone
        direction = from_darija[0]
    arabic = arabizi_to_arabic(text)
    hint = "" if source == ARABIZI_CODE else " (--from en translates it as English)"
    print(f"terjman: Darija in Latin letters, translated as{hint}:", file=sys.stderr)
    for line in arabic.splitlines():
        print(f"  {printable(line)}", file=sys.stderr)
    return arabic, direction, text
