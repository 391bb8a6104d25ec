"""Public pages: the library with filters and facets, a publication, citations, feeds, country pages."""

import json

import feedparser
import pytest
from wagtail.models import PageViewRestriction

from events.factories import EventIndexPageFactory, EventPageFactory
from events.models import ActionLevel, ActionPoint, EventIndexPage
from network.factories import FocusAreaFactory, OrganisationFactory
from publications.factories import (
    ConventionStandardFactory,
    CountryOverviewFactory,
    OverviewSectionFactory,
    ProgrammeFactory,
    PublicationPageFactory,
)
from publications.models import Assessment, Compliance, OverviewKind, PublicationFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(library):
    boys = ProgrammeFactory(name="Global Boys Initiative", slug="global-boys-initiative")
    theme = FocusAreaFactory(name="Online exploitation", slug="online")
    cases = [
        PublicationPageFactory(parent=library, title=f"Case study {n}", programme=boys, kind="case_study")
        for n in range(3)
    ]
    cases[0].themes.add(theme)
    cases[0].save()
    overview = PublicationPageFactory(
        parent=library,
        title="Country Overview: Ecuador",
        kind="country_overview",
        publication_date="2022-11-01",
    )
    overview.countries.create(country="EC")
    overview.save()  # modelcluster keeps child rows in memory until the page is saved
    return {"cases": cases, "overview": overview, "programme": boys}


def test_library_filters_by_kind_and_shows_facet_counts(client, library, shelf):
    response = client.get(library.url, {"kind": "case_study"})
    assert response.status_code == 200
    assert response.context["result_count"] == 3
    kinds = {o.value: o.count for o in response.context["facets"]["kind"]}
    assert kinds == {"case_study": 3, "country_overview": 1}  # counts ignore the facet's own selection
    assert "Country Overview: Ecuador" not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": "2022"}, 1),
        ({"country": "ec"}, 1),
        ({"programme": "global-boys-initiative"}, 3),
        ({"theme": "online"}, 1),
        ({"kind": "no-such-kind", "year": "20x", "country": "ZZ"}, 4),  # nonsense filters are ignored
    ],
)
def test_library_filters(client, library, shelf, params, expected):
    assert client.get(library.url, params).context["result_count"] == expected


def test_library_filters_by_file_language(client, library, moldova):
    PublicationFile.objects.filter(page=moldova).update(language="fr")
    assert client.get(library.url, {"language": "fr"}).context["result_count"] == 1
    assert client.get(library.url, {"language": "en"}).context["result_count"] == 0


def test_publication_page_shows_files_citation_and_json_ld(client, moldova):
    moldova.authors.create(name="A. Researcher")
    moldova.save()
    response = client.get(moldova.url)
    html = response.content.decode()
    assert "Moldova overview" in html
    assert "A. Researcher (2023). Joint Country Overview: Moldova [Joint country overview]." in html
    data = json.loads(response.context["json_ld"])
    assert data["@type"] == "Report"
    assert data["spatialCoverage"] == [{"@type": "Country", "name": "Moldova"}]


def test_research_reports_are_scholarly_articles(library):
    page = PublicationPageFactory(parent=library, research=True)
    assert json.loads(page.json_ld())["@type"] == "ScholarlyArticle"


def test_citation_falls_back_to_the_publisher_as_corporate_author(library):
    page = PublicationPageFactory(
        parent=library, title="Boys", doi="10.1234/boys", publication_date="2023-06-01"
    )
    assert page.citation == "ECPAT International (2023). Boys [Case study]. https://doi.org/10.1234/boys"


def test_ris_and_bibtex_downloads(client, moldova):
    ris = client.get(moldova.url + "cite/ris/")
    assert ris["Content-Disposition"] == 'attachment; filename="moldova.ris"'
    body = ris.content.decode()
    assert body.startswith("TY  - RPRT\r\nTI  - Joint Country Overview: Moldova")
    assert body.rstrip().endswith("ER  -")
    bib = client.get(moldova.url + "cite/bibtex/")
    assert bib["Content-Disposition"] == 'attachment; filename="moldova.bib"'
    assert bib.content.decode().startswith("@techreport{")
    assert "author = {{ECPAT International}}" in bib.content.decode()


def test_rss_and_atom_feeds_list_new_publications(client, library, shelf):
    rss = feedparser.parse(client.get(library.url + "feed/rss/").content)
    assert [e.title for e in rss.entries][0] == "Case study 0" or len(rss.entries) == 4
    assert len(rss.entries) == 4
    atom = client.get(library.url + "feed/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert len(feedparser.parse(atom.content).entries) == 4


def test_cover_image_becomes_the_open_graph_image(client, library):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Cover", file=get_test_image_file())
    page = PublicationPageFactory(parent=library, cover_image=image)
    assert 'property="og:image"' in client.get(page.url).content.decode()


@pytest.fixture
def ivory_coast(site, countries_index, library):
    member = OrganisationFactory(name="Communauté Abel", slug="abel", country="CI")
    events = EventIndexPageFactory(parent=site.root_page)
    EventPageFactory(parent=events, title="Abidjan training", country="CI", past=True)
    publication = PublicationPageFactory(
        parent=library, title="Country Overview: Côte d'Ivoire", kind="country_overview"
    )
    publication.countries.create(country="CI")
    publication.save()
    overview = CountryOverviewFactory(country="CI", publication=publication, is_demo_content=True)
    OverviewSectionFactory(overview=overview, manifestation="online", situation="Rising use of mobile money.")
    return {"member": member, "publication": publication}


def test_country_page_shows_members_events_publications_and_overview(client, countries_index, ivory_coast):
    response = client.get(countries_index.url + "ci/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Communauté Abel",
        "Abidjan training",
        "Country Overview: Côte d&#x27;Ivoire",
        "Rising use of mobile money.",
        "Train police",
        "Demo content",
    ):
        assert text in html, text


def test_country_index_lists_only_countries_the_network_touches(client, countries_index, ivory_coast):
    countries = client.get(countries_index.url).context["countries"]
    assert [t.country.code for t in countries] == ["CI"]


@pytest.mark.parametrize("code", ["zz", "fr", "c1", "civ"])
def test_unknown_or_untouched_countries_are_404(client, countries_index, ivory_coast, code):
    assert client.get(countries_index.url + f"{code}/").status_code == 404


def test_assessments_compare_across_countries(client, countries_index):
    standard = ConventionStandardFactory(reference="Art. 18", title="Sexual abuse")
    for code, compliance in [("MD", Compliance.PARTIALLY), ("FI", Compliance.COMPLIANT)]:
        overview = CountryOverviewFactory(country=code, kind=OverviewKind.JOINT)
        Assessment.objects.create(overview=overview, standard=standard, compliance=compliance)
    CountryOverviewFactory(country="IT", kind=OverviewKind.JOINT)
    response = client.get(countries_index.url + "compare/")
    assert [o.country.code for o in response.context["columns"]] == ["FI", "IT", "MD"]
    assert [c["label"] for c in response.context["rows"][0]["cells"]] == [
        "Compliant",
        "No data",
        "Partially compliant",
    ]


def test_an_overview_points_to_its_publication_except_on_that_publication(
    client, countries_index, ivory_coast
):
    assert "From the publication" in client.get(countries_index.url + "ci/").content.decode()
    publication_page = client.get(ivory_coast["publication"].url).content.decode()
    assert "Rising use of mobile money." in publication_page  # the overview is shown there
    assert "From the publication" not in publication_page


def test_library_keeps_a_selected_value_that_other_filters_empty(client, library, shelf):
    # Case studies exist, and a 2022 publication exists, but no 2022 case study.
    response = client.get(library.url, {"kind": "case_study", "year": "2022", "theme": "online"})
    assert response.context["result_count"] == 0
    years = {o.value: (o.count, o.selected) for o in response.context["facets"]["year"]}
    assert years["2022"] == (0, True)
    html = response.content.decode()
    assert '<option value="2022" selected>2022 (0)</option>' in html
    assert '<option value="online" selected>Online exploitation (0)</option>' in html


def test_library_does_not_invent_options_for_unknown_slugs(client, library, shelf):
    response = client.get(library.url, {"theme": "no-such-theme"})
    assert "no-such-theme" not in {o.value for o in response.context["facets"]["theme"]}


def test_country_pages_leave_out_events_behind_a_view_restriction_and_their_action_points(
    client, countries_index, ivory_coast
):
    events = EventIndexPage.objects.get()
    closed = EventPageFactory(parent=events, title="Closed survivors retreat", country="CI", past=True)
    PageViewRestriction.objects.create(page=closed, restriction_type=PageViewRestriction.LOGIN)
    ActionPoint.objects.create(
        event=closed, text="Relocate the shelter in Bouaké", level=ActionLevel.NATIONAL, country="CI"
    )
    elsewhere = EventPageFactory(parent=events, title="Closed Nairobi meeting", country="KE", past=True)
    PageViewRestriction.objects.create(page=elsewhere, restriction_type=PageViewRestriction.LOGIN)
    ActionPoint.objects.create(
        event=elsewhere, text="Shelter audit", level=ActionLevel.NATIONAL, country="NA"
    )

    html = client.get(countries_index.url + "ci/").content.decode()
    assert "Abidjan training" in html
    assert "Closed survivors retreat" not in html
    assert "Relocate the shelter" not in html
    countries = client.get(countries_index.url).context["countries"]
    assert [(t.country.code, t.events) for t in countries] == [("CI", 1)]
    assert client.get(countries_index.url + "ke/").status_code == 404
    assert client.get(countries_index.url + "na/").status_code == 404


def test_an_overview_does_not_link_its_publication_while_that_is_a_draft(
    client, countries_index, ivory_coast
):
    publication = ivory_coast["publication"]
    publication.unpublish()
    html = client.get(countries_index.url + "ci/").content.decode()
    assert "Rising use of mobile money." in html  # the overview itself still shows
    assert "From the publication" not in html and f"/{publication.slug}/" not in html
