"""The engine and a package's vocabulary map (``vmap.txt``): used when listed, off on request.

The tiny models' maps here are written by hand to prove the mechanism: one that keeps every
target token (the output cannot change) and one that keeps almost none (the output must
change, so the map was really applied). How a real map is built is the trainer's business.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from terjman_desktop.core.translate import (
    VMAP_NAME,
    Direction,
    TranslationOptions,
    Translator,
    describe_files,
    read_manifest,
    write_manifest,
)

EN_ARY = Direction("en", "ary")
SENTENCES = ["I want the tea.", "She eats the bread tomorrow.", "They drink the coffee every day."]


def with_vmap(package: Path, folder: Path, lines: list[str], *, listed: bool = True) -> Path:
    """A copy of ``package`` carrying ``vmap.txt`` (listed in its manifest, or not)."""
    shutil.copytree(package, folder)
    (folder / VMAP_NAME).write_text("\n".join(lines) + "\n", encoding="utf-8")
    if listed:
        manifest = read_manifest(folder)
        names = [f.path for f in manifest.files] + [VMAP_NAME]
        write_manifest(folder, replace(manifest, files=describe_files(folder, names)))
    return folder


def target_tokens(package: Path) -> list[str]:
    vocabulary = json.loads((package / "shared_vocabulary.json").read_text(encoding="utf-8"))
    return [str(token) for token in vocabulary]


def texts(translator: Translator, options: TranslationOptions | None = None) -> list[str]:
    return [t.text for t in translator.translate_many(SENTENCES, EN_ARY, options)]


def test_a_map_that_keeps_every_token_changes_nothing(marian_package: Path,
                                                      tmp_path: Path) -> None:
    full = with_vmap(marian_package, tmp_path / "full", ["\t" + " ".join(
        t for t in target_tokens(marian_package) if t.strip())])
    mapped = Translator(full, device="cpu", threads=1)
    assert mapped.has_vmap
    assert texts(mapped) == texts(Translator(marian_package, device="cpu", threads=1))


def test_a_tight_map_is_applied_and_can_be_turned_off(marian_package: Path,
                                                      tmp_path: Path) -> None:
    plain = texts(Translator(marian_package, device="cpu", threads=1))
    # Only the end of sentence and a full stop may be written: the map is really used.
    tight = with_vmap(marian_package, tmp_path / "tight", ["\t▁."])
    mapped = Translator(tight, device="cpu", threads=1)
    restricted = texts(mapped)
    assert restricted != plain
    assert all(set(text) <= {".", " "} for text in restricted)
    # Off (the setting, --no-vmap): the whole vocabulary again, and cached apart.
    off = TranslationOptions(use_vmap=False)
    assert texts(mapped, off) == plain
    assert texts(mapped) == restricted


def test_an_unlisted_map_is_ignored(marian_package: Path, tmp_path: Path) -> None:
    # A file the manifest does not list was never verified with the package: not used.
    stray = with_vmap(marian_package, tmp_path / "stray", ["\t▁."], listed=False)
    translator = Translator(stray, device="cpu", threads=1)
    assert not translator.has_vmap
    assert texts(translator) == texts(Translator(marian_package, device="cpu", threads=1))


def test_the_command_uses_the_map_and_no_vmap_turns_it_off(
    marian_package: Path, tmp_path: Path, terjman_home: Path
) -> None:
    from tests.test_cli import terjman

    tight = with_vmap(marian_package, tmp_path / "tight", ["\t▁."])
    plain = terjman("translate", SENTENCES[0], "--model", str(marian_package), home=terjman_home)
    mapped = terjman("translate", SENTENCES[0], "--model", str(tight), home=terjman_home)
    off = terjman("translate", SENTENCES[0], "--model", str(tight), "--no-vmap",
                  home=terjman_home)
    assert plain.returncode == mapped.returncode == off.returncode == 0, mapped.stderr
    assert mapped.stdout != plain.stdout
    assert off.stdout == plain.stdout


@pytest.mark.parametrize("quality", ["fast", "balanced", "best"])
def test_presets_use_the_map_unless_told_not_to(quality: str) -> None:
    assert TranslationOptions.for_quality(quality).use_vmap
    assert not TranslationOptions.for_quality(quality, use_vmap=False).use_vmap
