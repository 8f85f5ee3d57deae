"""What the engine returns: plain frozen data that crosses to the GUI, the CLI and documents."""

from __future__ import annotations

from dataclasses import dataclass

from terjman_desktop.core.translate.segment import Span


@dataclass(frozen=True)
class Hypothesis:
    text: str
    score: float | None


@dataclass(frozen=True)
class SentenceTranslation:
    """One source sentence with its hypotheses, best first, and where both sit.

    Attributes:
        source: The sentence as it is in the source text.
        hypotheses: Its translations, best first (one unless alternatives were asked for).
        paragraph: Index of the source paragraph it belongs to.
        source_span: ``(start, end)`` of :attr:`source` in the source text.
        target_span: ``(start, end)`` of :attr:`text` in :attr:`Translation.text`.
    """

    source: str
    hypotheses: tuple[Hypothesis, ...]
    paragraph: int
    source_span: Span
    target_span: Span

    @property
    def text(self) -> str:
        return self.hypotheses[0].text if self.hypotheses else ""


@dataclass(frozen=True)
class Translation:
    """A translated text: the joined text and every sentence's hypotheses and spans."""

    text: str
    source: str
    target: str
    model_id: str
    sentences: tuple[SentenceTranslation, ...]
    seconds: float = 0.0
