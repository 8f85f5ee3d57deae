"""Build Terjman Desktop for the platform this runs on: one command per platform.

    python packaging/build.py                      # bundle + this platform's artifact(s)
    python packaging/build.py --self-test MODEL    # ... then check the build with a model folder
    python packaging/build.py --bundle-only        # only the PyInstaller one-folder app

1. PyInstaller builds the one-folder app from ``packaging/terjman.spec`` into
   ``dist/terjman-desktop/`` (macOS: ``dist/Terjman.app`` too).
2. The platform artifact, in ``dist/``:

   * Linux: ``terjman-desktop-<version>-linux-<arch>.tar.gz`` (the folder, a ``.desktop`` file,
     icons, ``install-desktop-entry.sh``), the AppDir ``Terjman.AppDir`` and, when
     ``appimagetool`` is found (``PATH`` or ``$APPIMAGETOOL``),
     ``Terjman-<version>-<arch>.AppImage``;
   * Windows: ``terjman-desktop-<version>-windows-x64-setup.exe`` with Inno Setup 6 (``ISCC.exe``
     on ``PATH``, in the usual install folders, or ``$ISCC``);
   * macOS: ``Terjman-<version>-macos-<arch>.dmg`` with ``hdiutil``; signed when
     ``TERJMAN_CODESIGN_IDENTITY`` is set, notarized and stapled when ``TERJMAN_NOTARY_PROFILE``
     (a ``xcrun notarytool store-credentials`` profile) is set too.

3. ``--self-test MODEL_DIR`` runs the frozen executable's ``--self-test`` (translate with that
   model folder, build the main window offscreen); ``--summary FILE`` writes what was built as
   JSON (the packaging test and CI read it).

A missing tool for an optional step (appimagetool) is explained and skipped; a missing tool for
a required one (PyInstaller, strip, ISCC, hdiutil) stops the build with what to install.
See packaging/README.md for each platform step by step.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "terjman.spec"
ICONS = ROOT / "resources" / "icons"
LINUX = PACKAGING / "linux"
EXE_NAME = "terjman-desktop"
APP_NAME = "Terjman"
DESKTOP_FILE = LINUX / "terjman-desktop.desktop"
METAINFO = LINUX / "org.atlasia.terjman.metainfo.xml"
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
LINUX_SIZE_TARGET_MB = 250


class BuildError(RuntimeError):
    """A step failed; the message says what to do."""


def log(message: str) -> None:
    print(f"[build {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(command: Sequence[str | Path], *, cwd: Path | None = None,
        env: dict[str, str] | None = None) -> None:
    log("$ " + " ".join(str(part) for part in command))
    result = subprocess.run([str(part) for part in command], cwd=cwd, env=env, check=False)
    if result.returncode != 0:
        name = Path(str(command[0])).name
        raise BuildError(f"{name} failed with exit status {result.returncode}")


def version() -> str:
    text = (ROOT / "terjman_desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'__version__\s*=\s*"([^"]+)"', text)
    if not match:
        raise BuildError("no __version__ in terjman_desktop/__init__.py")
    return match.group(1)


def machine() -> str:
    arch = platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "arm64", "aarch64": "aarch64"}.get(arch, arch)


def tree_size(path: Path) -> int:
    """Bytes of the regular files under ``path`` (symlinks not followed, like ``du``)."""
    return sum(entry.lstat().st_size for entry in path.rglob("*")
               if entry.is_file() and not entry.is_symlink())


# ----------------------------------------------------------------------------- the bundle


def check_prerequisites() -> None:
    try:
        import PyInstaller
    except ImportError as error:
        raise BuildError(
            "PyInstaller is not installed. Install the test extra, which pins it: "
            "python -m pip install -e \".[test]\"") from error
    log(f"PyInstaller {PyInstaller.__version__}, Python {platform.python_version()}, "
        f"{platform.system()} {machine()}")
    if sys.platform.startswith("linux") and os.environ.get("TERJMAN_NO_STRIP") != "1" \
            and shutil.which("strip") is None:
        raise BuildError("`strip` is missing: install binutils (apt-get install binutils).")
    missing = [name for name in ("terjman.svg", "terjman.ico", "terjman.icns", "terjman-256.png")
               if not (ICONS / name).is_file()]
    if missing:
        raise BuildError(f"icons missing in resources/icons: {missing}; "
                         "run python packaging/icons.py")


def build_bundle(dist: Path, work: Path, clean: bool) -> Path:
    command: list[str | Path] = [sys.executable, "-m", "PyInstaller", SPEC, "--noconfirm",
                                 "--distpath", dist, "--workpath", work]
    if clean:
        command.append("--clean")
    started = time.perf_counter()
    run(command, cwd=ROOT)
    bundle = dist / EXE_NAME
    if not bundle.is_dir():
        raise BuildError(f"PyInstaller finished but {bundle} is missing")
    log(f"bundle {bundle} built in {time.perf_counter() - started:.0f} s")
    return bundle


def check_executable(bundle: Path) -> Path:
    """The executable to run checks with (on Windows the console twin, which has a stdout)."""
    if sys.platform == "win32":
        return bundle / f"{EXE_NAME}-console.exe"
    return bundle / EXE_NAME


def self_test(executable: Path, model: Path) -> dict[str, object]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    log(f"self-test: {executable.name} --self-test {model}")
    result = subprocess.run([str(executable), "--self-test", str(model)], capture_output=True,
                            text=True, encoding="utf-8", env=env, timeout=300, check=False)
    if result.returncode != 0:
        raise BuildError(f"self-test failed (exit {result.returncode}):\n{result.stdout}\n"
                         f"{result.stderr}")
    report: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    log(f"self-test passed: {report}")
    return report


# ----------------------------------------------------------------------------- Linux


def _tar_filter(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def linux_share(target: Path) -> None:
    """``share/applications`` + ``share/icons/hicolor`` + ``share/metainfo`` under ``target``."""
    applications = target / "share" / "applications"
    applications.mkdir(parents=True, exist_ok=True)
    shutil.copy2(DESKTOP_FILE, applications / DESKTOP_FILE.name)
    for size in HICOLOR_SIZES:
        folder = target / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ICONS / f"terjman-{size}.png", folder / "terjman-desktop.png")
    scalable = target / "share" / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ICONS / "terjman.svg", scalable / "terjman-desktop.svg")
    metainfo = target / "share" / "metainfo"
    metainfo.mkdir(parents=True, exist_ok=True)
    shutil.copy2(METAINFO, metainfo / METAINFO.name)


def linux_tarball(bundle: Path, dist: Path, name: str) -> Path:
    """The folder plus desktop integration, as ``<name>.tar.gz`` with ``<name>/`` inside."""
    staging = dist / "staging" / name
    shutil.rmtree(staging.parent, ignore_errors=True)
    staging.parent.mkdir(parents=True)
    shutil.copytree(bundle, staging, symlinks=True)
    linux_share(staging)
    script = staging / "install-desktop-entry.sh"
    shutil.copy2(LINUX / "install-desktop-entry.sh", script)
    script.chmod(0o755)
    archive = dist / f"{name}.tar.gz"
    log(f"writing {archive.name}")
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(staging, arcname=name, filter=_tar_filter)
    shutil.rmtree(staging.parent, ignore_errors=True)
    return archive


def linux_appdir(bundle: Path, dist: Path) -> Path:
    """An AppImage ``AppDir``: AppRun, the desktop file and icon at the top, the app in usr/."""
    appdir = dist / f"{APP_NAME}.AppDir"
    shutil.rmtree(appdir, ignore_errors=True)
    (appdir / "usr" / "lib").mkdir(parents=True)
    shutil.copytree(bundle, appdir / "usr" / "lib" / EXE_NAME, symlinks=True)
    linux_share(appdir / "usr")
    shutil.copy2(LINUX / "AppRun", appdir / "AppRun")
    (appdir / "AppRun").chmod(0o755)
    shutil.copy2(DESKTOP_FILE, appdir / DESKTOP_FILE.name)
    shutil.copy2(ICONS / "terjman-256.png", appdir / "terjman-desktop.png")
    (appdir / ".DirIcon").symlink_to("terjman-desktop.png")
    return appdir


def find_appimagetool() -> str | None:
    return os.environ.get("APPIMAGETOOL") or shutil.which("appimagetool") \
        or shutil.which("appimagetool-x86_64.AppImage")


def linux_appimage(appdir: Path, dist: Path, release: str) -> Path | None:
    tool = find_appimagetool()
    target = dist / f"{APP_NAME}-{release}-{machine()}.AppImage"
    if tool is None:
        log("appimagetool not found: the AppDir is ready but no AppImage was made. To make one, "
            "download appimagetool-<arch>.AppImage from "
            "https://github.com/AppImage/appimagetool/releases, make it executable and either put "
            "it on PATH as `appimagetool` or set APPIMAGETOOL=/path/to/it; without FUSE "
            "(containers, CI) also set APPIMAGE_EXTRACT_AND_RUN=1. Then run this again, or "
            f"directly: ARCH={machine()} appimagetool {appdir} {target}")
        return None
    run([tool, appdir, target], env={**os.environ, "ARCH": machine()})
    return target


def check_metainfo_release(release: str) -> None:
    if f'<release version="{release}"' not in METAINFO.read_text(encoding="utf-8"):
        log(f"WARNING: {METAINFO.name} has no <release version=\"{release}\"> entry; "
            "add one before publishing")


# ----------------------------------------------------------------------------- Windows


def find_iscc() -> str | None:
    if os.environ.get("ISCC"):
        return os.environ["ISCC"]
    found = shutil.which("iscc") or shutil.which("ISCC")
    if found:
        return found
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES"),
                 os.environ.get("LOCALAPPDATA", "") + r"\Programs"):
        if base and (Path(base) / "Inno Setup 6" / "ISCC.exe").is_file():
            return str(Path(base) / "Inno Setup 6" / "ISCC.exe")
    return None


def windows_installer(bundle: Path, dist: Path, release: str) -> Path:
    iscc = find_iscc()
    if iscc is None:
        raise BuildError("Inno Setup 6 is not installed: get it from "
                         "https://jrsoftware.org/isdl.php (or `choco install innosetup`), or set "
                         f"ISCC=path\\to\\ISCC.exe. The one-folder app is ready in {bundle}.")
    numeric = ".".join(re.findall(r"\d+", release)[:4]) or "0"
    run([iscc, f"/DAppVersion={release}", f"/DNumericVersion={numeric}",
         f"/DBundleDir={bundle}", f"/DOutputDir={dist}", PACKAGING / "windows" / "terjman.iss"])
    return dist / f"terjman-desktop-{release}-windows-x64-setup.exe"


# ----------------------------------------------------------------------------- macOS


def macos_dmg(dist: Path, release: str) -> Path:
    app = dist / f"{APP_NAME}.app"
    if not app.is_dir():
        raise BuildError(f"{app} is missing: the spec's BUNDLE step did not run")
    if shutil.which("hdiutil") is None:
        raise BuildError("hdiutil is missing: build the .dmg on macOS")
    identity = os.environ.get("TERJMAN_CODESIGN_IDENTITY")
    if identity:
        # PyInstaller signed each file while building; sign the whole bundle again with the
        # hardened runtime and a secure timestamp, which notarization requires.
        run(["codesign", "--force", "--deep", "--options", "runtime", "--timestamp",
             "--entitlements", PACKAGING / "macos" / "entitlements.plist", "--sign", identity, app])
        run(["codesign", "--verify", "--deep", "--strict", "--verbose=2", app])
    else:
        log("TERJMAN_CODESIGN_IDENTITY not set: the .app and .dmg are unsigned (Gatekeeper "
            "will refuse them on other Macs; see packaging/README.md)")
    staging = dist / "dmg"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    shutil.copytree(app, staging / app.name, symlinks=True)
    (staging / "Applications").symlink_to("/Applications")
    dmg = dist / f"{APP_NAME}-{release}-macos-{machine()}.dmg"
    dmg.unlink(missing_ok=True)
    run(["hdiutil", "create", "-volname", APP_NAME, "-srcfolder", staging, "-ov",
         "-format", "UDZO", dmg])
    shutil.rmtree(staging, ignore_errors=True)
    if identity:
        run(["codesign", "--force", "--timestamp", "--sign", identity, dmg])
        profile = os.environ.get("TERJMAN_NOTARY_PROFILE")
        if profile:
            run(["xcrun", "notarytool", "submit", dmg, "--keychain-profile", profile, "--wait"])
            run(["xcrun", "stapler", "staple", dmg])
        else:
            log("TERJMAN_NOTARY_PROFILE not set: the .dmg is signed but not notarized")
    return dmg


# ----------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Build Terjman Desktop for this platform.")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist",
                        help="where the app and the artifacts go (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build",
                        help="PyInstaller's work folder (default: build/)")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's caches first")
    parser.add_argument("--bundle-only", action="store_true",
                        help="stop after the one-folder app (no tar.gz/AppImage/installer/dmg)")
    parser.add_argument("--self-test", type=Path, metavar="MODEL_DIR", action="append",
                        default=[], help="check the frozen app with this model folder "
                        "(repeatable)")
    parser.add_argument("--summary", type=Path, metavar="FILE",
                        help="write what was built (paths, sizes, times) as JSON")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()
    release = version()
    started = time.perf_counter()
    summary: dict[str, object] = {"version": release, "platform": sys.platform,
                                  "machine": machine()}
    artifacts: list[Path] = []
    try:
        check_prerequisites()
        bundle = build_bundle(dist, work, args.clean)
        executable = check_executable(bundle)
        size = tree_size(bundle)
        summary.update(bundle=str(bundle), executable=str(executable), bundle_bytes=size,
                       bundle_seconds=round(time.perf_counter() - started, 1))
        log(f"bundle size {size / 2**20:.0f} MiB uncompressed")
        if sys.platform.startswith("linux") and size > LINUX_SIZE_TARGET_MB * 2**20:
            log(f"WARNING: over the {LINUX_SIZE_TARGET_MB} MB target")
        summary["self_tests"] = [self_test(executable, model) for model in args.self_test]

        if not args.bundle_only:
            if sys.platform.startswith("linux"):
                check_metainfo_release(release)
                artifacts.append(linux_tarball(bundle, dist,
                                               f"{EXE_NAME}-{release}-linux-{machine()}"))
                appdir = linux_appdir(bundle, dist)
                summary["appdir"] = str(appdir)
                appimage = linux_appimage(appdir, dist, release)
                if appimage is not None:
                    artifacts.append(appimage)
            elif sys.platform == "win32":
                artifacts.append(windows_installer(bundle, dist, release))
            elif sys.platform == "darwin":
                summary["app"] = str(dist / f"{APP_NAME}.app")
                artifacts.append(macos_dmg(dist, release))
        summary["artifacts"] = [str(path) for path in artifacts]
        summary["total_seconds"] = round(time.perf_counter() - started, 1)
    except (BuildError, subprocess.TimeoutExpired) as error:
        log(f"FAILED: {error}")
        return 1
    finally:
        if args.summary:
            args.summary.parent.mkdir(parents=True, exist_ok=True)
            args.summary.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    for path in artifacts:
        log(f"artifact: {path} ({path.stat().st_size / 2**20:.0f} MiB)")
    log(f"done in {summary['total_seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
