"""A whole-page cache for anonymous readers, emptied whenever any page is published or unpublished.

Pages show each other's data (menus, listings, figures), so a publish bumps one site-wide generation number
instead of purging single URLs; stale entries then simply expire.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.cache import patch_cache_control, set_response_etag

from core.request_memo import new_generation

GENERATION_KEY = "page-cache:generation"


def cache_generation() -> str:
    return cache.get_or_set(GENERATION_KEY, new_generation, timeout=None)


def _next_generation() -> None:
    cache.set(GENERATION_KEY, new_generation(), timeout=None)


def purge_page_cache(**kwargs) -> None:
    """Invalidate every cached page (connected to Wagtail's publish and unpublish signals).

    Once now and again on commit: a page rendered from the old rows between the two is cached only until the
    second."""
    _next_generation()
    transaction.on_commit(_next_generation)


class PublicPageCacheMiddleware:
    """Serve anonymous GETs of HTML pages from the cache; never cache responses that set cookies."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = getattr(settings, "PAGE_CACHE_SECONDS", 300)

    def _cacheable_request(self, request) -> bool:
        return (
            self.timeout > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES  # editors and previews bypass the cache
            and not request.path.startswith(("/admin/", "/documents/", "/static/", "/media/"))
        )

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        key = f"page-cache:{cache_generation()}:{request.get_host()}:{request.get_full_path()}"
        cached = cache.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
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
            cache.set(key, response, self.timeout)
            response["X-Page-Cache"] = "miss"
        return response
