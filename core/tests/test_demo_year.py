import hashlib
import re
from datetime import date
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.test import Client
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
    report = AnnualReportPage.objects.get(year_label="2022-2023")
    assert (report.start_date, report.end_date) == (date(2022, 8, 1), date(2023, 7, 31))
    assert (
        Site.objects.get(is_default_site=True).root_page.specific.get_children().filter(pk=report.pk).exists()
    )
    titles = [chapter.title for chapter in report.chapters]
    assert titles == ["Outreach and advocacy: the year in review", "Behind the scenes: what our staff saw"]
    assert all(chapter.live for chapter in ReportChapterPage.objects.all())


def test_demo_years_are_the_seed_year_and_the_one_after_it_each_with_its_report(db):
    from core.demo import DemoContext, DemoYear

    years = DemoContext().years
    assert years == (
        DemoYear("2022-2023", date(2022, 8, 1), date(2023, 7, 31)),
        DemoYear("2023-2024", date(2023, 8, 1), date(2024, 7, 31)),
    )
    assert (DemoContext().year_label, DemoContext().start, DemoContext().end) == (
        "2022-2023",
        date(2022, 8, 1),
        date(2023, 7, 31),
    )
    call_command("load_demo_year", stdout=open("/dev/null", "w"))  # noqa: SIM115
    reports = AnnualReportPage.objects.live().order_by("start_date")
    assert [(r.slug, r.year_label, r.start_date, r.end_date) for r in reports] == [
        (f"annual-report-{y.label}", y.label, y.start, y.end) for y in years
    ]
    second = reports.last()
    assert [chapter.title for chapter in second.chapters] == [
        "Reach and attention: a year of steadier growth",
        "A growing network: new members and meetings",
    ]
    assert second.editions.count() == 1
    # The home page lists both years, newest first.
    html = Client(HTTP_HOST="localhost").get("/").content.decode()
    listed = html[html.index('id="reports-heading"') :]
    listed = listed[: listed.index("</ul>")]
    assert re.findall(r"Annual Report \d{4}-\d{4}", listed) == [
        "Annual Report 2023-2024",
        "Annual Report 2022-2023",
    ]


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


# Every organisation the two seed pages name, as they spell it, with the kind the seed gives it where it gives one.
# Read from the seeds, not from the demo: the Outreach page's She Leads partners, summit co-organiser, campaign
# partner, legislation coalition, joint-overview co-producer, research partners and funder, member highlights and
# new members (with the federations two of them belong to), and the Staff page's research partners. Places and
# institutions the seeds mention only as settings (the European Union as legislator) are not organisations here.
SEED_ORGANISATIONS = [
    ("ECPAT International", "secretariat"),
    ("Plan International Netherlands", None),
    ("Defence for Children – ECPAT the Netherlands", None),
    ("DCI-ECPAT", None),
    ("African Women’s Development and Communication Network", None),
    ("FEMNET", None),
    ("Terre des Hommes the Netherlands", None),
    ("Equal Measures 2030", None),
    ("AMANE", "member"),
    ("ECLAG", None),
    ("Meta", None),
    ("Lanzarote Committee Secretariat", None),
    ("Global Partnership to End Violence Against Children", "funder"),
    ("INTERPOL", None),
    ("UNICEF Office of Research – Innocenti", None),
    ("Association Keoogo", "member"),
    ("CHS Alternativo", "member"),
    ("ECPAT Foundation", "member"),
    ("Shakti Samuha", "member"),
    ("Associação Crianças Desfavorecidas", "member"),
    ("ACRIDES", "member"),
    ("Children’s Voice", "member"),
    ("Communauté Abel", "member"),
    ("Gruppo Abele Onlus", None),
    ("Ubuchingo Defence For Children – Zambia", "member"),
    ("Defence for Children International", None),
    ("SUSTAIN Cameroon", "member"),
]
# The six organisations the Outreach page introduces as new members, and the country it gives each.
SEED_NEW_MEMBERS = {
    "ACRIDES": "CV",
    "Association Keoogo": "BF",
    "Children’s Voice": "CD",
    "Communauté Abel": "CI",
    "Ubuchingo Defence For Children – Zambia": "ZM",
    "SUSTAIN Cameroon": "CM",
}


def _spelling(name: str) -> str:
    return " ".join(name.translate(QUOTES).split()).casefold()


def test_every_organisation_the_seed_pages_name_is_in_the_demo_years_records(db):
    from network.models import Organisation

    call_command("load_demo_year", stdout=open("/dev/null", "w"))  # noqa: SIM115
    known = {}
    for organisation in Organisation.objects.prefetch_related("aliases"):
        names = [organisation.name, organisation.short_name, *(a.name for a in organisation.aliases.all())]
        known.update({_spelling(name): organisation for name in names if name})
    missing = [name for name, _ in SEED_ORGANISATIONS if _spelling(name) not in known]
    assert missing == [], f"named in the seed pages, in no demo record: {missing}"
    wrong_kind = [
        (name, known[_spelling(name)].kind)
        for name, kind in SEED_ORGANISATIONS
        if kind and known[_spelling(name)].kind != kind
    ]
    assert wrong_kind == []
    joined = {
        _spelling(o.name): o.country.code
        for o in Organisation.objects.joined_between(date(2022, 8, 1), date(2023, 7, 31))
    }
    assert joined == {_spelling(known[_spelling(n)].name): code for n, code in SEED_NEW_MEMBERS.items()}
    # No invented organisation stands in for one the seeds name.
    assert not Organisation.objects.filter(name__icontains="(demo)").exists()


def test_sustain_cameroon_carries_what_the_seed_says_of_it(db):
    from network.models import Organisation

    call_command("load_demo_year", stdout=open("/dev/null", "w"))  # noqa: SIM115
    sustain = Organisation.objects.get(name="SUSTAIN Cameroon")
    assert (sustain.country.code, sustain.region.name) == ("CM", "West & Central Africa")
    assert {"Child, early and forced marriage", "Trafficking"} <= {f.name for f in sustain.focus_areas.all()}
    for fact in ("North-West", "trafficking", "modern slavery", "training"):
        assert fact in sustain.description
    assert Organisation.objects.get(name="Ubuchingo Defence For Children – Zambia").parent.name == (
        "Defence for Children International"
    )


def test_every_demo_event_output_links_to_a_live_publication_and_the_page_shows_the_link(db):
    from django.test import Client

    from events.models import EventOutput
    from publications.models import PublicationPage

    call_command("load_demo_year", stdout=open("/dev/null", "w"))  # noqa: SIM115
    outputs = EventOutput.objects.select_related("event", "publication")
    assert {o.title for o in outputs} >= {
        "Global Boys Summit: Outcomes Report",
        "Global Boys Summit: Summary Report",
        "Regional Workshop: In-Depth Event Review",
        "Regional Workshop: Summary and Action Plan",
    }
    client = Client(HTTP_HOST="localhost")
    for output in outputs:
        assert output.publication is not None, f"{output.title} links nowhere"
        publication = PublicationPage.objects.live().public().get(pk=output.publication_id)
        html = client.get(output.event.url).content.decode()
        assert f'<a href="{publication.url}">{output.title}</a>' in html
        # and the event page's revision holds the link, so publishing the event again keeps it
        latest = output.event.get_latest_revision_as_object()
        assert output.publication_id in {o.publication_id for o in latest.outputs.all()}
