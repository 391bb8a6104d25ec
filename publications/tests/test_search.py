"""Site search: PDF text is searchable, facets narrow publications, odd queries get a friendly page."""

import pytest

from publications.search import highlight, query_terms

pytestmark = pytest.mark.django_db


def test_a_word_only_in_the_pdf_finds_the_publication_with_a_highlighted_snippet(client, moldova):
    response = client.get("/search/", {"q": "quillwort"})
    assert response.status_code == 200
    hits = response.context["hits"]
    assert [h.title for h in hits] == ["Joint Country Overview: Moldova"]
    assert "<mark>quillwort</mark>" in hits[0].snippet
    assert [d.title for d in response.context["documents"]] == ["Moldova overview"]


def test_facets_count_and_narrow_the_publications_found(client, moldova):
    response = client.get("/search/", {"q": "quillwort", "kind": "case_study"})
    assert response.context["hits"] == []
    kinds = {o.value: o.count for o in response.context["facets"]["kind"]}
    assert kinds == {"joint_country_overview": 1, "case_study": 0}  # the selected kind stays in the list
    assert client.get("/search/", {"q": "quillwort", "country": "md"}).context["hits"]


@pytest.mark.parametrize(
    "query", ["", "   ", "!!! ???", '"', "AND OR NOT", "*", "') OR 1=1 --", "x" * 5000, "日本語"]
)
def test_empty_and_nonsense_queries_get_a_friendly_page(client, moldova, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    if not response.context["hits"]:
        assert response.context["message"]


def test_nothing_found_says_so(client, moldova):
    response = client.get("/search/", {"q": "zyxxyzzy"})
    assert "Nothing matches “zyxxyzzy”" in response.content.decode()


def test_search_reaches_other_page_types(client, site, moldova):
    site.root_page.title = "Welcome to the quillwort network"
    site.root_page.save_revision().publish()
    titles = [h.title for h in client.get("/search/", {"q": "quillwort"}).context["hits"]]
    assert set(titles) == {"Joint Country Overview: Moldova", "Welcome to the quillwort network"}


def test_highlight_escapes_html_and_marks_prefixes():
    snippet = highlight("<b>Children</b> and childhood", ["child"])
    assert snippet == "&lt;b&gt;<mark>Children</mark>&lt;/b&gt; and <mark>childhood</mark>"


def test_query_terms_drop_operators_and_punctuation():
    assert query_terms('"boys" AND (online)*') == ["boys", "AND", "online"]


def test_one_pass_sqlite_ranking_finds_what_wagtails_backend_finds_best_title_first(library, moldova):
    """The SQLite shortcut must agree with Wagtail's own search: same pages, live only, title hits ranked first."""
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    from publications.factories import PublicationPageFactory
    from publications.search import _search

    if type(get_search_backend()).__name__ != "SQLiteSearchBackend":
        pytest.skip("the one-pass ranking exists only for SQLite; PostgreSQL uses Wagtail's backend")
    PublicationPageFactory(parent=library, title="Lanzarote in practice", summary="Notes.")
    PublicationPageFactory(parent=library, title="Draft on Lanzarote", summary="Lanzarote.", live=False)
    PublicationPageFactory(parent=library, title="Unrelated", summary="Nothing to see.")
    live = Page.objects.live().public()
    ours = _search(live, "lanzarote", ["lanzarote"], 200)
    assert {p.pk for p in ours} == {p.pk for p in live.search("lanzarote")}
    assert [p.title for p in ours] == ["Lanzarote in practice", "Joint Country Overview: Moldova"]


def test_filters_that_leave_no_hit_say_so_and_link_to_the_search_without_them(client, moldova):
    response = client.get("/search/", {"q": "quillwort", "year": "2019"})
    html = response.content.decode()
    assert response.context["hits"] == []
    assert "No results for “quillwort” with these filters." in html
    assert "Nothing matches" not in html
    assert '<a href="/search/?q=quillwort">' in html


def test_filter_panel_stays_open_when_the_filters_leave_no_hit(client, moldova):
    html = client.get("/search/", {"q": "quillwort", "year": "2019"}).content.decode()
    assert '<details class="search-facets" open>' in html


def test_selected_year_stays_in_the_dropdown_when_no_hit_has_it(client, moldova):
    response = client.get("/search/", {"q": "quillwort", "year": "2019"})
    years = {o.value: (o.count, o.selected) for o in response.context["facets"]["year"]}
    assert years == {"2023": (1, False), "2019": (0, True)}
    assert '<option value="2019" selected>2019 (0)</option>' in response.content.decode()


def test_snippet_is_cut_between_words():
    text = "word " * 20 + "boys " + "lengthy " * 60
    snippet = str(highlight(text, ["boys"], width=60))
    assert snippet.startswith("… word ") and snippet.endswith(" …")
    inner = snippet.removeprefix("… ").removesuffix(" …").replace("<mark>boys</mark>", "boys")
    assert all(word in {"word", "boys", "lengthy"} for word in inner.split(" "))


def test_hits_are_labelled_with_the_reader_facing_type(client, site, moldova):
    from events.factories import EventIndexPageFactory, EventPageFactory

    EventPageFactory(
        parent=EventIndexPageFactory(parent=site.root_page), title="Quillwort summit", summary="Plants."
    )
    kinds = {h.title: h.kind for h in client.get("/search/", {"q": "quillwort"}).context["hits"]}
    assert kinds == {"Joint Country Overview: Moldova": "Joint country overview", "Quillwort summit": "Event"}
