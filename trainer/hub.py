"""Published checkpoints from the Hugging Face Hub, for ``trainer release --from-hub REPO``.

:func:`download_checkpoint` fetches what export needs (``huggingface_hub.snapshot_download``;
gated repositories need ``hf auth login`` or ``HF_TOKEN``), and the repository's name gives
the package ids and the version.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from trainer.errors import TrainerError

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
