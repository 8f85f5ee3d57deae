"""Build the frozen app with PyInstaller once per session and check that it really works.

``packaging/build.py`` builds the one-folder app (and on Linux the ``.tar.gz`` and the AppDir)
into a temporary folder; the checks then run the *artifact*: on Linux the executable unpacked
from the ``.tar.gz``, elsewhere the one-folder app (on Windows its console twin, which has a
stdout). A missing PyInstaller or build tool fails the session's packaging tests with what to
install; nothing is skipped silently. Takes one to a few minutes (PyInstaller analysis, strip,
gzip). Timings are never asserted here: ``benchmarks/cold_start.py`` measures them.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "packaging" / "build.py"
IS_LINUX = sys.platform.startswith("linux")
BUILD_TIMEOUT_S = 40 * 60
RUN_TIMEOUT_S = 180
# The Linux target, uncompressed: 250 MB for the translator, plus 20 MB since the app converts
# Hugging Face checkpoints itself (numpy with its OpenBLAS is 39 MB of the 263 MB measured).
SIZE_LIMIT_BYTES = 270_000_000
ALIVE_FOR_S = 3.0
# Qt's own log line when a window's first frame is flushed to the screen: the main window
# is up. An internal message of QWidgetRepaintManager; if a Qt update rewords it the GUI test
# fails with this pattern in its message (and benchmarks/cold_start.py uses the same one).
SHOWN_RULES = "qt.widgets.painting.info=false;qt.widgets.painting.debug=true"
SHOWN = re.compile(r"Flushing .* of MainWindow\(")
# Things that must never appear in the output of a healthy start.
PROBLEMS = re.compile(
    r"Traceback|ModuleNotFoundError|ImportError|Could not (?:load|find) the Qt platform plugin"
    r"|OMP: Error|Segmentation fault|Fatal Python error|\b(?:ERROR|CRITICAL)\b")
FORBIDDEN = ("torch", "transformers", "trainer", "tests", "tkinter")


@dataclass(frozen=True)
class FrozenBuild:
    summary: dict[str, object]
    bundle: Path  # the one-folder app as PyInstaller wrote it
    executable: Path  # what the checks run: the unpacked artifact's executable
    artifacts: tuple[Path, ...]


def _fail(message: str) -> None:
    pytest.fail(message, pytrace=False)


@pytest.fixture(scope="session")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> FrozenBuild:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        _fail("PyInstaller is not installed, so the app cannot be frozen: install the test extra "
              "(python -m pip install -e \".[test]\"), which pins pyinstaller.")
    if IS_LINUX and shutil.which("strip") is None:
        _fail("`strip` is missing (binutils): the Linux bundle is built stripped to stay under "
              "250 MB. Install binutils (apt-get install binutils).")
    if IS_LINUX and shutil.which("ldd") is None:
        _fail("`ldd` is missing: PyInstaller needs it to find shared libraries (libc-bin).")
    work = tmp_path_factory.mktemp("frozen-app")
    summary_file = work / "summary.json"
    command = [sys.executable, str(BUILD_SCRIPT), "--dist", str(work / "dist"),
               "--work", str(work / "build"), "--summary", str(summary_file)]
    if not IS_LINUX:
        command.append("--bundle-only")  # installers/dmg need Inno Setup/hdiutil: CI's job
    started = time.perf_counter()
    try:
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                                timeout=BUILD_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        _fail(f"packaging/build.py took more than {BUILD_TIMEOUT_S} s")
    if result.returncode != 0 or not summary_file.is_file():
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-40:])
        _fail(f"packaging/build.py failed (exit {result.returncode}):\n{tail}")
    summary = json.loads(summary_file.read_text(encoding="utf-8"))
    print(f"\nfrozen app built in {time.perf_counter() - started:.0f} s: "
          f"{summary['bundle_bytes'] / 1e6:.0f} MB uncompressed")
    artifacts = tuple(Path(path) for path in summary["artifacts"])
    executable = Path(summary["executable"])
    if IS_LINUX:
        executable = _unpack(artifacts[0], work / "unpacked")
    return FrozenBuild(summary, Path(summary["bundle"]), executable, artifacts)


def _unpack(archive: Path, target: Path) -> Path:
    """Unpack the .tar.gz like a person would; return its executable."""
    with tarfile.open(archive) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(target, filter="data")
        else:  # Python < 3.10.12/3.11.4
            tar.extractall(target)  # our own archive, checked in test_tarball
    (folder,) = target.iterdir()
    return folder / "terjman-desktop"


def _environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The test's environment (its own TERJMAN_HOME) with Qt offscreen."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("QT_LOGGING")}
    return {**env, "QT_QPA_PLATFORM": "offscreen", **(extra or {})}


def _log_problems(home: Path) -> list[str]:
    log = home / "logs" / "terjman-desktop.log"
    lines = log.read_text(encoding="utf-8").splitlines() if log.is_file() else []
    return [line for line in lines if PROBLEMS.search(line)]


# ----------------------------------------------------------------------------- contents


def _pyz_modules(executable: Path) -> set[str]:
    from PyInstaller.archive.readers import CArchiveReader

    archive = CArchiveReader(str(executable))
    (name,) = [name for name, entry in archive.toc.items() if entry[-1] == "z"]
    return set(archive.open_embedded_archive(name).toc)


def test_bundle_has_the_app_and_its_resources(frozen: FrozenBuild) -> None:
    internal = frozen.bundle / "_internal"
    resources = internal / "resources"
    for name in ("catalog.json", "icons/terjman.svg", "icons/terjman-256.png",
                 "translations/terjman_fr.qm", "translations/terjman_ar.qm"):
        assert (resources / name).is_file(), f"resources/{name} is not in the bundle"
    leftovers = [path.name for path in resources.rglob("*") if path.suffix in {".py", ".ts"}]
    assert not leftovers, f"sources bundled as resources: {leftovers}"
    modules = _pyz_modules(frozen.executable)
    for module in ("terjman_desktop.app", "terjman_desktop.gui.main_window",
                   "terjman_desktop.core.translate.engine", "terjman_desktop.core.documents.word",
                   "terjman_desktop.core.history.exchange", "ctranslate2", "sentencepiece",
                   "platformdirs", "requests", "docx", "genanki", "yaml"):
        assert module in modules, f"{module} is missing from the frozen app"
    libraries = [path.name for path in internal.rglob("*ctranslate2*") if path.is_file()]
    assert any(name.startswith(("libctranslate2", "ctranslate2.dll")) for name in libraries), \
        f"CTranslate2's library is not bundled: {libraries}"


def test_bundle_leaves_out_the_trainer_stack(frozen: FrozenBuild) -> None:
    modules = _pyz_modules(frozen.executable)
    found = sorted({m.split(".")[0] for m in modules} & set(FORBIDDEN))
    assert not found, f"must not be in the app bundle: {found}"
    internal = frozen.bundle / "_internal"
    folders = sorted(path.name for path in internal.iterdir()
                     if path.name.split(".")[0] in FORBIDDEN)
    assert not folders, f"must not be in the app bundle: {folders}"
    qt = internal / "PySide6"
    unwanted = sorted(path.name for path in qt.rglob("*")
                      if re.search(r"Qt6?(?:WebEngine|Quick|Qml|3D|Multimedia|Pdf)", path.name))
    assert not unwanted, f"Qt modules the app does not use: {unwanted[:10]}"


@pytest.mark.skipif(not IS_LINUX, reason="the size target is for the Linux bundle")
def test_linux_bundle_size(frozen: FrozenBuild) -> None:
    size = int(frozen.summary["bundle_bytes"])  # type: ignore[call-overload]
    if size > SIZE_LIMIT_BYTES:
        internal = frozen.bundle / "_internal"
        biggest = sorted(((sum(f.stat().st_size for f in p.rglob("*") if f.is_file()
                                and not f.is_symlink()) if p.is_dir() else p.lstat().st_size,
                           p.name) for p in internal.iterdir()), reverse=True)[:8]
        pytest.fail(f"bundle is {size / 1e6:.0f} MB (> {SIZE_LIMIT_BYTES / 1e6:.0f} MB); biggest: "
                    + ", ".join(f"{name} {bytes_ / 1e6:.0f} MB" for bytes_, name in biggest))


# ----------------------------------------------------------------------------- it runs


@pytest.mark.parametrize(("model", "checkpoint"), [("marian_package", "marian_checkpoint"),
                                                   ("nllb_package", "nllb_checkpoint")])
def test_self_test_translates_converts_and_builds_the_window(
    frozen: FrozenBuild, model: str, checkpoint: str, request: pytest.FixtureRequest,
    terjman_home: Path,
) -> None:
    """The frozen app translates, converts a checkpoint as a Hub install does (numpy and
    CTranslate2's specs are in the bundle), and builds its window."""
    package: Path = request.getfixturevalue(model)
    source: Path = request.getfixturevalue(checkpoint)
    result = subprocess.run([str(frozen.executable), "--self-test", str(package),
                             "--self-test-convert", str(source)],
                            capture_output=True, text=True, encoding="utf-8",
                            env=_environment(), timeout=RUN_TIMEOUT_S, check=False)
    assert result.returncode == 0, f"--self-test failed:\n{result.stdout}\n{result.stderr}"
    assert not PROBLEMS.search(result.stderr), result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    manifest = json.loads((package / "terjman-model.json").read_text(encoding="utf-8"))
    for direction in manifest["directions"]:
        key = f"{direction['source']}→{direction['target']}"
        assert isinstance(report.get(key), str) and report[key].strip(), (key, report)
    assert report["gui"] == "ok"
    assert report["pdf"] == "ok"  # pypdf and what it imports are in the bundle
    assert str(report["conversion"]).startswith("ok (")
    assert not _log_problems(terjman_home)


def _start_gui(executable: Path, home: Path) -> tuple[bool, bool, str]:
    """Start the app offscreen; ``(main window shown, alive 3 s later, stderr)``."""
    env = _environment({"QT_LOGGING_RULES": SHOWN_RULES})
    process = subprocess.Popen([str(executable)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, encoding="utf-8",
                               errors="replace", env=env)
    lines: list[str] = []
    shown = threading.Event()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line)
            if SHOWN.search(line):
                shown.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        was_shown = shown.wait(RUN_TIMEOUT_S)
        if was_shown:
            time.sleep(ALIVE_FOR_S)
        alive = process.poll() is None
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=15)
        if process.stderr is not None:
            process.stderr.close()
    # Qt's painting log is noise here; keep everything else.
    stderr = "".join(line for line in lines if "qt.widgets.painting" not in line)
    return was_shown, alive, stderr


@pytest.mark.parametrize("with_model", [False, True], ids=["first-run", "model-installed"])
def test_gui_starts_offscreen_and_stays_up(
    frozen: FrozenBuild, with_model: bool, terjman_home: Path, request: pytest.FixtureRequest
) -> None:
    if with_model:
        package: Path = request.getfixturevalue("marian_package")
        shutil.copytree(package, terjman_home / "data" / "models" / package.name)
    shown, alive, stderr = _start_gui(frozen.executable, terjman_home)
    assert shown, ("the main window was never painted (no Qt log line matching "
                   f"{SHOWN.pattern!r}); stderr:\n{stderr}")
    assert alive, f"the app exited within {ALIVE_FOR_S} s of showing its window:\n{stderr}"
    assert not PROBLEMS.search(stderr), stderr
    assert not _log_problems(terjman_home)


# ----------------------------------------------------------------------------- Linux artifacts


def _desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


@pytest.mark.skipif(not IS_LINUX, reason="Linux artifacts")
def test_tarball_holds_the_app_and_desktop_integration(frozen: FrozenBuild) -> None:
    archive = frozen.artifacts[0]
    assert archive.name.endswith(".tar.gz")
    with tarfile.open(archive) as tar:
        members = {member.name: member for member in tar.getmembers()}
    (top,) = {name.split("/")[0] for name in members}
    executable = members[f"{top}/terjman-desktop"]
    assert executable.isfile() and executable.mode & 0o111
    for name in ("share/applications/terjman-desktop.desktop", "install-desktop-entry.sh",
                 "share/icons/hicolor/256x256/apps/terjman-desktop.png",
                 "share/icons/hicolor/scalable/apps/terjman-desktop.svg",
                 "share/metainfo/org.atlasia.terjman.metainfo.xml"):
        assert f"{top}/{name}" in members, f"{name} is not in {archive.name}"
    assert all(not member.name.startswith("/") and ".." not in member.name.split("/")
               for member in members.values())


@pytest.mark.skipif(not IS_LINUX, reason="Linux artifacts")
def test_appdir_is_ready_for_appimagetool(frozen: FrozenBuild) -> None:
    appdir = Path(str(frozen.summary["appdir"]))
    assert os.access(appdir / "AppRun", os.X_OK)
    assert os.access(appdir / "usr" / "lib" / "terjman-desktop" / "terjman-desktop", os.X_OK)
    entry = _desktop_entry(appdir / "terjman-desktop.desktop")
    assert (appdir / f"{entry['Icon']}.png").is_file()
    assert (appdir / ".DirIcon").exists()
    # AppRun must find the app from wherever the image is mounted.
    result = subprocess.run([str(appdir / "AppRun"), "--version"], capture_output=True,
                            text=True, timeout=RUN_TIMEOUT_S, check=False)
    assert result.returncode == 0 and "terjman-desktop" in result.stdout, result


@pytest.mark.skipif(not IS_LINUX, reason="Linux artifacts")
def test_appimage_runs_when_built(frozen: FrozenBuild) -> None:
    images = [path for path in frozen.artifacts if path.suffix == ".AppImage"]
    if not images:
        pytest.skip("no appimagetool here (optional: the release workflow has it)")
    env = {**os.environ, "APPIMAGE_EXTRACT_AND_RUN": "1"}  # no FUSE needed
    result = subprocess.run([str(images[0]), "--version"], capture_output=True, text=True,
                            env=env, timeout=RUN_TIMEOUT_S, check=False)
    assert result.returncode == 0 and "terjman-desktop" in result.stdout, result


def test_desktop_entry_and_metainfo() -> None:
    entry = _desktop_entry(ROOT / "packaging" / "linux" / "terjman-desktop.desktop")
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == "terjman-desktop"
    assert entry["Icon"] == "terjman-desktop"
    assert entry["Categories"].endswith(";")
    validator = shutil.which("desktop-file-validate")
    if validator:  # desktop-file-utils, when installed, has the final word
        result = subprocess.run([validator, str(ROOT / "packaging/linux/terjman-desktop.desktop")],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
    metainfo = ROOT / "packaging" / "linux" / "org.atlasia.terjman.metainfo.xml"
    from xml.etree import ElementTree

    root = ElementTree.parse(metainfo).getroot()
    assert root.findtext("launchable") == "terjman-desktop.desktop"
    appstream = shutil.which("appstreamcli")
    if appstream:
        result = subprocess.run([appstream, "validate", "--no-net", str(metainfo)],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
