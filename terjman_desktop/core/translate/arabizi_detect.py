"""Which script and language a typed text is in: Arabic-script Darija, Arabizi, or English.

Used to pick the translation direction from what a person types and to convert Arabizi
before translating. Arabic letters decide at once; for Latin text each word gives evidence:
digits inside a word (``3afak``, ``7na``, ``l9hwa``) are Arabizi's surest sign, then words
from two short hand-made lists of frequent Darija and English words, then spelling patterns
(``kh``/``gh``/``ch`` starts, Darija verb prefixes ``ka-``/``ta-`` before a consonant,
consonant clusters English does not write; ``th``, ``-ing``, ``-tion``, ``ee``/``oo`` for
English). Latin text with no evidence either way is taken as English (the models' other
language) and reported as not ``confident``, so a caller can leave its choice unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Script(str, Enum):
    """What a text is written in, as language codes of the app (``ary-Latn`` = Arabizi)."""

    NONE = "none"  # no letters: empty, digits, punctuation, emoji
    ENGLISH = "en"  # Latin letters that are not Arabizi (English, or another Latin language)
    ARABIZI = "ary-Latn"  # Darija in Latin letters
    ARABIC = "ary"  # Arabic script


@dataclass(frozen=True)
class ScriptGuess:
    """The verdict and the evidence behind it (positive ``arabizi_score`` favours Arabizi)."""

    script: Script
    confident: bool
    arabic_letters: int
    latin_letters: int
    arabizi_score: float


_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]")
_LATIN_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+(?:['’][A-Za-z\u00c0-\u024f]+)*")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
# A digit standing for a sound: next to a letter (3afak, l9hwa, ta7t), not a number (10dh).
_SOUND_DIGIT = re.compile(r"(?<=[A-Za-z])[235789]|[235789](?=[A-Za-z])")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Frequent words, written from common knowledge of the two languages (not from a corpus).
# Words both languages write alike (a, had, hi, ma, men, bent, dar, la…) are in neither list.
DARIJA_WORDS = _words("""
wach wech ach achno ashno chno chnou chnu chkoun chkon achkon ana nta nti ntoma ntouma howa
hoa huwa hiya hia 7na homa huma bghit bghiti bgha bghat bghina bghitou kanbghi kanbghik
katbghi kaybghi dyal dial dyali diali dyalek dialek dyalk dialk dyalo dialo dyalha dyalna
dyalkom f fi fl l lli li elli hadi hada hadak hadik hadchi hadshi hna hnaya temma tema tma
mzyan mzyana mzyanin mezyan zwin zwina zwinin bzaf bzzaf bezzaf chwiya chwia chi chwi fin fen
mnin imta fo9ach foqach ila iyeh iyyeh ewa wakha wakhkha safi daba dba ghir gha ghadi ghad
mashi machi makayn makaynch kayn kayna kaynin walakin walakine walou walo 3la 3lach 3lash 3afak
3afek 3andi 3ndi 3ndk 3andek m3a m3ak m3aya b7al kifach kifash kif kidayr kidayra labas
bikhir bkhir lah llah inchallah incha2allah nchallah sbah sb7 msa lkhir bslama bsslama shukran
salam slam salamo slm marhba mrhba chokran choukran baraka barak lawl ta 7ta hit 7it kolchi
koulchi kulchi bach bash dak dik
dok rah raha rani rak raki rakom khoya khouya khti khtiii mama baba lyoum lyouma lyoum lyom
ghda ghdda lbare7 lbar7 nmchi mchit mcha mchat mchina mchaw ghanmchi kanmchi nta3 ntaa3 dima
mchi 3lik 3lih 3liha 3lina 3likom 3ajbni 3jbni kanhbk kanbghik nhar nhar lhamdoulah lhamdullah
hamdoulah hamdolah t3ala sir siri ji jiti jit jat jaw mazal mazala mzl ba9i ba9a ghadi lik lih
liha lina likom lia liya bla blach fabor khasni khassni khask khasek khass sa3a s3a sa3at
fih fiha fihom fina fik fiki chefti chfti chft ayeh yak ila ilah 7it walakin
ahlan ahla marhaba mar7ba smitk smitek smiti smito chhal ch7al shhal sh7al yallah yalah
hamdullah hamdoulillah l7amdulillah tbarkallah tbarkellah bsa7tek bsse7a besa7a
xno xnou axno xhal x7al xi xwiya xwia mxit mxa mxat xkoun xkon
""")
ENGLISH_WORDS = _words("""
the an is are was were be been being i you he she it we they me him her us them my your his
its our their this that these those what where when why how who which whom do does did done
have has having will would can could should shall may might must not no yes and or but if of
to in on at for with from by about as so there here all some any very good go going gone want
like know get got time today tomorrow yesterday please thank thanks hello hey okay ok one two
three new old big small more most much many other than then just also only up down out into
over after before again now well because while way people said say says make made see seen
come came take took give gave think thought tell told work year day night morning evening
water food house home school friend family love need needs help where's it's i'm don't can't
doesn't isn't won't didn't you're we're they're let's what's that's there's
""")
# Spelling that English does not use, and spelling that Arabizi does not use (lower case).
# An initial consonant pair English does not start a word with: mzyan, nmchi, bghit, tkhl3.
_ENGLISH_ONSETS = (
    "bl|br|cl|cr|dr|fl|fr|gl|gr|pl|pr|sc|sk|sl|sm|sn|sp|st|sw|tr|tw|wr|wh|th|sh|ch|ph|qu|kn|gn"
    "|ps|sq|dw|sch"
)
_DARIJA_SPELLING = (
    re.compile(rf"^(?!{_ENGLISH_ONSETS})[bcdfghjklmnpqrstvwxz]{{2}}|^y[^aeiouy]"),
    re.compile(r"kh|(?<![uie])gh(?!t)|ww|yy|aa|ii|(?:ou|iw)$"),
    re.compile(r"[^aeiouy]a$|^[^aeiouy]+$"),  # -a, no vowel at all: chk, frsk
    # The ka-/gha- prefixes of verbs: kantkhl3, ghanmchi.
    re.compile(r"^k[aiy](?:n(?!g)|t|y|k)[bdfgjklmnpqrstvwxz]|^gha[nty][^aeiouy]"),
)
_ENGLISH_SPELLING = (
    re.compile(r"th|wh|ing$|tion|ould|ee|oo|ea|ck|ph|qu|ey$|ay$|ly$|ness$|ment$|ous$|ful$"),
    re.compile(r"[^aeiouy]y$|[^aeiou]e$|c(?!h)"),
)
# DODa's writers, and others, mark the emphatics ص ض ط with capitals inside a word: briTania.
_EMPHATIC_CAPITAL = re.compile(r"[a-z][SDT]|[SDT][a-z]*[a-z][A-Z]")


def classify_script(text: str) -> ScriptGuess:
    """Arabic script, Arabizi or (Latin) English, with how sure the verdict is."""
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    if arabic == 0 and latin == 0:
        return ScriptGuess(Script.NONE, False, 0, 0, 0.0)
    if arabic >= latin:
        return ScriptGuess(Script.ARABIC, arabic > 2 * latin, arabic, latin, 0.0)
    score = sum(_word_evidence(w) for w in _LATIN_WORD.findall(text))
    if score > 0:
        return ScriptGuess(Script.ARABIZI, score >= 1.5, arabic, latin, score)
    return ScriptGuess(Script.ENGLISH, score <= -1.5, arabic, latin, score)


def looks_like_arabizi(text: str) -> bool:
    """Whether ``text`` is mostly Darija in Latin letters."""
    return classify_script(text).script is Script.ARABIZI


def _word_evidence(word: str) -> float:
    """Positive for Arabizi, negative for English, 0 for a word that says nothing."""
    if not _LATIN_LETTER.search(word):
        return 0.0  # a number
    if _SOUND_DIGIT.search(word):
        return 2.0
    lower = word.lower().replace("’", "'")
    if lower in DARIJA_WORDS:
        return 1.5
    if lower in ENGLISH_WORDS:
        return -1.5
    if _EMPHATIC_CAPITAL.search(word) and not word.isupper():
        return 1.5
    letters = "".join(c for c in lower if c.isalpha())  # 10dh: "dh", too short to say
    if len(letters) < 3:
        return 0.0
    darija = sum(bool(p.search(letters)) for p in _DARIJA_SPELLING)
    english = sum(bool(p.search(letters)) for p in _ENGLISH_SPELLING)
    return 0.75 * (darija - english)
