"""NLLB models whose first output token is not their target language's own token.

The v1 Terjman NLLB models were trained with a target code NLLB does not know and their card
runs ``generate`` without ``forced_bos_token_id``: the model picks its first token. A package
records that per target language (``target_language_tokens``), and the engine forces nothing.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from terjman_desktop.core.errors import PackageError
from terjman_desktop.core.translate.engine import Translator
from terjman_desktop.core.translate.manifest import Direction
from terjman_desktop.core.translate.manifest_rules import parse_manifest
from terjman_desktop.core.translate.options import TranslationOptions
from terjman_desktop.core.translate.package import load_package, read_manifest
from terjman_desktop.core.translate.sentence_cache import SentenceCache
from terjman_desktop.core.translate.tokenize import load_tokenizer


def with_target_tokens(package: Path, tmp_path: Path, tokens: dict[str, Any]) -> Path:
    import shutil

    copy = tmp_path / "model"
    shutil.copytree(package, copy)
    manifest = json.loads((copy / "terjman-model.json").read_text(encoding="utf-8"))
    manifest["target_language_tokens"] = tokens
    (copy / "terjman-model.json").write_text(json.dumps(manifest), encoding="utf-8")
    return copy


def test_a_null_target_token_forces_nothing(nllb_package: Path, tmp_path: Path) -> None:
    folder = with_target_tokens(nllb_package, tmp_path, {"ary": None})
    tokenizer = load_tokenizer(load_package(folder))
    assert tokenizer.target_prefix("en", "ary") == []
    assert tokenizer.target_prefix("ary", "en") == ["eng_Latn"]
    # The source side keeps its language token.
    assert tokenizer.encode("I eat.", "en", "ary")[0] == "eng_Latn"


def test_the_model_then_chooses_its_first_token_like_generate(
    nllb_checkpoint: Path, nllb_package: Path, tmp_path: Path
) -> None:
    """Unforced, our engine and ``generate`` without ``forced_bos_token_id`` agree."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    folder = with_target_tokens(nllb_package, tmp_path, {"ary": None})
    sentences = ["I eat the bread.", "Where is the market?", "They drink the tea."]
    tokenizer: Any = transformers.AutoTokenizer.from_pretrained(nllb_checkpoint)
    tokenizer.src_lang = "eng_Latn"
    model: Any = transformers.AutoModelForSeq2SeqLM.from_pretrained(nllb_checkpoint).eval()
    theirs = []
    with torch.no_grad():
        for sentence in sentences:
            ids = model.generate(**tokenizer(sentence, return_tensors="pt"), num_beams=1,
                                 do_sample=False, max_new_tokens=30)[0]
            theirs.append(tokenizer.decode(ids, skip_special_tokens=True))
    translator = Translator(folder, device="cpu", threads=1, cache=SentenceCache(0))
    options = TranslationOptions(beam_size=1, min_length=0, max_length=30,
                                 max_length_ratio=1000.0)
    results = translator.translate_sentences(sentences, Direction("en", "ary"), options)
    ours = [h[0].text for h in results]
    assert ours == theirs


def test_another_token_can_be_forced(nllb_package: Path, tmp_path: Path) -> None:
    folder = with_target_tokens(nllb_package, tmp_path, {"ary": "arb_Arab"})
    assert load_tokenizer(load_package(folder)).target_prefix("en", "ary") == ["arb_Arab"]


@pytest.mark.parametrize("bad", [{"ary": ""}, {"ary": 3}, ["ary"], {"ary": ["x"]}])
def test_malformed_target_tokens_are_refused(nllb_package: Path, bad: Any) -> None:
    data = read_manifest(nllb_package).to_json()
    data["target_language_tokens"] = bad
    with pytest.raises(PackageError, match="target_language_tokens"):
        parse_manifest(data)


def test_the_field_round_trips(nllb_package: Path) -> None:
    manifest = dataclasses.replace(read_manifest(nllb_package),
                                   target_language_tokens={"ary": None})
    assert parse_manifest(manifest.to_json()).target_language_tokens == {"ary": None}
