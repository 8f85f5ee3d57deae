"""The one cache of sentence translations, shared by every loaded model.

Re-translating an edited text is cheap because only changed sentences reach the model: the
others are found here. The cache outlives a loaded model (the app keeps one model in memory,
so switching models and back would otherwise start from nothing), which is why a key names
the model as well as the direction, the options and the sentence.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import NamedTuple

from terjman_desktop.core.translate.manifest import Direction
from terjman_desktop.core.translate.options import TranslationOptions
from terjman_desktop.core.translate.results import Hypothesis

# About 1 KB per sentence (its text, its translation, the key): some 16 MB when full, and
# enough for a long pasted text (a 1 MB paste is about 10,000 sentences).
DEFAULT_MAX_SENTENCES = 16_384


class ModelKey(NamedTuple):
    """What a loaded model is known by in the cache.

    The same folder on another device, or computing in another type, may translate
    differently, so they are part of it.
    """

    id: str
    path: str  # the resolved model folder
    device: str
    compute_type: str


class SentenceKey(NamedTuple):
    model: ModelKey
    direction: Direction
    options: TranslationOptions
    sentence: str  # as the tokenizer gets it (segment.clean_for_model)


@dataclass(frozen=True)
class CachedSentence:
    """A sentence's hypotheses, and its source length in tokens.

    With the length, a cached sentence needs no tokenization at all, not even to know
    whether segmentation must cut it.
    """

    tokens: int
    hypotheses: tuple[Hypothesis, ...]


class SentenceCache:
    """At most ``max_sentences`` recent sentence translations, least recently used dropped.

    Thread-safe. ``max_sentences=0`` remembers nothing (checks that must run the model).
    """

    def __init__(self, max_sentences: int = DEFAULT_MAX_SENTENCES) -> None:
        self.max_sentences = max(0, max_sentences)
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[SentenceKey, CachedSentence] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: SentenceKey) -> CachedSentence | None:
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
            else:
                self.hits += 1
                self._items.move_to_end(key)
            return value

    def put(self, key: SentenceKey, value: CachedSentence) -> None:
        if self.max_sentences == 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.max_sentences:
                self._items.popitem(last=False)

    def forget(self, model_path: str | None = None) -> None:
        """Drop the sentences of the model in a resolved folder, or all of them.

        A model removed or replaced in its folder must not answer from its old sentences.
        """
        with self._lock:
            if model_path is None:
                self._items.clear()
                return
            for key in [k for k in self._items if k.model.path == model_path]:
                del self._items[key]

    def __len__(self) -> int:
        return len(self._items)
