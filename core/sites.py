"""Setting up the page tree: one place that replaces Wagtail's welcome page and points the default site home."""

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


def default_site_at(home: Page, **fields) -> Site:
    """Make ``home`` the root of the default site on localhost."""
    site, _ = Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home, **fields}
    )
    return site
