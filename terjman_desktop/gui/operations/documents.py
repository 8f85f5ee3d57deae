"""Operations on documents: what a CSV file's columns are, and translating a whole file."""

from __future__ import annotations

from pathlib import Path

from terjman_desktop.core.documents import csv_columns, translate_document
from terjman_desktop.core.translate import Direction, ModelCache, TranslationOptions
from terjman_desktop.gui.context import AppContext
from terjman_desktop.gui.operations import Op
from terjman_desktop.gui.task_runner import TaskContext


class DocumentOps:
    """Reads and translates documents for the document dialog."""

    def __init__(self, context: AppContext) -> None:
        self.context = context

    def csv_columns(self, path: Path) -> Op[list[str]]:
        """The column names of a CSV file (its header line only is read)."""
        return Op(self.context.runner, lambda _: csv_columns(path), name="csv columns")

    def translate(
        self,
        model_path: Path,
        source: Path,
        output: Path,
        direction: Direction,
        options: TranslationOptions,
        *,
        threads: int,
        column: str | None,
        overwrite: bool,
    ) -> Op[Path]:
        """Translate ``source`` into ``output`` with the model at ``model_path``.

        Runs on the model thread (loading the model first if needed); progress comes as
        :class:`~terjman_desktop.core.documents.DocumentProgress`.
        """

        def work(models: ModelCache, ctx: TaskContext) -> Path:
            translator = models.get(model_path, threads=threads)
            return translate_document(source, output, translator, direction, options,
                                      column=column, overwrite=overwrite,
                                      progress=ctx.progress, cancel=ctx.cancel)

        return Op.with_model(self.context.runner, work, name="document")
