"""Export formats ("presets"): what a platform's file looks like, registered by the app that imports it, and
recognised from the file itself when the person importing does not say which it is."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from core.imports.files import Table, UnreadableFile
from core.imports.numbers import NumberFormat
from core.imports.tables import Column, HeaderNotFound, Located, locate


@dataclass(frozen=True)
class ExportFormat:
    """One platform export: the columns it has (by the names the platform gives them), the sheet or archive
    member that holds them, how its numbers and dates are spelt, and app-specific settings in ``options``."""

    name: str
    label: str
    kind: str  # which importer reads it: observations, media, attendance, contacts
    columns: tuple[Column, ...]
    sheets: tuple[str, ...] = ()  # workbook sheets or archive members to prefer, by name (case-insensitive)
    number_format: str = NumberFormat.POINT
    date_formats: tuple[str, ...] = ("%Y-%m-%d",)
    documentation: str = ""  # where the platform describes the export
    options: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def locate(self, tables: list[Table]) -> Located:
        """The table of the file this format reads; raises UnreadableFile saying what was looked for."""
        preferred = [t for t in tables if self._prefers(t)] or tables
        error = None
        for table in preferred:
            try:
                return locate(table, self.columns)
            except HeaderNotFound as problem:  # any other unreadable row is the file's problem: it propagates
                error = error or problem
        raise UnreadableFile(f"This is not a {self.label} file: {error}")

    def _prefers(self, table: Table) -> bool:
        wanted = {s.casefold() for s in self.sheets}
        member = table.name.rsplit("›", 1)[-1].strip().rsplit("/", 1)[-1].casefold()
        return bool(wanted) and (table.sheet.casefold() in wanted or member in wanted)


class UnknownFormat(ValueError):
    """No registered format reads the file, or the name given is not one."""


class FormatRegistry:
    def __init__(self):
        self._formats: dict[str, ExportFormat] = {}

    def register(self, export_format: ExportFormat) -> ExportFormat:
        if export_format.name in self._formats:
            raise ValueError(f"The export format {export_format.name!r} is registered twice.")
        self._formats[export_format.name] = export_format
        return export_format

    def of_kind(self, kind: str) -> list[ExportFormat]:
        return [f for f in self._formats.values() if f.kind == kind]

    def get(self, name: str, *, kind: str) -> ExportFormat:
        found = self._formats.get(name)
        if found is None or found.kind != kind:
            known = ", ".join(f.name for f in self.of_kind(kind))
            raise UnknownFormat(f"There is no {kind} format {name!r}; the formats are: {known}.")
        return found

    def choices(self, kind: str) -> list[tuple[str, str]]:
        return [(f.name, f.label) for f in self.of_kind(kind)]

    def recognise(
        self, tables: list[Table], *, kind: str, among: Iterable[ExportFormat] = ()
    ) -> tuple[ExportFormat, Located]:
        """The format whose columns the file matches best (most columns found, then the preferred sheet).

        The tables' rows are read again for each try, so ``tables`` must come from bytes (an upload) or be
        re-opened by the caller; the located table of the winner is fresh."""
        candidates = list(among) or self.of_kind(kind)
        best: tuple[tuple[int, int], ExportFormat] | None = None
        for export_format in candidates:
            for table in tables:
                try:
                    located = locate(_reread(table), export_format.columns)
                except HeaderNotFound:
                    continue  # not this format (a row that cannot be read at all propagates)
                score = (len(located.positions), export_format._prefers(table))
                if best is None or score > best[0]:
                    best = (score, export_format)
        if best is None:
            names = ", ".join(f.label for f in candidates)
            raise UnknownFormat(
                f"The file matches none of the known {kind} formats ({names}); choose the format, "
                "or check that the file is the platform's export as downloaded."
            )
        return best[1], best[1].locate([_reread(t, last=True) for t in tables])


def _reread(table: Table, *, last: bool = False) -> Table:
    """A table whose rows can be read again: detection reads a few rows of each before the import reads all.
    Only the rows read during detection are kept; the ``last`` reading keeps nothing, so memory stays flat."""
    if not hasattr(table, "_cache"):
        table._cache = []  # type: ignore[attr-defined]
        table._source = table.rows  # type: ignore[attr-defined]
    return Table(
        name=table.name,
        encoding=table.encoding,
        rows=_replay(table, keep=not last),
        delimiter=table.delimiter,
        sheet=table.sheet,
    )


def _replay(table: Table, *, keep: bool):
    cache = table._cache  # type: ignore[attr-defined]
    yield from list(cache)
    for row in table._source:  # type: ignore[attr-defined]
        if keep:
            cache.append(row)
        yield row


formats = FormatRegistry()
