"""Values a page asks for several times while it renders (private sections, channel names), looked up once.

The memo lives for one anonymous GET and is dropped when the response is done; outside a request (commands,
the PDF, tests without the middleware) every call computes afresh.
"""

from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict | None] = ContextVar("request_memo", default=None)


class RequestMemoMiddleware:
    """Open a memo for GET and HEAD requests; writes (forms, the admin) never read a remembered value."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)


def memoised(key: str, compute: Callable[[], T]) -> T:
    """`compute()` once per request under `key`; every call computes when no request is being served."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]
