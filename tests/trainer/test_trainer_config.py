"""Config files and flags: precedence, checks, messages that say how to fix, shipped configs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from terjman_desktop.core.errors import TerjmanError
from trainer.config import config_section, from_mapping, load_config, read_config_file
from trainer.data import DataArgs
from trainer.errors import ConfigError
from trainer.evaluate import EvalArgs
from trainer.export import ExportArgs
from trainer.release import ReleaseArgs
from trainer.train import TrainArgs

CONFIGS = Path(__file__).resolve().parents[2] / "trainer" / "configs"
SIZES = ("nano", "large", "ultra", "supreme", "doda-cpu")


def test_flags_override_the_file_which_overrides_defaults(tmp_path: Path, yaml_file: Any) -> None:
    config = yaml_file(tmp_path / "c.yaml", {"train": {
        "model_name_or_path": "m", "data_dir": "d", "output_dir": "o",
        "learning_rate": "1e-4",  # PyYAML reads this as text: numbers are parsed anyway
        "max-steps": 100,  # dashes work in keys too
    }})
    args = load_config(TrainArgs, "train", config, {"max_steps": "7"})
    assert args.learning_rate == 1e-4 and args.max_steps == 7
    assert args.weight_decay == 0.01  # the default


@pytest.mark.parametrize(
    "bad",
    [b"[" * 100_000 + b"]" * 100_000, b'{"num_beams": 1' + b"0" * 5000 + b"}",
     b'{"num_beams": 2, "num_beams": 3}'],
    ids=["deep nesting", "a 5000-digit integer", "a duplicate key"],
)
def test_hostile_json_config_is_a_config_error(tmp_path: Path, bad: bytes) -> None:
    path = tmp_path / "eval.json"
    path.write_bytes(bad)
    with pytest.raises(ConfigError, match=r"The config file .*eval\.json"):
        read_config_file(path)


def test_json_config_and_sectionless_files(tmp_path: Path) -> None:
    path = tmp_path / "eval.json"
    path.write_text(json.dumps({"model": "m", "test_file": "t.jsonl", "num_beams": 2}))
    args = load_config(EvalArgs, "evaluate", path, {})
    assert args.num_beams == 2 and args.model == "m"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"lerning_rate": 1}, "Unknown option 'lerning_rate'. Did you mean 'learning_rate'?"),
        ({"learning_rate": "fast"}, "learning_rate (--learning-rate) must be a number"),
        ({"max_steps": 2.5}, "max_steps (--max-steps) must be a whole number"),
        ({"optimizer": "adam"}, "use one of: adamw, adafactor. Did you mean 'adamw'?"),
        ({"group_by_length": "maybe"}, "must be true or false"),
        ({"directions": 3}, "must be a list"),
    ],
)
def test_wrong_values_say_how_to_fix_them(data: dict[str, Any], message: str) -> None:
    base = {"model_name_or_path": "m", "data_dir": "d", "output_dir": "o"}
    with pytest.raises(ConfigError) as caught:
        from_mapping(TrainArgs, {**base, **data})
    assert message in str(caught.value)


def test_required_options_are_named() -> None:
    with pytest.raises(ConfigError, match=r"'output_dir' is required .* pass --output-dir"):
        from_mapping(DataArgs, {})
    with pytest.raises(ConfigError, match="CHECKPOINT argument"):
        from_mapping(ExportArgs, {"output_dir": "x"})


def test_nested_sources_are_checked() -> None:
    with pytest.raises(ConfigError, match=r"sources\[0\]\.source_column.*required"):
        from_mapping(DataArgs, {"output_dir": "o", "sources": [{"path": "a.csv",
                                                                "target_column": "b"}]})
    with pytest.raises(ConfigError, match="exactly one of 'path'"):
        from_mapping(DataArgs, {"output_dir": "o", "sources": [
            {"path": "a.csv", "dataset": "d", "source_column": "a", "target_column": "b"}]})


def test_sections(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"unknown section 'trian'.*Did you mean 'train'"):
        config_section({"trian": {}, "data": {}}, "train", "c.yaml")
    assert config_section({"data": {"a": 1}}, "train", "c.yaml") == {}
    with pytest.raises(ConfigError, match="cannot be read"):
        read_config_file(tmp_path / "missing.yaml")
    (tmp_path / "bad.yaml").write_text("train: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        read_config_file(tmp_path / "bad.yaml")


@pytest.mark.parametrize("size", SIZES)
def test_shipped_configs_are_valid(size: str) -> None:
    path = CONFIGS / f"{size}.yaml"
    data = load_config(DataArgs, "data", path, {})
    train = load_config(TrainArgs, "train", path, {})
    export = load_config(ExportArgs, "export", path, {"checkpoint": "c", "output_dir": "o"})
    release = load_config(ReleaseArgs, "release", path, {"packages": ["p"]})
    assert data.sources and train.output_dir and export.quantization == "int8"
    assert release.tier
    if size in ("ultra", "supreme"):
        assert data.bidirectional and train.gradient_checkpointing
    for name in (train.deepspeed, train.fsdp_config):
        if name:
            assert read_config_file(Path(__file__).resolve().parents[2] / name)


def test_sharding_configs() -> None:
    zero3 = read_config_file(CONFIGS / "deepspeed_zero3.yaml")
    assert zero3["zero_optimization"]["stage"] == 3
    assert zero3["zero_optimization"]["stage3_gather_16bit_weights_on_model_save"] is True
    assert read_config_file(CONFIGS / "deepspeed_zero2.yaml")["zero_optimization"]["stage"] == 2
    fsdp = read_config_file(CONFIGS / "fsdp.yaml")
    assert fsdp["version"] == 2 and fsdp["state_dict_type"] == "FULL_STATE_DICT"
    for name in ("accelerate_ddp.yaml", "accelerate_deepspeed.yaml"):
        assert read_config_file(CONFIGS / name)["compute_environment"] == "LOCAL_MACHINE"


def test_cli_reports_bad_values_with_status_2(
    cli: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli(["train", "--config", str(CONFIGS / "nano.yaml"), "--optimizer", "adamm"])
    assert code == 2
    assert "use one of: adamw, adafactor. Did you mean 'adamw'?" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        cli(["train", "--lerning-rate", "1"])
    assert exited.value.code == 2
    assert "Did you mean --learning-rate?" in capsys.readouterr().err


def test_errors_carry_a_hint_and_print_on_one_line(
    cli: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ConfigError) as caught:
        from_mapping(TrainArgs, {"from_scratch": "tiny", "lerning_rate": 1})
    error = caught.value
    assert isinstance(error, TerjmanError)  # one error type through the project
    assert error.message == "Unknown option 'lerning_rate'."
    assert error.hint == ("Did you mean 'learning_rate'? Run the command with --help to list "
                          "its options.")
    assert str(error) == f"{error.message} {error.hint}"
    # A value quoted in a message is printed without its control characters, on one line.
    code = cli(["train", "--config", str(CONFIGS / "nano.yaml"), "--optimizer", "adam\x1b[2J\n"])
    assert code == 2
    err = capsys.readouterr().err
    assert "is 'adam\\x1b[2J '; use one of: adamw, adafactor." in err
    assert "\x1b" not in err and err.count("\n") == 1


def test_print_config(cli: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["train", "--config", str(CONFIGS / "ultra.yaml"), "--print-config",
                "--learning-rate", "2e-5"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["learning_rate"] == 2e-5
    assert printed["model_name_or_path"] == "facebook/nllb-200-1.3B"
