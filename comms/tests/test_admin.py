import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from comms.demo import build_channels_and_observations
from comms.models import Observation
from core.demo import DemoContext

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(site):
    build_channels_and_observations(DemoContext(log=lambda _: None))
    user = get_user_model().objects.create_superuser("comms", "comms@example.org", "pw")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def test_dashboard_shows_figures_and_charts(admin_client):
    html = admin_client.get("/admin/comms/dashboard/").content.decode()
    assert "+13.29%" in html
    assert html.count('role="img"') == 4


def test_upload_imports_a_file(admin_client):
    upload = SimpleUploadedFile(
        "li.csv", b"Date,Total followers\n08/01/2023,12710\n", content_type="text/csv"
    )
    response = admin_client.post("/admin/comms/upload/", {"source": "linkedin-followers", "file": upload})
    assert response.status_code == 302
    assert Observation.objects.filter(channel__slug="linkedin", date="2023-08-01").get().value == 12710


def test_upload_shows_row_errors_and_writes_nothing(admin_client):
    before = Observation.objects.count()
    upload = SimpleUploadedFile("li.csv", b"Date,Total followers\n08/01/2023,-1\n", content_type="text/csv")
    response = admin_client.post("/admin/comms/upload/", {"source": "linkedin-followers", "file": upload})
    assert response.status_code == 200
    assert "Row 2: Total followers -1 is negative" in response.content.decode()
    assert Observation.objects.count() == before
