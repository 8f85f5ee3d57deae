"""Markdown renderings of the trainer's JSON reports (data, evaluation, export check)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A GitHub markdown table; floats get two decimals."""

    def cell(value: Any) -> str:
        if isinstance(value, float):
            return f"{value:.2f}"
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def data_report_markdown(report: Mapping[str, Any]) -> str:
    dropped = report["dropped"]
    test_set = report["test_set"]
    test_line = f"Test set: {test_set['kind']}; {test_set['pairs']} pairs"
    if "rows" in test_set:
        test_line += (f" of {test_set['rows']} rows ({test_set['skipped_empty']} with an empty "
                      "side, which cannot be scored)")
    lines = [
        "# Data report",
        "",
        f"Read {report['read']} training-source pairs, kept {report['kept']}.",
        "",
        test_line + ".",
        "",
        "## Dropped pairs",
        "",
        table(["rule", "pairs", "why"],
              [(k, dropped[k], report["reasons"][k]) for k in dropped]),
        "",
    ]
    if report["dropped_by_source"]:
        reasons = list(dropped)
        rows = [[name] + [counts.get(r, 0) for r in reasons]
                for name, counts in report["dropped_by_source"].items()]
        lines += ["### By source", "", table(["source", *reasons], rows), ""]
    leaks = report["leakage_removed"]
    lines += [
        "## Splits",
        "",
        table(["split", "pairs", "examples"],
              [(k, v["pairs"], v["examples"]) for k, v in report["splits"].items()]),
        "",
        f"Directions: {', '.join(report['directions'])}. Leakage check: removed "
        f"{leaks['train']} train and {leaks['dev']} dev pairs sharing a sentence with a "
        "held-out split; the written splits share none.",
        "",
    ]
    mixing = report.get("mixing") or {}
    if any(m["weight"] != 1 for m in mixing.values()):
        lines += ["## Training mix", "",
                  table(["source", "weight", "pairs", "weighted pairs", "share"],
                        [(name, m["weight"], m["pairs"], m["weighted_pairs"],
                          f"{100 * m['share']:.1f}%") for name, m in mixing.items()]), ""]
    if report["samples"]:
        lines += ["## Examples of dropped pairs", ""]
        for reason, samples in report["samples"].items():
            lines += [f"### {reason}", "", table(["origin", "source", "target"],
                      [(s["origin"], s["source"], s["target"]) for s in samples]), ""]
    return "\n".join(lines)


def scores_markdown(report: Mapping[str, Any]) -> str:
    """The evaluation report: one table per direction, then per-topic tables."""
    decoding = report["decoding"]
    ratio = decoding.get("max_length_ratio")
    limit = (f"at most {ratio} × the source's tokens + 10 and {decoding['max_new_tokens']} "
             "new tokens" if ratio else f"at most {decoding['max_new_tokens']} new tokens")
    lines = [
        f"# Evaluation of {report['model']}",
        "",
        f"Model kind: {report['kind']}; test file: {report['test']}; decoding: "
        f"beam {decoding['num_beams']}, {limit}.",
        "",
    ]
    if "sentences_scored" in report:
        lines += [
            f"Scored {report['sentences_scored']} sentences (all directions) from "
            f"{report['test_rows']} test rows, verbatim; {report['skipped_empty_rows']} rows "
            f"with an empty side could not be scored. {report['seconds']} s, "
            f"{report['sentences_per_second']} sentences/s.",
            "",
        ]
    lines += [
        table(["direction", "sentences", "BLEU", "chrF++", "TER"],
              [(d, s["n"], s["bleu"], s["chrf"], s["ter"])
               for d, s in report["directions"].items()]),
        "",
    ]
    for direction, scores in report["directions"].items():
        topics = scores.get("topics")
        if topics:
            lines += [f"## {direction} by topic", "",
                      table(["topic", "sentences", "BLEU", "chrF++", "TER"],
                            [(t, s["n"], s["bleu"], s["chrf"], s["ter"])
                             for t, s in topics.items()]), ""]
    lines += benchmark_markdown(report)
    lines += ["## Signatures", ""]
    for direction, scores in report["directions"].items():
        for metric, signature in scores["signatures"].items():
            lines.append(f"- {direction} {metric}: `{signature}`")
    return "\n".join(lines) + "\n"


def published_table(published: Mapping[str, Any]) -> str:
    """Our figures beside the published ones, one row per direction and metric."""
    rows = []
    for direction, metrics in published["directions"].items():
        for metric, pair in metrics.items():
            theirs = pair["published"]
            rows.append((direction, metric, pair["ours"],
                         "not published" if theirs is None else theirs,
                         "" if theirs is None else f"{pair['ours'] - theirs:+.2f}"))
    return table(["direction", "metric", "ours", "published", "difference"], rows)


def benchmark_markdown(report: Mapping[str, Any]) -> list[str]:
    """The benchmark preset's check and the comparison with the published figures."""
    lines: list[str] = []
    check = report.get("benchmark_check")
    if check and "rows" in check:
        where = check.get("dataset") or check.get("file")
        revision = f" at revision {check['revision']}" if check.get("revision") else ""
        lines += [f"## {report['benchmark']}", "",
                  f"{where}{revision}: {check['rows']} sentences in {len(check['topics'])} "
                  "topics, as published.", ""]
    published = report.get("published")
    if published:
        model = published["model"] or "(unknown model)"
        source = f" ({published['source']})" if published.get("source") else ""
        lines += [f"## Beside the published figures of {model}{source}", ""]
        if published.get("protocol"):
            lines += [f"Both scored with {published['protocol']}; the tables above are corpus "
                      "scores.", ""]
        if published.get("note"):
            lines += [f"**Note: {published['note']}.**", ""]
        lines += [published_table(published), ""]
    return lines


def quality_markdown(report: Mapping[str, Any]) -> str:
    """The post-export check: checkpoint vs package on dev sentences."""
    verdict = "passed" if report["passed"] else "FAILED"
    rows = [
        (d, s["n"], s["checkpoint"]["bleu"], s["package"]["bleu"], s["checkpoint"]["chrf"],
         s["package"]["chrf"], s["drop"], f"{100 * s['same_output']:.1f}%")
        for d, s in report["directions"].items()
    ]
    return "\n".join([
        f"# Export check of {report['package']}: {verdict}",
        "",
        f"Quantization {report['quantization']}, {report['metric']} drop allowed: "
        f"{report['max_drop']} points, greedy decoding on dev sentences.",
        "",
        table(["direction", "sentences", "BLEU ckpt", "BLEU pkg", "chrF++ ckpt", "chrF++ pkg",
               f"{report['metric']} drop", "same output"], rows),
        "",
        *(map_markdown(report["vocabulary_map"]) if report.get("vocabulary_map") else []),
    ])


def map_markdown(section: Mapping[str, Any]) -> list[str]:
    """The export check's vocabulary map: its figures and greedy output with and without it."""
    stats = section.get("stats") or {}
    lines = [f"## Vocabulary map: {'passed' if section['passed'] else 'FAILED'}", ""]
    if stats:
        lines += [
            f"Built from {stats['sentences']} training sentences: {stats['source_tokens']} "
            f"source tokens with {stats['mean_candidates']} candidates each, "
            f"{stats['always_kept']} pieces always kept; a training sentence allows "
            f"{stats['mean_sentence_candidates']:.0f} of {stats['vocabulary_size']} pieces.",
            "",
        ]
    rows = [
        (name, d["n"], f"{100 * d['identical']:.1f}%", float(d["chrf_without_map"]),
         float(d["chrf_with_map"]), float(d["drop"]))
        for name, d in section["directions"].items()
    ]
    return [
        *lines,
        f"Greedy dev translations, one sentence per model call; chrF++ drop allowed: "
        f"{section['max_drop']} points.",
        "",
        table(["direction", "sentences", "identical", "chrF++ without", "chrF++ with", "drop"],
              rows),
        "",
    ]
