"""``python -m trainer`` / ``terjman-train``: data, train, evaluate, export, release, distill.

Each subcommand takes ``--config FILE`` (YAML or JSON, a section per subcommand) and one flag
per argument; flags win over the file. Problems the user can fix (any
:class:`~terjman_desktop.core.errors.TerjmanError`: the trainer's own errors and the core's)
end with a one-line message and its hint, printed as ``terjman`` prints them, and exit status
2; a package that fails its quality check ends with status 3.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from terjman_desktop.core.errors import TerjmanError
from terjman_desktop.core.text_safety import printable
from trainer.config import add_arguments, load_config, overrides_from, to_dict
from trainer.errors import QualityCheckError

logger = logging.getLogger("trainer")

EXIT_USER_ERROR = 2
EXIT_QUALITY = 3
EXIT_INTERRUPTED = 130


def _data(args: Any) -> Any:
    from trainer.data import prepare

    report = prepare(args)
    return {"splits": report["splits"], "dropped": report["dropped"],
            "report": f"{args.output_dir}/report.md"}


def _train(args: Any) -> Any:
    from trainer.train import run_training

    return run_training(args)


def _evaluate(args: Any) -> Any:
    from trainer.evaluate import run_evaluation

    report = run_evaluation(args)
    result: dict[str, Any] = {d: {k: s[k] for k in ("n", "bleu", "chrf", "ter")}
                              for d, s in report["directions"].items()}
    result["sentences_scored"] = report["sentences_scored"]
    result["skipped_empty_rows"] = report["skipped_empty_rows"]
    result["sentences_per_second"] = report["sentences_per_second"]
    if report.get("published"):
        from trainer.report import published_table

        result["published"] = report["published"]
        print(published_table(report["published"]), file=sys.stderr)
    return result


def _distill(args: Any) -> Any:
    from trainer.distill import run_distill

    return run_distill(args)


def _average(args: Any) -> Any:
    from trainer.averaging import run_average

    return run_average(args)


def _export(args: Any) -> Any:
    from trainer.export import run_export

    return run_export(args)


def _release(args: Any) -> Any:
    from trainer.release import build_release, release_from_hub, upload

    if args.from_hub:
        document = release_from_hub(args)
    else:
        from pathlib import Path

        document = build_release(args, [Path(p) for p in args.packages])
        if args.upload:
            for line in upload(args):
                print(("would upload " if args.dry_run else "uploaded ") + line)
    return {"catalog_entries": f"{args.output_dir}/catalog-entries.json",
            "models": [entry["id"] for entry in document["models"]]}


def _commands() -> dict[str, tuple[type, Callable[[Any], Any], str]]:
    from trainer.averaging import AverageArgs
    from trainer.data import DataArgs
    from trainer.distill import DistillArgs
    from trainer.evaluate import EvalArgs
    from trainer.export import ExportArgs
    from trainer.release import ReleaseArgs
    from trainer.train import TrainArgs

    return {
        "data": (DataArgs, _data, "clean, split and write parallel data, with a report"),
        "train": (TrainArgs, _train, "fine-tune a Marian or NLLB checkpoint"),
        "evaluate": (EvalArgs, _evaluate, "BLEU, chrF++ and TER of a checkpoint or package"),
        "average": (AverageArgs, _average, "average the last checkpoints of a run, kept if "
                    "dev chrF++ improves"),
        "export": (ExportArgs, _export, "convert a checkpoint to a checked model package"),
        "release": (ReleaseArgs, _release, "zips, catalog entries, notes and the upload"),
        "distill": (DistillArgs, _distill, "translate a monolingual corpus with a teacher "
                    "package and train a student on it with the real data"),
    }


def _unknown_flags(parser: argparse.ArgumentParser, command: str, unknown: list[str]) -> str:
    import difflib

    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    flags = [f for action in sub.choices[command]._actions for f in action.option_strings]
    first = next((u.split("=")[0] for u in unknown if u.startswith("-")), unknown[0])
    close = difflib.get_close_matches(first, flags, n=1)
    hint = f" Did you mean {close[0]}?" if close else ""
    return (f"unknown argument {first}.{hint} Run `terjman-train {command} --help` "
            "to list the options.")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="terjman-train", description="Fine-tune, evaluate, export and release Terjman "
        "models. See trainer/README.md for the workflow.",
    )
    parser.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING or ERROR")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (cls, _, text) in _commands().items():
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("--config", help="YAML or JSON config file (flags override it)")
        sub.add_argument("--print-config", action="store_true",
                         help="print the resolved arguments as JSON and exit")
        add_arguments(sub, cls)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    namespace, unknown = parser.parse_known_args(argv)
    if unknown:
        parser.exit(EXIT_USER_ERROR, f"terjman-train {namespace.command}: "
                    f"{_unknown_flags(parser, namespace.command, unknown)}\n")
    logging.basicConfig(level=namespace.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    cls, run, _ = _commands()[namespace.command]
    try:
        args: Any = load_config(cls, namespace.command, namespace.config,
                           overrides_from(namespace, cls))
        if namespace.print_config:
            print(json.dumps(to_dict(args), indent=2))
            return 0
        result = run(args)
    except TerjmanError as error:  # the message and its hint; a quality check has its own status
        failed = isinstance(error, QualityCheckError)
        what = "quality check failed: " if failed else ""
        # Messages may quote data, configs and servers: never raw control characters.
        print(f"terjman-train {namespace.command}: {what}{printable(str(error))}",
              file=sys.stderr)
        return EXIT_QUALITY if failed else EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("terjman-train: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    return 0
