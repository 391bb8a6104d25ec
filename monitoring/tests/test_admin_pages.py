"""The monitoring admin pages are headed with their titles, sit in the Monitoring menu and draw their charts."""

from pathlib import Path

import pytest
import wagtail
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from wagtail.admin.menu import SubmenuMenuItem, admin_menu

from core.tests.html import breadcrumbs

pytestmark = pytest.mark.django_db

ICONS = {p.stem for p in (Path(wagtail.__file__).parent / "admin/templates/wagtailadmin/icons").glob("*.svg")}


def menu(user) -> list:
    request = RequestFactory().get("/admin/")
    request.user = user
    return admin_menu.menu_items_for_request(request)


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/admin/monitoring/review/", "Review media matches"),
        ("/admin/monitoring/attention/", "Media attention"),
    ],
)
def test_page_is_headed_with_its_title_not_home(admin_client, url, title):
    html = admin_client.get(url).content.decode()
    assert breadcrumbs(html) == ["Home", title]


def test_review_queue_header_icon_exists(admin_client):
    html = admin_client.get("/admin/monitoring/review/").content.decode()
    assert '<use href="#icon-check">' in html
    assert '#icon-tick"' not in html


def test_attention_page_includes_the_chart_styles(admin_client):
    html = admin_client.get("/admin/monitoring/attention/").content.decode()
    assert ".chart__line{stroke:" in html
    assert 'class="chart__line"' in html


def test_review_and_attention_sit_in_the_monitoring_menu_with_icons_that_exist(admin_client):
    user = get_user_model().objects.get(username="admin")
    items = menu(user)
    top = [item.label for item in items]
    assert "Review media matches" not in top
    assert "Media attention" not in top
    group = next(item for item in items if isinstance(item, SubmenuMenuItem) and item.label == "Monitoring")
    request = RequestFactory().get("/admin/")
    request.user = user
    submenu = {item.label: item for item in group.menu.menu_items_for_request(request)}
    assert {"Review media matches", "Media attention"} <= set(submenu)
    assert submenu["Review media matches"].icon_name in ICONS
    assert submenu["Media attention"].icon_name in ICONS
