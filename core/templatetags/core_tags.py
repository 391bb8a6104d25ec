"""Template tags used by the site chrome."""

from django import template
from wagtail.models import Site

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context) -> list:
    """The home page's live children marked "show in menus"."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    from core.models import site_pages
    from core.request_memo import memoised_until_edited

    return memoised_until_edited(
        f"main_menu:{site.pk}", lambda: list(site_pages().child_of(site.root_page).live().in_menu().public())
    )


@register.simple_tag(takes_context=True)
def social_image(context, page) -> str:
    """Absolute URL of the page's sharing image, falling back to the site logo."""
    from core.models import SiteSettings

    request = context.get("request")
    image = getattr(page, "social_image", None) or getattr(page, "cover_image", None)
    if image is None and request is not None:
        image = SiteSettings.for_request(request).logo
    if image is None:
        return ""
    url = image.get_rendition("fill-1200x630").url
    return request.build_absolute_uri(url) if request else url
