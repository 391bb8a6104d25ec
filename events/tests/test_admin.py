"""The attendance import page in the admin: Wagtail's own refusal for users who may not edit the event."""

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from events.models import Participant


def _client(user):
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def test_a_user_who_may_not_edit_the_event_is_refused_as_wagtail_refuses(event, django_user_model):
    user = django_user_model.objects.create_user("reader", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    url = f"/admin/events/{event.pk}/import-attendance/"
    for response in (
        _client(user).get(url),
        _client(user).post(
            url, {"confirm": "on", "file": SimpleUploadedFile("a.csv", b"name,country\nA,MA\n")}
        ),
    ):
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert Participant.objects.count() == 0


def test_an_editor_imports_attendance(event, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", password="x")
    url = f"/admin/events/{event.pk}/import-attendance/"
    response = _client(admin).post(
        url, {"confirm": "on", "file": SimpleUploadedFile("a.csv", b"name,country\nAma,MA\n")}
    )
    assert response.status_code == 302
    assert Participant.objects.get().name == "Ama"


def test_the_admin_dry_run_names_the_format_and_lists_the_changes(event, django_user_model):
    from pathlib import Path

    admin = django_user_model.objects.create_superuser("admin", password="x")
    sample = Path(__file__).parent / "data" / "zoom_webinar_attendee_report.csv"
    url = f"/admin/events/{event.pk}/import-attendance/"
    upload = SimpleUploadedFile(sample.name, sample.read_bytes())
    html = _client(admin).post(url, {"file": upload, "export_format": ""}).content.decode()
    assert "Format: Zoom webinar attendee report (CSV) (recognised from the file)." in html
    assert "12 new, 0 updated, 0 unchanged participants from 15 rows" in html
    assert "New: Chloé Martin &lt;chloe.martin@example.org&gt; (attended, 81 min)" in html
    assert Participant.objects.count() == 0
    upload = SimpleUploadedFile(sample.name, sample.read_bytes())
    response = _client(admin).post(url, {"file": upload, "export_format": "zoom-meeting", "confirm": "on"})
    assert "This is not a Zoom meeting participants report (CSV) file" in response.content.decode()
    assert Participant.objects.count() == 0
