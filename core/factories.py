"""Factories for the site skeleton."""

import factory
import wagtail_factories
from wagtail.models import Site

from core.models import HomePage
from core.sites import default_site_at, page_tree_root


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Home"
    slug = "home"
    standfirst = factory.Faker("sentence")

    class Meta:
        model = HomePage


def site_with_home_page(**fields) -> Site:
    """A HomePage in place of Wagtail's welcome page, as the default site's root."""
    return default_site_at(HomePageFactory(parent=page_tree_root(), **fields))
