"""Installing a model from the (stand-in) Hugging Face Hub, converted on this computer.

The repositories hold the tests' trained tiny Marian and NLLB checkpoints as they are saved
by transformers, next to files an install must not fetch. The installed packages must
translate exactly as ``generate`` does on the checkpoint (float32), and every bad path —
gated repositories, an architecture that cannot be converted, a dropped connection, a cancel
during the conversion — must end in a clear error with nothing half-installed.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from terjman_desktop.core.cancel import PauseToken
from terjman_desktop.core.errors import (
    CancelledError,
    ConversionError,
    GatedRepoError,
    TerjmanError,
)
from terjman_desktop.core.models.hub.client import HubClient
from terjman_desktop.core.models.hub.install import (
    PHASE_CONVERT,
    PHASE_DOWNLOAD,
    InstallProgress,
    PackageDetails,
    install_from_hub,
)
from terjman_desktop.core.models.hub.source import HubSource
from terjman_desktop.core.models.store.layout import SOURCES as SOURCES_DIR
from terjman_desktop.core.models.store.store import Store
from terjman_desktop.core.translate.package import load_package
from tests.core.hub_server import StandInHub

pytestmark = pytest.mark.slow

MARIAN_REPO = "atlasia/Terjman-Tiny-Marian"
NLLB_REPO = "atlasia/Terjman-Tiny-Ultra"
GATED_REPO = "atlasia/Terjman-Tiny-Gated"
TOKEN = "hf_tiny_access_token_0123456789"
# Files a real repository carries that an install never needs.
EXTRAS = {
    "training_args.bin": b"\x80\x04pickle that must never be fetched",
    "README.md": b"---\nlicense: cc-by-nc-4.0\n---\n# Tiny\n",
    "tf_model.h5": random.Random(3).randbytes(20_000),
}



def repo_files(checkpoint: Path) -> dict[str, bytes]:
    files = {p.name: p.read_bytes() for p in checkpoint.iterdir() if p.is_file()}
    return {**files, **EXTRAS}


@pytest.fixture
def hub(marian_checkpoint: Path, nllb_checkpoint: Path) -> Iterator[StandInHub]:
    with StandInHub() as server:
        server.add_repo(MARIAN_REPO, repo_files(marian_checkpoint))
        server.add_repo(NLLB_REPO, repo_files(nllb_checkpoint))
        server.add_repo(GATED_REPO, repo_files(marian_checkpoint), gated=True, tokens=[TOKEN])
        yield server


def details(model_id: str) -> PackageDetails:
    return PackageDetails(model_id=model_id, name=f"Tiny {model_id}", version="1",
                          license="cc-by-nc-4.0", attribution="Tests")


def install(hub: StandInHub, repo: str, model_id: str, **kwargs: Any) -> Any:
    client = HubClient(hub.url, kwargs.pop("token", None))
    return install_from_hub(HubSource(repo), details(model_id), client=client, **kwargs)


def fetched(hub: StandInHub) -> set[str]:
    """The repository files whose contents were asked for (resolve URLs)."""
    paths = set()
    for request in hub.all_requests():
        if "/resolve/" in request.path and request.method == "GET":
            paths.add(request.path.split("/resolve/", 1)[1].split("/", 1)[1].split("?")[0])
    return paths


# ----------------------------------------------------------------------------- parity


def test_marian_from_the_hub_translates_like_generate(
    hub: StandInHub, marian_checkpoint: Path
) -> None:
    from tests.core.parity import assert_parity, english_sentences

    installed = install(hub, MARIAN_REPO, "tiny-marian-hub-f32", quantization="float32")
    sentences = english_sentences()
    assert len(sentences) >= 50
    assert_parity(marian_checkpoint, installed.path, sentences, "en", "ary")
    manifest = load_package(installed.path, verify_hashes=True).manifest
    assert manifest.family == "marian" and manifest.forced_eos
    assert [str(d) for d in manifest.directions] == ["en→ary"]
    # Nothing the conversion does not read was downloaded.
    assert not fetched(hub) & set(EXTRAS)


@pytest.mark.parametrize(("source", "target", "codes"),
                         [("en", "ary", ("eng_Latn", "ary_Arab")),
                          ("ary", "en", ("ary_Arab", "eng_Latn"))])
def test_nllb_from_the_hub_translates_like_generate_both_ways(
    hub: StandInHub, nllb_checkpoint: Path, source: str, target: str, codes: tuple[str, str]
) -> None:
    from tests.core.parity import assert_parity, darija_sentences, english_sentences

    source_obj = HubSource(NLLB_REPO, target_tokens={"ary": "ary_Arab"})
    installed = install_from_hub(source_obj, details("tiny-nllb-hub-f32"),
                                 client=HubClient(hub.url), quantization="float32")
    sentences = english_sentences() if source == "en" else darija_sentences()
    assert_parity(nllb_checkpoint, installed.path, sentences, source, target, codes)


def test_int8_is_the_default_and_translates(hub: StandInHub) -> None:
    from terjman_desktop.core.translate.engine import Translator
    from terjman_desktop.core.translate.manifest import Direction

    installed = install(hub, MARIAN_REPO, "tiny-marian-hub-int8")
    assert installed.manifest.quantization == "int8"
    text = Translator(installed.path, device="cpu").translate(
        "I eat the bread.", Direction("en", "ary")).text
    assert any("\u0600" <= c <= "\u06ff" for c in text)


# ----------------------------------------------------------------------------- records


def test_the_package_records_where_it_came_from(hub: StandInHub) -> None:
    installed = install(hub, MARIAN_REPO, "tiny-marian-hub")
    record = installed.manifest.extra["source"]
    commit = hub.head(MARIAN_REPO)
    assert record["repo"] == MARIAN_REPO and record["commit"] == commit
    assert record["revision"] == "main" and record["format"] == "transformers"
    by_path = {f["path"]: f for f in record["files"]}
    assert "model.safetensors" in by_path and "sha256" in by_path["model.safetensors"]
    assert "git_sha1" in by_path["config.json"]
    assert record["converter"]["quantization"] == "int8"
    # The downloaded checkpoint is gone once the model is installed…
    assert not (Store().root / SOURCES_DIR / "tiny-marian-hub").exists()
    card = (installed.path / "README.md").read_text(encoding="utf-8")
    assert MARIAN_REPO in card and commit in card


def test_keep_source_keeps_the_checkpoint(hub: StandInHub) -> None:
    install(hub, MARIAN_REPO, "tiny-marian-kept", keep_source=True)
    kept = Store().root / SOURCES_DIR / "tiny-marian-kept" / hub.head(MARIAN_REPO)
    assert (kept / "model.safetensors").is_file() and (kept / "config.json").is_file()


def test_progress_has_a_download_phase_then_a_conversion_phase(hub: StandInHub) -> None:
    seen: list[InstallProgress] = []
    install(hub, MARIAN_REPO, "tiny-marian-progress", progress=seen.append)
    phases = [p.phase for p in seen]
    first_convert = phases.index(PHASE_CONVERT)
    assert PHASE_DOWNLOAD in phases[:first_convert]
    assert PHASE_DOWNLOAD not in phases[first_convert:]
    converting = [p for p in seen if p.phase == PHASE_CONVERT and p.total > 1]
    assert converting and converting[-1].done == converting[-1].total


# ----------------------------------------------------------------------------- bad paths


def test_a_gated_repository_needs_a_token(hub: StandInHub) -> None:
    with pytest.raises(GatedRepoError) as caught:
        install(hub, GATED_REPO, "tiny-gated")
    message = str(caught.value)
    assert "gated" in message and GATED_REPO in message and "token" in message
    assert not any(Store().root.glob("tiny-gated"))
    installed = install(hub, GATED_REPO, "tiny-gated", token=TOKEN)
    assert installed.id == "tiny-gated"
    # The token went to the Hub only, never to the CDN that serves the large files.
    assert hub.cdn_requests and all("authorization" not in {k.lower() for k in r.headers}
                                    for r in hub.cdn_requests)


def test_an_unsupported_architecture_is_refused_before_the_weights(
    hub: StandInHub, marian_checkpoint: Path
) -> None:
    files = repo_files(marian_checkpoint)
    config = json.loads(files["config.json"])
    config.update(model_type="bart", architectures=["BartForConditionalGeneration"])
    files["config.json"] = json.dumps(config).encode()
    hub.add_repo("someone/bart-model", files)
    with pytest.raises(ConversionError, match=r"Marian|NLLB|M2M100"):
        install(hub, "someone/bart-model", "bart-model")
    assert "model.safetensors" not in fetched(hub)


def test_a_marian_repository_without_vocab_json_is_refused_before_the_weights(
    hub: StandInHub, marian_checkpoint: Path
) -> None:
    files = repo_files(marian_checkpoint)
    del files["vocab.json"]
    hub.add_repo("atlasia/Terjman-No-Vocab", files)
    with pytest.raises(TerjmanError, match=r"vocab\.json"):
        install(hub, "atlasia/Terjman-No-Vocab", "no-vocab")
    assert "model.safetensors" not in fetched(hub)


def test_an_interrupted_download_resumes_on_the_next_run(hub: StandInHub) -> None:
    """A run stopped mid-file (killed, cancelled, offline) leaves its partial file; the next
    run asks only for the rest of it."""
    hub.fault_cdn(MARIAN_REPO, "model.safetensors", chunk=4096, delay=0.01)
    control = PauseToken()

    def stop_midway(state: InstallProgress) -> None:
        download = state.download
        if download is not None and download.current_file == "model.safetensors" and (
            0 < download.downloaded_bytes < download.total_bytes
        ):
            control.cancel()

    with pytest.raises(CancelledError):
        install(hub, MARIAN_REPO, "tiny-resume", progress=stop_midway, control=control)
    assert not (Store().root / "tiny-resume").exists()
    part = next((Store().root / SOURCES_DIR / "tiny-resume").rglob("*.part"))
    assert part.stat().st_size > 0
    hub.fault_cdn(MARIAN_REPO, "model.safetensors", times=0)
    installed = install(hub, MARIAN_REPO, "tiny-resume")
    assert installed.id == "tiny-resume"
    ranges = [r.headers.get("Range") for r in hub.cdn_requests]
    assert any(value and not value.startswith("bytes=0-") for value in ranges)


def test_a_cancel_during_the_conversion_leaves_nothing_installed(hub: StandInHub) -> None:
    control = PauseToken()

    def cancel_when_converting(state: InstallProgress) -> None:
        if state.phase == PHASE_CONVERT:
            control.cancel()

    with pytest.raises(CancelledError):
        install(hub, MARIAN_REPO, "tiny-cancel", progress=cancel_when_converting,
                control=control)
    store = Store()
    assert not (store.root / "tiny-cancel").exists()
    assert [m.id for m in store.list()] == []
    # The download is kept, and the next run installs without fetching the weights again.
    before = len(hub.cdn_requests)
    installed = install(hub, MARIAN_REPO, "tiny-cancel")
    assert installed.id == "tiny-cancel" and len(hub.cdn_requests) == before


def test_a_second_install_replaces_the_first(hub: StandInHub, marian_checkpoint: Path) -> None:
    first = install(hub, MARIAN_REPO, "tiny-update")
    files = repo_files(marian_checkpoint)
    files["README.md"] = b"# a new commit\n"
    hub.commit(MARIAN_REPO, files)
    second = install(hub, MARIAN_REPO, "tiny-update")
    assert second.manifest.extra["source"]["commit"] == hub.head(MARIAN_REPO)
    assert first.manifest.extra["source"]["commit"] != hub.head(MARIAN_REPO)
    assert [m.id for m in Store().list()] == ["tiny-update"]


def test_installing_and_translating_needs_neither_torch_nor_transformers(
    hub: StandInHub, tmp_path: Path
) -> None:
    import os
    import subprocess
    import sys

    code = f"""
import sys
from terjman_desktop.core.models.hub.client import HubClient
from terjman_desktop.core.models.hub.install import PackageDetails, install_from_hub
from terjman_desktop.core.models.hub.source import HubSource
from terjman_desktop.core.translate.engine import Translator
from terjman_desktop.core.translate.manifest import Direction
installed = install_from_hub(HubSource({MARIAN_REPO!r}),
                             PackageDetails("tiny-no-torch", "Tiny", "1"),
                             client=HubClient({hub.url!r}))
Translator(installed.path, device="cpu").translate("I eat.", Direction("en", "ary"))
print(sorted(m for m in sys.modules if m.split(".")[0] in ("torch", "transformers", "PySide6")))
"""
    env = {**os.environ, "TERJMAN_HOME": str(tmp_path / "home"), "HF_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
    shutil.rmtree(tmp_path / "home", ignore_errors=True)


def test_int8_from_the_hub_stays_within_the_export_checks_bounds(
    hub: StandInHub, nllb_checkpoint: Path
) -> None:
    """The app's default quantization loses no more than ``trainer export`` allows."""
    from trainer.corpus import Example
    from trainer.quality import check_package
    from trainer.synthetic_corpus import parallel_pairs

    installed = install_from_hub(HubSource(NLLB_REPO, target_tokens={"ary": "ary_Arab"}),
                                 details("tiny-nllb-hub-int8"), client=HubClient(hub.url))
    pairs = parallel_pairs(limit=60, seed=7)
    examples = [Example(f"en{i}", en, ary, "en", "ary") for i, (en, ary) in enumerate(pairs)]
    examples += [Example(f"ary{i}", ary, en, "ary", "en") for i, (en, ary) in enumerate(pairs)]
    report = check_package(nllb_checkpoint, installed.path, examples, max_drop=1.0)
    assert report["passed"], report
    assert set(report["directions"]) == {"en-ary", "ary-en"}


def test_a_checkpoint_that_cannot_be_converted_leaves_no_download_behind(
    hub: StandInHub, marian_checkpoint: Path
) -> None:
    files = repo_files(marian_checkpoint)
    files["model.safetensors"] = b"\x08\x00\x00\x00\x00\x00\x00\x00{broken}" + bytes(20_000)
    hub.add_repo("atlasia/Terjman-Broken", files)
    with pytest.raises(ConversionError, match="safetensors"):
        install(hub, "atlasia/Terjman-Broken", "broken")
    assert not (Store().root / SOURCES_DIR / "broken").exists()
    assert not (Store().root / "broken").exists()


def test_a_float16_nllb_checkpoint_loads_on_the_cpu_without_a_conversion_warning(
    hub: StandInHub, checkpoint_variant: Any
) -> None:
    """The published NLLB models are float16: int8 keeps their biases in float16, which a CPU
    cannot compute in; the engine asks for int8_float32 so CTranslate2 does not warn."""
    import os
    import subprocess
    import sys

    hub.add_repo("atlasia/Terjman-Half", checkpoint_variant("nllb", "float16"))
    installed = install_from_hub(HubSource("atlasia/Terjman-Half"), details("tiny-half"),
                                 client=HubClient(hub.url))
    code = ("from terjman_desktop.core.translate.engine import Translator\n"
            "from terjman_desktop.core.translate import Direction\n"
            f"t = Translator({str(installed.path)!r}, device='cpu')\n"
            "print(t.translate('I eat.', Direction('en', 'ary')).text)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ}, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr.lower(), result.stderr


@pytest.mark.parametrize("bad", [{"d_model": "huge"}, {"vocab_size": [1]},
                                 {"encoder_layers": True}, {"d_model": 10**30}])
def test_a_hostile_config_is_a_clear_error(
    hub: StandInHub, marian_checkpoint: Path, bad: dict[str, Any]
) -> None:
    files = repo_files(marian_checkpoint)
    config = json.loads(files["config.json"])
    config.update(bad)
    files["config.json"] = json.dumps(config).encode()
    hub.add_repo("someone/odd-config", files)
    with pytest.raises(TerjmanError):
        install(hub, "someone/odd-config", "odd-config")
    assert not (Store().root / "odd-config").exists()
