"""``trainer release --from-hub REPO``: a published checkpoint to a release, in one go.

download (``huggingface_hub.snapshot_download``; gated repositories need ``hf auth login``
or ``HF_TOKEN``) → export each quantization → post-export check on dev sentences →
evaluation of each package through the app's engine → release folder (zips, catalog
entries, notes) → upload when asked.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

from trainer.errors import TrainerError
from trainer.release import ReleaseArgs, build_release, upload

logger = logging.getLogger(__name__)

CHECKPOINT_FILES = ["*.json", "*.safetensors", "pytorch_model.bin", "*.spm", "*.model",
                    "*.txt"]


def download_checkpoint(repo: str, revision: str | None = None) -> Path:
    """A local snapshot of a Hub checkpoint (from the cache when it is there)."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import (
        GatedRepoError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
    )

    try:
        folder = snapshot_download(repo, revision=revision, allow_patterns=CHECKPOINT_FILES,
                                   token=os.environ.get("HF_TOKEN") or None)
    except GatedRepoError:
        raise TrainerError(
            f"{repo} is gated: accept its conditions on huggingface.co, then log in with "
            "`hf auth login` (or set HF_TOKEN) and try again."
        ) from None
    except RepositoryNotFoundError:
        raise TrainerError(f"There is no Hub repository {repo} (or it is private): check "
                           "the name and your token.") from None
    except LocalEntryNotFoundError as error:
        raise TrainerError(f"{repo} is not in the local Hugging Face cache and the Hub "
                           f"cannot be reached ({error}); connect, or unset "
                           "HF_HUB_OFFLINE.") from None
    return Path(folder)


def package_id(repo: str, quantization: str) -> str:
    """``atlasia/Terjman-Nano-v2.0`` + int8 → ``terjman-nano-v2.0-int8``."""
    name = re.sub(r"[^a-z0-9._-]+", "-", repo.rsplit("/", maxsplit=1)[-1].lower()).strip("-.")
    return f"{name}-{quantization}"


def version_of(repo: str) -> str:
    match = re.search(r"-v(\d+(?:\.\d+)*)$", repo.rsplit("/", maxsplit=1)[-1], re.IGNORECASE)
    return match.group(1) if match else "1"


def release_from_hub(args: ReleaseArgs) -> dict[str, Any]:
    """The whole chain for ``args.from_hub``; returns the catalog document."""
    from trainer.evaluate import EvalArgs, run_evaluation
    from trainer.exporting import ExportArgs, run_export

    repo = str(args.from_hub)
    if args.dev_file is None:
        raise TrainerError(
            "--from-hub needs --dev-file (a dev.jsonl from `trainer data`) for the "
            "post-export check; add --eval-file test.jsonl for catalog figures."
        )
    checkpoint = download_checkpoint(repo, args.hub_revision)
    work = Path(args.output_dir).with_name(Path(args.output_dir).name + ".work")
    packages, reports = [], []
    for quantization in args.quantizations:
        model_id = package_id(repo, quantization)
        output = work / model_id
        run_export(ExportArgs(
            checkpoint=str(checkpoint), output_dir=str(output), quantization=quantization,
            model_id=model_id, name=repo.rsplit("/", maxsplit=1)[-1].replace("-", " "),
            version=version_of(repo), base_model=repo, overwrite=True,
            dev_file=args.dev_file, max_quality_drop=args.max_quality_drop,
        ))
        packages.append(output)
        if args.eval_file:
            eval_dir = work / f"{model_id}.eval"
            run_evaluation(EvalArgs(model=str(output), test_file=args.eval_file,
                                    output_dir=str(eval_dir)))
            reports.append(str(eval_dir / "eval.json"))
    args.metrics_file = [*args.metrics_file, *reports]
    document = build_release(args, packages)
    if args.upload:
        for line in upload(args):
            logger.info("%s %s", "would upload" if args.dry_run else "uploaded", line)
    return document
