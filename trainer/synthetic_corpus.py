"""A small, deterministic English ⇄ Darija parallel corpus built from templates.

It exists so tests and smoke runs can train tiny real models without any download: the
sentences are simple but grammatical, and the mapping is regular enough that a model of a
few hundred thousand parameters learns it in a few hundred steps, so its greedy outputs are
real pieces rather than special tokens. It is not a data set for real training.
"""

from __future__ import annotations

import itertools
import random

# (English subject, English verb form key, Darija verb prefix/suffix key)
_SUBJECTS = (
    ("I", "base", "ana"),
    ("You", "base", "nta"),
    ("He", "third", "howa"),
    ("She", "third", "hiya"),
    ("We", "base", "7na"),
    ("They", "base", "homa"),
)

# English (base, third person) and Darija present forms per subject.
_VERBS = (
    (("eat", "eats"), {"ana": "كناكل", "nta": "كتاكل", "howa": "كياكل", "hiya": "كتاكل",
                      "7na": "كناكلو", "homa": "كياكلو"}),
    (("drink", "drinks"), {"ana": "كنشرب", "nta": "كتشرب", "howa": "كيشرب", "hiya": "كتشرب",
                          "7na": "كنشربو", "homa": "كيشربو"}),
    (("want", "wants"), {"ana": "بغيت", "nta": "بغيتي", "howa": "بغا", "hiya": "بغات",
                        "7na": "بغينا", "homa": "بغاو"}),
    (("see", "sees"), {"ana": "كنشوف", "nta": "كتشوف", "howa": "كيشوف", "hiya": "كتشوف",
                      "7na": "كنشوفو", "homa": "كيشوفو"}),
    (("like", "likes"), {"ana": "كنبغي", "nta": "كتبغي", "howa": "كيبغي", "hiya": "كتبغي",
                        "7na": "كنبغيو", "homa": "كيبغيو"}),
    (("buy", "buys"), {"ana": "كنشري", "nta": "كتشري", "howa": "كيشري", "hiya": "كتشري",
                      "7na": "كنشريو", "homa": "كيشريو"}),
)

_OBJECTS = (
    ("the bread", "الخبز"),
    ("the water", "الما"),
    ("the tea", "أتاي"),
    ("the coffee", "القهوة"),
    ("the house", "الدار"),
    ("the car", "الطوموبيل"),
    ("the book", "الكتاب"),
    ("the couscous", "الكسكسو"),
    ("the milk", "الحليب"),
    ("the oranges", "الليمون"),
)

_TIMES = (
    ("", ""),
    (" today", " اليوم"),
    (" tomorrow", " غدا"),
    (" every day", " كل نهار"),
    (" now", " دابا"),
)

_FIXED = (
    ("Hello, how are you?", "السلام، كيداير؟"),
    ("What is your name?", "شنو سميتك؟"),
    ("My name is Youssef.", "سميتي يوسف."),
    ("Where is the market?", "فين كاين السوق؟"),
    ("Thank you very much!", "شكرا بزاف!"),
    ("I don't know.", "ما عرفتش."),
    ("See you tomorrow.", "نتلاقاو غدا."),
    ("How much is this?", "بشحال هادي؟"),
    ("The weather is nice today.", "الجو زوين اليوم."),
    ("I am tired.", "أنا عيان."),
    ("Please speak slowly.", "عافاك هضر بشوية."),
    ("Good night.", "تصبح على خير."),
)


def parallel_pairs(limit: int | None = None, seed: int = 0) -> list[tuple[str, str]]:
    """Return (English, Darija in Arabic script) pairs, shuffled deterministically."""
    pairs: list[tuple[str, str]] = list(_FIXED)
    for (subject, form, key), (english_forms, darija_forms), (obj_en, obj_ar), (t_en, t_ar) in (
        itertools.product(_SUBJECTS, _VERBS, _OBJECTS, _TIMES)
    ):
        verb = english_forms[1] if form == "third" else english_forms[0]
        english = f"{subject} {verb} {obj_en}{t_en}."
        darija = f"{darija_forms[key]} {obj_ar}{t_ar}."
        pairs.append((english, darija))
    random.Random(seed).shuffle(pairs)
    return pairs[:limit] if limit is not None else pairs
