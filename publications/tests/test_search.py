"""Site search: PDF text is searchable, facets narrow publications, odd queries get a friendly page, and what the
public may not open (a draft's or a private page's PDF, a file in a restricted collection) is neither found nor
quoted."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction
from wagtail.search import index

from publications.factories import PublicationPageFactory, pdf_file
from publications.models import DocumentText, ExtractionStatus, PublicationFile
from publications.search import highlight, query_terms
from publications.services import publication_file_attach

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


# What the public may not open is neither found nor quoted -------------------------------------------------------


def _found(response) -> list[tuple[str, str]]:
    """Every hit and document the search shows, with its snippet."""
    return [(h.title, str(h.snippet)) for h in response.context["hits"]] + [
        (d.title, str(d.snippet)) for d in response.context["documents"]
    ]


def _private_collection(name: str = "Safeguarding"):
    collection = Collection.get_first_root_node().add_child(name=name)
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return collection


def test_the_pdf_of_a_draft_publication_is_neither_found_nor_quoted(client, library):
    draft = PublicationPageFactory(parent=library, title="Embargoed report", slug="embargoed")
    draft.unpublish()
    publication_file_attach(
        page=draft, file=pdf_file("Embargoed finding zanzibarite 42 percent"), title="Embargoed PDF"
    )
    response = client.get("/search/", {"q": "zanzibarite"})
    assert _found(response) == []
    assert "Nothing matches" in response.content.decode()


def test_the_pdf_of_a_publication_behind_a_view_restriction_is_neither_found_nor_quoted(client, library):
    private = PublicationPageFactory(parent=library, title="Internal review", slug="internal")
    publication_file_attach(page=private, file=pdf_file("Internal finding zanzibarite"), title="Internal PDF")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    assert _found(client.get("/search/", {"q": "zanzibarite"})) == []


def test_a_pdf_moved_into_a_login_restricted_collection_is_neither_found_nor_quoted(client, library):
    page = PublicationPageFactory(parent=library, title="Public page", slug="public-page")
    attached = publication_file_attach(
        page=page, file=pdf_file("Safeguarding case file quorbleflax"), title="Case file"
    )
    document = attached.document
    document.collection = _private_collection()
    document.save()
    assert client.get(document.url).status_code in (302, 403)  # Wagtail itself refuses the file
    assert _found(client.get("/search/", {"q": "quorbleflax"})) == []


def test_a_collection_made_private_hides_its_pdfs_and_made_public_again_shows_them(client, library):
    parent = Collection.get_first_root_node().add_child(name="Casework")
    below = parent.add_child(name="Kenya")
    page = PublicationPageFactory(parent=library, title="Public page", slug="public-page")
    attached = publication_file_attach(page=page, file=pdf_file("Case notes quorbleflax"), title="Case notes")
    attached.document.collection = below
    attached.document.save()
    assert len(_found(client.get("/search/", {"q": "quorbleflax"}))) == 2  # the page and its document

    restriction = CollectionViewRestriction.objects.create(
        collection=parent, restriction_type=CollectionViewRestriction.LOGIN
    )
    assert _found(client.get("/search/", {"q": "quorbleflax"})) == []
    restriction.delete()
    assert [title for title, _ in _found(client.get("/search/", {"q": "quorbleflax"}))] == [
        "Public page",
        "Case notes",
    ]


def test_a_public_pages_snippet_never_quotes_its_file_in_a_restricted_collection(client, library):
    page = PublicationPageFactory(parent=library, title="Annual figures", summary="Figures.")
    hidden = publication_file_attach(
        page=page, file=pdf_file("Names of survivors in quorbleflax shelter"), title="Case file"
    )
    hidden.document.collection = _private_collection()
    hidden.document.save()
    publication_file_attach(
        page=page, file=pdf_file("Quorbleflax shelter places: 40"), title="Annual figures"
    )
    found = _found(client.get("/search/", {"q": "quorbleflax"}))
    assert [title for title, _ in found] == ["Annual figures", "Annual figures"]  # the page and its open file
    assert not any("survivors" in snippet for _, snippet in found)


def test_a_page_is_indexed_without_the_text_of_its_files_in_restricted_collections(library):
    page = PublicationPageFactory(parent=library)
    publication_file_attach(page=page, file=pdf_file("Open text"), title="Open")
    hidden = publication_file_attach(page=page, file=pdf_file("Closed text"), title="Closed")
    hidden.document.collection = _private_collection()
    hidden.document.save()
    assert "Open text" in page.files_text()
    assert "Closed text" not in page.files_text()


def test_hidden_documents_do_not_crowd_out_the_one_the_public_may_open(client, library):
    """Forty-two better-ranked hidden documents (a draft's, and a restricted collection's on a public page: more
    than the forty entries the first ranked pass reads) still leave room for the one the public may open."""
    Document = get_document_model()
    private = _private_collection()
    draft = PublicationPageFactory(parent=library, title="Draft", live=False)
    public = PublicationPageFactory(parent=library, title="Public")
    rows = [(draft, None, "quorbleflax " * 5)] * 21 + [(public, private, "quorbleflax " * 5)] * 21
    rows.append((public, None, "quorbleflax once among many other words " * 5))
    for n, (page, collection, text) in enumerate(rows):
        document = Document(title=f"Document {n}", collection=collection or private.get_parent())
        document.file.save(f"d{n}.pdf", ContentFile(b"%PDF-1.4"), save=False)
        document.save()
        PublicationFile.objects.create(page=page, document=document, sort_order=n)
        index.insert_or_update_object(
            DocumentText.objects.create(document=document, status=ExtractionStatus.EXTRACTED, text=text)
        )
    documents = client.get("/search/", {"q": "quorbleflax"}).context["documents"]
    assert [d.title for d in documents] == ["Document 42"]
