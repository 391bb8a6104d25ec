"""Values a page asks for several times while it renders, looked up once.

Two scopes:

* `memoised`: for one anonymous GET (channel names), dropped when the response is done.
* `memoised_until_edited`: the site's skeleton (the site for a host name, its settings, the main menu, the
  donation page, private sections, a report's chapters and latest edition), kept across requests in this
  process until any page, site, setting, view restriction or edition is saved. Every page needs it and it changes
  only when an editor saves; reading it on each request took two thirds of a small page's time. A generation
  token in the shared cache tells every worker of an edit at once.

Outside a request (commands, the PDF, tests without the middleware) every call computes afresh.
"""

from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

from core.cache import current_generation, next_generation

T = TypeVar("T")

STRUCTURE_GENERATION_KEY = "site-structure:generation"

_memo: ContextVar[dict | None] = ContextVar("request_memo", default=None)
_until_edited: dict = {"generation": None, "values": {}}


def site_structure_changed(**kwargs) -> None:
    """Forget the remembered skeleton in every worker (connected to page, site and settings signals)."""
    # This worker starts afresh under the new token, so what the rest of this request reads is kept.
    _restart(next_generation(STRUCTURE_GENERATION_KEY))


def forget_until_edited() -> None:
    """Drop this process's remembered skeleton (a test's database is rolled back under it)."""
    _restart(None)


def _restart(generation: str | None) -> None:
    _until_edited["generation"] = generation
    _until_edited["values"] = {}


class RequestMemoMiddleware:
    """Open a memo for GET and HEAD requests; writes (forms, the admin) never read a remembered value."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        generation = current_generation(STRUCTURE_GENERATION_KEY)
        if generation != _until_edited["generation"]:
            _restart(generation)
        token = _memo.set({})
        try:
            remember_site(request)
            return self.get_response(request)
        finally:
            _memo.reset(token)


def remember_site(request) -> None:
    """Give Wagtail the site for this host from the memo (it looks for it on `request._wagtail_site` first)."""
    from django.core.exceptions import DisallowedHost
    from wagtail.models import Site

    try:
        host = request.get_host()
    except DisallowedHost:
        return  # Django answers 400 further in; nothing to remember
    request._wagtail_site = memoised_until_edited(f"site:{host}", lambda: Site.find_for_request(request))


def memoised(key: str, compute: Callable[[], T]) -> T:
    """`compute()` once per request under `key`; every call computes when no request is being served."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def memoised_until_edited(key: str, compute: Callable[[], T]) -> T:
    """`compute()` once until a page, site, setting, view restriction or edition changes; afresh outside a request.

    Only for values that depend on nothing but those records: the value is shared by every request."""
    if _memo.get() is None:
        return compute()
    values = _until_edited["values"]
    if key not in values:
        values[key] = compute()
    return values[key]
