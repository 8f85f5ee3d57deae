"""A stand-in for the Hub's dataset viewer (datasets-server) on 127.0.0.1, for the tests.

It answers the two requests the app makes, with the viewer's own shapes:

* ``GET /splits?dataset=ORG/NAME`` → ``{"splits": [{"dataset", "config", "split"}],
  "pending": [], "failed": []}``;
* ``GET /rows?dataset=&config=&split=&offset=&length=`` → ``{"features": [{"feature_idx",
  "name", "type"}], "rows": [{"row_idx", "row", "truncated_cells"}], "num_rows_total",
  "num_rows_per_page", "partial"}``; ``length`` above 100 is refused (422) as the viewer does.

Errors are JSON ``{"error": …}`` with an ``X-Error-Code`` header: a missing (or gated, without
a token) dataset is 404 ``DatasetNotFoundError``; a missing config or split 404
``SplitNotFoundError``. Gated datasets accept their tokens. Cells can be marked truncated,
and raw answers (hostile JSON) replace a route with :meth:`override`. Every request is recorded.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.core.http_server import FaultyHTTPServer, _Handler, _Server

NOT_FOUND = ("The dataset does not exist, or is not accessible without authentication (private "
             "or gated). Please check the spelling of the dataset name or retry with "
             "authentication.")


@dataclass
class _Dataset:
    splits: dict[tuple[str, str], list[dict[str, Any]]]
    tokens: set[str] = field(default_factory=set)  # empty: public
    truncated: set[int] = field(default_factory=set)  # row indices marked truncated


@dataclass
class _ViewerState:
    datasets: dict[str, _Dataset] = field(default_factory=dict)
    overrides: dict[str, tuple[int, bytes]] = field(default_factory=dict)


class _ViewerHandler(_Handler):
    server: _ViewerServer

    def do_GET(self) -> None:
        split = urlsplit(self.path)
        route = split.path.strip("/")
        override = self.server.viewer.overrides.get(route)
        if override is not None:
            self._simple(route, override[0], override[1], Content_Type="application/json")
            return
        query = {k: v[0] for k, v in parse_qs(split.query).items()}
        name = query.get("dataset", "")
        dataset = self.server.viewer.datasets.get(name)
        token = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
        if dataset is None or (dataset.tokens and token not in dataset.tokens):
            self._error(route, 404, "DatasetNotFoundError", NOT_FOUND)
        elif route == "splits":
            self._json(route, {"splits": [{"dataset": name, "config": c, "split": s}
                                          for c, s in dataset.splits],
                               "pending": [], "failed": []})
        elif route == "rows":
            self._rows(route, name, dataset, query)
        else:
            self._error(route, 404, "UnexpectedError", "Not found.")

    def _rows(self, route: str, name: str, dataset: _Dataset, query: dict[str, str]) -> None:
        rows = dataset.splits.get((query.get("config", ""), query.get("split", "")))
        if rows is None:
            self._error(route, 404, "SplitNotFoundError", "Not found.")
            return
        try:
            offset, length = int(query.get("offset", "0")), int(query.get("length", "100"))
        except ValueError:
            self._error(route, 422, "InvalidParameter", "Parameter 'offset' must be integer")
            return
        if length > 100 or offset < 0 or length < 0:
            self._error(route, 422, "InvalidParameter",
                        "Parameter 'length' must not be greater than 100")
            return
        columns = list(rows[0]) if rows else []
        self._json(route, {
            "features": [{"feature_idx": i, "name": c,
                          "type": {"dtype": "string", "_type": "Value"}}
                         for i, c in enumerate(columns)],
            "rows": [{"row_idx": i, "row": rows[i],
                      "truncated_cells": columns[:1] if i in dataset.truncated else []}
                     for i in range(offset, min(len(rows), offset + length))],
            "num_rows_total": len(rows), "num_rows_per_page": 100, "partial": False,
        })

    def _json(self, route: str, value: Any, status: int = 200,
              extra: dict[str, str] | None = None) -> None:
        self._simple(route, status, json.dumps(value).encode(),
                     {"Content-Type": "application/json", **(extra or {})})

    def _error(self, route: str, status: int, code: str, message: str) -> None:
        self._json(route, {"error": message}, status, {"X-Error-Code": code})


class _ViewerServer(_Server):
    viewer: _ViewerState


class StandInDatasetViewer(FaultyHTTPServer):
    """The stand-in viewer (``url``); add datasets with :meth:`add_dataset`."""

    handler: type[BaseHTTPRequestHandler] = _ViewerHandler
    server_class: type[_Server] = _ViewerServer

    def __init__(self) -> None:
        super().__init__()
        self.viewer = _ViewerState()

    def _configure(self, httpd: _Server) -> None:
        assert isinstance(httpd, _ViewerServer)
        httpd.viewer = self.viewer

    def __enter__(self) -> StandInDatasetViewer:
        self.start()
        return self

    def add_dataset(self, name: str, rows: Sequence[Mapping[str, Any]], *,
                    config: str = "default", split: str = "train",
                    more: Mapping[tuple[str, str], Sequence[Mapping[str, Any]]] | None = None,
                    tokens: Sequence[str] = (), truncated: Sequence[int] = ()) -> None:
        """A dataset whose ``config``/``split`` holds ``rows`` (plus the splits of ``more``)."""
        splits = {(config, split): [dict(r) for r in rows]}
        splits.update({key: [dict(r) for r in value] for key, value in (more or {}).items()})
        self.viewer.datasets[name] = _Dataset(splits, set(tokens), set(truncated))

    def override(self, route: str, body: bytes, status: int = 200) -> None:
        """Answer ``/route`` with ``body`` whatever is asked (hostile answers)."""
        self.viewer.overrides[route] = (status, body)
