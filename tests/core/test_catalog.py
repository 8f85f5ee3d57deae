"""The catalog: the bundled copy, the schema and its errors, refresh and fallbacks."""

from __future__ import annotations

import copy
import json
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from terjman_desktop.core import paths
from terjman_desktop.core.errors import CatalogError, ModelNotFoundError
from terjman_desktop.core.models import catalog, catalog_schema
from terjman_desktop.core.models.catalog_schema import Catalog
from terjman_desktop.core.translate.manifest import Direction, FileEntry
from tests.core.http_server import FaultyHTTPServer

SHA = "ab" * 32


def available_entry(**changes: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": "terjman-nano-v2.0-int8",
        "name": "Terjman Nano v2.0",
        "version": "2.0",
        "family": "marian",
        "tier": "nano",
        "directions": [{"source": "en", "target": "ary"}],
        "parameters": 77_000_000,
        "base_model": "Helsinki-NLP/opus-mt-en-ar",
        "hf_repo": "atlasia/Terjman-Nano-v2.0",
        "gated": True,
        "quantization": "int8",
        "download_size": 78_001_000,
        "ram_required": 400_000_000,
        "metrics": {"terjamabench": {"bleu": 18.8, "chrf": 38.4, "source": "test figures"}},
        "license": "cc-by-nc-4.0",
        "attribution": "AtlasIA",
        "status": "available",
        "files": [
            {"path": "model.bin", "size": 78_000_000, "sha256": SHA},
            {"path": "config.json", "size": 1_000, "sha256": "CD" * 32},
        ],
        "mirrors": ["https://mirror.example/terjman-nano-v2.0-int8/", "http://lan.local/m"],
        "release_channel": "stable",  # unknown fields are kept, not refused
    }
    entry.update(changes)
    return entry


def document(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"catalog_format": 1, "updated": "2026-11-26", "models": list(entries)}


def dump(data: Any) -> bytes:
    return json.dumps(data).encode()


@pytest.fixture
def bundled() -> Catalog:
    return catalog.load_bundled()


# --------------------------------------------------------------------------- bundled catalog


def test_bundled_catalog_lists_the_family_honestly(bundled: Catalog) -> None:
    ids = {entry.id for entry in bundled}
    assert {
        "terjman-nano-v1-int8", "terjman-nano-v2.0-int8",
        "terjman-large-v1-int8", "terjman-large-v1.2-int8", "terjman-large-v2.0-int8",
        "terjman-ultra-v1-int8", "terjman-ultra-v2.0-int8",
        "terjman-supreme-v1-int8", "terjman-supreme-v2.0-int8",
        "nllb-200-distilled-600m-int8", "opus-mt-en-ar-int8",
    } == ids
    for entry in bundled:
        # Nothing is released as CTranslate2: no files, no mirrors, no invented hashes; every
        # model installs from its Hugging Face repository, converted on the user's machine.
        assert entry.status == "not_yet_available"
        assert not entry.available and entry.installable
        assert entry.files == ()
        assert entry.mirrors == ()
        assert entry.source is not None and entry.source.repo == entry.hf_repo
        assert entry.source.format == "transformers" and entry.source.revision == "main"
        assert entry.source.family == entry.family
        assert entry.sizes_estimated
        assert entry.quantization == "int8"
        assert entry.gated == entry.version.startswith("2.0")
        assert entry.supports("en", "ary")
        assert entry.download_size >= entry.parameters  # a checkpoint: 2-4 bytes per weight
        assert entry.parameters <= entry.installed_size < entry.ram_required
        if entry.id.startswith("terjman"):
            assert entry.hf_repo.startswith("atlasia/Terjman-")
            assert "AtlasIA" in entry.attribution
        assert entry.license == ("apache-2.0" if entry.id.startswith("opus") else "cc-by-nc-4.0")
        assert entry.supports("ary", "en") == (entry.family == "nllb")
    raw = bundled_text()
    assert "sha256" not in raw


def test_the_bundled_catalog_recommends_the_smallest_public_terjman(bundled: Catalog) -> None:
    recommended = [entry for entry in bundled if entry.recommended]
    assert [entry.id for entry in recommended] == ["terjman-nano-v1-int8"]
    assert not recommended[0].gated


def test_the_bundled_catalog_records_each_models_decoding_choices(bundled: Catalog) -> None:
    """Which first token an NLLB model is forced to, and the OPUS-MT target token."""
    for entry in bundled:
        assert entry.source is not None
        tokens = dict(entry.source.target_tokens)
        if entry.family == "nllb" and (entry.version == "2.0" or entry.id.startswith("nllb")):
            assert tokens == {"ary": "ary_Arab"}  # as AtlasIA's evaluation and NLLB run them
        else:
            assert tokens == {}  # v1: the card runs generate without a forced token
        prefix = list(entry.source.source_prefix)
        assert prefix == ([">>ary<<"] if entry.id.startswith("opus") else [])


def bundled_text() -> str:
    return catalog.bundled_path().read_text(encoding="utf-8")


def test_bundled_figures_belong_to_the_models_they_describe(bundled: Catalog) -> None:
    ultra = bundled.get("terjman-ultra-v2.0-int8")
    figures = ultra.metrics["terjamabench"]
    assert (figures["bleu"], figures["chrf"], figures["ter"]) == (25.0, 44.7, 77.2)
    assert figures["source"]
    for model_id, measured_on in [
        ("terjman-large-v2.0-int8", "atlasia/Terjman-Large-v2.2"),
        ("terjman-nano-v2.0-int8", "atlasia/Terjman-Nano-v2.2"),
    ]:
        entry = bundled.get(model_id)
        assert entry.metrics == {}  # v2.2 figures are not v2.0's
        assert entry.closest_metrics["terjamabench"]["measured_on"] == measured_on
    with_figures = {e.id for e in bundled if e.metrics}
    assert with_figures == {"terjman-ultra-v2.0-int8"}


def test_bundled_nllb_models(bundled: Catalog) -> None:
    nllb = bundled.get("nllb-200-distilled-600m-int8")
    assert nllb.family == "nllb"
    assert nllb.base_model == "facebook/nllb-200-distilled-600M"
    assert not nllb.gated
    assert bundled.get("terjman-ultra-v1-int8").base_model == "facebook/nllb-200-1.3B"
    assert bundled.get("terjman-supreme-v2.0-int8").base_model == "facebook/nllb-200-3.3B"
    assert bundled.get("terjman-large-v1.2-int8").base_model == "Helsinki-NLP/opus-mt-tc-big-en-ar"


def test_resources_dir_in_checkout_and_frozen(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert paths.resources_dir() == Path(paths.__file__).resolve().parents[2] / "resources"
    assert catalog.bundled_path().is_file()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == tmp_path / "resources"


def test_get_unknown_model(bundled: Catalog) -> None:
    with pytest.raises(ModelNotFoundError, match="no-such-model"):
        bundled.get("no-such-model")
    assert bundled.find("no-such-model") is None


# --------------------------------------------------------------------------- schema


def test_available_entry_parses() -> None:
    parsed = catalog_schema.parse_catalog(document(available_entry()))
    (entry,) = parsed.entries
    assert entry.available
    assert entry.directions == (Direction("en", "ary"),)
    assert entry.files == (
        FileEntry("model.bin", 78_000_000, SHA),
        FileEntry("config.json", 1_000, "cd" * 32),  # hashes are normalised to lowercase
    )
    assert entry.extra == {"release_channel": "stable"}
    assert parsed.updated == "2026-11-26"


def _without(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda entry: entry.pop(key)


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda entry: entry.__setitem__(key, value)


def _file(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(entry: dict[str, Any]) -> None:
        if value is None:
            entry["files"][0].pop(key)
        else:
            entry["files"][0][key] = value

    return change


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_without("name"), "field 'name' is missing"),
        (_set("parameters", "77M"), "field 'parameters' must be an integer, not a string"),
        (_set("download_size", True), "'download_size' must be an integer, not true or false"),
        (_set("ram_required", -1), "field 'ram_required' cannot be negative"),
        (_set("gated", "yes"), "field 'gated' must be true or false, not a string"),
        (_set("family", "gpt"), "field 'family' is 'gpt'"),
        (_set("tier", "mega"), "field 'tier' is 'mega'"),
        (_set("status", "soon"), "field 'status' is 'soon'"),
        (_set("quantization", "int3"), "field 'quantization' is 'int3'"),
        (_set("id", "Bad ID"), "the id 'Bad ID' is not valid"),
        (_set("directions", []), "lists no translation direction"),
        (_set("directions", ["en-ary"]), "each direction must be an object"),
        (_set("files", []), "available model must list its files"),
        (_without("files"), "available model must list its files"),
        (_set("mirrors", []), "must list at least one mirror"),
        (_set("mirrors", ["ftp://x/"]), "is not an http(s) URL"),
        (_set("mirrors", "https://x/"), "'mirrors' must be a list, not a string"),
        (_set("files", {"model.bin": SHA}), "'files' must be a list, not an object"),
        (_file("sha256", None), "no sha256: a file whose hash is not known in advance"),
        (_file("sha256", "ab" * 31), "sha256 of 'model.bin' is not 64 hexadecimal digits"),
        (_file("sha256", "zz" * 32), "sha256 of 'model.bin' is not 64 hexadecimal digits"),
        (_file("sha256", 12), "'sha256' must be a string, not an integer"),
        (_file("size", "big"), "'size' must be an integer"),
        (_file("path", "../model.bin"), "is not a plain relative path"),
        (_file("path", "/abs/model.bin"), "is not a plain relative path"),
        (_file("path", "config.json"), "'config.json' is listed twice"),
        (_set("metrics", {"terjamabench": {"bleu": 1.0}}), "the field 'source' is missing"),
        (
            _set("metrics", {"terjamabench": {"bleu": "high", "source": "x"}}),
            "'bleu' must be a number, not a string",
        ),
        (_set("metrics", {"terjamabench": {"source": "x"}}), "no figure given"),
        (_set("metrics", []), "'metrics' must be an object, not a list"),
        (
            _set("closest_metrics", {"terjamabench": {"bleu": 1.0, "source": "x"}}),
            "the field 'measured_on' is missing",
        ),
    ],
)
def test_schema_errors_name_the_entry_and_field(
    change: Callable[[dict[str, Any]], None], expected: str
) -> None:
    entry = copy.deepcopy(available_entry())
    change(entry)

    with pytest.raises(CatalogError) as caught:
        catalog_schema.parse_catalog(document(entry), "test.json")

    message = str(caught.value)
    assert message.startswith("test.json: model '")
    assert expected in message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([], "must be a JSON object"),
        ({"models": []}, "'catalog_format' is missing"),
        ({"catalog_format": "1", "models": []}, "'catalog_format' must be an integer"),
        ({"catalog_format": 0, "models": []}, "format 0 is not valid"),
        ({"catalog_format": 2, "models": []}, "newer than this app understands"),
        ({"catalog_format": 1}, "'models' is missing"),
        ({"catalog_format": 1, "models": [3]}, "models[0]: each model must be a JSON object"),
        (document(available_entry(), available_entry()), "listed twice"),
    ],
)
def test_document_errors(data: Any, expected: str) -> None:
    with pytest.raises(CatalogError) as caught:
        catalog_schema.parse_catalog(data, "test.json")
    assert expected in str(caught.value)


def test_not_yet_available_entry_needs_no_files() -> None:
    entry = available_entry(status="not_yet_available", files=[], mirrors=[])
    (parsed,) = catalog_schema.parse_catalog(document(entry)).entries
    assert not parsed.available
    assert parsed.files == ()


def hub_entry(**source: Any) -> dict[str, Any]:
    raw = {"kind": "hub", "repo": "atlasia/Terjman-Nano-v2.0", **source}
    return available_entry(status="not_yet_available", files=[], mirrors=[], source=raw)


def test_a_hub_source_makes_an_entry_installable() -> None:
    entry = hub_entry(revision="v2.0", family="marian", source_prefix=[">>ary<<"])
    (parsed,) = catalog_schema.parse_catalog(document(entry)).entries
    assert not parsed.available and parsed.installable
    assert parsed.source is not None
    assert (parsed.source.repo, parsed.source.revision) == ("atlasia/Terjman-Nano-v2.0", "v2.0")
    assert parsed.source.format == "transformers"
    assert parsed.source.source_prefix == (">>ary<<",)
    assert parsed.source.to_json()["kind"] == "hub"
    assert "source" not in parsed.extra


def test_without_source_or_release_an_entry_is_not_installable() -> None:
    entry = available_entry(status="not_yet_available", files=[], mirrors=[])
    (parsed,) = catalog_schema.parse_catalog(document(entry)).entries
    assert not parsed.installable


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ({"kind": "ftp"}, "source kind"),
        ({"repo": "no-slash"}, "source"),
        ({"repo": "a/b/c"}, "source"),
        ({"repo": "atlasia/x", "revision": "bad rev\n"}, "source"),
        ({"format": "gguf"}, "source format"),
        ({"format": "ctranslate2"}, "must name its family"),
        ({"family": "bart"}, "source family"),
        ({"source_prefix": ">>ary<<"}, "source_prefix"),
        ({"source_prefix": ["two words"]}, "source_prefix"),
        ({"target_tokens": {"ary": ""}}, "target_tokens"),
        ({"target_tokens": {"Darija!": "ary_Arab"}}, "target_tokens"),
        ({"target_tokens": ["ary_Arab"]}, "target_tokens"),
    ],
)
def test_a_bad_hub_source_names_the_entry(source: dict[str, Any], expected: str) -> None:
    raw = hub_entry()
    raw["source"] = {**raw["source"], **source}
    with pytest.raises(CatalogError, match=expected) as caught:
        catalog_schema.parse_catalog(document(raw))
    assert "terjman-nano-v2.0-int8" in str(caught.value)


def test_an_old_reader_sees_a_hub_entry_as_not_available() -> None:
    """The format is unchanged: the fields are additions an old reader keeps in ``extra``."""
    (parsed,) = catalog_schema.parse_catalog(document(hub_entry())).entries
    assert parsed.status == "not_yet_available"
    assert catalog_schema.CATALOG_FORMAT == 1


def test_malformed_json() -> None:
    with pytest.raises(CatalogError, match="is not valid JSON"):
        catalog.loads(b'{"catalog_format": 1, "models": [', "broken.json")


def test_from_file_missing(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="does not exist"):
        catalog.from_file(tmp_path / "nope.json")


# --------------------------------------------------------------------------- refresh and cache


def test_refresh_from_url_caches_last_good_copy(http_server: FaultyHTTPServer) -> None:
    content = dump(document(available_entry()))
    http_server.add("catalog.json", content)

    refreshed = catalog.refresh(http_server.url_for("catalog.json"), timeout=2)

    assert [e.id for e in refreshed] == ["terjman-nano-v2.0-int8"]
    assert catalog.cached_path().read_bytes() == content
    cached = catalog.load_cached()
    assert cached is not None
    assert cached.entries == refreshed.entries
    assert catalog.current().origin == str(catalog.cached_path())
    assert list(catalog.cached_path().parent.glob("*.tmp")) == []


def test_refresh_from_file_and_file_url(tmp_path: Path) -> None:
    path = tmp_path / "classroom-catalog.json"
    path.write_bytes(dump(document(available_entry())))

    assert len(catalog.refresh(str(path))) == 1
    assert len(catalog.refresh(path.as_uri())) == 1
    assert catalog.cached_path().read_bytes() == path.read_bytes()


def test_from_file_does_not_touch_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_bytes(dump(document(available_entry())))
    assert len(catalog.from_file(path)) == 1
    assert not catalog.cached_path().exists()


@pytest.mark.parametrize(
    "bad",
    [
        b"<html>captive portal</html>",
        dump(document(available_entry(files=[{"path": "model.bin", "size": 1}]))),
        dump({"catalog_format": 1, "models": "none"}),
    ],
)
def test_invalid_refresh_keeps_last_good_copy(http_server: FaultyHTTPServer, bad: bytes) -> None:
    good = dump(document(available_entry()))
    http_server.add("catalog.json", good)
    catalog.refresh(http_server.url_for("catalog.json"), timeout=2)
    http_server.add("catalog.json", bad)

    with pytest.raises(CatalogError):
        catalog.refresh(http_server.url_for("catalog.json"), timeout=2)

    assert catalog.cached_path().read_bytes() == good
    assert len(catalog.current()) == 1


def test_refresh_http_error(http_server: FaultyHTTPServer) -> None:
    http_server.add("catalog.json", b"{}")
    http_server.set_fault("catalog.json", status=500)

    with pytest.raises(CatalogError, match="HTTP 500") as caught:
        catalog.refresh(http_server.url_for("catalog.json"), timeout=2)

    assert "last good catalog stays in use" in str(caught.value)
    assert not catalog.cached_path().exists()


def test_refresh_refuses_oversized_documents(
    http_server: FaultyHTTPServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(catalog, "MAX_CATALOG_BYTES", 1_000)
    http_server.add("catalog.json", b" " * 200_000)
    with pytest.raises(CatalogError, match="more than 1000 bytes"):
        catalog.refresh(http_server.url_for("catalog.json"), timeout=2)
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2_000)
    with pytest.raises(CatalogError, match="too large"):
        catalog.refresh(str(big))


def _dead_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/catalog.json"


def test_offline_falls_back_to_cached_then_bundled(http_server: FaultyHTTPServer) -> None:
    # No cached copy yet: the bundled catalog is used, and the error is reported.
    used, error = catalog.refresh_or_current(_dead_url(), timeout=10)
    assert error is not None
    assert "connection was refused" in str(error)
    assert used.origin == str(catalog.bundled_path())

    http_server.add("catalog.json", dump(document(available_entry())))
    catalog.refresh(http_server.url_for("catalog.json"), timeout=2)

    used, error = catalog.refresh_or_current(_dead_url(), timeout=10)
    assert error is not None
    assert used.origin == str(catalog.cached_path())
    assert [e.id for e in used] == ["terjman-nano-v2.0-int8"]


def test_refresh_or_current_success_and_no_url(http_server: FaultyHTTPServer) -> None:
    http_server.add("catalog.json", dump(document(available_entry())))
    used, error = catalog.refresh_or_current(http_server.url_for("catalog.json"), timeout=2)
    assert error is None
    assert len(used) == 1
    used, error = catalog.refresh_or_current(None)
    assert error is None
    assert used.origin == str(catalog.cached_path())


def test_damaged_cache_falls_back_to_bundled() -> None:
    path = catalog.cached_path()
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")

    with pytest.raises(CatalogError):
        catalog.load_cached()
    assert catalog.current().origin == str(catalog.bundled_path())


def test_no_cache_means_none() -> None:
    assert catalog.load_cached() is None


def test_import_has_no_side_effects(tmp_path: Path) -> None:
    home = tmp_path / "home"
    code = (
        "import sys, terjman_desktop.core.models.catalog; "
        "assert 'requests' not in sys.modules, 'catalog must import requests lazily'; "
        "import terjman_desktop.core.models.download"
    )
    subprocess.run(
        [sys.executable, "-c", code], check=True, env={"TERJMAN_HOME": str(home), "PATH": ""}
    )
    assert not home.exists()


# --------------------------------------------------------------------------- hostile documents

HOSTILE_JSON = {
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "a 5000-digit integer": b'{"catalog_format": 1' + b"0" * 5000 + b', "models": []}',
    "NaN": b'{"catalog_format": 1, "models": [], "x": NaN}',
    "1e999": b'{"catalog_format": 1, "models": [], "x": 1e999}',
    "a duplicate key": b'{"catalog_format": 1, "models": [], "models": []}',
    "a lone surrogate": b'{"catalog_format": 1, "models": [], "notes": "\\ud800"}',
    "bytes that are not UTF-8": b'{"catalog_format": 1, "models": [], "notes": "\xff"}',
}


@pytest.mark.parametrize("bad", HOSTILE_JSON.values(), ids=HOSTILE_JSON.keys())
def test_hostile_json_is_a_catalog_error(bad: bytes, tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="previous catalog stays in use"):
        catalog.loads(bad, "hostile.json")
    path = tmp_path / "hostile.json"
    path.write_bytes(bad)
    with pytest.raises(CatalogError, match=r"hostile\.json"):
        catalog.from_file(path)


@pytest.mark.parametrize("bad", HOSTILE_JSON.values(), ids=HOSTILE_JSON.keys())
def test_hostile_refresh_falls_back_to_the_last_good_copy(
    http_server: FaultyHTTPServer, bad: bytes
) -> None:
    good = dump(document(available_entry()))
    http_server.add("catalog.json", good)
    catalog.refresh(http_server.url_for("catalog.json"), timeout=2)
    http_server.add("catalog.json", bad)

    used, error = catalog.refresh_or_current(http_server.url_for("catalog.json"), timeout=2)

    assert isinstance(error, CatalogError)
    assert used.origin == str(catalog.cached_path())
    assert catalog.cached_path().read_bytes() == good


@pytest.mark.parametrize("bad", HOSTILE_JSON.values(), ids=HOSTILE_JSON.keys())
def test_hostile_cached_copy_falls_back_to_bundled(bad: bytes) -> None:
    path = catalog.cached_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(bad)
    assert catalog.current().origin == str(catalog.bundled_path())


def test_refresh_falls_back_on_any_terjman_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from terjman_desktop.core.errors import DownloadError

    def fail(url: str, timeout: float) -> bytes:
        raise DownloadError("the mirror sent nonsense", hint="Try later.")

    monkeypatch.setattr(catalog, "_fetch", fail)
    used, error = catalog.refresh_or_current("https://catalog.example/c.json")
    assert isinstance(error, CatalogError)
    assert "the mirror sent nonsense" in str(error)
    assert used.origin == str(catalog.bundled_path())


def test_catalog_file_is_capped_like_a_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `--catalog FILE` reads with catalog.from_file: a 150 MB file was read whole.
    monkeypatch.setattr(catalog, "MAX_CATALOG_BYTES", 1_000)
    big = tmp_path / "big.json"
    big.write_bytes(dump(document(available_entry())) + b" " * 2_000)
    with pytest.raises(CatalogError, match="too large"):
        catalog.from_file(big)


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no named pipes here")
def test_catalog_file_that_is_a_named_pipe_or_a_folder(tmp_path: Path) -> None:
    import os

    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    with pytest.raises(CatalogError, match="named pipe"):
        catalog.from_file(pipe)  # opening it would wait for a writer forever
    with pytest.raises(CatalogError, match="named pipe"):
        catalog.refresh(str(pipe))
    with pytest.raises(CatalogError, match="is a folder"):
        catalog.from_file(tmp_path)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_set("mirrors", ["http:///x/"]), "is not an http(s) URL with a host name"),
        (_set("mirrors", ["https://:8080/x/"]), "is not an http(s) URL with a host name"),
        (_set("mirrors", ["https://host:port/x/"]), "is not an http(s) URL with a host name"),
        (_set("mirrors", ["https://host/x\n/"]), "is not an http(s) URL with a host name"),
        (
            _set("files", [
                {"path": "README.md", "size": 1, "sha256": SHA},
                {"path": "README.md/inner", "size": 1, "sha256": SHA},
            ]),
            "'README.md' is listed as a file and as the folder of 'README.md/inner'",
        ),
        (
            _set("files", [
                {"path": "café.bin", "size": 1, "sha256": SHA},
                {"path": "cafe\u0301.bin", "size": 1, "sha256": SHA},
            ]),
            "are the same file on some systems",
        ),
        (_set("directions", [{"source": "en\x1b[2J", "target": "ary"}]), "language code"),
        (_set("directions", [{"source": "en", "target": "ary\n"}]), "language code"),
        (_set("directions", [{"source": "English", "target": "ary"}]), "language code"),
        (_set("version", "2.0\x1b[31m"), "field 'version' is '2.0\\x1b[31m', expected"),
        (_set("version", "2.0\nterjman-x 1.0"), "field 'version'"),
        (_set("version", ""), "field 'version'"),
    ],
)
def test_codes_and_paths_are_refused(
    change: Callable[[dict[str, Any]], None], expected: str
) -> None:
    entry = copy.deepcopy(available_entry())
    change(entry)
    with pytest.raises(CatalogError) as caught:
        catalog_schema.parse_catalog(document(entry), "test.json")
    message = str(caught.value)
    assert expected in message
    assert message.isprintable()


def test_prose_fields_are_made_printable() -> None:
    entry = available_entry(
        name="Terjman\x1b[2J Nano\u202e",
        notes="line one\nline two\r\x07",
        license="cc-by\x9b31m",
        attribution="AtlasIA\u2066",
    )
    parsed = catalog_schema.parse_catalog(
        {**document(entry), "notes": "catalog\x1bnotes"}, "test.json"
    )
    (model,) = parsed.entries
    assert model.name == "Terjman\\x1b[2J Nano\\u202e"
    assert model.notes == "line one line two \\x07"
    assert model.license == "cc-by\\x9b31m"
    assert model.attribution == "AtlasIA\\u2066"
    assert parsed.notes == "catalog\\x1bnotes"
