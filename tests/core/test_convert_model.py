"""``convert_checkpoint`` as the app calls it: real outputs, decoding facts, refusals, cleanup.

Every output here is loaded by ``ctranslate2.Translator``; every refusal is a
``ConversionError`` (or ``DiskSpaceError``/``CancelledError``) that leaves nothing behind.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import CancelledError, ConversionError, DiskSpaceError
from terjman_desktop.core.models.convert import (
    ConvertedModel,
    convert_checkpoint,
    estimated_output_bytes,
    inspect_config,
)
from tests.core.checkpoint_variants import numpy_marian_checkpoint, read_model_bin

REPO = Path(__file__).resolve().parents[2]


def copy_of(checkpoint: Path, tmp_path: Path, name: str = "copy") -> Path:
    target = tmp_path / name
    shutil.copytree(checkpoint, target)
    return target


def edit_json(path: Path, change: Callable[[Any], Any]) -> None:
    """Apply ``change`` to the JSON object in ``path`` (in place; its result is ignored)."""
    data = json.loads(path.read_text("utf-8"))
    change(data)
    path.write_text(json.dumps(data), "utf-8")


def translate(output: ConvertedModel, source: list[str], prefix: list[str] | None) -> list[str]:
    import ctranslate2

    translator = ctranslate2.Translator(str(output.output_dir), device="cpu")
    result = translator.translate_batch(
        [source], target_prefix=[prefix] if prefix else None, beam_size=1,
        max_decoding_length=12)
    tokens: list[str] = result[0].hypotheses[0]
    return tokens


# ----------------------------------------------------------------------------- real outputs


@pytest.mark.parametrize("quantization", ["int8", "float32"])
def test_a_marian_conversion_translates_and_reports_generates_settings(
    marian_checkpoint: Path, tmp_path: Path, quantization: str
) -> None:
    import sentencepiece

    output = convert_checkpoint(marian_checkpoint, tmp_path / "out", quantization=quantization)
    assert output.family == "marian"
    assert output.quantization == quantization
    assert output.files == ("model.bin", "config.json", "shared_vocabulary.json", "source.spm",
                            "target.spm")
    assert sorted(p.name for p in output.output_dir.iterdir()) == sorted(output.files)
    assert output.tokenizer_files == ("source.spm", "target.spm")
    vocabulary = json.loads((output.output_dir / "shared_vocabulary.json").read_text("utf-8"))
    assert output.vocabulary == tuple(vocabulary)
    assert output.vocabulary_size == len(vocabulary) == 160
    # Decoding facts as generate reads them from generation_config.json.
    assert output.decoder_start_token == "<pad>" == output.pad_token
    assert output.eos_tokens == ("</s>",)
    assert output.forced_eos_token == "</s>" and output.forced_eos
    assert output.forced_bos_token is None
    assert output.bad_words == (("<pad>",),)
    assert output.max_length == 512 == output.max_position_embeddings
    assert output.language_tokens == ()
    pieces = sentencepiece.SentencePieceProcessor(
        model_file=str(output.output_dir / "source.spm")).EncodeAsPieces("I eat the bread.")
    tokens = translate(output, [*pieces, "</s>"], None)
    assert tokens
    assert set(tokens) <= set(vocabulary) - {"<pad>"}


def test_an_nllb_conversion_translates_and_reports_its_language_codes(
    nllb_checkpoint: Path, tmp_path: Path
) -> None:
    import sentencepiece

    output = convert_checkpoint(nllb_checkpoint, tmp_path / "out")
    assert output.family == "nllb"
    assert output.files == ("model.bin", "config.json", "shared_vocabulary.json",
                            "sentencepiece.bpe.model")
    assert output.tokenizer_files == ("sentencepiece.bpe.model", "sentencepiece.bpe.model")
    assert output.has_language_token("eng_Latn") and output.has_language_token("ary_Arab")
    assert len(output.language_tokens) == 202
    assert not output.has_language_token("<mask>")
    assert output.decoder_start_token == "</s>"
    assert output.forced_bos_token is None and output.forced_eos_token is None
    assert not output.forced_eos
    assert output.pad_token == "<pad>" and output.bad_words == ()
    pieces = sentencepiece.SentencePieceProcessor(
        model_file=str(output.output_dir / "sentencepiece.bpe.model")).EncodeAsPieces(
            "I eat the bread.")
    tokens = translate(output, ["eng_Latn", *pieces, "</s>"], ["ary_Arab"])
    assert tokens[0] == "ary_Arab" and len(tokens) > 1


def test_generation_config_decides_over_config_json(
    marian_checkpoint: Path, tmp_path: Path
) -> None:
    checkpoint = copy_of(marian_checkpoint, tmp_path)
    # config.json still has forced_eos_token_id; generate ignores it once a
    # generation_config.json exists, so there is no forced </s>.
    edit_json(checkpoint / "generation_config.json", lambda c: c.pop("forced_eos_token_id"))
    assert json.loads((checkpoint / "config.json").read_text("utf-8"))["forced_eos_token_id"] == 0
    output = convert_checkpoint(checkpoint, tmp_path / "a")
    assert output.forced_eos_token is None
    # Without a generation_config.json, config.json (with the class defaults) decides.
    (checkpoint / "generation_config.json").unlink()
    output = convert_checkpoint(checkpoint, tmp_path / "b")
    assert output.forced_eos_token == "</s>"
    assert output.bad_words == ()
    assert output.max_length is None


def test_the_decoder_starts_where_generate_starts(nllb_checkpoint: Path, tmp_path: Path) -> None:
    # generate falls back to bos_token_id when the generation config names no start token.
    checkpoint = copy_of(nllb_checkpoint, tmp_path)
    edit_json(checkpoint / "generation_config.json", lambda c: c.pop("decoder_start_token_id"))
    output = convert_checkpoint(checkpoint, tmp_path / "out")
    assert output.decoder_start_token == "<s>"
    config = json.loads((output.output_dir / "config.json").read_text("utf-8"))
    assert config["decoder_start_token"] == "<s>"


def test_the_estimate_covers_the_output(
    marian_checkpoint: Path, nllb_checkpoint: Path, tmp_path: Path
) -> None:
    for checkpoint in (marian_checkpoint, nllb_checkpoint):
        for quantization in ("int8", "float32"):
            estimate = estimated_output_bytes(checkpoint, quantization)
            output = convert_checkpoint(checkpoint, tmp_path / f"{checkpoint.name}-{quantization}",
                                        quantization=quantization)
            written = sum(p.stat().st_size for p in output.output_dir.iterdir())
            assert written <= estimate <= 2 * written + 64 * 1024


def test_progress_is_monotonic_and_ends_at_the_total(
    marian_checkpoint: Path, tmp_path: Path
) -> None:
    calls: list[tuple[int, int]] = []
    output = convert_checkpoint(marian_checkpoint, tmp_path / "out",
                                progress=lambda done, total: calls.append((done, total)))
    totals = {total for _, total in calls}
    assert len(totals) == 1
    (total,) = totals
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(calls))
    variables = read_model_bin(output.output_dir / "model.bin")["variables"]
    assert total == sum(len(data) for _, _, data in variables.values())


# ----------------------------------------------------------------------------- what is accepted


def test_inspect_config_accepts_the_two_families(
    marian_checkpoint: Path, nllb_checkpoint: Path
) -> None:
    assert inspect_config(json.loads((marian_checkpoint / "config.json").read_text())) == "marian"
    assert inspect_config(json.loads((nllb_checkpoint / "config.json").read_text())) == "nllb"
    assert inspect_config({"model_type": "m2m_100"}) == "nllb"  # defaults fill the rest


UNSUPPORTED = {
    "bart": ({"model_type": "bart", "architectures": ["BartForConditionalGeneration"]},
             "model_type is 'bart'"),
    "nllb-moe": ({"model_type": "nllb-moe"}, "model_type is 'nllb-moe'"),
    "no model_type": ({"architectures": ["MarianMTModel"]}, "model_type is 'None'"),
    "bare Marian": ({"model_type": "marian", "architectures": ["MarianModel"]},
                    "not MarianMTModel"),
    "separate embeddings": ({"model_type": "marian", "share_encoder_decoder_embeddings": False},
                            "separate source and target embeddings"),
    "separate target vocabulary": ({"model_type": "marian", "decoder_vocab_size": 100},
                                   "separate target vocabulary"),
    "different heads": ({"model_type": "m2m_100", "decoder_attention_heads": 8},
                        "different numbers of attention heads"),
    "unknown activation": ({"model_type": "m2m_100", "activation_function": "mish"},
                           "activation function 'mish'"),
    "float64": ({"model_type": "m2m_100", "dtype": "float64"}, "dtype is 'float64'"),
    # Position tables are computed from config.json alone: no gigabytes on its say-so.
    "huge position table": ({"model_type": "m2m_100", "max_position_embeddings": 10**9},
                            "max_position_embeddings (1000000000) is beyond 16384"),
}


@pytest.mark.parametrize(("config", "detail"), UNSUPPORTED.values(), ids=UNSUPPORTED.keys())
def test_inspect_config_refuses_what_it_cannot_convert(config: Any, detail: str) -> None:
    with pytest.raises(ConversionError) as caught:
        inspect_config(config)
    assert detail in str(caught.value)
    assert "Terjman converts MarianMTModel" in str(caught.value)
    assert "M2M100ForConditionalGeneration" in str(caught.value)


def test_a_bad_size_in_config_is_named() -> None:
    with pytest.raises(ConversionError, match="'d_model' must be a positive integer, not '512'"):
        inspect_config({"model_type": "marian", "d_model": "512"})


def test_an_unsupported_checkpoint_is_refused_before_writing(
    marian_checkpoint: Path, tmp_path: Path
) -> None:
    checkpoint = copy_of(marian_checkpoint, tmp_path)
    edit_json(checkpoint / "config.json", lambda c: c.update(
        model_type="bart", architectures=["BartForConditionalGeneration"]))
    with pytest.raises(ConversionError, match="model_type is 'bart'"):
        convert_checkpoint(checkpoint, tmp_path / "out")
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------------------- refusals


def refused(checkpoint: Path, output: Path, match: str) -> ConversionError:
    with pytest.raises(ConversionError, match=match) as caught:
        convert_checkpoint(checkpoint, output)
    assert not output.exists(), "a refused conversion left files behind"
    return caught.value


@pytest.mark.parametrize(
    ("family", "missing", "match"),
    [("marian", "vocab.json", "has no vocab.json"),
     ("marian", "source.spm", "has no source.spm"),
     ("marian", "target.spm", "has no target.spm"),
     ("marian", "config.json", "is not a Hugging Face checkpoint folder"),
     ("marian", "model.safetensors", "has no weights"),
     ("nllb", "tokenizer.json", "has no tokenizer.json"),
     ("nllb", "sentencepiece.bpe.model", "has no sentencepiece.bpe.model")],
)
def test_missing_files_are_named(
    family: str, missing: str, match: str, marian_checkpoint: Path, nllb_checkpoint: Path,
    tmp_path: Path,
) -> None:
    checkpoint = copy_of(marian_checkpoint if family == "marian" else nllb_checkpoint, tmp_path)
    (checkpoint / missing).unlink()
    refused(checkpoint, tmp_path / "out", match)


def test_a_marian_repository_without_vocab_json_says_so(
    marian_checkpoint: Path, tmp_path: Path
) -> None:
    checkpoint = copy_of(marian_checkpoint, tmp_path)
    (checkpoint / "vocab.json").unlink()
    error = refused(checkpoint, tmp_path / "out", "vocab.json")
    assert "atlasia/Terjman-Large" in str(error)
    assert "cannot be rebuilt from the SentencePiece models alone" in str(error)


def test_a_truncated_weights_file_is_refused_and_cleaned_up(
    marian_checkpoint: Path, tmp_path: Path
) -> None:
    checkpoint = copy_of(marian_checkpoint, tmp_path)
    weights = checkpoint / "model.safetensors"
    data = weights.read_bytes()
    weights.write_bytes(data[: len(data) // 2])
    error = refused(checkpoint, tmp_path / "out", "is damaged or not a safetensors file")
    assert str(error).endswith("Re-download it.")


def test_garbage_weights_are_refused(marian_checkpoint: Path, tmp_path: Path) -> None:
    checkpoint = copy_of(marian_checkpoint, tmp_path)
    (checkpoint / "model.safetensors").write_bytes(os.urandom(4096))
    refused(checkpoint, tmp_path / "out", "is damaged or not a safetensors file")


def test_a_missing_or_foreign_shard_is_refused(
    checkpoint_variant: Callable[[str, str], Path], tmp_path: Path
) -> None:
    sharded = checkpoint_variant("marian", "sharded")
    checkpoint = copy_of(sharded, tmp_path, "missing")
    shard = sorted(checkpoint.glob("model-*.safetensors"))[1]
    shard.unlink()
    refused(checkpoint, tmp_path / "out", f"lists '{shard.name}', which is missing")

    checkpoint = copy_of(sharded, tmp_path, "foreign")
    edit_json(checkpoint / "model.safetensors.index.json",
              lambda index: index["weight_map"].update({"model.shared.weight": "../../etc/passwd"}))
    refused(checkpoint, tmp_path / "out", "which is not a file of the checkpoint")

    checkpoint = copy_of(sharded, tmp_path, "misplaced")
    index = json.loads((checkpoint / "model.safetensors.index.json").read_text())
    shards = sorted(set(index["weight_map"].values()))
    wrong = next(s for s in shards if s != index["weight_map"]["model.shared.weight"])
    edit_json(checkpoint / "model.safetensors.index.json",
              lambda index: index["weight_map"].update({"model.shared.weight": wrong}))
    refused(checkpoint, tmp_path / "out", f"places 'model.shared.weight' in '{wrong}'")


def test_weights_that_do_not_fit_the_config_are_refused(
    marian_checkpoint: Path, tmp_path: Path
) -> None:
    checkpoint = copy_of(marian_checkpoint, tmp_path)
    edit_json(checkpoint / "config.json", lambda c: c.update(encoder_ffn_dim=256))
    refused(checkpoint, tmp_path / "out", r"has the shape \[128, 64\] where the model's config")


def vocabulary_refusal(checkpoint: Path, match: str, tmp_path: Path) -> None:
    error = refused(checkpoint, tmp_path / "out", match)
    assert "cannot be rebuilt exactly" in str(error)


def test_marian_vocabularies_that_do_not_line_up_are_refused(
    marian_checkpoint: Path, tmp_path: Path
) -> None:
    cases: dict[str, Callable[[dict[str, int]], Any]] = {
        "share id": lambda v: v.update({"▁extra": 5}),
        "no token has the id 7": lambda v: v.pop(next(k for k, i in v.items() if i == 7)),
        "tokens for the model's 160 embeddings": lambda v: v.update({"▁extra": len(v)}),
    }
    for match, change in cases.items():
        checkpoint = copy_of(marian_checkpoint, tmp_path, match.replace(" ", "-")[:20])
        edit_json(checkpoint / "vocab.json", change)
        vocabulary_refusal(checkpoint, match, tmp_path)
    checkpoint = copy_of(marian_checkpoint, tmp_path, "unknown-unk")
    edit_json(checkpoint / "tokenizer_config.json", lambda c: c.update(unk_token="<UNKNOWN>"))
    vocabulary_refusal(checkpoint, "its unk_token '<UNKNOWN>' is not in vocab.json", tmp_path)


def test_an_nllb_vocabulary_missing_a_declared_language_code_is_refused(
    nllb_checkpoint: Path, tmp_path: Path
) -> None:
    checkpoint = copy_of(nllb_checkpoint, tmp_path)
    text = (checkpoint / "tokenizer.json").read_text("utf-8")
    (checkpoint / "tokenizer.json").write_text(text.replace('"ary_Arab"', '"ary_Xxxx"'), "utf-8")
    vocabulary_refusal(checkpoint, "language codes ary_Arab are declared but have no id",
                       tmp_path)


def test_an_nllb_token_with_two_ids_is_refused(nllb_checkpoint: Path, tmp_path: Path) -> None:
    checkpoint = copy_of(nllb_checkpoint, tmp_path)

    def change(data: Any) -> None:
        data["added_tokens"][0]["id"] = 5  # "<s>" is 0 in the vocabulary
    edit_json(checkpoint / "tokenizer.json", change)
    vocabulary_refusal(checkpoint, "has the ids 0 and 5", tmp_path)


# ----------------------------------------------------------------------------- the output folder


def test_a_non_empty_output_folder_is_refused_and_left_alone(
    marian_checkpoint: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out"
    output.mkdir()
    (output / "keep.txt").write_text("mine", "utf-8")
    with pytest.raises(ConversionError, match="already exists and is not an empty folder"):
        convert_checkpoint(marian_checkpoint, output)
    assert [p.name for p in output.iterdir()] == ["keep.txt"]


def test_an_empty_output_folder_is_used_and_kept_on_failure(
    marian_checkpoint: Path, tmp_path: Path
) -> None:
    output = tmp_path / "staged"
    output.mkdir()
    token = CancelToken()

    def cancel_after_first_block(done: int, total: int) -> None:
        if done:
            token.cancel()

    with pytest.raises(CancelledError):
        convert_checkpoint(marian_checkpoint, output, progress=cancel_after_first_block,
                           cancel=token)
    assert output.is_dir() and not any(output.iterdir())
    assert convert_checkpoint(marian_checkpoint, output).output_dir == output


def test_cancel_mid_conversion_leaves_nothing(nllb_checkpoint: Path, tmp_path: Path) -> None:
    token = CancelToken()
    seen: list[tuple[int, int]] = []

    def cancel_midway(done: int, total: int) -> None:
        seen.append((done, total))
        if done > total // 2:
            token.cancel()

    output = tmp_path / "out"
    with pytest.raises(CancelledError):
        convert_checkpoint(nllb_checkpoint, output, progress=cancel_midway, cancel=token)
    assert not output.exists()
    done, total = seen[-1]
    assert total // 2 < done < total  # stopped at the next block, well before the end


@pytest.mark.skipif(sys.platform == "win32", reason="file size limits are POSIX")
def test_a_full_disk_is_reported_and_cleaned_up(marian_checkpoint: Path, tmp_path: Path) -> None:
    # RLIMIT_FSIZE makes writes past 64 KB fail with EFBIG, like a disk filling up.
    output = tmp_path / "out"
    code = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "from terjman_desktop.core.models.convert import convert_checkpoint\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))\n"
        "try:\n"
        f"    convert_checkpoint(Path({str(marian_checkpoint)!r}), Path({str(output)!r}))\n"
        "except Exception as error:\n"
        "    print(type(error).__name__, error)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=REPO)
    assert result.stdout.startswith(DiskSpaceError.__name__ + " The disk is full"), result
    assert not output.exists()


# ----------------------------------------------------------------------------- memory, imports


def test_large_variables_are_written_a_block_at_a_time(
    marian_checkpoint: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A 32 MB embedding converted with 1 MB blocks: no step may hold the whole variable.
    from terjman_desktop.core.models.convert import aliases, model_bin

    monkeypatch.setattr(model_bin, "BLOCK_BYTES", 1 << 20)
    monkeypatch.setattr(aliases, "BLOCK_BYTES", 1 << 20)
    checkpoint = numpy_marian_checkpoint(
        tmp_path / "big", marian_checkpoint, vocab_size=16_384, d_model=512, ffn_dim=512)
    embedding = 16_384 * 512 * 4
    tracemalloc.start()
    try:
        output = convert_checkpoint(checkpoint, tmp_path / "out", quantization="float32")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (output.output_dir / "model.bin").stat().st_size > embedding
    assert peak < embedding // 3, f"peak {peak} bytes"


def test_a_full_conversion_never_loads_torch_transformers_or_qt(
    nllb_checkpoint: Path, marian_checkpoint: Path, tmp_path: Path
) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from terjman_desktop.core.models.convert import (\n"
        "    convert_checkpoint, estimated_output_bytes)\n"
        f"for i, source in enumerate([{str(marian_checkpoint)!r}, {str(nllb_checkpoint)!r}]):\n"
        "    estimated_output_bytes(Path(source))\n"
        f"    convert_checkpoint(Path(source), Path({str(tmp_path)!r}) / str(i),\n"
        "                       quantization='int8_bfloat16')\n"
        "forbidden = ('torch', 'transformers', 'PySide6', 'shiboken6')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in forbidden))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=REPO)
    assert result.stdout.strip() == "[]"
    assert (tmp_path / "1" / "model.bin").is_file()
