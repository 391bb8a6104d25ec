"""Finding the table inside a table: the header row below title, description and comment lines, columns named
case-insensitively, some optional, and totals rows skipped and named."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from core.imports.files import Rows, Table, UnreadableFile

# How far down a header may sit: GA4 writes about ten comment lines, Zoom a report section of a few rows.
MAX_LINES_ABOVE_HEADER = 60
# First cells of the rows a platform adds with the sums of the columns (GA4 Explore, Matomo, spreadsheets).
TOTALS_WORDS = frozenset(
    {
        "total",
        "totals",
        "grand total",
        "sum",
        "overall",
        "total général",
        "totales",
        "totais",
        "summe",
        "gesamt",
    }
)


class HeaderNotFound(UnreadableFile):
    """No row names the columns; ``first_line`` is what the file's first non-blank line holds."""

    def __init__(self, message: str, first_line: str):
        super().__init__(message)
        self.first_line = first_line


def column_key(text: str) -> str:
    """A header as compared: case-folded, accents kept, spaces collapsed, BOMs, quotes and NULs gone."""
    text = unicodedata.normalize("NFC", text.replace("\ufeff", "").replace("\x00", ""))
    return re.sub(r"\s+", " ", text.strip().strip('"').strip()).casefold()


@dataclass(frozen=True)
class Column:
    """A column a format reads: its key in the parsed row, the header names platforms give it, and whether a
    file must have it."""

    key: str
    names: tuple[str, ...]
    required: bool = True

    def matches(self, keys: list[str]) -> int | None:
        wanted = {column_key(n) for n in self.names}
        for position, key in enumerate(keys):
            if key in wanted:
                return position
        return None


def optional(key: str, *names: str) -> Column:
    """A column a format reads when the file has it."""
    return Column(key, names, required=False)


@dataclass
class Located:
    """A table's header, where it is, and its data rows (blank rows and totals rows skipped, and counted)."""

    table: Table
    header: list[str]
    row: int
    positions: dict[str, int]  # column key → cell index, for the columns found
    above: list[str]
    rows: Rows
    lines_above: list[list[str]] = field(default_factory=list)  # the rows above the header, as read
    totals_rows: list[int] = field(default_factory=list)

    def notes(self) -> list[str]:
        found = [f"{self.table.name} read as {self.table.encoding}"]
        if self.row > 1:
            found.append(f"the header is on row {self.row}; rows above it skipped ({', '.join(self.above)})")
        if self.totals_rows:
            found.append("totals rows skipped: " + ", ".join(f"row {n}" for n in self.totals_rows[:10]))
        return found


def _describe_above(rows: list[list[str]]) -> list[str]:
    kinds: dict[str, int] = {}
    for cells in rows:
        first = next((c for c in cells if c.strip()), "")
        if not first:
            kind = "blank"
        elif first.lstrip().startswith("#"):
            kind = "comment"
        elif sum(1 for c in cells if c.strip()) == 1:
            kind = "title or description"
        else:
            kind = "other"
        kinds[kind] = kinds.get(kind, 0) + 1
    return [f"{n} {kind}" for kind, n in kinds.items()]


def is_totals_row(cells: list[str]) -> bool:
    first = next((c for c in cells if c.strip()), "")
    return column_key(first) in TOTALS_WORDS


def locate(table: Table, columns: Iterable[Column]) -> Located:
    """The first row within the first lines that names every required column (case-insensitively).

    Raises UnreadableFile naming the columns looked for and what the first lines hold."""
    columns = list(columns)
    required = [c for c in columns if c.required]
    seen: list[list[str]] = []
    rows = table.rows
    for number, cells in rows:
        keys = [column_key(c) for c in cells]
        positions = {c.key: p for c in columns if (p := c.matches(keys)) is not None}
        if any(keys) and all(c.key in positions for c in required):
            return Located(
                table=table,
                header=[c.strip() for c in cells],
                row=number,
                positions=positions,
                above=_describe_above(seen),
                rows=_data_rows(rows, len(cells)),
                lines_above=seen,
            )
        seen.append(cells)
        if len(seen) >= MAX_LINES_ABOVE_HEADER:
            break
    wanted = "; ".join(" or ".join(repr(n) for n in c.names[:3]) for c in required)
    first = next((", ".join(c for c in cells if c.strip()) for cells in seen if any(cells)), "nothing")
    raise HeaderNotFound(
        f"{table.name}: no row in the first {len(seen)} names the columns {wanted}. "
        f"The first line reads: {first[:200]}.",
        first_line=first if first != "nothing" else "",
    )


def _data_rows(rows: Rows, width: int) -> Rows:
    """The rows after the header, blank ones left out, each padded to the header's width."""
    for number, cells in rows:
        if not any(cells):
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        yield number, cells


def best_table(tables: list[Table], columns: list[Column]) -> Located:
    """The first table of a file (sheet, archive member) that has the columns; the error of the first otherwise."""
    first_error = None
    for table in tables:
        try:
            return locate(table, columns)
        except UnreadableFile as error:
            first_error = first_error or error
    raise first_error or UnreadableFile("The file holds no table.")


def without_totals(located: Located) -> Iterator[tuple[int, list[str]]]:
    """The data rows, recording in ``located.totals_rows`` the totals rows left out."""
    for number, cells in located.rows:
        if is_totals_row(cells):
            located.totals_rows.append(number)
            continue
        yield number, cells
