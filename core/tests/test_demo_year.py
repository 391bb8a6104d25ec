from django.apps import apps
from django.core.management import call_command
from wagtail.models import Page, Site

from report.models import AnnualReportPage, ReportChapterPage


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


def test_demo_year_keeps_no_sentence_of_the_seed_pages(db, settings):
    """The seed pages are facts to use, not text to copy: no seed sentence may appear in a chapter."""
    import re
    from pathlib import Path

    call_command("load_demo_year", stdout=open("/dev/null", "w"))  # noqa: SIM115
    seeds = Path(settings.BASE_DIR).parent / "shared" / "seeds"
    sentences = {
        s.strip()
        for f in seeds.glob("*.txt")
        for s in re.split(r"(?<=[.!?])\s+", f.read_text())
        if len(s.split()) >= 8
    }
    chapter_text = " ".join(str(c.body) + c.standfirst for c in ReportChapterPage.objects.all())
    copied = [s for s in sentences if s in chapter_text]
    assert sentences, "the seed pages were not found"
    assert copied == []
