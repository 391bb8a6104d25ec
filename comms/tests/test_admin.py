import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from wagtail.admin.menu import SubmenuMenuItem, admin_menu

from comms.demo import build_channels_and_observations
from comms.models import ImportBatch, ImportSource, Observation
from core.demo import DemoContext

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(admin_client):
    build_channels_and_observations(DemoContext(log=lambda _: None))
    return admin_client


def test_dashboard_shows_the_latest_reports_figures_and_charts_for_its_period(admin_client, site):
    from report.demo import HEADLINES
    from report.factories import report_with_headlines

    for year in (2021, 2022):
        report_with_headlines(
            parent=site.root_page,
            label=f"{year}-{year + 1}",
            start=datetime.date(year, 8, 1),
            end=datetime.date(year + 1, 7, 31),
            headlines=HEADLINES[:4],
        )
    html = admin_client.get("/admin/comms/dashboard/").content.decode()
    assert "Headline figures, 1 August 2022 to 31 July 2023" in html
    assert "+13.29%" in html
    assert html.count('role="img"') == 4  # the bars, and a line for each channel with followers
    earlier = admin_client.get("/admin/comms/dashboard/?year=2021-2022").content.decode()
    assert "Headline figures, 1 August 2021 to 31 July 2022" in earlier
    assert "+13.29%" not in earlier


def test_upload_imports_a_file(admin_client):
    upload = SimpleUploadedFile(
        "li.csv", b"Date,Total followers\n08/01/2023,12710\n", content_type="text/csv"
    )
    response = admin_client.post(
        "/admin/comms/upload/", {"export_format": "linkedin-followers", "file": upload}
    )
    assert response.status_code == 302
    assert Observation.objects.filter(channel__slug="linkedin", date="2023-08-01").get().value == 12710
    assert (
        Observation.objects.filter(channel__slug="linkedin", date="2023-08-01").get().measure
        == "new_followers"
    )


def test_upload_recognises_the_format_and_says_which(admin_client):
    upload = SimpleUploadedFile(
        "ga4.csv",
        b"# Reports snapshot\n#\nDate,Sessions,Views\n20230801,2100,4300\n",
        content_type="text/csv",
    )
    response = admin_client.post("/admin/comms/upload/", {"file": upload}, follow=True)
    html = response.content.decode()
    assert "Google Analytics 4 report or Explore export (CSV) (recognised from the file)" in html
    assert Observation.objects.get(channel__slug="website", date="2023-08-01", measure="visits").value == 2100


def test_upload_through_a_custom_source(admin_client):
    upload = SimpleUploadedFile(
        "obs.csv", b"channel,date,visits\nwebsite,2023-08-01,7\n", content_type="text/csv"
    )
    response = admin_client.post(
        "/admin/comms/upload/", {"export_format": "source:yearbook-observations", "file": upload}
    )
    assert response.status_code == 302
    assert Observation.objects.get(channel__slug="website", date="2023-08-01", measure="visits").value == 7


def test_upload_shows_row_errors_and_writes_nothing(admin_client):
    before = Observation.objects.count()
    upload = SimpleUploadedFile("li.csv", b"Date,Total followers\n08/01/2023,-1\n", content_type="text/csv")
    response = admin_client.post(
        "/admin/comms/upload/", {"export_format": "linkedin-followers", "file": upload}
    )
    assert response.status_code == 200
    assert "Row 2: Total followers -1 is negative" in response.content.decode()
    assert Observation.objects.count() == before


# --- Permissions -----------------------------------------------------------------------------------------------


def staff_client(*codenames: str) -> Client:
    """A logged-in admin user with access to the admin and exactly these permissions ("app.codename")."""
    user = get_user_model().objects.create_user(
        f"staff-{len(codenames)}-{'-'.join(codenames)}"[:150], password="pw"
    )
    wanted = ["wagtailadmin.access_admin", *codenames]
    for name in wanted:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def linkedin_upload(value: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("li.csv", f"Date,Total followers\n07/31/2023,{value}\n".encode(), "text/csv")


def test_a_user_without_observation_permissions_cannot_import(admin_client):
    client = staff_client("network.add_organisation", "network.change_organisation", "comms.view_observation")
    before = Observation.objects.get(
        channel__slug="linkedin", measure="new_followers", date="2023-07-31"
    ).value
    for response in (
        client.get("/admin/comms/upload/"),
        client.post(
            "/admin/comms/upload/", {"export_format": "linkedin-followers", "file": linkedin_upload(999999)}
        ),
    ):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert (
        Observation.objects.get(channel__slug="linkedin", measure="new_followers", date="2023-07-31").value
        == before
    )


def test_a_user_who_may_add_and_change_observations_can_import(admin_client):
    client = staff_client("comms.add_observation", "comms.change_observation")
    response = client.post(
        "/admin/comms/upload/", {"export_format": "linkedin-followers", "file": linkedin_upload(12345)}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/comms/upload/"
    assert (
        Observation.objects.get(channel__slug="linkedin", measure="new_followers", date="2023-07-31").value
        == 12345
    )


def test_the_dashboard_needs_the_view_observation_permission(admin_client):
    assert staff_client("network.change_organisation").get("/admin/comms/dashboard/")["Location"] == "/admin/"
    assert staff_client("comms.view_observation").get("/admin/comms/dashboard/").status_code == 200


def menu_labels(user) -> set[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    labels = set()
    for item in admin_menu.menu_items_for_request(request):
        labels.add(item.label)
        if isinstance(item, SubmenuMenuItem):
            labels |= {sub.label for sub in item.menu.menu_items_for_request(request)}
    return labels


def test_the_menu_shows_the_dashboard_and_import_only_to_users_who_may_use_them(admin_client):
    viewer = get_user_model().objects.create_user("viewer")
    viewer.user_permissions.add(
        Permission.objects.get(content_type__app_label="comms", codename="view_observation")
    )
    nobody = get_user_model().objects.create_user("nobody")
    assert {"Comms dashboard", "Import observations"} & menu_labels(nobody) == set()
    assert {"Comms dashboard", "Import observations"} & menu_labels(viewer) == {"Comms dashboard"}


# --- Bad files in the form -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "li.csv",
            "Date,Total followers\n07/31/2023,5 é\n".encode("latin-1"),
            "Row 2: Total followers &#x27;5 é&#x27; is not a number",
        ),
        (
            "li.csv",
            "Date,Total followers\n07/31/2023,-5\n".encode("utf-16"),
            "Row 2: Total followers -5 is negative",
        ),
        ("li.xlsx", bytes(range(256)) * 8, "li.xlsx is not a valid .xlsx file"),
    ],
    ids=["latin-1", "utf-16", "garbage-xlsx"],
)
def test_upload_of_an_unreadable_file_says_why_and_writes_nothing(admin_client, name, content, message):
    before = (Observation.objects.count(), ImportBatch.objects.count())
    for dry_run in ({"dry_run": "on"}, {}):
        upload = SimpleUploadedFile(name, content)
        response = admin_client.post(
            "/admin/comms/upload/", {"export_format": "linkedin-followers", "file": upload, **dry_run}
        )
        assert response.status_code == 200
        assert message in response.content.decode()
    assert (Observation.objects.count(), ImportBatch.objects.count()) == before


def test_upload_dry_run_reports_repeated_rows(admin_client):
    upload = SimpleUploadedFile("li.csv", b"Date,Total followers\n07/30/2023,5\n07/30/2023,6\n")
    response = admin_client.post(
        "/admin/comms/upload/", {"export_format": "linkedin-followers", "file": upload, "dry_run": "on"}
    )
    assert "Row 3: duplicates row 2 (new_followers on 2023-07-30)." in response.content.decode()


# --- Import sources --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("columns", "date_format", "field", "message"),
    [
        (
            '["followers"]',
            "%Y-%m-%d",
            "columns",
            "Give a JSON object mapping each column header to a measure",
        ),
        ('"followers"', "%Y-%m-%d", "columns", "Give a JSON object mapping each column header to a measure"),
        ('{"f": 1}', "%Y-%m-%d", "columns", "&#x27;f&#x27; maps to 1, which is not a measure"),
        ('{"f": ["x"]}', "%Y-%m-%d", "columns", "maps to [&quot;x&quot;], which is not a measure"),
        ('{"f": "followers"}', "%Y-%m-%d %Y", "date_format", "%Y reads the year again after %Y"),
        ('{"f": "followers"}', "%Q", "date_format", "%Q is not a date directive"),
    ],
)
def test_import_source_form_explains_a_bad_shape(admin_client, columns, date_format, field, message):
    data = {
        "name": "tiktok",
        "label": "TikTok export",
        "channel_column": "channel",
        "date_column": "Date",
        "date_format": date_format,
        "columns": columns,
    }
    response = admin_client.post("/admin/snippets/comms/importsource/add/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert not ImportSource.objects.filter(name="tiktok").exists()
