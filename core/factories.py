"""Factories for the site skeleton."""

import factory
import wagtail_factories
from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from core.models import HomePage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Home"
    slug = "home"
    standfirst = factory.Faker("sentence")

    class Meta:
        model = HomePage


def site_with_home_page(**fields) -> Site:
    """Replace Wagtail's welcome page with a HomePage and make it the default site's root."""
    # Transactional (browser) tests flush the database, removing the locale and root page Wagtail's migrations made.
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    for placeholder in Page.objects.child_of(root).filter(content_type__model="page"):
        Site.objects.filter(root_page=placeholder).delete()
        placeholder.delete()
    home = HomePageFactory(parent=root, **fields)
    site, _ = Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    return site
