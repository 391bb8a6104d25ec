"""On the demo year: nothing identifying a survivor reaches the public, and withdrawn consent empties every page."""

import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from report.models import AnnualReportPage
from report.pdf import render_report_pdf
from stories.models import Consent, Quote, StoryIndexPage, StoryPage, Survivor
from stories.services import consent_withdraw

pytestmark = pytest.mark.django_db
CANARIES = ["Okonkwo", "St Brigid", "Kisumu"]  # a surname, a school and a city that must never be published
STAFF_CHAPTER = "/annual-report-2022-2023/staff-perspectives/"


@pytest.fixture
def demo(settings):
    settings.PAGE_CACHE_SECONDS = 60  # the page cache is on, as in production: withdrawal must purge it
    call_command("load_demo_year", stdout=io.StringIO())


def public_urls(client: Client) -> set[str]:
    sitemap = client.get("/sitemap.xml").content.decode()
    urls = {re.sub(r"^https?://[^/]+", "", u) for u in re.findall(r"<loc>([^<]+)</loc>", sitemap)}
    return urls | {
        "/",
        "/podcast/feed.xml",
        "/events/calendar/",
        "/impact/",
        "/api/comms/figures/",
        "/robots.txt",
    }


def test_canary_survivor_details_never_reach_anything_public(demo, tmp_path):
    survivor = Survivor.objects.create(chosen_name="Amani")
    consent = Consent.objects.create(
        survivor=survivor,
        given_on="2023-01-01",
        use_web=True,
        use_print=True,
        method="written",
        withdrawal_reason="Lives in Kisumu near St Brigid School; family name Okonkwo.",
    )
    Quote.objects.create(
        survivor=survivor, text="Okonkwo family from Kisumu, St Brigid school.", context="Kisumu"
    )
    index = StoryIndexPage.objects.get()
    draft = StoryPage(
        title="Draft: Amani Okonkwo of St Brigid School, Kisumu",
        slug="amani-draft",
        survivor=survivor,
        search_description="Okonkwo, Kisumu",
        body="<p>Amani Okonkwo, 14, attends St Brigid School in Kisumu.</p>",
        live=False,
    )
    index.add_child(instance=draft)
    draft.save_revision()  # a draft: never published
    assert consent.pk

    client = Client(HTTP_HOST="localhost")
    urls = public_urls(client)
    assert len(urls) > 20
    for url in sorted(urls):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        for canary in CANARIES:
            assert canary not in text, f"{canary!r} published at {url}"
    assert client.get("/stories/amani-draft/").status_code == 404
    report = AnnualReportPage.objects.get(slug="annual-report-2022-2023")
    pdf, _pages = render_report_pdf(report=report)
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert not [c for c in CANARIES if c in pdf_text]


def test_withdrawing_consent_removes_the_quote_from_every_page_and_the_next_pdf_at_once(demo):
    client = Client(HTTP_HOST="localhost")
    ally = Quote.objects.get(survivor__chosen_name="Ally")
    words = ally.text[:40]
    assert words in client.get(STAFF_CHAPTER).content.decode()
    assert client.get(STAFF_CHAPTER)["X-Page-Cache"] == "hit"  # served from the cache before the withdrawal
    report = AnnualReportPage.objects.get(slug="annual-report-2022-2023")
    assert words in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(render_report_pdf(report=report)[0])).pages
    ).replace("\n", " ")

    consent_withdraw(consent=Consent.objects.get(survivor=ally.survivor), reason="Asked us to remove it")

    assert words not in client.get(STAFF_CHAPTER).content.decode()
    for url in public_urls(client):
        response = client.get(url)
        if not response.streaming:
            assert words not in response.content.decode("utf-8", "replace"), url
    pdf_text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(render_report_pdf(report=report)[0])).pages
    )
    assert words not in pdf_text.replace("\n", " ")


def test_a_story_whose_consent_is_withdrawn_is_unpublished_and_gone(demo):
    client = Client(HTTP_HOST="localhost")
    story = StoryPage.objects.get(slug="research-into-practice")
    assert client.get(story.url).status_code == 200
    consent_withdraw(consent=Consent.objects.get(person=story.person), reason="Left the organisation")
    story.refresh_from_db()
    assert not story.live
    assert client.get("/stories/research-into-practice/").status_code == 404
    assert "research-into-practice" not in client.get("/sitemap.xml").content.decode()


def test_consent_documents_need_the_safeguarding_permission(demo, django_user_model):
    consent = Consent.objects.filter(survivor__isnull=False).first()
    consent.document.save("form.pdf", ContentFile(b"%PDF-1.4 signed form"))
    editor = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    editor.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_consent"),
        Permission.objects.get(codename="view_consent"),
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(editor)
    refused = client.get(f"/admin/stories/consents/{consent.pk}/document/")
    assert refused.status_code in {302, 403}  # Wagtail turns an admin PermissionDenied into a redirect home
    assert not refused.streaming
    edit = client.get(f"/admin/snippets/stories/consent/edit/{consent.pk}/").content.decode()
    assert 'name="document"' not in edit

    editor.user_permissions.add(Permission.objects.get(codename="view_consent_document"))
    editor = django_user_model.objects.get(pk=editor.pk)  # drop the cached permissions
    client.force_login(editor)
    response = client.get(f"/admin/stories/consents/{consent.pk}/document/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert (
        'name="document"'
        in client.get(f"/admin/snippets/stories/consent/edit/{consent.pk}/").content.decode()
    )
