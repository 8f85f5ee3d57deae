"""LibreTranslate's ``/detect`` for the served languages: the verdict of the script.

Three answers matter in a Moroccan classroom: English, Darija in Arabic script, and Darija in
Latin letters with digits ("Arabizi": ``3afak``, ``wach nta mzyan?``). The translate wing
tells them apart (:func:`~terjman_desktop.core.translate.classify_script`: Arabic letters,
then word evidence for Latin text); here its verdict becomes LibreTranslate's answer — a
list of ``{"language", "confidence"}``, most likely first, confidence in percent — with a
``script`` member added (``Arab`` or ``Latn``), so a client can tell Arabizi (``ary`` in
``Latn``) from Arabic-script Darija. Clients that do not know the member ignore it.
"""

from __future__ import annotations

from dataclasses import dataclass

from terjman_desktop.core.translate import Script, classify_script

ENGLISH = "en"
DARIJA = "ary"
ARABIC_SCRIPT = "Arab"
LATIN_SCRIPT = "Latn"


@dataclass(frozen=True)
class Detection:
    """One candidate: ``language`` (``en``/``ary``), ``confidence`` (0-100), ``script``."""

    language: str
    confidence: float
    script: str

    def as_json(self) -> dict[str, object]:
        return {"confidence": self.confidence, "language": self.language, "script": self.script}


def detect(text: str) -> list[Detection]:
    """The likely languages of ``text``, most likely first (two candidates, never empty).

    Arabic-script letters are Darija (the served models' Arabic-script language). Latin
    text is Arabizi or English by the weight of its words; a verdict the evidence barely
    supports gets a confidence near 50. Text without letters is English at 10%.
    """
    guess = classify_script(text)
    if guess.script is Script.NONE:
        return [Detection(ENGLISH, 10.0, LATIN_SCRIPT), Detection(DARIJA, 5.0, ARABIC_SCRIPT)]
    if guess.script is Script.ARABIC:
        share = round(
            100.0 * guess.arabic_letters / (guess.arabic_letters + guess.latin_letters), 1
        )
        return [
            Detection(DARIJA, share, ARABIC_SCRIPT),
            Detection(ENGLISH, round(100.0 - share, 1), LATIN_SCRIPT),
        ]
    # Each word of evidence weighs 1.5-2: three such words make a near-certain verdict.
    confidence = round(min(95.0, 55.0 + 8.0 * abs(guess.arabizi_score)), 1)
    if not guess.confident:
        confidence = min(confidence, 60.0)
    best = DARIJA if guess.script is Script.ARABIZI else ENGLISH
    other = ENGLISH if best == DARIJA else DARIJA
    return [
        Detection(best, confidence, LATIN_SCRIPT),
        Detection(other, round(100.0 - confidence, 1), LATIN_SCRIPT),
    ]


def is_arabizi(text: str) -> bool:
    """Whether ``text`` is Darija in Latin letters (to be converted before translating)."""
    return classify_script(text).script is Script.ARABIZI
