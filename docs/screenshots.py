"""Take the README's screenshots of the main window (light, dark, Arabic interface).

    python docs/screenshots.py --model MODEL_DIR [--out docs]

MODEL_DIR is any model package folder; the committed pictures use the tests' tiny Marian
model (`tests/conftest.py`), which was trained on a small templated corpus, so its Darija is
right only for sentences like the ones below. Runs offscreen: no display needed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

TEXT = "I want the tea.\nShe eats the bread tomorrow.\n\nThey drink the coffee every day."
SHOTS = (
    ("main-light", "en", "light"),
    ("main-dark", "en", "dark"),
    ("main-arabic-ui", "ar", "light"),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent)
    parser.add_argument("--shot", choices=[s[0] for s in SHOTS], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.shot is None:  # one process per picture: theme and language are per application
        import subprocess

        for name, _, _ in SHOTS:
            subprocess.run([sys.executable, __file__, "--model", str(args.model), "--out",
                            str(args.out), "--shot", name], check=True)
        return 0
    name, language, theme_name = next(s for s in SHOTS if s[0] == args.shot)
    home = Path(tempfile.mkdtemp(prefix="terjman-shots-"))
    os.environ["TERJMAN_HOME"] = str(home)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from terjman_desktop.core.translate.package import read_manifest

    model_id = read_manifest(args.model).id
    shutil.copytree(args.model, home / "data" / "models" / model_id)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from terjman_desktop.gui import i18n, theme
    from terjman_desktop.gui.main_window import MainWindow

    app = QApplication([sys.argv[0]])
    theme.apply_theme(app, theme_name)
    i18n.apply_language(app, language)
    window = MainWindow(first_run_check=False)
    window.resize(1100, 560)
    window.show()
    QTimer.singleShot(300, lambda: window.panel.source.setPlainText(TEXT))

    def shoot() -> None:
        args.out.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(args.out / f"{name}.png"))
        app.quit()

    QTimer.singleShot(4000, shoot)
    app.exec()
    window.close()
    shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
