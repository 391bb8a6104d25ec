"""The comms admin pages are headed with their titles, sit in the Communications menu, and the import form is
laid out and explained like the rest of the admin."""

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from wagtail.admin.menu import SubmenuMenuItem, admin_menu

from comms.demo import build_channels_and_observations
from core.demo import DemoContext
from core.tests.html import breadcrumbs

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(admin_client):
    build_channels_and_observations(DemoContext(log=lambda _: None))
    return admin_client


@pytest.mark.parametrize(
    ("url", "title"),
    [("/admin/comms/dashboard/", "Comms dashboard"), ("/admin/comms/upload/", "Import observations")],
)
def test_page_is_headed_with_its_title_not_home(admin_client, url, title):
    html = admin_client.get(url).content.decode()
    assert breadcrumbs(html) == ["Home", title]


def test_dashboard_and_import_sit_in_the_communications_menu(admin_client):
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.get(username="admin")
    items = admin_menu.menu_items_for_request(request)
    assert not {"Comms dashboard", "Import observations"} & {item.label for item in items}
    group = next(i for i in items if isinstance(i, SubmenuMenuItem) and i.label == "Communications")
    labels = [item.label for item in group.menu.menu_items_for_request(request)]
    assert {"Comms dashboard", "Import observations"} <= set(labels)


def test_import_form_uses_the_admin_field_layout_and_names_the_accepted_exports(admin_client):
    html = admin_client.get("/admin/comms/upload/").content.decode()
    # format, channel, number format, file, dry run: Wagtail's formatted fields
    assert html.count("data-field-wrapper") == 5
    assert "The shape of the export." not in html
    assert "LinkedIn Page followers export" in html
    assert "Meta Business Suite insights export" in html
    assert "Yearbook observations (channel, date, measures)" in html  # a custom source
    assert ".xlsx" in html


def test_import_form_still_shows_the_importers_row_errors(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("li.csv", b"Date,Total followers\n08/01/2023,-1\n", content_type="text/csv")
    response = admin_client.post(
        "/admin/comms/upload/", {"export_format": "linkedin-followers", "file": upload}
    )
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert breadcrumbs(html) == ["Home", "Import observations"]
