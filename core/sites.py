"""Setting up the page tree: one place that replaces Wagtail's welcome page and points the default site home."""

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site


def page_tree_root() -> Page:
    """The tree's root, with Wagtail's placeholder "Welcome" page (and its site) removed.

    Also recreates the locale, root page and root collection (documents and images need it), which
    Wagtail's migrations made and transactional tests lose when they flush the database.
    """
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    for placeholder in Page.objects.child_of(root).filter(content_type__model="page"):
        Site.objects.filter(root_page=placeholder).delete()
        placeholder.delete()
    return root


def host_and_port(site_url: str) -> tuple[str, int]:
    """("127.0.0.1", 8000) from "http://127.0.0.1:8000"; ValueError for anything that is not such an address."""
    try:
        url = urlsplit(site_url)
        port = url.port or (443 if url.scheme == "https" else 80)
    except ValueError:  # a port that is not a number
        url, port = None, None
    if url is None or url.scheme not in ("http", "https") or not url.hostname or url.path.strip("/"):
        raise ValueError(f"{site_url!r} is not a site address like http://127.0.0.1:8000.")
    return url.hostname, port


def default_site_at(home: Page, site_url: str = "http://localhost", **fields) -> Site:
    """Make ``home`` the root of the default site at ``site_url`` (the default site answers any host too)."""
    hostname, port = host_and_port(site_url)
    site, _ = Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": hostname, "port": port, "root_page": home, **fields}
    )
    return site
