"""One side of a comparison, in its own process: our engine, raw CTranslate2 or Hugging Face.

Each side runs in a separate process so that CTranslate2's and PyTorch's thread pools never
share a process, a side's memory peak is its own, and thread counts are set before any
library starts its threads. Two modes:

* ``python -m benchmarks.worker serve SPEC``: load once, then answer JSON commands on
  standard input (one per line) with JSON lines on standard output; the parent interleaves
  the sides run by run so drifting machine load hits them alike.
* ``python -m benchmarks.worker memory SPEC``: a fresh process that imports, loads, runs one
  workload and reports its load time and peak resident memory, then exits.
* ``python -m benchmarks.worker train SPEC``: full fine-tuning steps on CPU (figure 6).

Fixed output length: every side generates exactly ``length`` target tokens per sentence
(CTranslate2 ``min_decoding_length = max_decoding_length``, Hugging Face
``min_new_tokens = max_new_tokens``), because random weights would otherwise stop at
arbitrary lengths. For our engine the options carry that fixed length; everything else —
segmentation, tokenization, batching, detokenization — is the app's code as it is.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol


class Side(Protocol):
    def batch(self, sentences: Sequence[str], beam: int, length: int) -> int:
        """Translate ``sentences``; return the number of target tokens generated."""


# ----------------------------------------------------------------------------- sides


class _CountingModel:
    """Wraps the engine's ctranslate2.Translator to count batches and generated tokens."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.calls = 0
        self.tokens = 0

    def translate_batch(self, *args: Any, **kwargs: Any) -> Any:
        results = self.model.translate_batch(*args, **kwargs)
        self.calls += 1
        self.tokens += sum(len(r.hypotheses[0]) for r in results)
        return results

    def __getattr__(self, name: str) -> Any:
        return getattr(self.model, name)


class EngineSide:
    """``Translator.translate`` on the sentences joined by newlines: the app's whole path."""

    def __init__(self, package: str, threads: int, prefix_len: int) -> None:
        from terjman_desktop.core.translate.engine import Translator
        from terjman_desktop.core.translate.manifest import Direction
        from terjman_desktop.core.translate.sentence_cache import SentenceCache

        self.translator = Translator(package, device="cpu", threads=threads,
                                     cache=SentenceCache(0))
        self.counter = _CountingModel(self.translator._model)
        self.translator._model = self.counter
        self.prefix_len = prefix_len
        self.direction = Direction("en", "ary")

    def _options(self, beam: int, length: int) -> Any:
        from dataclasses import replace

        from terjman_desktop.core.translate.options import TranslationOptions

        # The engine's limits count like max_new_tokens: a model that forces </s> at the cap
        # spends one position on it (engine.ct2_length_limits), so ask for one more.
        total = length + self.prefix_len + int(self.translator.manifest.forced_eos)
        return replace(TranslationOptions.for_quality("balanced", beam_size=beam),
                       min_length=total, max_length=total, max_length_ratio=1e6)

    def batch(self, sentences: Sequence[str], beam: int, length: int) -> int:
        options = self._options(beam, length)
        before = self.counter.tokens
        result = self.translator.translate("\n".join(sentences), self.direction, options)
        if len(result.sentences) != len(sentences):
            raise RuntimeError(
                f"segmentation gave {len(result.sentences)} sentences for {len(sentences)} lines"
            )
        return self.counter.tokens - before - self.prefix_len * len(sentences)

    def one(self, sentence: str, beam: int, length: int) -> int:
        return self.batch([sentence], beam, length)


class Ct2Side:
    """Raw ``ctranslate2.Translator.translate_batch`` on pre-tokenized input, one call.

    With ``max_batch_tokens`` set, CTranslate2 itself sorts the batch by length and splits it
    into chunks of that many tokens (``batch_type="tokens"``), as the engine asks it to.
    """

    def __init__(
        self, package: str, threads: int, prefix_len: int, max_batch_tokens: int = 0,
        use_vmap: bool = False,
    ) -> None:
        import ctranslate2

        from terjman_desktop.core.translate.package import load_package
        from terjman_desktop.core.translate.tokenize import load_tokenizer

        self.tokenizer = load_tokenizer(load_package(package))
        self.prefix = self.tokenizer.target_prefix("en", "ary")
        self.model = ctranslate2.Translator(
            package, device="cpu", compute_type="default", intra_threads=threads,
            inter_threads=1,
        )
        self._tokenized: dict[tuple[str, ...], list[list[str]]] = {}
        self.batching: dict[str, Any] = (
            {"max_batch_size": max_batch_tokens, "batch_type": "tokens"}
            if max_batch_tokens else {}
        )
        self.use_vmap = use_vmap  # the package's vmap.txt, as the engine uses it

    def tokenize(self, sentences: Sequence[str]) -> list[list[str]]:
        key = tuple(sentences)
        if key not in self._tokenized:  # pre-tokenized: done once, outside the timed call
            self._tokenized[key] = [self.tokenizer.encode(s, "en", "ary") for s in sentences]
        return self._tokenized[key]

    def batch(self, sentences: Sequence[str], beam: int, length: int) -> int:
        tokens = self.tokenize(sentences)
        return self.timed_batch(tokens, beam, length)

    def timed_batch(self, tokens: list[list[str]], beam: int, length: int) -> int:
        total = length + len(self.prefix)
        results = self.model.translate_batch(
            tokens,
            target_prefix=[self.prefix] * len(tokens) if self.prefix else None,
            beam_size=beam,
            min_decoding_length=total,
            max_decoding_length=total,
            use_vmap=self.use_vmap,
            **self.batching,
        )
        return sum(len(r.hypotheses[0]) - len(self.prefix) for r in results)


class HfSide:
    """Hugging Face: tokenizer, ``generate`` (PyTorch float32), ``batch_decode``."""

    def __init__(self, checkpoint: str, threads: int, family: str) -> None:
        import torch
        import transformers

        torch.set_num_threads(threads)
        logging.getLogger("transformers").setLevel(logging.ERROR)
        self.torch = torch
        self.tokenizer = transformers.AutoTokenizer.from_pretrained(checkpoint)
        self.model = transformers.AutoModelForSeq2SeqLM.from_pretrained(
            checkpoint, dtype=torch.float32
        ).eval()
        self.extra: dict[str, Any] = {}
        if family == "nllb":
            self.tokenizer.src_lang = "eng_Latn"
            self.extra["forced_bos_token_id"] = self.tokenizer.convert_tokens_to_ids("ary_Arab")
        self.prefix_len = 1 if family == "nllb" else 0
        # The checkpoint's generation config caps max_length; max_new_tokens decides here.
        self.model.generation_config.max_length = None

    def batch(self, sentences: Sequence[str], beam: int, length: int) -> int:
        total = length + self.prefix_len
        with self.torch.inference_mode():
            encoded = self.tokenizer(list(sentences), return_tensors="pt", padding=True)
            output = self.model.generate(
                **encoded, num_beams=beam, do_sample=False, min_new_tokens=total,
                max_new_tokens=total, **self.extra,
            )
            self.tokenizer.batch_decode(output, skip_special_tokens=True)
        # output = decoder start token + ``total`` generated tokens, per sentence.
        return int((output.shape[1] - 1 - self.prefix_len) * output.shape[0])


def make_side(spec: dict[str, Any]) -> Side:
    kind, threads = spec["side"], int(spec["threads"])
    prefix_len = 1 if spec["family"] == "nllb" else 0
    if kind == "engine":
        return EngineSide(spec["package"], threads, prefix_len)
    if kind == "ct2":
        return Ct2Side(spec["package"], threads, prefix_len, use_vmap=bool(spec.get("vmap")))
    if kind == "ct2tok":  # CTranslate2's own batching at the engine's default budget
        from terjman_desktop.core.translate.options import TranslationOptions

        budget = TranslationOptions().max_batch_tokens
        return Ct2Side(spec["package"], threads, prefix_len, budget)
    if kind == "hf":
        return HfSide(spec["checkpoint"], threads, spec["family"])
    raise ValueError(f"unknown side {kind!r}")


# ----------------------------------------------------------------------------- memory


def _proc_status_bytes(field: str) -> int | None:
    """A ``kB`` field of ``/proc/self/status`` (``VmRSS``, ``VmHWM``) in bytes; None off Linux."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def rss_bytes() -> int:
    """Current resident set size of this process."""
    current = _proc_status_bytes("VmRSS")
    if current is not None:
        return current
    import psutil  # not Linux

    return int(psutil.Process().memory_info().rss)


def peak_rss_bytes() -> int:
    """Peak resident set size of this process so far.

    Linux: ``VmHWM``, the high-water mark of this program's own address space.
    ``getrusage``'s ``ru_maxrss`` is not used there because it survives ``exec``: a worker
    started by a parent of 1 GB would report at least 1 GB.
    """
    peak_linux = _proc_status_bytes("VmHWM")
    if peak_linux is not None:
        return peak_linux
    try:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return int(peak) if sys.platform == "darwin" else int(peak) * 1024
    except ImportError:  # Windows
        import psutil

        return int(psutil.Process().memory_info().peak_wset)


def _import_side_libraries(side: str) -> None:
    if side == "hf":
        import torch  # noqa: F401
        import transformers  # noqa: F401
    else:
        import ctranslate2  # noqa: F401
        import sentencepiece  # noqa: F401

        import terjman_desktop.core.translate.engine  # noqa: F401


def memory(spec: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    base = rss_bytes()
    _import_side_libraries(spec["side"])
    imported = time.perf_counter()
    after_import = rss_bytes()
    side = make_side(spec)
    loaded = time.perf_counter()
    after_load = rss_bytes()
    peak_load = peak_rss_bytes()
    run_started = time.perf_counter()
    tokens = side.batch(spec["sentences"], int(spec["beam"]), int(spec["length"]))
    finished = time.perf_counter()
    return {
        "rss_start_bytes": base,
        "import_seconds": imported - started,
        "rss_after_import_bytes": after_import,
        "load_seconds": loaded - imported,
        "rss_after_load_bytes": after_load,
        "peak_rss_after_load_bytes": peak_load,
        "run_seconds": finished - run_started,
        "tokens": tokens,
        "peak_rss_bytes": peak_rss_bytes(),
    }


# ----------------------------------------------------------------------------- serve


def serve(spec: dict[str, Any], reply: Any) -> None:
    started = time.perf_counter()
    side = make_side(spec)
    reply({"ready": True, "load_seconds": time.perf_counter() - started, "pid": os.getpid()})
    for line in sys.stdin:
        command = json.loads(line)
        op = command["op"]
        if op == "quit":
            break
        if op == "batch":
            calls = side.counter.calls if isinstance(side, EngineSide) else 0
            wall, cpu = time.perf_counter(), time.process_time()
            tokens = side.batch(command["sentences"], command["beam"], command["length"])
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            extra = {}
            if isinstance(side, EngineSide):
                extra["ct2_calls"] = side.counter.calls - calls
            reply({"seconds": wall, "cpu_seconds": cpu, "tokens": tokens, **extra})
        elif op == "repeat":  # latency: the same one-sentence call, timed each time
            times = []
            for _ in range(command["count"]):
                wall = time.perf_counter()
                side.batch([command["sentence"]], command["beam"], command["length"])
                times.append(time.perf_counter() - wall)
            reply({"seconds": times})
        else:
            raise ValueError(f"unknown op {op!r}")


def main(argv: Sequence[str] | None = None) -> None:
    mode, spec_path = (argv or sys.argv[1:])[:2]
    spec = json.loads(Path(spec_path).read_text("utf-8"))
    # Protocol on the real stdout; anything libraries print (Python or C) goes to stderr.
    sys.stdout.flush()
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def reply(message: dict[str, Any]) -> None:
        protocol.write(json.dumps(message) + "\n")
        protocol.flush()

    if mode == "serve":
        serve(spec, reply)
    elif mode == "memory":
        reply(memory(spec))
    elif mode == "finetune":
        from benchmarks.finetune_worker import finetune

        reply(finetune(spec))
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main()
