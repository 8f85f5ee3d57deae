"""Arabizi reading aid: hand-checked examples, and its error rate measured against DODa."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from terjman_desktop.core.translate.transliterate import to_arabizi

REPO = Path(__file__).resolve().parents[2]
DODA_DIR = Path(os.environ.get("TERJMAN_DODA_DIR", REPO.parent / "shared" / "data" / "doda"))

# Measured on the 11,407 sentences of DODa: corpus CER 0.0500 (lower-cased; 0.0628 with case,
# as DODa writes emphatics S/D/T in capitals), 41.7% of sentences exact, sacrebleu chrF 83.2
# (not computed here: it takes seconds). The bounds leave a little room, not a regression's.
MAX_CER = 0.055
MIN_EXACT = 0.40


@pytest.mark.parametrize(
    ("darija", "arabizi"),
    [
        ("شحال ف عومرك؟", "ch7al f 3omrk?"),
        ("واش نتا مزيان؟", "wach nta mzyan?"),
        ("بغيت أتاي", "bghit atay"),
        ("خاسني نمشي", "khasni nmchi"),
        ("غادي نمشيو", "ghadi nmchiw"),
        ("ديال", "dyal"),
        ("زوينة", "zwina"),
        ("كانتخلع", "kantkhl3"),
        ("عطيها ليا", "3tiha lia"),
        ("قهوة", "9hoa"),
        ("ڭال", "gal"),
        ("پاكيط", "pakit"),
        ("ڤيلا", "vila"),
        ("هووّا", "howwa"),
        ("بزّاف", "bzzaf"),
        ("ملّي", "mlli"),
        ("نتأكاد", "nt2kad"),
        ("سْأَل", "s2al"),
        ("إلا بغيتي", "ila bghiti"),
        ("أُ هي", "o hi"),
        ("أُلا", "ola"),
        ("و", "ou"),
        ("الله", "allah"),
        ("ضو", "do"),
        ("صحّة", "s77a"),
        ("ظلام", "dlam"),
    ],
)
def test_hand_examples(darija: str, arabizi: str) -> None:
    assert to_arabizi(darija) == arabizi


@pytest.mark.parametrize(
    ("darija", "arabizi"),
    [
        ("الشمس", "chchms"),  # sun letter: the article becomes the letter, doubled
        ("الزبيب", "zzbib"),
        ("السلام", "sslam"),
        ("الناس", "nnas"),
        ("اللي", "lli"),
        ("القمر", "l9mr"),  # moon letter: the article is "l"
        ("الوقت", "lw9t"),
        ("الخبز", "lkhbz"),
        ("الا", "ala"),  # too short to hold an article
    ],
)
def test_article(darija: str, arabizi: str) -> None:
    assert to_arabizi(darija) == arabizi


def test_keeps_everything_that_is_not_arabic() -> None:
    text = "Hello, world! 2024 🙂 — (test) #tag @me e-mail: a.b@c.ma\n\tok"
    assert to_arabizi(text) == text
    assert to_arabizi("") == ""
    assert to_arabizi("Rabat زوينة 🙂!") == "Rabat zwina 🙂!"


def test_arabic_punctuation_and_digits() -> None:
    assert to_arabizi("واش، لا؛ شنو؟") == "wach, la; chno?"
    assert to_arabizi("٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹") == "0123456789 0123456789"
    assert to_arabizi("٥٠٪") == "50%"


def test_layout_and_invisible_marks() -> None:
    assert to_arabizi("سلام\nلاباس\n\n  بخير") == "slam\nlabas\n\n  bkhir"
    assert to_arabizi("\u200fسلام\u061c") == "slam"
    assert to_arabizi("سـلام") == "slam"  # kashida
    assert to_arabizi("ok\u064e") == "oka"  # a stray mark after Latin does not crash


def test_harakat_and_tanween() -> None:
    assert to_arabizi("كَتَب") == "katab"
    assert to_arabizi("شُكراً") == "chokran"  # the alif carries the tanween
    assert to_arabizi("مِن") == "min"


def _levenshtein(a: str, b: str) -> int:
    if a == b:
        return 0
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    a, b = a[prefix:], b[prefix:]
    while a and b and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def test_error_rate_on_doda() -> None:
    sentences = DODA_DIR / "sentences.csv"
    if not sentences.is_file():
        pytest.skip(f"DODa is not at {DODA_DIR} (set TERJMAN_DODA_DIR)")
    with sentences.open(encoding="utf-8", newline="") as handle:
        rows = [(r["darija_ar"], r["darija"]) for r in csv.DictReader(handle)]
    assert len(rows) > 10_000
    hypotheses = [to_arabizi(arabic).lower() for arabic, _ in rows]
    references = [latin.lower() for _, latin in rows]
    errors = sum(_levenshtein(h, r) for h, r in zip(hypotheses, references, strict=True))
    cer = errors / sum(len(r) for r in references)
    exact = sum(h == r for h, r in zip(hypotheses, references, strict=True)) / len(rows)
    assert cer <= MAX_CER, f"CER {cer:.4f}"
    assert exact >= MIN_EXACT, f"exact {exact:.3f}"
