"""What every import answers: how many rows it read, wrote and skipped (each with its reason), the problems that
stopped it, the format it recognised and, for a dry run, what each row would change."""

from __future__ import annotations

from dataclasses import dataclass, field

# How many skipped rows and changes a report lists one by one; the rest are counted.
LISTED = 200


@dataclass
class ImportReport:
    """The outcome of one import. ``errors`` stop it (nothing is written); ``skipped`` rows are left out with
    their reason and the rest is imported."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    skipped_count: int = 0
    notes: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    format_label: str = ""
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def imported(self) -> int:
        """Rows that were (or, in a dry run, would be) written or found already up to date."""
        return self.created + self.updated + self.unchanged

    def skip(self, number: int, reason: str) -> None:
        self.skipped_count += 1
        if len(self.skipped) < LISTED:
            self.skipped.append(f"Row {number}: {reason}")

    def change(self, text: str) -> None:
        if len(self.changes) < LISTED:
            self.changes.append(text)
