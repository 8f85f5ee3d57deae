"""Before export: checkpoint averaging, and the decoding search recorded in the manifest.

Averaging is checked on the numbers (the averaged weights are the mean of the checkpoints')
and on its dev guard (an average that scores below ``best/`` is refused). The decoding search
runs the app's engine over a grid on dev, records its choice in the package's manifest, and
the engine then uses it: the length penalty changes the scores CTranslate2 returns, and a
caller without options gets the recorded beam size.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from terjman_desktop.core.errors import PackageError
from trainer.corpus import Example, write_examples
from trainer.errors import TrainerError


def dev_file(folder: Path) -> Path:
    from trainer.synthetic_corpus import parallel_pairs

    rows = [
        Example(str(i), en, ary, "en", "ary") for i, (en, ary) in enumerate(parallel_pairs()[-40:])
    ]
    write_examples(folder / "dev.jsonl", rows)
    return folder / "dev.jsonl"


def noisy_copy(source: Path, out: Path, scale: float, seed: int) -> Path:
    """``source`` with seeded Gaussian noise added to every weight."""
    import torch
    import transformers

    shutil.copytree(source, out)
    model = transformers.AutoModelForSeq2SeqLM.from_pretrained(source)
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.add_(torch.randn(parameter.shape, generator=generator) * scale)
    model.save_pretrained(out)
    return out


def state(folder: Path) -> dict[str, Any]:
    import transformers

    model = transformers.AutoModelForSeq2SeqLM.from_pretrained(folder)
    return {k: v.float() for k, v in model.state_dict().items()}


def test_average_is_the_mean_of_the_last_checkpoints(
    tmp_path: Path, marian_checkpoint: Path, cli: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    import torch

    run = tmp_path / "run"
    run.mkdir()
    noisy_copy(marian_checkpoint, run / "checkpoint-10", 0.05, seed=1)  # the oldest: left out
    noisy_copy(marian_checkpoint, run / "checkpoint-20", 0.01, seed=2)
    noisy_copy(marian_checkpoint, run / "checkpoint-30", 0.01, seed=3)
    shutil.copytree(marian_checkpoint, run / "best")
    dev = dev_file(tmp_path)
    argv = ["average", str(run), "--last", "2", "--dev-file", str(dev), "--no-require-gain"]
    assert cli([*argv, "--dev-sentences", "10"]) == 0
    printed = json.loads(capsys.readouterr().out)
    averaged = run / "averaged"
    assert printed["checkpoint"] == str(averaged)
    assert printed["checkpoints"] == ["checkpoint-20", "checkpoint-30"]
    got, a, b = state(averaged), state(run / "checkpoint-20"), state(run / "checkpoint-30")
    for key in ("model.encoder.layers.0.fc1.weight", "model.shared.weight", "final_logits_bias"):
        assert torch.allclose(got[key], (a[key] + b[key]) / 2, atol=1e-6), key
    assert torch.equal(got["lm_head.weight"], got["model.shared.weight"])  # still tied
    report = json.loads((averaged / "averaging.json").read_text("utf-8"))
    assert set(report["scores"]) == {"averaged", "best"} and report["dev_sentences"] == 10
    assert report["chrf_gain_over_best"] == pytest.approx(
        report["scores"]["averaged"]["chrf"] - report["scores"]["best"]["chrf"], abs=0.011
    )
    summary = json.loads((averaged / "terjman_training.json").read_text("utf-8"))
    assert len(summary["averaged_from"]) == 2
    for name in ("source.spm", "target.spm", "config.json", "model.safetensors"):
        assert (averaged / name).is_file(), name
    # The averaged folder exports like best/ (the check passes: it is an ordinary checkpoint).
    package = tmp_path / "tiny-averaged"
    assert (
        cli(
            [
                "export",
                str(averaged),
                str(package),
                "--quantization",
                "float32",
                "--dev-file",
                str(dev),
                "--no-vmap",
                "--decoding-beams",
                "1",
                "2",
            ]
        )
        == 0
    )


def test_an_average_worse_than_best_is_refused(
    tmp_path: Path, marian_checkpoint: Path, untrained_marian_checkpoint: Path
) -> None:
    from trainer.averaging import AverageArgs, run_average

    run = tmp_path / "run"
    run.mkdir()
    shutil.copytree(untrained_marian_checkpoint, run / "checkpoint-1")
    shutil.copytree(marian_checkpoint, run / "checkpoint-2")
    shutil.copytree(marian_checkpoint, run / "best")
    args = AverageArgs(run_dir=str(run), last=2, dev_file=str(dev_file(tmp_path)), dev_sentences=10)
    with pytest.raises(TrainerError, match=r"scores -\d+\.\d+ chrF\+\+ against best/"):
        run_average(args)
    assert not (run / "averaged").exists()
    with pytest.raises(TrainerError, match="has 2 checkpoint"):
        run_average(AverageArgs(run_dir=str(run), last=3))
    with pytest.raises(TrainerError, match="at least 2"):
        run_average(AverageArgs(run_dir=str(run), last=1))


# ----------------------------------------------------------------------------- decoding


def test_decoding_search_is_recorded_and_used_by_the_engine(
    tmp_path: Path, marian_package: Path
) -> None:
    from terjman_desktop.core.translate.engine import Translator
    from terjman_desktop.core.translate.manifest import Direction
    from terjman_desktop.core.translate.options import TranslationOptions
    from terjman_desktop.core.translate.package import load_package
    from terjman_desktop.core.translate.sentence_cache import SentenceCache
    from trainer.corpus import read_examples
    from trainer.decoding_search import record_decoding, search_decoding

    package = tmp_path / "pkg"
    shutil.copytree(marian_package, package)
    dev = read_examples(dev_file(tmp_path))
    report = search_decoding(
        package, dev, beams=[1, 3], length_penalties=[0.5, 1.0], max_sentences=20
    )
    trials = report["trials"]
    assert [(t["beam_size"], t["length_penalty"]) for t in trials] == [
        (1, 1.0),
        (3, 0.5),
        (3, 1.0),
    ]  # greedy once: the penalty does not change it
    assert report["sentences"] == {"en-ary": 20}
    best = max(t["chrf"] for t in trials)
    chosen = report["chosen"]
    # The cheapest setting within 0.1 of the best: the smallest beam, then the penalty
    # nearest 1.0.
    within = [t for t in trials if t["chrf"] >= best - 0.1]
    cheapest = min(within, key=lambda t: (t["beam_size"], abs(t["length_penalty"] - 1.0)))
    assert chosen == {k: cheapest[k] for k in ("beam_size", "length_penalty")}
    assert report["chosen_chrf"] == cheapest["chrf"] and report["best_chrf"] == best
    # Recorded: the engine takes it where the caller did not choose.
    record_decoding(package, {"beam_size": 3, "length_penalty": 0.5})
    assert load_package(package).manifest.decoding == {"beam_size": 3, "length_penalty": 0.5}
    engine = Translator(package, cache=SentenceCache(0))
    assert engine.default_options().beam_size == 3
    sentence = [dev[0].source]
    direction = Direction("en", "ary")
    recorded = engine.translate_sentences(
        sentence, direction, TranslationOptions(beam_size=3, scores=True)
    )[0][0]
    chosen_here = engine.translate_sentences(
        sentence,
        direction,
        TranslationOptions(beam_size=3, scores=True, length_penalty=0.5, model_decoding=False),
    )[0][0]
    neutral = engine.translate_sentences(
        sentence, direction, TranslationOptions(beam_size=3, scores=True, model_decoding=False)
    )[0][0]
    assert recorded.score == pytest.approx(chosen_here.score)
    assert recorded.score != pytest.approx(neutral.score)  # the length normalization differs


def test_manifest_decoding_is_optional_and_checked(marian_package: Path) -> None:
    from terjman_desktop.core.translate.manifest_rules import parse_manifest

    data = json.loads((marian_package / "terjman-model.json").read_text("utf-8"))
    assert "decoding" not in data  # older packages: nothing recorded, nothing written back
    manifest = parse_manifest(data, "m")
    assert manifest.decoding == {} and "decoding" not in manifest.to_json()
    assert parse_manifest({**data, "decoding": {"beam_size": 4}}, "m").decoding == {"beam_size": 4}
    for bad in (
        {"beam_size": 0},
        {"beam_size": 2.5},
        {"length_penalty": "1"},
        {"length_penalty": 9},
        {"top_k": 3},
        [4],
        {"beam_size": True},
    ):
        with pytest.raises(PackageError, match="the field 'decoding' must be an object"):
            parse_manifest({**data, "decoding": bad}, "m")
