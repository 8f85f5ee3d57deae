"""Operations on documents: a table's columns, and translating a whole file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from terjman_desktop.core.documents import (
    Bilingual,
    ColumnMode,
    DocumentResult,
    OutputEncoding,
    csv_columns,
    table_columns,
    translate_file,
)
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

    def table_columns(self, path: Path) -> Op[list[str]]:
        """The column names of a table (.csv, or the first rows of an .xlsx's sheets)."""
        return Op(self.context.runner, lambda _: table_columns(path), name="table columns")

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
        columns: Sequence[str] = (),
        column_mode: ColumnMode = "new_column",
        bilingual: Bilingual = "off",
        output_encoding: OutputEncoding = "utf-8",
    ) -> Op[DocumentResult]:
        """Translate ``source`` into ``output`` with the model at ``model_path``.

        Runs on the model thread (loading the model first if needed); progress comes as
        :class:`~terjman_desktop.core.documents.DocumentProgress`; the result says what
        was written and how (encodings, notes, parts not translated).
        """

        def work(models: ModelCache, ctx: TaskContext) -> DocumentResult:
            translator = models.get(model_path, threads=threads)
            return translate_file(
                source,
                output,
                translator,
                direction,
                options,
                column=column,
                columns=tuple(columns),
                column_mode=column_mode,
                bilingual=bilingual,
                output_encoding=output_encoding,
                overwrite=overwrite,
                progress=ctx.progress,
                cancel=ctx.cancel,
            )

        return Op.with_model(self.context.runner, work, name="document")
