"""Public GET parameters: parse leniently, so a malformed value is ignored instead of failing the page; refuse NUL."""

import re

from django.http import HttpResponseBadRequest

YEAR = re.compile(r"[0-9]{4}")  # ASCII only: str.isdigit() also accepts superscripts such as "²³⁴⁵"
ID = re.compile(r"[0-9]{1,19}")
LARGEST_ID = 2**63 - 1  # BigAutoField; SQLite cannot even bind a larger integer (OverflowError)


def year_param(value: str | None) -> int | None:
    """A four-digit year from 1000 to 9999, or None for anything else."""
    value = (value or "").strip()
    if not YEAR.fullmatch(value) or value.startswith("0"):
        return None
    return int(value)


def parse_id(text: str | None) -> int | None:
    """A primary key from form or query text, or None when it cannot be one (so no lookup can overflow)."""
    text = (text or "").strip()
    if not ID.fullmatch(text):
        return None
    value = int(text)
    return value if 0 < value <= LARGEST_ID else None


class RefuseNulParametersMiddleware:
    """Answer 400 to a query string holding a NUL character: no page takes one, and PostgreSQL cannot compare
    text with it (a filter such as ?country=%00 would otherwise fail with a 500). Forms refuse NUL themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            return HttpResponseBadRequest("A parameter holds a NUL character.", content_type="text/plain")
        return self.get_response(request)
