"""The ``terjman`` command: translate text and files, and manage installed models.

User errors (unknown model, missing direction, unreadable file…) end with exit status 2 and a
one-line message on stderr; an interrupted run ends with 130. Heavy modules (CTranslate2,
SentencePiece) are imported only by the commands that need them, so ``--help`` is instant.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

from terjman_desktop import __version__, cli_arabizi, cli_models, cli_serve
from terjman_desktop.cli_args import at_least
from terjman_desktop.core.diskspace import format_size
from terjman_desktop.core.errors import (
    InputError,
    OutputExistsError,
    TerjmanError,
)
from terjman_desktop.core.text_safety import printable

if TYPE_CHECKING:
    from terjman_desktop.core.translate import (
        Direction,
        ModelPackage,
        Translation,
        TranslationOptions,
    )

logger = logging.getLogger(__name__)

EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130


def _preferred_model_id() -> str:
    """The app's current model, when its settings can be read (never an error here)."""
    from terjman_desktop.core.settings import load_settings

    try:
        return load_settings().model_id or ""
    except TerjmanError:
        return ""


def _model_for(args: argparse.Namespace) -> ModelPackage:
    """``--model``, or the model a person would expect when it is left out (said on stderr).

    With no model installed at all, the catalog's recommended model is offered (installed
    at once with ``--yes``), so one command does the main job on a new machine.
    """
    from terjman_desktop.core.errors import NoModelInstalledError
    from terjman_desktop.core.models import default_model, resolve_model

    if args.model is not None:
        return resolve_model(args.model)
    try:
        chosen = default_model(_preferred_model_id())
    except NoModelInstalledError:
        return _install_recommended(args)
    print(f"terjman: using {printable(chosen.reason)} (--model chooses another).",
          file=sys.stderr)
    return chosen.package


def _install_recommended(args: argparse.Namespace) -> ModelPackage:
    from terjman_desktop.core.errors import NoModelInstalledError
    from terjman_desktop.core.models import catalog
    from terjman_desktop.core.translate import load_package

    entry = catalog.recommended(catalog.current())
    if entry is None:
        raise NoModelInstalledError(
            "No model is installed, and the catalog recommends none.",
            hint="Import a model package with `terjman models import FILE`.",
        )
    approx = "about " if entry.sizes_estimated else ""
    offer = (f"No model is installed. The recommended model is {printable(entry.name)}: "
             f"{approx}{format_size(entry.download_size)} to download from Hugging Face, converted "
             f"on this computer; license {printable(entry.license)}.")
    if not args.yes:
        interactive = sys.stdin.isatty() and sys.stderr.isatty() and (
            args.text is not None or args.input is not None)
        if not interactive:
            raise NoModelInstalledError(
                offer, hint="Run the command again with --yes to install it, or choose one "
                "with `terjman models available` and `terjman models install ID`.")
        print(offer, file=sys.stderr)
        answer = input("Install it now? [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            raise NoModelInstalledError("No model was installed.",
                                        hint="See `terjman models available`.")
    else:
        print(offer, file=sys.stderr)
    installed = cli_models.install_catalog_entry(entry, args)
    print(f"terjman: installed {printable(installed.id)}; translating.", file=sys.stderr)
    return load_package(installed.path)



def _pick_direction(package: ModelPackage, source: str | None, target: str | None) -> Direction:
    """The model's first direction that matches --from and --to (either may be left out)."""
    from terjman_desktop.core.translate import Direction, check_direction

    matches = [
        d for d in package.manifest.directions
        if source in (None, d.source) and target in (None, d.target)
    ]
    if not matches:  # the one message for a direction a model lacks
        check_direction(package.manifest, Direction(source or "?", target or "?"))
    return matches[0]


def _read_input(args: argparse.Namespace) -> str:
    """The text to translate: the argument, ``--input FILE`` or standard input.

    Files and standard input go through the one text reader of the core, so the same bytes
    are accepted or refused the same way whatever the path (and whether or not ``--output``
    is given): UTF-8, or UTF-16 with a BOM; binary data and oversized input are refused.
    """
    from terjman_desktop.core.textfile import check_text, read_text_detect, read_text_input

    if args.text is not None and args.input is not None:
        raise InputError("Give the text or --input FILE, not both.")
    if args.text is not None:
        return check_text(str(args.text), "The text given on the command line")
    if args.input is not None:  # read like a document: any encoding, said when not UTF-8
        text, encoding = read_text_detect(Path(args.input), encoding=args.input_encoding)
        if encoding.codec != "utf-8":
            print(f"terjman: read {printable(args.input)} as {encoding.describe()}.",
                  file=sys.stderr)
        return text
    return read_text_input(sys.stdin.buffer)


def _write_output(text: str, output: str | None, overwrite: bool, input_path: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        if text and not text.endswith("\n"):
            sys.stdout.write("\n")
        sys.stdout.flush()
        return
    path = Path(output)
    if input_path is not None and path.resolve() == Path(input_path).resolve():
        raise InputError("The output file is the input file.", hint="Choose another --output.")
    if path.exists() and not overwrite:
        raise InputError(f"'{path}' already exists.", hint="Add --overwrite to replace it.")
    from terjman_desktop.core.atomic import atomic_write

    atomic_write(path, text.encode("utf-8"))


def _as_json(translation: Translation, arabizi_input: str | None = None) -> str:
    data: dict[str, Any] = {
        "model": translation.model_id,
        "source": translation.source,
        "target": translation.target,
        "text": translation.text,
        "seconds": round(translation.seconds, 4),
        "sentences": [
            {
                "source": s.source,
                "paragraph": s.paragraph,
                "alternatives": [{"text": h.text, "score": h.score} for h in s.hypotheses],
            }
            for s in translation.sentences
        ],
    }
    if arabizi_input is not None:  # "source" is its Arabic-script form, what was translated
        data["arabizi_input"] = arabizi_input
    return json.dumps(data, ensure_ascii=False, indent=2)


def _progress_printer(stream: TextIO) -> Any:
    if not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        if total:
            stream.write(f"\rTranslating: {done}/{total} sentences")
            if done == total:
                stream.write("\n")
            stream.flush()

    return show


def cmd_translate(args: argparse.Namespace) -> int:
    from terjman_desktop.core.translate import TranslationOptions, Translator

    options = TranslationOptions.for_quality(
        args.quality, beam_size=args.beam, alternatives=args.alternatives, scores=args.json,
        use_vmap=not args.no_vmap,
    )
    package = _model_for(args)
    source = cli_arabizi.source_language(args.source)
    direction = _pick_direction(package, source, args.target)
    document = _is_document(args)
    text = "" if document else _read_input(args)
    text, direction, arabizi = cli_arabizi.arabizi_input(
        text, args.source, args.target, direction, package, document)
    translator = Translator(package, device=args.device, threads=args.threads)
    if document:
        return _translate_document(args, translator, direction, options)
    translation = translator.translate(
        text, direction, options, progress=_progress_printer(sys.stderr))
    output = _as_json(translation, arabizi) + "\n" if args.json else translation.text
    _write_output(output, args.output, args.overwrite, args.input)
    return 0


def _is_document(args: argparse.Namespace) -> bool:
    """Files of a known format go through documents.py; any other file is plain text."""
    from terjman_desktop.core.documents import SUPPORTED_EXTENSIONS

    if args.input is None:
        if args.column is not None:
            raise InputError("--column is for CSV and Excel files given with --input.")
        return False
    suffix = Path(args.input).suffix.lower()
    if suffix not in SUPPORTED_EXTENSIONS or (suffix == ".txt" and args.output is None):
        return False
    if args.text is not None:
        raise InputError("Give the text or --input FILE, not both.")
    if args.json:
        raise InputError(f"--json prints translated text; it cannot describe a {suffix} file.",
                         hint="Leave out --json, or give the text itself.")
    return True


def _translate_document(
    args: argparse.Namespace, translator: Any, direction: Direction, options: TranslationOptions
) -> int:
    from terjman_desktop.core.documents import DocumentProgress, translate_file

    columns: list[str] = args.column or []
    column: str | int | None = columns[0] if len(columns) == 1 else None
    suffix = Path(args.input).suffix.lower()
    if suffix == ".csv" and len(columns) > 1:
        raise InputError("A CSV file is translated one column at a time.",
                         hint="Give --column once.")
    if isinstance(column, str) and column.isdigit():
        column = int(column)  # --column 2 is the third column; names are never all digits
    show = sys.stderr.isatty()

    def progress(state: DocumentProgress) -> None:
        if show:
            eta = f", about {state.eta_seconds:.0f}s left" if state.eta_seconds else ""
            sys.stderr.write(f"\rTranslating: {state.done_units}/{state.total_units}{eta}   ")
            sys.stderr.flush()

    try:
        result = translate_file(
            Path(args.input), Path(args.output) if args.output else None, translator, direction,
            options, column=column, columns=tuple(columns) if suffix != ".csv" else (),
            column_mode="replace" if args.column_mode == "replace" else "new_column",
            bilingual=_BILINGUAL[args.bilingual],
            output_encoding="same" if args.encoding == "same" else "utf-8",
            input_encoding=args.input_encoding, overwrite=args.overwrite, progress=progress,
        )
    except OutputExistsError as error:
        raise InputError(error.message, hint="Add --overwrite to replace it.") from None
    if show:
        sys.stderr.write("\n")
    print(f"Wrote {result.path} ({result.units} parts translated)")
    for line in result.summary():
        print(f"  {printable(line)}")
    return 0


_BILINGUAL: dict[str, Literal["off", "interleaved", "side_by_side"]] = {
    "off": "off", "interleaved": "interleaved", "side-by-side": "side_by_side"}




_positive = at_least(1)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="terjman",
        description="Offline English ⇄ Moroccan Darija translation with Terjman models.",
    )
    parser.add_argument("--version", action="version", version=f"terjman {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more logging")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    translate = commands.add_parser(
        "translate", help="translate text, a file, or standard input",
        description="Translate TEXT, --input FILE or standard input, keeping the layout.",
    )
    translate.add_argument("text", nargs="?", help="text to translate (default: standard input)")
    translate.add_argument(
        "--model", "-m",
        help="installed model id or model folder (default: the only installed model, or "
             "the app's current one)",
    )
    translate.add_argument("--from", dest="source",
                           help="source language (en, ary, or ary-Latn: Darija in Latin letters, "
                                "converted to Arabic script first; found on its own when left out)")
    translate.add_argument("--to", dest="target", help="target language (ary or en)")
    translate.add_argument("--quality", choices=("fast", "balanced", "best"), default="balanced",
                           help="speed/quality preset (default: balanced)")
    translate.add_argument("--beam", type=_positive, help="beam size (overrides --quality)")
    translate.add_argument("--alternatives", type=_positive, default=1,
                           help="hypotheses per sentence (shown with --json)")
    translate.add_argument("--json", action="store_true",
                           help="print one JSON object with per-sentence alternatives and scores")
    translate.add_argument(
        "--input", "-i",
        help="file to translate: .txt, .srt (timings kept), .docx (formatting kept), .csv "
             "and .xlsx (see --column), .html, .pdf (text only, to .docx or .txt); any other "
             "text file is translated as plain text. Text files may be in any encoding: "
             "the one found is said",
    )
    translate.add_argument("--column", action="append",
                           help="CSV: the column to translate (header name or 0-based index); "
                                "Excel: a column to translate (header name or letter; repeat "
                                "for more; default: every text cell)")
    translate.add_argument("--column-mode", choices=("new", "replace"), default="new",
                           help="tables: put the translation in a new column beside the "
                                "source (default) or replace the source")
    translate.add_argument("--bilingual", choices=("off", "interleaved", "side-by-side"),
                           default="off",
                           help="documents for learners: each part followed by its "
                                "translation, or both side by side (tables, PDF to .docx)")
    translate.add_argument("--encoding", choices=("utf-8", "same"), default="utf-8",
                           help="text documents: write UTF-8 (default) or the encoding the "
                                "input was read in")
    translate.add_argument("--input-encoding", metavar="NAME",
                           help="read the input in this encoding (e.g. cp1252) instead of "
                                "detecting it")
    translate.add_argument("--output", "-o", help="write the translation here (default for "
                                                  "documents: next to the input, e.g. "
                                                  "lesson.ary.docx)")
    translate.add_argument("--overwrite", action="store_true", help="replace an existing --output")
    translate.add_argument("--yes", "-y", action="store_true",
                           help="with no model installed, install the recommended one without "
                                "asking")
    cli_models.add_token_option(translate)
    translate.add_argument("--threads", type=at_least(0), default=0,
                           help="CPU threads (default 0: this computer's physical cores)")
    translate.add_argument("--no-vmap", action="store_true",
                           help="score the whole target vocabulary even when the model has a "
                                "vocabulary map (vmap.txt; slower, for comparing)")
    translate.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto",
                           help="where to run the model: auto uses an NVIDIA GPU when CUDA "
                                "works, else the CPU (default: auto)")
    translate.set_defaults(handler=cmd_translate)

    cli_models.add_parser(commands)
    cli_serve.add_parser(commands)
    cli_arabizi.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        # Library warnings (retries…) only with -v: a user error stays one line.
        level=logging.ERROR - 10 * min(args.verbose, 3),
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        result: int = args.handler(args)
        return result
    except TerjmanError as error:
        # Messages may quote a catalog, a manifest or a server: never raw control characters.
        print(f"terjman: {printable(str(error))}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("terjman: cancelled.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `terjman translate … | head` closing the pipe early is not an error.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
