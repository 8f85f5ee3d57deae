"""Entry point of the desktop app: ``terjman-desktop`` and ``python -m terjman_desktop``.

Parses the command line, configures logging (a rotating file under the platform's log folder),
then starts Qt. ``--self-test PACKAGE_DIR`` checks a (frozen) build without showing a window:
it translates with the given model package and builds the main window offscreen.
PySide6 is imported only once the arguments are parsed, so ``--help`` is instant.
"""

from __future__ import annotations

import argparse
import json
import logging
import logging.handlers
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from terjman_desktop import __version__
from terjman_desktop.core import paths

if TYPE_CHECKING:
    from terjman_desktop.core.translate import Translator

logger = logging.getLogger("terjman_desktop")

LOG_FILE = "terjman-desktop.log"
LOG_BYTES = 1_000_000
LOG_BACKUPS = 5


def parse_args(argv: Sequence[str] | None = None) -> tuple[argparse.Namespace, list[str]]:
    """Our options, and the rest (Qt's own, such as ``-platform``)."""
    parser = argparse.ArgumentParser(
        prog="terjman-desktop",
        description="Offline English ⇄ Moroccan Darija translator.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--lang", choices=("system", "en", "fr", "ar"),
                        help="interface language for this run")
    parser.add_argument("--classroom", action="store_true", help="start in classroom mode")
    parser.add_argument("--debug", action="store_true", help="log everything")
    parser.add_argument("--self-test", metavar="MODEL",
                        help="translate with this model (a folder or an installed model id) "
                             "offscreen, build the window, print JSON and exit")
    parser.add_argument("--self-test-convert", metavar="CHECKPOINT_DIR",
                        help="with --self-test: also convert this Hugging Face checkpoint "
                             "folder as the app does when it installs from the Hub")
    return parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))


def configure_logging(debug: bool = False) -> Path | None:
    """Log to a rotating file (and warnings to stderr); returns the file, if it could open."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    stderr = logging.StreamHandler()
    stderr.setLevel(logging.DEBUG if debug else logging.WARNING)
    stderr.setFormatter(formatter)
    root.addHandler(stderr)
    path = paths.log_dir() / LOG_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    except OSError as error:
        logger.warning("Cannot write the log file %s: %s", path, error)
        return None
    handler.setFormatter(formatter)
    root.addHandler(handler)
    return path


def self_test(model: Path | str, checkpoint: Path | str | None = None) -> int:
    """Translate a sentence in every direction of ``model`` and build the window offscreen.

    ``model`` is a model folder or an installed model id. A model that cannot be used is
    one line on stderr and exit status 2, like the ``terjman`` command. With ``checkpoint``
    (a Hugging Face checkpoint folder), the on-device conversion runs too, so a build that
    lacks what it needs (numpy, CTranslate2's specs) fails here.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from terjman_desktop.core.errors import TerjmanError
    from terjman_desktop.core.models import resolve_model
    from terjman_desktop.core.translate import Translator

    report: dict[str, object] = {"version": __version__}
    try:
        translator = Translator(resolve_model(str(model)), device="cpu")
    except TerjmanError as error:
        print(f"terjman-desktop: --self-test: {error}", file=sys.stderr)
        return 2
    samples = {"en": "Hello, how are you?", "ary": "سلام، كيداير؟"}
    for direction in translator.manifest.directions:
        sample = samples.get(direction.source, "Hello.")
        report[str(direction)] = translator.translate(sample, direction).text
    if checkpoint is not None:
        try:
            report["conversion"] = _self_test_conversion(Path(checkpoint))
        except TerjmanError as error:
            print(f"terjman-desktop: --self-test-convert: {error}", file=sys.stderr)
            return 2
    # Documents and Anki export load these lazily; a build that lacks them must fail here.
    import docx
    import genanki  # type: ignore[import-untyped]

    docx.Document()
    report["documents"] = "ok" if genanki.Deck else "missing"
    report["classroom"] = _self_test_classroom(translator)
    report["pdf"] = _self_test_pdf(translator)
    from PySide6.QtWidgets import QApplication

    from terjman_desktop.gui.context import AppContext
    from terjman_desktop.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])
    window = MainWindow(AppContext.create(), first_run_check=False)
    window.show()
    app.processEvents()
    window.close()
    report["gui"] = "ok"
    print(json.dumps(report, ensure_ascii=False))
    return 0


def _self_test_classroom(translator: Translator) -> str:
    """Serve ``translator`` on 127.0.0.1 and ask for the phone page and one translation.

    The page is package data and h11/segno load lazily: a build without them fails here.
    """
    import urllib.request

    from terjman_desktop.serve import LoadedEngine, ServeConfig, TranslationServer, qr_png

    direction = translator.manifest.directions[0]
    body = json.dumps({"q": "Hello.", "source": direction.source, "target": direction.target})
    with TranslationServer(LoadedEngine(translator), ServeConfig(port=0)) as server:
        with urllib.request.urlopen(server.url, timeout=30) as page:
            has_page = b"<textarea" in page.read()
        request = urllib.request.Request(server.url + "translate", data=body.encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            translated = json.loads(answer.read())["translatedText"]
        has_qr = qr_png(server.url).startswith(b"\x89PNG")
    return "ok" if has_page and translated and has_qr else "failed"


def _self_test_pdf(translator: Translator) -> str:
    """Translate a one-line PDF into a .txt file.

    PDF text comes from pypdf, loaded lazily: a build without it (or without a module it
    needs, the spec's EXCLUDES) fails here.
    """
    import tempfile

    from pypdf import PdfWriter
    from pypdf.generic import ContentStream, DictionaryObject, NameObject

    from terjman_desktop.core.documents import translate_file

    writer = PdfWriter()
    page = writer.add_blank_page(300, 100)
    helvetica = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                                  NameObject("/Subtype"): NameObject("/Type1"),
                                  NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): helvetica})})
    content = ContentStream(None, writer)
    content.set_data(b"BT /F1 12 Tf 10 50 Td (Hello, how are you?) Tj ET")
    page.replace_contents(content)
    with tempfile.TemporaryDirectory(prefix="terjman-self-test-") as work:
        source = Path(work) / "lesson.pdf"
        with source.open("wb") as out:
            writer.write(out)
        result = translate_file(source, Path(work) / "lesson.txt", translator,
                                translator.manifest.directions[0])
        blocks = result.path.read_text(encoding="utf-8").strip().split("\n\n")
    # The note that the layout is not kept, then the translated line.
    return "ok" if result.notes and len(blocks) == 2 and blocks[1].strip() else "failed"


def _self_test_conversion(checkpoint: Path) -> str:
    """Convert ``checkpoint`` (int8) into a temporary folder and translate with the result."""
    import tempfile

    import ctranslate2

    from terjman_desktop.core.families import FAMILIES
    from terjman_desktop.core.models import convert_checkpoint
    from terjman_desktop.core.translate import EOS

    with tempfile.TemporaryDirectory(prefix="terjman-self-test-") as work:
        converted = convert_checkpoint(checkpoint, Path(work) / "model")
        model = ctranslate2.Translator(str(converted.output_dir), device="cpu")
        first = converted.vocabulary[min(10, len(converted.vocabulary) - 1)]
        shared = FAMILIES[converted.family].needs_language_tokens
        prefix = [[converted.language_tokens[0]]] if shared else None
        result = model.translate_batch([[first, EOS]], target_prefix=prefix,
                                       max_decoding_length=8)
        tokens = len(result[0].hypotheses[0])
        model.unload_model()
    return f"ok ({converted.family}, {converted.vocabulary_size} tokens, {tokens} generated)"


def _excepthook(kind: type[BaseException], error: BaseException,
                trace: TracebackType | None) -> None:
    """Log an uncaught exception and show it, instead of a silent crash."""
    logger.critical("Uncaught exception", exc_info=(kind, error, trace))
    if isinstance(error, KeyboardInterrupt):
        return
    try:
        from PySide6.QtWidgets import QApplication

        from terjman_desktop.gui.errors import show_error

        if QApplication.instance() is not None:
            show_error(QApplication.activeWindow(), error)
    except Exception:
        logger.exception("Could not show the error")


def main(argv: Sequence[str] | None = None) -> int:
    args, qt_args = parse_args(argv)
    log_file = configure_logging(args.debug)
    logger.info("Terjman Desktop %s starting (log: %s)", __version__, log_file)
    if args.self_test is not None:
        return self_test(args.self_test, args.self_test_convert)

    from terjman_desktop.launcher_checks import xcb_problem

    missing = xcb_problem(qt_args)  # checked before Qt, whose plugin loader would abort
    if missing is not None:
        logger.info("Not starting: %s", missing)  # the log file; stderr gets the one line
        print(missing, file=sys.stderr)
        return 1

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from terjman_desktop.core.errors import SettingsError
    from terjman_desktop.core.paths import resources_dir
    from terjman_desktop.core.settings import Settings, load_settings
    from terjman_desktop.gui import i18n, theme
    from terjman_desktop.gui.context import AppContext
    from terjman_desktop.gui.main_window import MainWindow

    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("Terjman")
    app.setOrganizationName("AtlasIA")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("terjman-desktop")
    icon = resources_dir() / "icons" / "terjman.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    sys.excepthook = _excepthook
    problem: SettingsError | None = None
    try:
        settings = load_settings()
    except SettingsError as error:
        settings, problem = Settings(), error
    theme.apply_theme(app, settings.theme)
    i18n.apply_language(app, args.lang or settings.ui_language)
    # The one context of this run: every window part and dialog shares its services.
    window = MainWindow(AppContext.create(settings))
    window.show()
    if args.classroom:
        window.set_classroom(True)
    if problem is not None:
        window.show_error(problem)
    for warning in settings.load_warnings:
        window.statusBar().showMessage(warning, 10_000)
    return app.exec()
