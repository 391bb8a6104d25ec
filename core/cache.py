"""A whole-page cache for anonymous readers, emptied whenever a page is published, unpublished, moved or deleted, a
view restriction changes, or a site or site setting is saved (core/apps.py).

Pages show each other's data (menus, listings, figures), so a publish replaces one site-wide generation token
instead of purging single URLs; stale entries then simply expire. The same tokens tell every worker that the site
skeleton remembered by `core.request_memo` is out of date.

In production nginx sits in front (`manage.py write_nginx_config`) and keeps each cached page for PROXY_CACHE_SECONDS
(`X-Accel-Expires`), then asks again with its ETag: a crowd is served by nginx, and a publish shows within a second.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.cache import patch_cache_control, set_response_etag

GENERATION_KEY = "page-cache:generation"


def current_generation(key: str) -> str:
    """The generation token stored under `key` in the shared cache (a new one if it is not there)."""
    return cache.get_or_set(key, _new_token, timeout=None)


def next_generation(key: str) -> str:
    """Store a new token under `key` now and again on commit; returns the first.

    A reader that saw the old rows between the two keeps what it read only until the second. Tokens are never
    reused, so a generation lost from the cache (culled, restarted) cannot come back."""
    token = _new_token()
    cache.set(key, token, timeout=None)
    transaction.on_commit(lambda: cache.set(key, _new_token(), timeout=None))
    return token


def _new_token() -> str:
    return uuid.uuid4().hex


def purge_page_cache(**kwargs) -> None:
    """Invalidate every cached page (connected in core/apps.py; called by services whose records pages show)."""
    next_generation(GENERATION_KEY)


class PublicPageCacheMiddleware:
    """Serve anonymous GETs of HTML pages from the cache; never cache responses that set cookies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def _cacheable_request(self, request) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES  # editors and previews bypass the cache
            and not request.path.startswith(("/admin/", "/documents/", "/static/", "/media/"))
        )

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        key = (
            f"page-cache:{current_generation(GENERATION_KEY)}:{request.get_host()}:{request.get_full_path()}"
        )
        cached = cache.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            request.page_cached = True
            return cached
        response = self.get_response(request)
        if (
            response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page holds a form with a CSRF token
            and "no-store" not in response.get("Cache-Control", "")
            and "private" not in response.get("Cache-Control", "")
        ):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            patch_cache_control(response, public=True, max_age=60)
            set_response_etag(response)  # once, stored with the page: not hashed again on every hit
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
            request.page_cached = True
        return response


class ProxyCacheMiddleware:
    """Let nginx in front keep, for PROXY_CACHE_SECONDS, what the page cache keeps: its 200s and the 304s that renew them.

    It sits outside ConditionalGetMiddleware, whose 304s copy only the standard headers; nginx reads and hides
    `X-Accel-Expires`, and with `proxy_ignore_headers Cache-Control` it caches nothing that lacks it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        seconds = settings.PROXY_CACHE_SECONDS
        if seconds > 0 and getattr(request, "page_cached", False) and response.status_code in (200, 304):
            response["X-Accel-Expires"] = str(seconds)
        return response
