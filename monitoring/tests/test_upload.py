"""The admin upload of media files: permission-checked, CSRF-protected, ingests at once and says what happened."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from wagtail.admin.menu import SubmenuMenuItem

from core.tests.html import breadcrumbs
from monitoring.admin_views import MAX_UPLOAD_BYTES
from monitoring.factories import SourceFactory
from monitoring.models import BatchStatus, IngestBatch, Item, Match
from monitoring.tests.test_admin_pages import ICONS, menu
from network.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
URL = "/admin/monitoring/upload/"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


@pytest.fixture
def source():
    OrganisationFactory(name="ECPAT International", short_name="")
    return SourceFactory(language="en")


def upload(client, name: str, content: bytes, source, export_format: str = ""):
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(URL, {"source": source.pk, "export_format": export_format, "file": file})


def test_upload_recognises_ingests_and_matches_and_shows_the_result(admin_client, source, private_root):
    response = upload(admin_client, "artlist.csv", (DATA / "gdelt_doc_artlist.csv").read_bytes(), source)
    assert response.status_code == 200
    html = response.content.decode()
    assert "GDELT DOC 2.0 API article list" in html and "(recognised from the file)" in html
    assert '<th scope="row">New items stored</th><td>3</td>' in html
    assert "Matches of the network's names</th><td>2</td>" in html
    batch = IngestBatch.objects.get()
    assert batch.status == BatchStatus.DONE and batch.source == source
    assert Path(batch.origin).is_file() and Path(batch.origin).is_relative_to(private_root)
    assert Item.objects.count() == 3 and Match.objects.count() == 2


def test_upload_with_a_chosen_format_lists_skipped_records_with_their_reasons(admin_client, source):
    response = upload(
        admin_client, "export.csv", (DATA / "talkwalker_export.csv").read_bytes(), source, "talkwalker"
    )
    html = response.content.decode()
    assert "(recognised from the file)" not in html
    assert "unreadable publication date" in html and "(record 4)" in html


def test_a_file_no_format_reads_is_refused_with_the_reason_and_no_batch(admin_client, source):
    response = upload(admin_client, "budget.csv", b"name,amount\nrent,100\n", source)
    assert response.status_code == 200
    assert "matches none of the known media formats" in response.content.decode()
    assert not IngestBatch.objects.exists()


def test_a_file_without_the_chosen_formats_columns_is_refused(admin_client, source):
    response = upload(
        admin_client, "x.csv", (DATA / "media_cloud_stories.csv").read_bytes(), source, "meltwater"
    )
    assert "This is not a Meltwater" in response.content.decode()
    assert not IngestBatch.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"%PDF-1.4", "is not a file monitoring reads"),
        ("empty.csv", b"", "is empty"),
        ("big.csv", b"x" * (MAX_UPLOAD_BYTES + 1), "the limit for an upload is 5 MB"),
        ("book.xlsx", b"PK\x03\x04 not really a workbook", "is not a valid .xlsx file"),
    ],
)
def test_bad_files_are_refused_with_a_clear_error_never_a_500(admin_client, source, name, content, message):
    response = upload(admin_client, name, content, source)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Item.objects.exists()


def test_an_all_skipped_file_says_nothing_was_stored(admin_client, source):
    content = b"URL,MobileURL,Date,Title\n,,2023-08-15 12:00:00,No link\n"
    html = upload(admin_client, "artlist.csv", content, source).content.decode()
    assert "Nothing was stored from" in html and "no URL (column URL is empty)" in html


def test_upload_sends_users_without_the_permissions_to_add_batches_and_items_to_the_admin_home(source):
    user = get_user_model().objects.create_user("editor", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(user)
    file = SimpleUploadedFile("a.csv", (DATA / "gdelt_doc_artlist.csv").read_bytes())
    for response in (client.get(URL), client.post(URL, {"source": source.pk, "file": file})):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert not IngestBatch.objects.exists()
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_ingestbatch", "add_item"]))
    assert client.get(URL).status_code == 200


def test_upload_refuses_a_post_without_the_csrf_token(source, admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    file = SimpleUploadedFile("a.csv", (DATA / "gdelt_doc_artlist.csv").read_bytes())
    assert client.post(URL, {"source": source.pk, "file": file}).status_code == 403
    assert not IngestBatch.objects.exists()


def test_upload_sits_in_the_monitoring_menu_headed_with_its_title(admin_client, admin_user):
    assert breadcrumbs(admin_client.get(URL).content.decode()) == ["Home", "Upload media coverage"]
    group = next(i for i in menu(admin_user) if isinstance(i, SubmenuMenuItem) and i.label == "Monitoring")
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    submenu = {item.label: item for item in group.menu.menu_items_for_request(request)}
    assert submenu["Upload media coverage"].icon_name in ICONS
