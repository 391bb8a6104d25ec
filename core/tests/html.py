"""Reading rendered admin HTML in tests, shared by every app's tests."""

import re


def breadcrumbs(html: str) -> list[str]:
    """The labels of the slim header's breadcrumbs, which Wagtail shows as the page heading."""
    nav = re.search(r'<nav[^>]*aria-label="Breadcrumb"[^>]*>(.*?)</nav>', html, re.S)
    assert nav is not None, 'The page has no breadcrumb navigation (no <nav aria-label="Breadcrumb">).'
    return [
        " ".join(re.sub(r"<[^>]+>", " ", item).split())
        for item in re.findall(r"<li.*?</li>", nav.group(1), re.S)
    ]
