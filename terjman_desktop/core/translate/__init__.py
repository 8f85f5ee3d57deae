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
* the model package format (``package``): :class:`ModelPackage` and its :class:`Manifest`,
  the one file-entry type :class:`FileEntry`, reading, checking and writing manifests — the
  models wing moves packages in and out of the store with these;
* vocabulary maps (``vmap.txt``) built from what the model writes:
  :func:`build_vocabulary_map` / :func:`add_vocabulary_map` with their
  :class:`VocabularyMapParameters`, and :func:`compare_vocabulary_map`, what a map changes;
* :func:`to_arabizi`, the Latin-letter reading aid for Darija, and ``EOS``;
* Arabizi input: :func:`arabizi_to_arabic` (Darija typed in Latin letters → Arabic script,
  before Darija → English), and :func:`classify_script` / :func:`looks_like_arabizi`, which
  tell Arabic-script Darija, Arabizi and English apart (a :class:`ScriptGuess` of a
  :class:`Script`).

Importing the wing loads no model and no native library (CTranslate2 and SentencePiece are
imported when a model is loaded).
"""

from terjman_desktop.core.translate.arabizi import arabizi_to_arabic
from terjman_desktop.core.translate.arabizi_detect import (
    Script,
    ScriptGuess,
    classify_script,
    looks_like_arabizi,
)
from terjman_desktop.core.translate.direction import check_direction
from terjman_desktop.core.translate.engine import ModelCache, Translator, ct2_length_limits
from terjman_desktop.core.translate.manifest import (
    ID_PATTERN,
    MANIFEST_NAME,
    MAX_MANIFEST_BYTES,
    QUANTIZATIONS,
    SHA256_PATTERN,
    VMAP_NAME,
    Direction,
    FileEntry,
    Manifest,
    ProgressCallback,
    TokenizerFiles,
)
from terjman_desktop.core.translate.manifest_rules import is_safe_relative_path, path_clash
from terjman_desktop.core.translate.options import QUALITY_PRESETS, TranslationOptions
from terjman_desktop.core.translate.package import (
    ModelPackage,
    check_files,
    describe_files,
    load_package,
    manifest_from_bytes,
    read_manifest,
    require_runtime_files,
    sha256_file,
    write_manifest,
)
from terjman_desktop.core.translate.results import Hypothesis, SentenceTranslation, Translation
from terjman_desktop.core.translate.sentence_cache import SentenceCache
from terjman_desktop.core.translate.tokenize import EOS
from terjman_desktop.core.translate.transliterate import to_arabizi
from terjman_desktop.core.translate.vocabulary_map import (
    VocabularyMap,
    VocabularyMapParameters,
    VocabularyMapStats,
    add_vocabulary_map,
    build_vocabulary_map,
    write_vocabulary_map,
)
from terjman_desktop.core.translate.vocabulary_map_check import (
    MapComparison,
    compare_vocabulary_map,
    identical_fraction,
)

__all__ = [
    "EOS",
    "ID_PATTERN",
    "MANIFEST_NAME",
    "MAX_MANIFEST_BYTES",
    "QUALITY_PRESETS",
    "QUANTIZATIONS",
    "SHA256_PATTERN",
    "VMAP_NAME",
    "Direction",
    "FileEntry",
    "Hypothesis",
    "Manifest",
    "MapComparison",
    "ModelCache",
    "ModelPackage",
    "ProgressCallback",
    "Script",
    "ScriptGuess",
    "SentenceCache",
    "SentenceTranslation",
    "TokenizerFiles",
    "Translation",
    "TranslationOptions",
    "Translator",
    "VocabularyMap",
    "VocabularyMapParameters",
    "VocabularyMapStats",
    "add_vocabulary_map",
    "arabizi_to_arabic",
    "build_vocabulary_map",
    "check_direction",
    "check_files",
    "classify_script",
    "compare_vocabulary_map",
    "ct2_length_limits",
    "describe_files",
    "identical_fraction",
    "is_safe_relative_path",
    "load_package",
    "looks_like_arabizi",
    "manifest_from_bytes",
    "path_clash",
    "read_manifest",
    "require_runtime_files",
    "sha256_file",
    "to_arabizi",
    "write_manifest",
    "write_vocabulary_map",
]
