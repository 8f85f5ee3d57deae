"""The model manager's table: every model folder on disk and every catalog entry, one row each.

Installed rows come from :meth:`Store.entries`, so a damaged or unreadable model keeps its
row (with what is wrong) and can be repaired or deleted, instead of vanishing while its
folder stays on disk. An installed model for which the catalog has something newer says so
(:func:`~terjman_desktop.core.models.find_updates`), and the newer entry's row says which
installed model it updates.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from terjman_desktop.core.diskspace import format_size
from terjman_desktop.core.models import (
    Catalog,
    CatalogEntry,
    StoredModel,
    UpdateInfo,
    find_updates,
)
from terjman_desktop.gui.model_info import (
    directions_label,
    isolate,
    quality_summary,
    tier_label,
    tier_of,
)

ROW_ID = Qt.ItemDataRole.UserRole
(NAME_COLUMN, TIER_COLUMN, DIRECTIONS_COLUMN, DOWNLOAD_COLUMN, INSTALLED_COLUMN,
 MEMORY_COLUMN, QUALITY_COLUMN, LICENSE_COLUMN, STATUS_COLUMN) = range(9)
COLUMNS = 9
# Called by this name so that lupdate finds each string with its context.
translate = QCoreApplication.translate


def _headers() -> list[str]:
    return [
        translate("model_table", "Model"),
        translate("model_table", "Tier"),
        translate("model_table", "Directions"),
        translate("model_table", "Download"),
        translate("model_table", "On disk"),
        translate("model_table", "Memory"),
        translate("model_table", "Quality (TerjamaBench)"),
        translate("model_table", "License"),
        translate("model_table", "Status"),
    ]


def stored_status(stored: StoredModel) -> str:
    """``Installed``, or what is wrong with the folder in a few words."""
    if stored.ok:
        return translate("model_table", "Installed")
    problem = stored.problems[0] if stored.problems else ""
    if stored.state == "unreadable":
        return translate("model_table", "Unreadable: {problem} Repair or delete it.").format(
            problem=problem)
    return translate("model_table", "Damaged: {problem} Repair or delete it.").format(
        problem=problem)


def entry_status(entry: CatalogEntry, has_token: bool) -> str:
    if not entry.installable:
        return translate("model_table", "Not yet available")
    if entry.gated and has_token:
        return translate("model_table", "Can be installed (gated)")
    if entry.gated:
        return translate("model_table", "Gated: needs a Hugging Face token")
    return translate("model_table", "Can be installed")


def _sizes(entry: CatalogEntry | None, stored: StoredModel | None) -> tuple[str, str, str]:
    """Download, on-disk and memory sizes; estimates (``≈``) come from the catalog."""
    approx = "≈ " if entry is not None and entry.sizes_estimated else ""
    download = installed = memory = ""
    if entry is not None:
        download = approx + format_size(entry.download_size)
        if entry.installed_size:
            installed = approx + format_size(entry.installed_size)
        memory = approx + format_size(entry.ram_required)
    if stored is not None and stored.manifest is not None:
        installed = format_size(stored.manifest.total_size)  # measured, not estimated
    return download, installed, memory


class ModelTable(QTreeWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelTable")
        self.setColumnCount(COLUMNS)
        self.setRootIsDecorated(False)
        self.updates: dict[str, UpdateInfo] = {}  # installed id → its update
        self.updating: dict[str, str] = {}  # catalog id → name of the installed model it updates
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.header().setStretchLastSection(True)
        self.retranslate()

    def retranslate(self) -> None:
        self.setHeaderLabels(_headers())
        self.setAccessibleName(translate("model_table", "Models"))

    def fill(self, stored: dict[str, StoredModel], catalog: Catalog | None,
             statuses: dict[str, str], has_token: bool) -> None:
        """One row per folder on disk, then one per catalog entry not on disk.

        ``statuses`` overrides the status of rows with work under way (an install, a delete).
        """
        selected = self.selected_id()
        self.clear()
        entries = {e.id: e for e in catalog} if catalog is not None else {}
        installed = [s.model for s in stored.values() if s.model is not None and s.ok]
        offers = find_updates(installed, [e for e in entries.values() if e.installable])
        self.updates = {offer.installed.id: offer for offer in offers}
        self.updating = {offer.entry.id: offer.installed.name for offer in offers
                         if offer.entry.id != offer.installed.id}
        ids = list(stored) + [i for i in entries if i not in stored]
        tiers = {e.id: e.tier for e in entries.values()}
        for model_id in ids:
            item = QTreeWidgetItem()
            item.setData(0, ROW_ID, model_id)
            self.update_row(item, stored.get(model_id), entries.get(model_id),
                            statuses.get(model_id), has_token, tiers)
            self.addTopLevelItem(item)
            if model_id == selected:
                self.setCurrentItem(item)
        if self.currentItem() is None:
            first = next((item for item in self.items() if not item.isDisabled()), None)
            if first is not None:
                self.setCurrentItem(first)

    def update_row(self, item: QTreeWidgetItem, stored: StoredModel | None,
                   entry: CatalogEntry | None, status: str | None, has_token: bool,
                   tiers: dict[str, str] | None = None) -> None:
        if stored is not None:
            model, manifest = stored.model, stored.manifest
            name = stored.name
            if model is not None:
                tier = tier_of(model, tiers)
            else:
                tier = entry.tier if entry is not None else ""
            directions = (manifest.directions if manifest is not None
                          else entry.directions if entry is not None else ())
            default_status = stored_status(stored)
            offer = self.updates.get(stored.id)
            if offer is not None:
                default_status = translate(
                    "model_table", "Installed · update available: {name} {version}").format(
                    name=isolate(offer.entry.name), version=isolate(offer.entry.version))
            license_ = manifest.license if manifest is not None else ""
        else:
            assert entry is not None
            tier, name, directions = entry.tier, entry.name, entry.directions
            default_status = entry_status(entry, has_token)
            if entry.id in self.updating:
                default_status = translate("model_table", "{status} · updates {name}").format(
                    status=default_status, name=isolate(self.updating[entry.id]))
            license_ = ""
        download, installed, memory = _sizes(entry, stored)
        quality = ""
        if entry is not None:
            quality = quality_summary(dict(entry.metrics))
            if not quality and entry.closest_metrics:
                quality = translate("model_table", "{figures} (a later version)").format(
                    figures=quality_summary(dict(entry.closest_metrics)))
            license_ = entry.license
        # Sizes, figures and license ids are left-to-right runs: isolated, they keep their
        # order ("≈ 1.3 GB") in the Arabic interface.
        texts = [isolate(name), tier_label(tier),
                 directions_label((d.source, d.target) for d in directions),
                 *(isolate(text) if text else "" for text in
                   (download, installed, memory, quality, license_)),
                 status or default_status]
        for column, text in enumerate(texts):
            item.setText(column, text)
        broken = stored is not None and not stored.ok and status is None
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        item.setIcon(STATUS_COLUMN, warning if broken else QIcon())
        item.setToolTip(STATUS_COLUMN, "\n".join(stored.problems) if broken and stored else "")
        item.setDisabled(stored is None and entry is not None and not entry.installable)

    def selected_id(self) -> str | None:
        item = self.currentItem()
        value = item.data(0, ROW_ID) if item is not None else None
        return value if isinstance(value, str) else None

    def item_for(self, model_id: str) -> QTreeWidgetItem | None:
        return next((item for item in self.items() if item.data(0, ROW_ID) == model_id), None)

    def items(self) -> list[QTreeWidgetItem]:
        found = (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
        return [item for item in found if item is not None]
