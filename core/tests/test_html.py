"""The shared test helper reads the admin's breadcrumbs as a person sees them."""

import pytest

from core.tests.html import breadcrumbs

SLIM_HEADER = """
<header><nav class="w-breadcrumbs" aria-label="Breadcrumb"><ol>
  <li class="w-h-full"><a href="/admin/"><svg class="icon"></svg><span>Home</span></a></li>
  <li><a href="/admin/comms/">Communications
      <svg class="icon icon-arrow-right"></svg></a></li>
  <li><span class="w-font-bold">Import   observations</span></li>
</ol></nav></header>
<nav aria-label="Main menu"><ul><li>Not a crumb</li></ul></nav>
"""


def test_breadcrumbs_are_the_labels_of_the_breadcrumb_nav_only_with_whitespace_collapsed():
    assert breadcrumbs(SLIM_HEADER) == ["Home", "Communications", "Import observations"]


def test_a_page_without_breadcrumbs_fails_saying_so():
    with pytest.raises(AssertionError, match="no breadcrumb navigation"):
        breadcrumbs("<nav aria-label='Main menu'><ul><li>Home</li></ul></nav>")
