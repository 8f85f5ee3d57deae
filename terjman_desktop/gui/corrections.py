"""What the person's own edits and selections mean for a translation: pure data, no widgets.

* A correction typed into the translation pane becomes a new :class:`LineResult` per edited
  line, marked ``own``; the sentences it touched are merged into one whose source is theirs
  (the others keep their place, shifted), so highlighting and the phrasebook still know
  which source sentence each stretch translates.
* A selection (in either pane) or a highlighted sentence names the sentences to save to the
  phrasebook: one pair per line, from its first to its last selected sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from terjman_desktop.gui.translation_controller import LineResult, PanelResult, SentenceSpan


@dataclass(frozen=True)
class Pair:
    """A text and its translation, to save to the phrasebook."""

    source: str
    translation: str
    source_language: str
    target_language: str
    revises: str | None = None  # the translation it corrects, when it is a correction
    own: bool = False


class LineCountError(ValueError):
    """The corrected translation has another number of lines than the text."""


def _changed_region(old: str, new: str) -> tuple[int, int, int]:
    """(start, end in old, end in new) of the one stretch that differs between two texts."""
    limit = min(len(old), len(new))
    start = 0
    while start < limit and old[start] == new[start]:
        start += 1
    tail = 0
    while tail < limit - start and old[len(old) - 1 - tail] == new[len(new) - 1 - tail]:
        tail += 1
    return start, len(old) - tail, len(new) - tail


def correct_line(line: LineResult, text: str) -> tuple[LineResult, list[tuple[str, str, str]]]:
    """A line with its translation replaced by the person's ``text``.

    Returns the new line (``own``) and, for each sentence the edit touched, ``(source
    sentence, old translation, new translation)``.
    """
    text = text.replace("\n", " ")
    if text == line.text:
        return line, []
    if not line.spans:
        span = SentenceSpan(0, len(text), line.source, (), 0, len(line.source))
        corrected = replace(
            line, text=text, spans=(span,) if text.strip() else (), own=True, draft=False
        )
        return corrected, [(line.source, line.text, text)] if text.strip() else []
    start, old_end, new_end = _changed_region(line.text, text)
    shift = new_end - old_end
    before = [s for s in line.spans if s.end < start]
    after = [s for s in line.spans if s.start > old_end]
    touched = [s for s in line.spans if s not in before and s not in after]
    spans: list[SentenceSpan] = list(before)
    changes: list[tuple[str, str, str]] = []
    if touched:
        first, last = touched[0], touched[-1]
        merged_start = min(first.start, start)
        old_stop = max(last.end, old_end)
        merged_end = old_stop + shift
        source = " ".join(s.source for s in touched)
        spans.append(
            SentenceSpan(merged_start, merged_end, source, (), first.source_start, last.source_end)
        )
        new_sentence = text[merged_start:merged_end].strip()
        if new_sentence:
            changes.append((source, line.text[merged_start:old_stop].strip(), new_sentence))
    spans += [replace(s, start=s.start + shift, end=s.end + shift) for s in after]
    spans = [s for s in spans if text[s.start : s.end].strip()]
    return replace(line, text=text, spans=tuple(spans), own=True, draft=False), changes


def correct(result: PanelResult, text: str) -> tuple[PanelResult, list[Pair]]:
    """The result with the person's corrected translation, and the sentences it corrected.

    The pairs are for the phrasebook: each source sentence with its new translation.

    Raises:
        LineCountError: ``text`` does not have one line per line of the source text.
    """
    rows = text.split("\n")
    if len(rows) != len(result.lines):
        raise LineCountError(len(rows), len(result.lines))
    job = result.job
    lines: list[LineResult] = []
    pairs: list[Pair] = []
    for line, row in zip(result.lines, rows, strict=True):
        if not line.source.strip():
            lines.append(line)
            continue
        corrected, changes = correct_line(line, row)
        lines.append(corrected)
        pairs += [
            Pair(source, new, job.source, job.target, revises=old, own=True)
            for source, old, new in changes
        ]
    corrected_result = PanelResult(job, tuple(lines), draft=False, revises=result.text)
    return corrected_result, pairs


def _line_pairs(result: PanelResult, chosen: dict[int, list[int]]) -> list[Pair]:
    job = result.job
    pairs = []
    for index in sorted(chosen):
        line = result.lines[index]
        spans = [line.spans[n] for n in sorted(set(chosen[index]))]
        if not spans:
            continue
        first, last = spans[0], spans[-1]
        if first.source_start >= 0 and last.source_end >= 0:
            source = line.source[first.source_start : last.source_end]
        else:
            source = " ".join(s.source for s in spans)
        translation = line.text[first.start : last.end]
        if source.strip() and translation.strip():
            pairs.append(
                Pair(source.strip(), translation.strip(), job.source, job.target, own=line.own)
            )
    return pairs


def pairs_in_output(result: PanelResult, start: int, end: int) -> list[Pair]:
    """The sentences a selection of the translation (Python offsets) touches, as pairs."""
    chosen: dict[int, list[int]] = {}
    offset = 0
    for index, line in enumerate(result.lines):
        for number, span in enumerate(line.spans):
            if offset + span.start < end and start < offset + span.end:
                chosen.setdefault(index, []).append(number)
        offset += len(line.text) + 1
    return _line_pairs(result, chosen)


def pairs_in_source(result: PanelResult, start: int, end: int) -> list[Pair]:
    """The sentences a selection of the source text (Python offsets) touches, as pairs."""
    chosen: dict[int, list[int]] = {}
    offset = 0
    for index, line in enumerate(result.lines):
        for number, span in enumerate(line.spans):
            if span.source_start < 0:
                continue
            if offset + span.source_start < end and start < offset + span.source_end:
                chosen.setdefault(index, []).append(number)
        offset += len(line.source) + 1
    return _line_pairs(result, chosen)


def sentence_pair(result: PanelResult, line: int, sentence: int) -> list[Pair]:
    """One sentence of the result as a pair."""
    return _line_pairs(result, {line: [sentence]})
