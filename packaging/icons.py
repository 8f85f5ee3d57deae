"""Render the app icon for every platform from ``resources/icons/terjman.svg``.

Writes, next to the SVG (all committed, so a build needs no extra tool):

* ``terjman-<N>.png`` for N in 16, 24, 32, 48, 64, 128, 256, 512 — Linux hicolor theme sizes,
  the AppImage/AppStream icon, and Qt's window icon where SVG support is missing;
* ``terjman.ico`` — Windows (16…48 as 32-bit BMP, 64…256 as PNG, the layout Windows and
  Inno Setup handle everywhere);
* ``terjman.icns`` — macOS (16…1024 including the @2x variants, PNG-encoded entries).

Rendering uses Qt's own SVG renderer (PySide6, already an app dependency), and the ICO/ICNS
containers are written here in a few lines, so neither Pillow nor ``iconutil`` is needed::

    python packaging/icons.py            # regenerate after editing the SVG
    python packaging/icons.py --check    # exit 1 if the committed files are out of date
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "terjman.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICO_BMP_MAX = 48  # entries up to this size are stored as BMP, larger ones as PNG
# ICNS entry types: (OSType, pixel size). PNG payloads are valid for all of these.
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"ic11", 32),   # 16, 32, 16@2x
    (b"icp6", 64), (b"ic12", 64),                  # 64, 32@2x
    (b"ic07", 128), (b"ic08", 256), (b"ic13", 256),  # 128, 256, 128@2x
    (b"ic09", 512), (b"ic14", 512), (b"ic10", 1024),  # 512, 256@2x, 512@2x
)


def _render(svg: Path, sizes: Iterable[int]) -> dict[int, object]:
    """QImages (ARGB32 premultiplied → straight ARGB32) of the SVG at each size."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"Qt cannot read {svg}")
    images: dict[int, object] = {}
    for size in sorted(set(sizes)):
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        images[size] = image.convertToFormat(QImage.Format.Format_ARGB32)
    return images


def _png_bytes(image: object) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[attr-defined]
        raise SystemExit("Qt could not encode a PNG")
    buffer.close()
    return bytes(data.data())


def _bmp_entry(image: object) -> bytes:
    """An ICO BMP entry: BITMAPINFOHEADER, bottom-up BGRA rows, an all-zero AND mask."""
    width = image.width()  # type: ignore[attr-defined]
    height = image.height()  # type: ignore[attr-defined]
    # Format_ARGB32 is stored as B, G, R, A bytes on little-endian machines: exactly a DIB.
    rows = [bytes(image.constScanLine(y))[: width * 4]  # type: ignore[attr-defined]
            for y in range(height)]
    if sys.byteorder != "little":
        rows = [b"".join(row[i:i + 4][::-1] for i in range(0, len(row), 4)) for row in rows]
    mask_row = b"\0" * (((width + 31) // 32) * 4)
    header = struct.pack("<IiiHHIIiiII", 40, width, height * 2, 1, 32, 0,
                         width * height * 4 + len(mask_row) * height, 0, 0, 0, 0)
    return header + b"".join(reversed(rows)) + mask_row * height


def ico_bytes(images: dict[int, object]) -> bytes:
    entries = [(size, _bmp_entry(images[size]) if size <= ICO_BMP_MAX else _png_bytes(images[size]))
               for size in ICO_SIZES]
    offset = 6 + 16 * len(entries)
    directory = struct.pack("<HHH", 0, 1, len(entries))
    payload = b""
    for size, data in entries:
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
        payload += data
    return directory + payload


def icns_bytes(images: dict[int, object]) -> bytes:
    body = b""
    for kind, size in ICNS_TYPES:
        data = _png_bytes(images[size])
        body += kind + struct.pack(">I", 8 + len(data)) + data
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def generate(svg: Path = SVG) -> dict[Path, bytes]:
    """Every icon file's path and content (nothing is written)."""
    images = _render(svg, (*PNG_SIZES, *ICO_SIZES, *(size for _, size in ICNS_TYPES)))
    files = {svg.parent / f"terjman-{size}.png": _png_bytes(images[size]) for size in PNG_SIZES}
    files[svg.parent / "terjman.ico"] = ico_bytes(images)
    files[svg.parent / "terjman.icns"] = icns_bytes(images)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="only report whether the committed icons are missing")
    args = parser.parse_args(argv)
    files = generate()
    if args.check:
        missing = [path for path in files if not path.is_file()]
        for path in missing:
            print(f"missing: {path.relative_to(ROOT)}")
        return 1 if missing else 0
    for path, data in files.items():
        path.write_bytes(data)
        print(f"wrote {path.relative_to(ROOT)} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
