"""Which training sentences an installed model's vocabulary map is learned from.

A catalog entry's Hub source may name the dataset the model was trained on
(``"vmap_corpus": {"dataset": "ORG/NAME", "split": "train", "columns": {"en": "english",
"ary": "darija"}}``): :class:`MapCorpus`, read by :func:`parse_map_corpus` with the
catalog's rules. Reading its rows is :mod:`~terjman_desktop.core.models.hub.map_sample`'s.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from terjman_desktop.core.errors import CatalogError

_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_DATASET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}/[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$")
_NAME = re.compile(r"^[^\x00-\x1f\x7f]{1,128}$")
MAX_ROWS = 20_000


@dataclass(frozen=True)
class MapCorpus:
    """A dataset to learn a vocabulary map from (a catalog entry's ``vmap_corpus``).

    Attributes:
        dataset: ``ORG/NAME`` of a dataset on the Hub.
        config: The viewer's configuration; None: the first that has ``split``.
        split: The split (training data: never the test set the model is judged on).
        columns: Per language code, the column holding it; empty: found by name and script.
        rows: Sentences the map is built from.
        held_out: Further sentences, never used to build, on which the map must leave the
            greedy translation unchanged.
    """

    dataset: str
    config: str | None = None
    split: str = "train"
    columns: Mapping[str, str] = field(default_factory=dict)
    rows: int = 2000
    held_out: int = 200

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"dataset": self.dataset, "split": self.split,
                                "rows": self.rows, "held_out": self.held_out}
        if self.config is not None:
            data["config"] = self.config
        if self.columns:
            data["columns"] = dict(self.columns)
        return data


def parse_map_corpus(raw: Any, where: str) -> MapCorpus:
    """Validate a catalog's ``vmap_corpus`` object.

    Raises:
        CatalogError: naming the field that is wrong.
    """
    where = f"{where}: 'vmap_corpus'"
    if not isinstance(raw, dict):
        raise CatalogError(f"{where} must be an object.")
    dataset = raw.get("dataset")
    if not isinstance(dataset, str) or not _DATASET.match(dataset):
        raise CatalogError(f"{where} needs a 'dataset' written ORG/NAME.")
    config, split = raw.get("config"), raw.get("split", "train")
    if config is not None and not (isinstance(config, str) and _NAME.match(config)):
        raise CatalogError(f"{where}: 'config' must be a name.")
    if not isinstance(split, str) or not _NAME.match(split):
        raise CatalogError(f"{where}: 'split' must be a name.")
    columns = raw.get("columns", {})
    if not isinstance(columns, dict) or not all(
        isinstance(k, str) and _LANGUAGE.match(k) and isinstance(v, str) and _NAME.match(v)
        for k, v in columns.items()
    ):
        raise CatalogError(f"{where}: 'columns' must map language codes to column names.")
    counts = {}
    for key, default, least in (("rows", 2000, 50), ("held_out", 200, 20)):
        value = raw.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not least <= value <= MAX_ROWS:
            raise CatalogError(f"{where}: '{key}' must be a whole number from {least} to "
                               f"{MAX_ROWS}.")
        counts[key] = value
    return MapCorpus(dataset, config, split, dict(columns), counts["rows"], counts["held_out"])
