"""Dynamic batching: requests that arrive together are translated in one model call.

Each request becomes a job (its texts, direction and options) in a bounded queue. One
thread takes the first waiting job, waits a few milliseconds for more (the window), and
hands every job of the same direction and options to the engine in one
``translate_many`` call — which sorts their sentences by length, drops duplicates and runs
them as CTranslate2 batches. While the model works, new jobs pile up and go together next
time, so under load the batches grow by themselves and a lone request only pays the window.

The queue counts waiting texts. When a job would overflow it, :meth:`Batcher.submit` raises
:class:`QueueFullError` at once, with an estimate of when to retry: the server answers 429 with
``Retry-After`` instead of letting a client hang.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field

from terjman_desktop.core.errors import TerjmanError
from terjman_desktop.core.translate import Direction, Translation, TranslationOptions, Translator
from terjman_desktop.serve.config import Batching
from terjman_desktop.serve.engine import Engine

logger = logging.getLogger(__name__)


class QueueFullError(Exception):
    """The queue cannot take this job now; ``retry_after`` is in whole seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"The translation queue is full; retry in {retry_after} s.")
        self.retry_after = retry_after


class StoppedError(Exception):
    """The batcher was stopped before the job ran."""


@dataclass
class _Job:
    texts: list[str]
    direction: Direction
    options: TranslationOptions
    future: Future[list[Translation]] = field(default_factory=Future)


@dataclass
class BatchStats:
    """What the batcher did, for logs, tests and the load benchmark."""

    jobs: int = 0
    texts: int = 0
    model_calls: int = 0
    largest_call: int = 0  # most jobs in one model call
    seconds_per_text: float = 0.05  # running estimate, for Retry-After


class Batcher:
    """One model thread fed by a bounded queue of jobs (see the module's description).

    Args:
        engine: Runs the model calls.
        batching: The window and the most texts per call.
        queue_texts: Most texts waiting at once.
    """

    def __init__(self, engine: Engine, batching: Batching, queue_texts: int) -> None:
        self.engine = engine
        self.batching = batching
        self.queue_texts = queue_texts
        self.stats = BatchStats()
        self._jobs: deque[_Job] = deque()
        self._waiting_texts = 0
        self._condition = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="terjman-serve-model", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Refuse new jobs, fail the waiting ones, and let the running call finish."""
        with self._condition:
            self._stopping = True
            waiting = list(self._jobs)
            self._jobs.clear()
            self._waiting_texts = 0
            self._condition.notify_all()
        for job in waiting:
            if job.future.set_running_or_notify_cancel():
                job.future.set_exception(StoppedError("The server is stopping."))
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def submit(
        self, texts: Sequence[str], direction: Direction, options: TranslationOptions
    ) -> Future[list[Translation]]:
        """Queue texts for translation; the future gets one :class:`Translation` per text.

        Raises:
            QueueFullError: Too many texts are waiting already.
            StoppedError: The batcher is stopping.
        """
        job = _Job(list(texts), direction, options)
        with self._condition:
            if self._stopping:
                raise StoppedError("The server is stopping.")
            if self._waiting_texts + len(job.texts) > self.queue_texts:
                wait = (self._waiting_texts + len(job.texts)) * self.stats.seconds_per_text
                raise QueueFullError(max(1, math.ceil(wait)))
            self._jobs.append(job)
            self._waiting_texts += len(job.texts)
            self._condition.notify()
        return job.future

    @property
    def waiting_texts(self) -> int:
        return self._waiting_texts

    # ------------------------------------------------------------------ the model thread

    def _take(self) -> list[_Job] | None:
        """The next batch: the first waiting job, and those that come within the window."""
        window = self.batching.window_ms / 1000.0
        with self._condition:
            while not self._jobs and not self._stopping:
                self._condition.wait()
            if self._stopping:
                return None
            deadline = time.monotonic() + window
            while (
                self._waiting_texts < self.batching.max_texts
                and not self._stopping
                and (left := deadline - time.monotonic()) > 0
            ):
                self._condition.wait(left)
            batch: list[_Job] = []
            texts = 0
            while self._jobs and (
                not batch or texts + len(self._jobs[0].texts) <= self.batching.max_texts
            ):
                job = self._jobs.popleft()
                texts += len(job.texts)
                self._waiting_texts -= len(job.texts)
                batch.append(job)
            return batch

    def _loop(self) -> None:
        while (batch := self._take()) is not None:
            live = [job for job in batch if job.future.set_running_or_notify_cancel()]
            groups: dict[tuple[Direction, TranslationOptions], list[_Job]] = {}
            for job in live:
                groups.setdefault((job.direction, job.options), []).append(job)
            for (direction, options), jobs in groups.items():
                self._run(jobs, direction, options)

    def _run(self, jobs: list[_Job], direction: Direction, options: TranslationOptions) -> None:
        texts = [text for job in jobs for text in job.texts]

        def work(translator: Translator) -> list[Translation]:
            return translator.translate_many(texts, direction, options)

        started = time.perf_counter()
        try:
            translations = self.engine.run(work)
        except Exception as error:
            if len(jobs) > 1 and not isinstance(error, StoppedError):
                # One student's text must not fail the others batched with it: each again alone.
                for job in jobs:
                    self._run([job], direction, options)
                return
            # A TerjmanError says what happened; anything else is a bug: keep its trace.
            logger.warning(
                "A request of %d texts failed: %s",
                len(texts),
                error,
                exc_info=not isinstance(error, TerjmanError),
            )
            jobs[0].future.set_exception(error)
            return
        elapsed = time.perf_counter() - started
        stats = self.stats
        stats.jobs += len(jobs)
        stats.texts += len(texts)
        stats.model_calls += 1
        stats.largest_call = max(stats.largest_call, len(jobs))
        stats.seconds_per_text = 0.8 * stats.seconds_per_text + 0.2 * elapsed / len(texts)
        logger.debug("Model call: %d requests, %d texts, %.3fs", len(jobs), len(texts), elapsed)
        position = 0
        for job in jobs:
            job.future.set_result(translations[position : position + len(job.texts)])
            position += len(job.texts)
