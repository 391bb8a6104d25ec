"""Template tags for pages that point readers to the donation page."""

from django import template

from donations.selectors import live_donation_page

register = template.Library()


@register.simple_tag(takes_context=True)
def donation_page_url(context) -> str:
    """The donation page's URL, or "" when the site has none live."""
    page = live_donation_page()
    return (page.get_url(context.get("request")) or "") if page else ""
