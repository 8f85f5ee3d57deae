"""Real checkpoint variants for the converter's tests, built from the tiny fixtures.

Each variant is what transformers or torch writes, never a hand-made imitation: the same
weights saved in float16 or bfloat16, in shards, as ``pytorch_model.bin`` (the way
transformers 4 wrote it: ``torch.save`` of the state dict), or with two more embeddings than
tokens (NLLB-200's layout). Also the helpers that read ``model.bin`` back and that craft
damaged files.
"""

from __future__ import annotations

import json
import shutil
import struct
from pathlib import Path
from typing import Any

WEIGHT_AND_CONFIG_FILES = {
    "config.json", "generation_config.json", "model.safetensors",
    "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json",
}


def copy_tokenizer_files(source: Path, out: Path) -> None:
    """Everything but the weights and configs: tokenizer files, SentencePiece models."""
    out.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        if path.is_file() and path.name not in WEIGHT_AND_CONFIG_FILES and not (
            path.name.startswith(("model-", "pytorch_model-"))
        ):
            shutil.copy2(path, out / path.name)


def load_model(checkpoint: Path, **kwargs: Any) -> Any:
    import transformers

    config = json.loads((checkpoint / "config.json").read_text("utf-8"))
    cls = (transformers.MarianMTModel if config["model_type"] == "marian"
           else transformers.M2M100ForConditionalGeneration)
    return cls.from_pretrained(str(checkpoint), **kwargs)


def resaved(source: Path, out: Path, *, dtype: str | None = None,
            max_shard_size: str | None = None) -> Path:
    """``source`` re-saved by ``save_pretrained`` in another type and/or in shards."""
    import torch

    model = load_model(source, dtype=torch.float32)
    if dtype is not None:
        model = model.to(getattr(torch, dtype))
    kwargs = {} if max_shard_size is None else {"max_shard_size": max_shard_size}
    model.save_pretrained(str(out), **kwargs)
    copy_tokenizer_files(source, out)
    return out


def saved_as_bin(source: Path, out: Path, *, shards: int = 1, legacy: bool = False) -> Path:
    """``source`` as ``pytorch_model.bin`` only, as transformers 4 saved it.

    That is ``torch.save`` of the state dict (tied weights under every name, sharing one
    storage) without the keys the model never saves (its position tables); with
    ``shards`` > 1, ``pytorch_model-0000i-of-0000n.bin`` files and their index; with
    ``legacy``, in PyTorch's format from before 1.6 (no zip), as early OPUS-MT uploads are.
    """
    import torch

    model = load_model(source, dtype=torch.float32)
    state = {k: v for k, v in model.state_dict().items()
             if k not in (getattr(model, "_keys_to_ignore_on_save", None) or [])}
    out.mkdir(parents=True, exist_ok=True)
    model.config.save_pretrained(str(out))
    model.generation_config.save_pretrained(str(out))
    copy_tokenizer_files(source, out)
    if shards == 1:
        torch.save(state, out / "pytorch_model.bin", _use_new_zipfile_serialization=not legacy)
        return out
    names = list(state)
    weight_map = {}
    for i in range(shards):
        shard = f"pytorch_model-{i + 1:05d}-of-{shards:05d}.bin"
        part = {n: state[n] for n in names[i::shards]}
        torch.save(part, out / shard)
        weight_map.update(dict.fromkeys(part, shard))
    index = {"metadata": {}, "weight_map": weight_map}
    (out / "pytorch_model.bin.index.json").write_text(json.dumps(index), "utf-8")
    return out


def with_madeup_words(source: Path, out: Path, extra: int = 2) -> Path:
    """An NLLB checkpoint with ``extra`` more embeddings than tokens (like NLLB-200)."""
    import torch

    model = load_model(source, dtype=torch.float32)
    model.resize_token_embeddings(model.config.vocab_size + extra)
    model.save_pretrained(str(out))
    copy_tokenizer_files(source, out)
    return out


# ----------------------------------------------------------------------------- model.bin

TYPE_NAMES = ("float32", "int8", "int16", "int32", "float16", "bfloat16")


def read_model_bin(path: Path) -> dict[str, Any]:
    """``model.bin`` parsed: name, revision, {variable: (shape, type, bytes)}, aliases."""
    data = path.read_bytes()
    offset = 0

    def take(fmt: str) -> Any:
        nonlocal offset
        value = struct.unpack_from(fmt, data, offset)[0]
        offset += struct.calcsize(fmt)
        return value

    def string() -> str:
        nonlocal offset
        length = take("<H")
        text = data[offset:offset + length - 1].decode("utf-8")
        offset += length
        return text

    version, name, revision = take("<I"), string(), take("<I")
    variables: dict[str, tuple[tuple[int, ...], str, bytes]] = {}
    for _ in range(take("<I")):
        variable = string()
        shape = tuple(take("<I") for _ in range(take("<B")))
        kind = TYPE_NAMES[take("<B")]
        size = take("<I")
        variables[variable] = (shape, kind, data[offset:offset + size])
        offset += size
    aliases = {string(): string() for _ in range(take("<I"))}
    assert offset == len(data)
    return {"version": version, "name": name, "revision": revision, "variables": variables,
            "aliases": aliases}


# ----------------------------------------------------------------------------- damaged files


def safetensors_bytes(header: Any, data: bytes = b"", *, length: int | None = None) -> bytes:
    """A safetensors file with the given header (any JSON, or raw bytes) and data."""
    raw = header if isinstance(header, bytes) else json.dumps(header).encode("utf-8")
    size = len(raw) if length is None else length
    return struct.pack("<Q", size) + raw + data


def numpy_marian_checkpoint(
    out: Path, spm_from: Path, *, vocab_size: int, d_model: int, ffn_dim: int, layers: int = 1,
    heads: int = 4, seed: int = 0,
) -> Path:
    """A random Marian checkpoint written with numpy and the safetensors package alone.

    For sizes the tiny fixtures do not reach (a large embedding for the memory test) without
    paying for transformers' initialization. The SentencePiece models are copied from
    ``spm_from``; vocab.json is padded with unreachable filler pieces, ``<pad>`` last.
    """
    import numpy as np
    from safetensors.numpy import save_file

    rng = np.random.default_rng(seed)
    out.mkdir(parents=True)
    for name in ("source.spm", "target.spm"):
        shutil.copy2(spm_from / name, out / name)
    vocab = {"</s>": 0, "<unk>": 1}
    vocab.update({f"▁⟨{i:06d}⟩": i + 2 for i in range(vocab_size - 3)})
    vocab["<pad>"] = vocab_size - 1
    (out / "vocab.json").write_text(json.dumps(vocab), "utf-8")
    pad = vocab_size - 1
    config = {
        "model_type": "marian", "architectures": ["MarianMTModel"], "vocab_size": vocab_size,
        "d_model": d_model, "encoder_layers": layers, "decoder_layers": layers,
        "encoder_attention_heads": heads, "decoder_attention_heads": heads,
        "encoder_ffn_dim": ffn_dim, "decoder_ffn_dim": ffn_dim, "max_position_embeddings": 64,
        "pad_token_id": pad, "decoder_start_token_id": pad, "eos_token_id": 0,
        "activation_function": "swish", "scale_embedding": True,
    }
    (out / "config.json").write_text(json.dumps(config), "utf-8")

    def normal(*shape: int) -> Any:
        return rng.standard_normal(shape, dtype=np.float32) * 0.02

    tensors = {"model.shared.weight": normal(vocab_size, d_model),
               "final_logits_bias": np.zeros((1, vocab_size), np.float32)}
    for side in ("encoder", "decoder"):
        for i in range(layers):
            prefix = f"model.{side}.layers.{i}."
            attentions = ["self_attn"] + (["encoder_attn"] if side == "decoder" else [])
            for attention in attentions:
                for projection in ("q_proj", "k_proj", "v_proj", "out_proj"):
                    tensors[f"{prefix}{attention}.{projection}.weight"] = normal(d_model, d_model)
                    tensors[f"{prefix}{attention}.{projection}.bias"] = normal(d_model)
                tensors[f"{prefix}{attention}_layer_norm.weight"] = 1 + normal(d_model)
                tensors[f"{prefix}{attention}_layer_norm.bias"] = normal(d_model)
            tensors[f"{prefix}fc1.weight"] = normal(ffn_dim, d_model)
            tensors[f"{prefix}fc1.bias"] = normal(ffn_dim)
            tensors[f"{prefix}fc2.weight"] = normal(d_model, ffn_dim)
            tensors[f"{prefix}fc2.bias"] = normal(d_model)
            tensors[f"{prefix}final_layer_norm.weight"] = 1 + normal(d_model)
            tensors[f"{prefix}final_layer_norm.bias"] = normal(d_model)
    save_file(tensors, str(out / "model.safetensors"), metadata={"format": "pt"})
    return out
