"""The model manager's table: installed models and catalog entries, one row per model id."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from terjman_desktop.core.cancel import PauseToken
from terjman_desktop.core.catalog import Catalog, CatalogEntry
from terjman_desktop.core.download import DownloadProgress
from terjman_desktop.core.store import InstalledModel
from terjman_desktop.gui.model_info import (
    directions_label,
    format_duration,
    human_size,
    isolate,
    quality_summary,
    tier_label,
    tier_of,
)
from terjman_desktop.gui.task_runner import Task

COLUMNS = 8
ROW_ID = Qt.ItemDataRole.UserRole


@dataclass
class Download:
    """A running (or paused) download of a catalog entry."""

    entry: CatalogEntry
    control: PauseToken
    task: Task[InstalledModel] | None = None
    progress: DownloadProgress | None = None

    @property
    def fraction(self) -> float:
        p = self.progress
        return p.downloaded_bytes / p.total_bytes if p and p.total_bytes else 0.0


def _headers() -> list[str]:
    return [
        QCoreApplication.translate("model_table", "Model"),
        QCoreApplication.translate("model_table", "Tier"),
        QCoreApplication.translate("model_table", "Directions"),
        QCoreApplication.translate("model_table", "Download"),
        QCoreApplication.translate("model_table", "Memory"),
        QCoreApplication.translate("model_table", "Quality (TerjamaBench)"),
        QCoreApplication.translate("model_table", "License"),
        QCoreApplication.translate("model_table", "Status"),
    ]


def download_status(download: Download) -> str:
    p = download.progress
    percent = f"{100 * download.fraction:.0f}%"
    if download.control.paused:
        return QCoreApplication.translate("model_table", "Paused at {percent}").format(
            percent=percent)
    if p is None:
        return QCoreApplication.translate("model_table", "Starting the download…")
    return QCoreApplication.translate(
        "model_table", "Downloading {percent} · {rate}/s · {eta}").format(
        percent=percent, rate=human_size(p.bytes_per_second), eta=format_duration(p.eta_seconds))


class ModelTable(QTreeWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelTable")
        self.setColumnCount(COLUMNS)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.header().setStretchLastSection(True)
        self.retranslate()

    def retranslate(self) -> None:
        self.setHeaderLabels(_headers())
        self.setAccessibleName(QCoreApplication.translate("model_table", "Models"))

    def fill(self, installed: dict[str, InstalledModel], catalog: Catalog | None,
             downloads: dict[str, Download]) -> None:
        selected = self.selected_id()
        self.clear()
        entries = {e.id: e for e in catalog} if catalog is not None else {}
        ids = list(installed) + [i for i in entries if i not in installed]
        tiers = {e.id: e.tier for e in entries.values()}
        for model_id in ids:
            item = QTreeWidgetItem()
            item.setData(0, ROW_ID, model_id)
            self.update_row(item, installed.get(model_id), entries.get(model_id),
                            downloads.get(model_id), tiers)
            self.addTopLevelItem(item)
            if model_id == selected:
                self.setCurrentItem(item)
        if self.currentItem() is None:
            first = next((item for item in self.items() if not item.isDisabled()), None)
            if first is not None:
                self.setCurrentItem(first)

    def update_row(self, item: QTreeWidgetItem, model: InstalledModel | None,
                   entry: CatalogEntry | None, download: Download | None,
                   tiers: dict[str, str] | None = None) -> None:
        if model is not None:
            tier = tier_of(model, tiers)
            name, directions = model.name, model.directions
            size = human_size(model.size)
            status = QCoreApplication.translate("model_table", "Installed")
            if model.verified is False:
                status = QCoreApplication.translate(
                    "model_table", "Installed, damaged: verify or re-install")
        else:
            assert entry is not None
            tier, name, directions = entry.tier, entry.name, entry.directions
            approx = "≈ " if entry.sizes_estimated else ""
            size = approx + human_size(entry.download_size)
            status = (QCoreApplication.translate("model_table", "Available") if entry.available
                      else QCoreApplication.translate("model_table", "Not yet available"))
        if download is not None:
            status = download_status(download)
        memory = ""
        quality = ""
        license_ = model.manifest.license if model is not None else ""
        if entry is not None:
            approx = "≈ " if entry.sizes_estimated else ""
            memory = approx + human_size(entry.ram_required)
            quality = quality_summary(dict(entry.metrics))
            if not quality and entry.closest_metrics:
                quality = QCoreApplication.translate(
                    "model_table", "{figures} (a later version)"
                ).format(figures=quality_summary(dict(entry.closest_metrics)))
            license_ = entry.license
        # Sizes, figures and license ids are left-to-right runs: isolated, they keep their
        # order ("≈ 1.3 GB") in the Arabic interface.
        texts = [isolate(name), tier_label(tier),
                 directions_label((d.source, d.target) for d in directions),
                 isolate(size) if size else "", isolate(memory) if memory else "",
                 isolate(quality) if quality else "", isolate(license_) if license_ else "",
                 status]
        for column, text in enumerate(texts):
            item.setText(column, text)
        item.setDisabled(model is None and entry is not None and not entry.available)

    def selected_id(self) -> str | None:
        item = self.currentItem()
        value = item.data(0, ROW_ID) if item is not None else None
        return value if isinstance(value, str) else None

    def item_for(self, model_id: str) -> QTreeWidgetItem | None:
        return next((item for item in self.items() if item.data(0, ROW_ID) == model_id), None)

    def items(self) -> list[QTreeWidgetItem]:
        found = (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
        return [item for item in found if item is not None]
