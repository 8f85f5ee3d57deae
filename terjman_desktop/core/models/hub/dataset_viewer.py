"""Reading rows of a Hub dataset through the Hub's dataset viewer (``/splits``, ``/rows``).

The on-device vocabulary map (:mod:`terjman_desktop.core.models.speedup`) needs a few
thousand sentences of the data a model was trained on. The Hub stores datasets as Parquet or
CSV files of any size; its dataset viewer serves any of them as JSON pages of at most 100
rows (``GET /rows?dataset=&config=&split=&offset=&length=``), so a sample needs neither a
Parquet reader nor the whole file. The viewer lives at its own address
(``https://datasets-server.huggingface.co``; ``TERJMAN_DATASET_VIEWER`` points elsewhere, as
the tests' stand-in does). Requests go through the Hub transport (retries, size caps, JSON
limits); the token goes with them only where :class:`HubEndpoint` trusts the address.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import (
    DatasetViewerError,
    HubAccessError,
    HubError,
    HubResponseError,
    HubUnreachableError,
    RateLimitedError,
)
from terjman_desktop.core.models.hub.api import Ask, HubTransport
from terjman_desktop.core.models.hub.auth import HubEndpoint, HubToken, hub_endpoint

DEFAULT_VIEWER = "https://datasets-server.huggingface.co"
VIEWER_ENV = "TERJMAN_DATASET_VIEWER"
MAX_PAGE_ROWS = 100  # the viewer's own limit per /rows request
MAX_COLUMN_NAME = 128


@dataclass(frozen=True)
class Split:
    """One split of one configuration of a dataset, as the viewer names them."""

    config: str
    split: str


@dataclass(frozen=True)
class RowsPage:
    """One page of rows: the column names, the rows (column → value) and the split's size.

    Rows the viewer marks as truncated (a cell cut short) are left out: a sentence cut in
    the middle would teach the map a wrong ending.
    """

    columns: tuple[str, ...]
    rows: tuple[Mapping[str, Any], ...]
    total: int


def viewer_endpoint(url: str | None = None, *,
                    environ: Mapping[str, str] | None = None) -> HubEndpoint:
    """The viewer's address: ``url``, else ``TERJMAN_DATASET_VIEWER``, else the Hub's own.

    Raises:
        HubError: the address is not a plain http(s) base URL.
    """
    env = os.environ if environ is None else environ
    chosen = url or env.get(VIEWER_ENV, "").strip()
    if chosen:
        return hub_endpoint(chosen)
    return HubEndpoint(DEFAULT_VIEWER)


def _fail(where: str, problem: str) -> HubResponseError:
    return HubResponseError(f"The dataset viewer's answer about {where} {problem}.",
                            hint=f"Try again later; if {VIEWER_ENV} is set, check it.")


class DatasetViewer:
    """A client of the dataset viewer (one endpoint, one optional token)."""

    def __init__(self, endpoint: HubEndpoint | str | None = None,
                 token: HubToken | None = None, *, retries: int = 4,
                 backoff: float = 0.5) -> None:
        self.endpoint = (endpoint if isinstance(endpoint, HubEndpoint)
                         else viewer_endpoint(endpoint))
        self.transport = HubTransport(self.endpoint, token, retries=retries, backoff=backoff)

    def __repr__(self) -> str:
        return f"DatasetViewer({self.endpoint.url!r})"

    def _get(self, path: str, dataset: str, params: Mapping[str, str | int],
             control: CancelToken | None) -> Any:
        try:
            return self.transport.get_json(path, Ask(dataset), params=params, control=control)
        except (HubResponseError, HubUnreachableError, RateLimitedError):
            raise  # their own words say what happened and what to do
        except HubError as error:
            # The viewer answers 401/404 for a missing, private or gated dataset and for a
            # dataset it has not processed; the Hub's wording would name models.
            why = ("access was refused" if isinstance(error, HubAccessError)
                   else "it has no such dataset or split, or may not show it")
            raise DatasetViewerError(
                f"The dataset viewer at {self.endpoint.url} cannot give the rows of {dataset}: "
                f"{why}.",
                hint="The dataset may be gated, private, renamed, or not yet processed by "
                "the viewer. Translation works without the map; try again later or name "
                "another dataset.",
            ) from None

    def splits(self, dataset: str, *, control: CancelToken | None = None) -> list[Split]:
        """Every (configuration, split) the viewer has for ``dataset``."""
        data = self._get("splits", dataset, {"dataset": dataset}, control)
        where = f"the splits of {dataset}"
        items = data.get("splits") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise _fail(where, "has no list of splits")
        found = []
        for item in items:
            if not isinstance(item, dict):
                raise _fail(where, "lists something that is not a split")
            config, split = item.get("config"), item.get("split")
            if not isinstance(config, str) or not isinstance(split, str):
                raise _fail(where, "lists a split without a name")
            found.append(Split(config, split))
        return found

    def rows(self, dataset: str, split: Split, offset: int, length: int = MAX_PAGE_ROWS, *,
             control: CancelToken | None = None) -> RowsPage:
        """Rows ``offset`` … ``offset + length - 1`` of one split (``length`` ≤ 100)."""
        length = max(1, min(length, MAX_PAGE_ROWS))
        params: dict[str, str | int] = {"dataset": dataset, "config": split.config,
                                        "split": split.split, "offset": offset,
                                        "length": length}
        data = self._get("rows", dataset, params, control)
        where = f"rows {offset}–{offset + length - 1} of {dataset} ({split.split})"
        if not isinstance(data, dict):
            raise _fail(where, "is not an object")
        features, items, total = data.get("features"), data.get("rows"), data.get(
            "num_rows_total")
        if not isinstance(features, list) or not isinstance(items, list):
            raise _fail(where, "has no 'features' and 'rows' lists")
        if not isinstance(total, int) or isinstance(total, bool) or total < 0:
            raise _fail(where, "has no row count ('num_rows_total')")
        # A column's name ends up in messages and in the manifest: sensible names only.
        columns = tuple(f["name"] for f in features
                        if isinstance(f, dict) and isinstance(f.get("name"), str)
                        and 0 < len(f["name"]) <= MAX_COLUMN_NAME
                        and f["name"].isprintable())
        rows = []
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("row"), dict):
                raise _fail(where, "holds a row that is not an object")
            if item.get("truncated_cells"):
                continue
            rows.append(item["row"])
        return RowsPage(columns, tuple(rows), total)
