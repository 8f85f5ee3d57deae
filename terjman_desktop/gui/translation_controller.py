"""Turns "the text changed" into as few model calls as possible, and never shows stale output.

* As-you-type requests are debounced; Ctrl+Enter skips the wait.
* A newer request cancels the running one (its token), and a cancelled task never delivers.
* The text is translated line by line. Lines already on screen under the same model,
  direction and quality are shown again as they are, so editing one paragraph sends only
  that paragraph to the engine; the engine's sentence cache (the one cache of
  translations) then makes its unchanged sentences free, and brings back whatever was
  translated before, under another model or quality too.
* An alternative the person picked is remembered for its line, model, direction and
  quality, and shown instead of the model's choice until its line changes.
* Each result keeps where every sentence sits in the output, as the engine says (never found
  again by searching the text: a translation may repeat, or also be in the layout), for the
  highlighting and the alternatives.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from terjman_desktop.core.translate import (
    Direction,
    Hypothesis,
    ModelCache,
    Translation,
    TranslationOptions,
)
from terjman_desktop.gui.task_runner import Task, TaskContext, TaskRunner

DEBOUNCE_MS = 350
ALTERNATIVES = 4  # hypotheses asked for when a sentence is clicked (the shown one + 3)
PICKS_KEPT = 1000  # alternatives picked by hand that are remembered, most recent first


@dataclass(frozen=True)
class Job:
    """One translation request of the panel."""

    text: str
    source: str
    target: str
    model_id: str
    model_path: Path
    quality: str = "balanced"
    threads: int = 0

    @property
    def direction(self) -> Direction:
        return Direction(self.source, self.target)

    def options(self, alternatives: int = 1) -> TranslationOptions:
        return TranslationOptions.for_quality(self.quality, alternatives=alternatives)

    def key(self, line: str) -> tuple[str, ...]:
        """A line under this job's model, direction and quality."""
        return (self.model_id, self.source, self.target, self.quality, line)


@dataclass(frozen=True)
class SentenceSpan:
    """Where one translated sentence sits in its line's translation."""

    start: int
    end: int
    source: str
    hypotheses: tuple[Hypothesis, ...]


@dataclass(frozen=True)
class LineResult:
    source: str
    text: str
    spans: tuple[SentenceSpan, ...] = ()


@dataclass(frozen=True)
class PanelResult:
    """The translation of the whole source text, line by line."""

    job: Job
    lines: tuple[LineResult, ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def offset(self, line_index: int) -> int:
        """Character offset of a line in :attr:`text`."""
        return sum(len(line.text) + 1 for line in self.lines[:line_index])

    def locate(self, position: int) -> tuple[int, int] | None:
        """(line, sentence) at a character position of :attr:`text`, if any."""
        start = 0
        for index, line in enumerate(self.lines):
            if position <= start + len(line.text):
                for number, span in enumerate(line.spans):
                    if start + span.start <= position <= start + span.end:
                        return index, number
                return None
            start += len(line.text) + 1
        return None

    def span_range(self, line_index: int, sentence: int) -> tuple[int, int]:
        span = self.lines[line_index].spans[sentence]
        offset = self.offset(line_index)
        return offset + span.start, offset + span.end

    def replace_sentence(self, line_index: int, sentence: int, text: str) -> PanelResult:
        """A copy with one sentence's translation replaced (spans after it shift)."""
        line = self.lines[line_index]
        old = line.spans[sentence]
        text = text.replace("\n", " ")
        shift = len(text) - (old.end - old.start)
        spans = list(line.spans)
        spans[sentence] = replace(old, end=old.start + len(text))
        for later in range(sentence + 1, len(spans)):
            span = spans[later]
            spans[later] = replace(span, start=span.start + shift, end=span.end + shift)
        new_line = LineResult(
            line.source, line.text[: old.start] + text + line.text[old.end :], tuple(spans)
        )
        lines = list(self.lines)
        lines[line_index] = new_line
        return replace(self, lines=tuple(lines))


def line_result(source: str, translation: Translation) -> LineResult:
    """A line's translation with the span of each sentence the model translated to something."""
    # A model may write a line break; the panel shows one line per source line. The
    # replacement keeps every offset.
    text = translation.text.replace("\n", " ")
    spans = tuple(
        SentenceSpan(*sentence.target_span, sentence.source, sentence.hypotheses)
        for sentence in translation.sentences
        if sentence.text  # an empty translation has nothing to click
    )
    return LineResult(source, text, spans)


class TranslationController(QObject):
    """Schedules translations of the panel's text on the task runner's model thread.

    Signals:
        result_ready(PanelResult): a result for the latest request.
        failed(object): the latest request failed (the exception).
        busy_changed(bool): a translation is waiting or running.
        progress(int, int): sentences done, sentences to do.
    """

    result_ready = Signal(object)
    failed = Signal(object)
    busy_changed = Signal(bool)
    progress = Signal(int, int)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        # The lines of the latest result, by Job.key: what is on screen, not a cache (the
        # next result replaces them all).
        self._shown: dict[tuple[str, ...], LineResult] = {}
        self._picks: OrderedDict[tuple[str, ...], LineResult] = OrderedDict()
        self._task: Task[Any] | None = None
        self._alt_task: Task[Any] | None = None
        self._pending: Job | None = None
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._fire)

    # ------------------------------------------------------------------ requests

    def schedule(self, job: Job) -> None:
        """Translate after a short pause in typing."""
        self._pending = job
        self._cancel_running()
        self._set_busy(True)
        self._timer.start()

    def translate_now(self, job: Job) -> None:
        self._pending = job
        self._timer.stop()
        self._fire()

    def cancel(self) -> None:
        self._timer.stop()
        self._pending = None
        self._cancel_running()
        self._set_busy(False)

    def preload(self, model_path: Path, threads: int = 0) -> None:
        """Load and warm up a model on the model thread ahead of the first translation.

        The first load imports CTranslate2 and the first call starts its thread pool, which
        together take seconds; doing it while the person is still reading or typing makes the
        first translation as quick as the next.
        """

        def work(models: ModelCache, _: TaskContext) -> None:
            translator = models.get(model_path, threads=threads)
            translator.translate_sentences(["Hello"], translator.manifest.directions[0])

        self._runner.run_with_model(work, name="preload")

    def keep(self, job: Job, line: LineResult) -> None:
        """Remember an edited line result (a picked alternative) for this job's settings."""
        key = job.key(line.source)
        self._shown[key] = line
        self._picks[key] = line
        self._picks.move_to_end(key)
        while len(self._picks) > PICKS_KEPT:
            self._picks.popitem(last=False)

    def forget(self, model_id: str | None = None) -> None:
        """Drop the lines shown and picked under one model (removed or replaced), or all."""
        for lines in (self._shown, self._picks):
            for key in [k for k in lines if model_id is None or k[0] == model_id]:
                del lines[key]

    def alternatives(
        self,
        job: Job,
        sentence: str,
        on_done: Callable[[tuple[Hypothesis, ...]], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Ask for other hypotheses of one source sentence (a newer ask cancels an older)."""
        if self._alt_task is not None:
            self._alt_task.cancel()

        def work(models: ModelCache, ctx: TaskContext) -> tuple[Hypothesis, ...]:
            translator = models.get(job.model_path, threads=job.threads)
            options = job.options(alternatives=ALTERNATIVES)
            return translator.translate_sentences(
                [sentence], job.direction, options, cancel=ctx.cancel
            )[0]

        self._alt_task = self._runner.run_with_model(
            work, on_done, on_error, name="alternatives"
        )

    @property
    def busy(self) -> bool:
        return self._busy

    # ------------------------------------------------------------------ internals

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)

    def _cancel_running(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def _known(self, job: Job, line: str) -> LineResult | None:
        """A line's result without the engine: picked by the person, or on screen."""
        key = job.key(line)
        return self._picks.get(key) or self._shown.get(key)

    def _show(self, job: Job, translated: Iterable[LineResult] = ()) -> None:
        fresh = {result.source: result for result in translated}
        lines = []
        for line in job.text.split("\n"):
            known = (self._known(job, line) or fresh.get(line)) if line.strip() else None
            lines.append(known if known is not None else LineResult(line, line))
        self._shown = {job.key(line.source): line for line in lines if line.source.strip()}
        self._set_busy(False)
        self.result_ready.emit(PanelResult(job, tuple(lines)))

    def _fire(self) -> None:
        job, self._pending = self._pending, None
        if job is None:
            return
        self._cancel_running()
        todo = list(dict.fromkeys(
            line for line in job.text.split("\n")
            if line.strip() and self._known(job, line) is None
        ))
        if not todo:
            self._show(job)
            return
        self._set_busy(True)

        def work(models: ModelCache, ctx: TaskContext) -> list[LineResult]:
            translator = models.get(job.model_path, threads=job.threads)
            ctx.raise_if_cancelled()
            translations = translator.translate_many(
                todo, job.direction, job.options(),
                progress=lambda done, total: ctx.progress((done, total)), cancel=ctx.cancel,
            )
            return [line_result(s, t) for s, t in zip(todo, translations, strict=True)]

        def done(results: list[LineResult]) -> None:
            self._task = None
            self._show(job, results)

        def failed(error: BaseException) -> None:
            self._task = None
            self._set_busy(False)
            self.failed.emit(error)

        def progress(value: tuple[int, int]) -> None:
            self.progress.emit(*value)

        self._task = self._runner.run_with_model(
            work, done, failed, progress, name="translate"
        )
