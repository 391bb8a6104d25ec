"""Public GET parameters: parse leniently, so a malformed value is ignored instead of failing the page."""

import re

YEAR = re.compile(r"[0-9]{4}")  # ASCII only: str.isdigit() also accepts superscripts such as "²³⁴⁵"


def year_param(value: str | None) -> int | None:
    """A four-digit year from 1000 to 9999, or None for anything else."""
    value = (value or "").strip()
    if not YEAR.fullmatch(value) or value.startswith("0"):
        return None
    return int(value)
