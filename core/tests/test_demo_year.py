import hashlib
import re
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.utils.html import strip_tags
from wagtail.models import Page, Site

from report.models import AnnualReportPage, ReportChapterPage
from stories.models import Quote


def database_snapshot() -> dict[str, int]:
    """Row counts of every model, plus every page's latest revision, as a fingerprint of the database."""
    # Wagtail's ReferenceIndex is a derived cache of links between objects, refreshed on every save; it is not data.
    counts = {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.label != "wagtailcore.ReferenceIndex"
    }
    counts["revisions"] = sorted(Page.objects.values_list("pk", "latest_revision_id"))
    return counts


def test_load_demo_year_twice_leaves_the_same_database(db):
    call_command("load_demo_year", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = database_snapshot()
    call_command("load_demo_year", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert database_snapshot() == first


def test_demo_year_publishes_the_report_with_both_seed_chapters(db):
    call_command("load_demo_year", stdout=open("/dev/null", "w"))  # noqa: SIM115
    report = AnnualReportPage.objects.get()
    assert report.year_label == "2022-2023"
    assert (
        Site.objects.get(is_default_site=True).root_page.specific.get_children().filter(pk=report.pk).exists()
    )
    titles = [chapter.title for chapter in report.chapters]
    assert titles == ["Outreach and advocacy: the year in review", "Behind the scenes: what our staff saw"]
    assert all(chapter.live for chapter in ReportChapterPage.objects.all())


def test_every_demo_event_with_a_country_falls_under_a_region(db):
    from events.models import EventPage
    from events.selectors import in_region
    from network.models import Region

    call_command("load_demo_year", stdout=open("/dev/null", "w"))  # noqa: SIM115
    regions = list(Region.objects.values_list("slug", flat=True))
    located = EventPage.objects.exclude(country="")
    assert located.count() >= 2  # the demo's events have countries: the loop below checks something
    for event in located:
        found = [slug for slug in regions if EventPage.objects.filter(in_region(slug), pk=event.pk).exists()]
        assert found, f"{event.title} ({event.country}) is in no region of the events filter"


SEED_FINGERPRINTS = Path(__file__).with_name("seed_sentences.sha256")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def fingerprint(sentence: str) -> str:
    """SHA-256 of a sentence with case, curly quotes and spacing normalised (the seed text itself is not stored)."""
    return hashlib.sha256(" ".join(sentence.translate(QUOTES).split()).casefold().encode()).hexdigest()


def sentences_of(value) -> list[str]:
    """Every sentence of at least eight words in the strings of a (nested) revision content."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in sentences_of(v)]
    if isinstance(value, list):
        return [s for v in value for s in sentences_of(v)]
    if not isinstance(value, str):
        return []
    text = strip_tags(value)
    return [s for s in SENTENCE_END.split(text) if len(s.split()) >= 8]


def test_demo_year_keeps_no_sentence_of_the_seed_pages(db):
    """The seed pages are facts to use, not text to copy: no seed sentence appears on any page or quote.

    The seeds live outside the repository, so the test compares fingerprints (core/tests/seed_sentences.sha256).
    """
    call_command("load_demo_year", stdout=open("/dev/null", "w"))  # noqa: SIM115
    seeds = set(SEED_FINGERPRINTS.read_text().split())
    demo_sentences = [
        sentence
        for page in Page.objects.exclude(latest_revision=None).select_related("latest_revision")
        for sentence in sentences_of(page.latest_revision.content)
    ] + [sentence for quote in Quote.objects.all() for sentence in sentences_of(quote.text)]
    assert len(seeds) > 100
    assert len(demo_sentences) > 100
    assert [s for s in demo_sentences if fingerprint(s) in seeds] == []


def test_seed_fingerprints_catch_a_copied_sentence():
    """The comparison would see a seed sentence pasted into rich text, whatever its spacing and quotes."""
    sentence = "A copied sentence with eight words or more in it."
    seeds = {fingerprint(sentence)}
    pasted = "<p>Our own opening line.  A copied   sentence with eight words or more in it. More.</p>"
    assert any(fingerprint(s) in seeds for s in sentences_of({"body": [pasted]}))


def test_demo_admin_login_is_printed_with_the_url_the_demo_is_served_at(db, settings, tmp_path):
    import io

    from django.contrib.auth import authenticate

    settings.BASE_DIR = tmp_path  # the password file goes to var/ under the checkout
    out = io.StringIO()
    call_command("create_demo_admin", "--site-url", "http://127.0.0.1:8123/", stdout=out)
    printed = out.getvalue()
    assert printed.startswith("Admin login: http://127.0.0.1:8123/admin/  user: admin  password: ")
    password = printed.rsplit(" ", 1)[1].strip()
    assert authenticate(username="admin", password=password) is not None
