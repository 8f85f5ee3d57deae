"""The translate wing: a model package, its tokenizer, and the engine that translates with it.

Public surface (the GUI, the CLI and the other wings import only these names):

* one path for a translation: :class:`Translator` (``translate_many(texts, direction,
  options)``, ``translate`` of one text, ``translate_sentences`` without segmentation) and
  :class:`ModelCache`, which keeps loaded translators and their one :class:`SentenceCache`;
* what a translation is asked with: a :class:`Direction`, checked once by
  :func:`check_direction`, and :class:`TranslationOptions` (``for_quality`` for a person's
  preset);
* what it returns: :class:`Translation`, its :class:`SentenceTranslation` (with the span of
  each sentence in the source and in the translation) and their :class:`Hypothesis`;
* namespaces: ``package`` (the model package format), ``segment``, ``tokenize`` and
  ``transliterate``; ``engine`` too, for the GUI modules that still import
  :class:`ModelCache` from it.

Importing the wing loads no model and no native library (CTranslate2 and SentencePiece are
imported when a model is loaded).
"""

from terjman_desktop.core.translate import engine, package, segment, tokenize, transliterate
from terjman_desktop.core.translate.direction import check_direction
from terjman_desktop.core.translate.engine import ModelCache, Translator, ct2_length_limits
from terjman_desktop.core.translate.options import QUALITY_PRESETS, TranslationOptions
from terjman_desktop.core.translate.package import Direction
from terjman_desktop.core.translate.results import Hypothesis, SentenceTranslation, Translation
from terjman_desktop.core.translate.sentence_cache import SentenceCache

__all__ = [
    "QUALITY_PRESETS",
    "Direction",
    "Hypothesis",
    "ModelCache",
    "SentenceCache",
    "SentenceTranslation",
    "Translation",
    "TranslationOptions",
    "Translator",
    "check_direction",
    "ct2_length_limits",
    "engine",
    "package",
    "segment",
    "tokenize",
    "transliterate",
]
