"""Turns "the text changed" into as few model calls as possible, and never shows stale output.

* Typing first: while the person types, the changed lines are translated fast (a *draft*,
  the ``fast`` preset: beam 1); once typing pauses, the draft lines are *refined* with the
  quality the person chose, and only what changed is replaced on screen. Ctrl+Enter (and a
  change of model or direction) skips both waits and translates with the chosen quality at
  once. With the ``fast`` preset chosen, the draft is the translation.
* The as-you-type pause grows with the text (:func:`typing_pause_ms`): 150 ms for a text of
  up to 200 characters, then 25 ms more per 100 characters, at most 600 ms (reached at
  2,000 characters). A long text costs more to translate, and a draft that the next keystroke
  cancels is wasted. The refine starts once the draft is on screen and no key has been
  pressed for twice that pause (:func:`refine_pause_ms`: 300 ms to 1,200 ms).
* A newer request cancels the running one (its token), and a cancelled task never delivers,
  so a draft can never land after the refine that replaced it. A draft never replaces a
  refined line either: lines already refined are shown as they are, and in an edited line
  the sentences that were refined before keep their refined translation in the draft.
* The text is translated line by line. Lines already on screen under the same model,
  direction and quality are shown again as they are, so editing one paragraph sends only
  that paragraph to the engine; the engine's sentence cache (the one cache of
  translations, keyed by the options too, so drafts and refined sentences are kept apart)
  then makes its unchanged sentences free, and brings back whatever was translated before,
  under another model or quality too.
* An alternative the person picked is remembered for its line, model, direction and
  quality, and shown instead of the model's choice until its line changes.
* Each result keeps where every sentence sits in the output, as the engine says (never found
  again by searching the text: a translation may repeat, or also be in the layout), for the
  highlighting and the alternatives.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
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

DRAFT_QUALITY = "fast"  # the preset of the drafts shown while the person types
PAUSE_MIN_MS = 150  # the as-you-type pause of a short text
PAUSE_FLAT_CHARS = 200  # texts up to this long get the shortest pause
PAUSE_MS_PER_100_CHARS = 25  # then the pause grows by this much per 100 characters
PAUSE_MAX_MS = 600  # and never exceeds this (reached at 2,000 characters)
REFINE_FACTOR = 2  # the refine waits this many pauses after the last keystroke
ALTERNATIVES = 4  # hypotheses asked for when a sentence is clicked (the shown one + 3)
PICKS_KEPT = 1000  # alternatives picked by hand that are remembered, most recent first


def typing_pause_ms(chars: int) -> int:
    """How long typing must pause before a draft of a text of ``chars`` characters."""
    extra = max(0, chars - PAUSE_FLAT_CHARS) * PAUSE_MS_PER_100_CHARS // 100
    return min(PAUSE_MAX_MS, PAUSE_MIN_MS + extra)


def refine_pause_ms(chars: int) -> int:
    """How long after the last keystroke a draft is refined with the chosen quality."""
    return REFINE_FACTOR * typing_pause_ms(chars)


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
    use_vmap: bool = True  # the package's vocabulary map, when it has one (Preferences)

    @property
    def direction(self) -> Direction:
        return Direction(self.source, self.target)

    def options(self, alternatives: int = 1) -> TranslationOptions:
        return TranslationOptions.for_quality(self.quality, alternatives=alternatives,
                                              use_vmap=self.use_vmap)

    def draft_options(self) -> TranslationOptions:
        """The quick first pass while the person types (beam 1)."""
        return TranslationOptions.for_quality(DRAFT_QUALITY, use_vmap=self.use_vmap)

    def key(self, line: str) -> tuple[str, ...]:
        """A line under this job's model, direction, quality and vocabulary-map choice."""
        return (self.model_id, self.source, self.target, self.quality, str(self.use_vmap), line)


@dataclass(frozen=True)
class SentenceSpan:
    """Where one translated sentence sits in its line's translation.

    ``source_start``/``source_end``: where it sits in its source line (-1 when not known).
    """

    start: int
    end: int
    source: str
    hypotheses: tuple[Hypothesis, ...]
    source_start: int = -1
    source_end: int = -1


@dataclass(frozen=True)
class LineResult:
    """One source line's translation.

    ``draft`` when it still waits for its refine, ``own`` when the person corrected it.
    """

    source: str
    text: str
    spans: tuple[SentenceSpan, ...] = ()
    draft: bool = False
    own: bool = False

    def replace_sentence(
        self, sentence: int, text: str, hypotheses: tuple[Hypothesis, ...] | None = None
    ) -> LineResult:
        """A copy with one sentence's translation replaced (spans after it shift)."""
        old = self.spans[sentence]
        text = text.replace("\n", " ")
        shift = len(text) - (old.end - old.start)
        spans = list(self.spans)
        spans[sentence] = replace(
            old, end=old.start + len(text),
            hypotheses=old.hypotheses if hypotheses is None else hypotheses,
        )
        for later in range(sentence + 1, len(spans)):
            span = spans[later]
            spans[later] = replace(span, start=span.start + shift, end=span.end + shift)
        return replace(
            self, text=self.text[: old.start] + text + self.text[old.end :], spans=tuple(spans)
        )


@dataclass(frozen=True)
class PanelResult:
    """The translation of the whole source text, line by line.

    ``revises``: the translation of the same text this one replaces (an alternative was
    picked, or the person corrected it), so the history updates that entry.
    """

    job: Job
    lines: tuple[LineResult, ...] = field(default_factory=tuple)
    draft: bool = False  # some lines are drafts: a refined result follows
    revises: str | None = None

    @property
    def own(self) -> bool:
        """Whether the person corrected some of it (it is then partly their own)."""
        return any(line.own for line in self.lines)

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
        lines = list(self.lines)
        lines[line_index] = lines[line_index].replace_sentence(sentence, text)
        return replace(self, lines=tuple(lines))


Refined = Mapping[str, tuple[str, tuple[Hypothesis, ...]]]  # sentence → translation, hypotheses


def line_result(source: str, translation: Translation, *, draft: bool = False,
                refined: Refined | None = None) -> LineResult:
    """A line's translation with the span of each sentence the model translated to something."""
    # A model may write a line break; the panel shows one line per source line. The
    # replacement keeps every offset.
    text = translation.text.replace("\n", " ")
    spans = tuple(
        SentenceSpan(*sentence.target_span, sentence.source, sentence.hypotheses,
                     *sentence.source_span)
        for sentence in translation.sentences
        if sentence.text  # an empty translation has nothing to click
    )
    line = LineResult(source, text, spans, draft)
    # A draft keeps what was refined already: its unchanged sentences do not flicker back to
    # their beam-1 translation while the edited ones wait for their refine.
    for number in reversed(range(len(spans))):
        known = (refined or {}).get(spans[number].source)
        if known is not None:
            line = line.replace_sentence(number, *known)
    return line


class TranslationController(QObject):
    """Schedules translations of the panel's text on the task runner's model thread.

    Signals:
        result_ready(PanelResult): a result for the latest request (``draft`` when its
            refine is still to come).
        failed(object): the latest request failed (the exception).
        busy_changed(bool): a translation (or a draft's refine) is waiting or running.
        progress(int, int): sentences done, sentences to do.
    """

    result_ready = Signal(object)
    failed = Signal(object)
    busy_changed = Signal(bool)
    progress = Signal(int, int)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        # The lines of the latest result, by Job.key (drafts too, marked): what is on screen,
        # not a cache (the next result replaces them all).
        self._shown: dict[tuple[str, ...], LineResult] = {}
        self._picks: OrderedDict[tuple[str, ...], LineResult] = OrderedDict()
        self._task: Task[Any] | None = None
        self._alt_task: Task[Any] | None = None
        self._pending: Job | None = None
        self._drafted: Job | None = None  # the job whose draft is shown, to refine
        self._typed_at = 0.0  # time.monotonic() of the last as-you-type request
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire_draft)
        self._refine_timer = QTimer(self)
        self._refine_timer.setSingleShot(True)
        self._refine_timer.timeout.connect(self._refine)

    # ------------------------------------------------------------------ requests

    def schedule(self, job: Job) -> None:
        """Translate after a pause in typing: a draft first, refined when typing pauses."""
        self._pending = job
        self._drafted = None
        self._typed_at = time.monotonic()
        self._refine_timer.stop()
        self._cancel_running()
        self._set_busy(True)
        self._timer.start(typing_pause_ms(len(job.text)))

    def translate_now(self, job: Job) -> None:
        """Translate at once with the chosen quality (no draft)."""
        self._pending = job
        self._timer.stop()
        self._refine_timer.stop()
        self._drafted = None
        self._fire()

    def cancel(self) -> None:
        self._timer.stop()
        self._refine_timer.stop()
        self._pending = None
        self._drafted = None
        self._cancel_running()
        self._set_busy(False)

    def preload(self, model_path: Path, threads: int = 0) -> None:
        """Load and warm up a model on the model thread ahead of the first translation.

        The panel calls it as soon as it knows its model: when the first listing of the
        installed models reaches it at start, and whenever the model (or the thread count)
        changes — never waiting for a keystroke. The first load imports CTranslate2 and the
        first call starts its thread pool, which together take seconds; doing it while the
        person is still reading or typing makes the first translation as quick as the next.
        """

        def work(models: ModelCache, _: TaskContext) -> None:
            translator = models.get(model_path, threads=threads)
            translator.translate_sentences(
                ["Hello"], translator.manifest.directions[0],
                TranslationOptions.for_quality(DRAFT_QUALITY),
            )

        self._runner.run_with_model(work, name="preload")

    def keep(self, job: Job, line: LineResult) -> None:
        """Remember an edited line for this job's settings.

        A picked alternative or the person's correction: shown until its line changes.
        """
        line = replace(line, draft=False)  # picked by the person: no refine replaces it
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
        """A line's final result without the engine: picked by the person, or on screen."""
        key = job.key(line)
        known = self._picks.get(key) or self._shown.get(key)
        return known if known is not None and not known.draft else None

    def _drafted_line(self, job: Job, line: str) -> LineResult | None:
        """A line's result on screen, final or draft (enough for another draft)."""
        return self._known(job, line) or self._shown.get(job.key(line))

    def _refined_sentences(self, job: Job) -> dict[str, tuple[str, tuple[Hypothesis, ...]]]:
        """Each refined sentence on screen under this job's settings (not a picked one)."""
        prefix = job.key("")[:-1]
        refined: dict[str, tuple[str, tuple[Hypothesis, ...]]] = {}
        for key, line in self._shown.items():
            if key[:-1] != prefix or line.draft or key in self._picks:
                continue
            for span in line.spans:
                refined.setdefault(span.source, (line.text[span.start:span.end],
                                                 span.hypotheses))
        return refined

    def _show(self, job: Job, translated: Iterable[LineResult] = (), *,
              final: bool = True) -> None:
        fresh = {result.source: result for result in translated}
        lines = []
        for line in job.text.split("\n"):
            known = None
            if line.strip():
                known = self._known(job, line) or fresh.get(line)
                if known is None and not final:
                    known = self._shown.get(job.key(line))
            lines.append(known if known is not None else LineResult(line, line))
        self._shown = {job.key(line.source): line for line in lines if line.source.strip()}
        draft = any(line.draft for line in lines)
        if draft:
            # The refine starts once the person has paused for long enough.
            self._drafted = job
            waited = int(1000 * (time.monotonic() - self._typed_at))
            self._refine_timer.start(max(0, refine_pause_ms(len(job.text)) - waited))
        else:
            self._drafted = None
            self._set_busy(False)
        self.result_ready.emit(PanelResult(job, tuple(lines), draft))

    def _fire_draft(self) -> None:
        job, self._pending = self._pending, None
        if job is not None:
            self._run(job, final=job.quality == DRAFT_QUALITY)

    def _fire(self) -> None:
        job, self._pending = self._pending, None
        if job is not None:
            self._run(job, final=True)

    def _refine(self) -> None:
        job, self._drafted = self._drafted, None
        if job is not None:
            self._run(job, final=True)

    def _run(self, job: Job, *, final: bool) -> None:
        """Translate the lines not on screen yet: with the chosen quality, or as drafts."""
        self._cancel_running()
        found = self._known if final else self._drafted_line
        todo = list(dict.fromkeys(
            line for line in job.text.split("\n") if line.strip() and found(job, line) is None
        ))
        if not todo:
            self._show(job, final=final)
            return
        self._set_busy(True)
        options = job.options() if final else job.draft_options()
        refined = {} if final else self._refined_sentences(job)

        def work(models: ModelCache, ctx: TaskContext) -> list[LineResult]:
            translator = models.get(job.model_path, threads=job.threads)
            ctx.raise_if_cancelled()
            translations = translator.translate_many(
                todo, job.direction, options,
                progress=lambda done, total: ctx.progress((done, total)), cancel=ctx.cancel,
            )
            return [
                line_result(s, t, draft=not final, refined=refined)
                for s, t in zip(todo, translations, strict=True)
            ]

        def done(results: list[LineResult]) -> None:
            self._task = None
            self._show(job, results, final=final)

        def failed(error: BaseException) -> None:
            self._task = None
            self._set_busy(False)
            self.failed.emit(error)

        def progress(value: tuple[int, int]) -> None:
            self.progress.emit(*value)

        self._task = self._runner.run_with_model(
            work, done, failed, progress, name="translate" if final else "draft"
        )
