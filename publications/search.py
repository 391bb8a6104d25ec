"""Site search: Wagtail search over every live public page and every document the public may open, with publication
facets and highlighted snippets. Any query, however odd, yields a page: bad input becomes a message, never an error.

What the public may not open is neither searched nor quoted: a document counts only when it is attached to a live,
public publication page and is in no hidden collection (`DocumentText.objects.public()`), and a page's snippet
quotes only such files."""

import json
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import DatabaseError, connection
from django.db.models import TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django_countries import countries as all_countries
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from network.models import FocusArea
from publications.models import (
    LANGUAGES,
    DocumentText,
    Programme,
    PublicationFile,
    PublicationKind,
    PublicationPage,
    hidden_collections,
)
from publications.selectors import FacetOption, apply_filters, clean_filters, facets

logger = logging.getLogger("yearbook")

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
PAGE_LIMIT = 200  # ranked candidates the facets count over
SHOWN_PAGES = 30  # hits rendered with snippets
DOCUMENT_LIMIT = 20
SNIPPET_CHARS = 240


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    kind: str
    snippet: SafeString
    date: object = None


def query_terms(query: str) -> list[str]:
    """Words (letters and digits, any script) of the query; punctuation and operators are dropped."""
    return re.findall(r"\w+", query[:MAX_QUERY_LENGTH], flags=re.UNICODE)[:MAX_TERMS]


def highlight(text: str, terms: list[str], *, width: int = SNIPPET_CHARS) -> SafeString:
    """A window of ``text`` around the first matching term, HTML-escaped, with every term in <mark>."""
    text = re.sub(r"\s+", " ", text or "").strip()
    if not text:
        return mark_safe("")  # noqa: S308 (an empty string)
    pattern = (
        re.compile(r"(?<!\w)(" + "|".join(re.escape(t) for t in terms) + r")\w*", re.IGNORECASE)
        if terms
        else None
    )
    match = pattern.search(text) if pattern else None
    start, end = _word_window(text, match, width)
    window = text[start:end]
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    if pattern is None:
        return mark_safe(escape(prefix + window + suffix))  # noqa: S308 (escaped above)
    parts, last = [], 0
    for m in pattern.finditer(window):
        parts += [escape(window[last : m.start()]), f"<mark>{escape(m.group(0))}</mark>"]
        last = m.end()
    parts.append(escape(window[last:]))
    return mark_safe(escape(prefix) + "".join(parts) + escape(suffix))  # noqa: S308 (every part escaped)


def _word_window(text: str, match, width: int) -> tuple[int, int]:
    """Start and end of a window of about ``width`` characters around ``match`` that cuts only between words
    (a single word longer than the window is the one case cut inside a word)."""
    start = max(0, match.start() - width // 3) if match else 0
    end = min(len(text), start + width)
    if start and text[start - 1] != " ":
        space = text.find(" ", start, match.start() if match else end)
        if space != -1:
            start = space + 1
        elif match:
            start = match.start()
    if end < len(text) and text[end] != " ":
        space = text.rfind(" ", match.end() if match else start, end)
        if space != -1:
            end = space
    return start, end


def _ranked_on_sqlite(queryset, terms: list[str], limit: int) -> list:
    """`queryset` rows matching every term, best first, from one FTS5 pass over Wagtail's search index (rarely two).

    Wagtail's SQLite backend scores each candidate with its own MATCH (a correlated subquery), so its time grows
    with the square of the hits: 1.2 s a search at 500 publications. Same index, same bm25 weights, one pass here.

    The pass ranks every entry and `queryset` then drops what it leaves out (drafts, private pages, files the public
    may not open). When those filled the batch and crowded out rows it keeps, a second pass ranks among the
    queryset's own rows only: exact, but it reads all of them (+15 to 30 ms at 8,000 publications), so only then.
    """
    ranked, batch_full = _fts_ranked(queryset, terms, limit * 2)  # a page can have an entry per content type
    found = queryset.in_bulk(ranked)
    kept = [found[pk] for pk in ranked if pk in found]
    if len(kept) < limit and batch_full:
        ranked, _ = _fts_ranked(queryset, terms, limit * 2, within_queryset=True)
        found = queryset.in_bulk(ranked)
        kept = [found[pk] for pk in ranked if pk in found]
    return kept[:limit]


def _fts_ranked(
    queryset, terms: list[str], rows: int, *, within_queryset: bool = False
) -> tuple[list[int], bool]:
    """Primary keys of the best ``rows`` index entries of `queryset`'s model (only of its rows, if
    ``within_queryset``), best first, and whether there were that many."""
    match = "{title body} : (" + " AND ".join('"' + term.replace('"', '""') + '"' for term in terms) + ")"
    content_types = get_descendants_content_types_pks(queryset.model)
    within_sql, within_params = "", []
    if within_queryset:
        # The queryset's rows by primary key as text, as index entries name them: Django's SQL, values as params.
        subquery, within_params = (
            queryset.order_by()
            .annotate(_object_id=Cast("pk", TextField()))
            .values("_object_id")
            .query.sql_with_params()
        )
        within_sql = f" AND e.object_id IN ({subquery})"
    sql = (
        "SELECT e.object_id FROM wagtailsearch_indexentry_fts f"  # noqa: S608 (within_sql: see above)
        " JOIN wagtailsearch_indexentry e ON f.rowid = e.id"
        " WHERE wagtailsearch_indexentry_fts MATCH %s"
        " AND e.content_type_id IN (SELECT value FROM json_each(%s))"
        f"{within_sql}"
        " ORDER BY bm25(wagtailsearch_indexentry_fts) * e.title_norm + bm25(wagtailsearch_indexentry_fts), e.id"
        " LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, json.dumps(list(content_types)), *within_params, rows])
        found = cursor.fetchall()
    return list(dict.fromkeys(int(object_id) for (object_id,) in found)), len(found) == rows


def _search(queryset, query: str, terms: list[str], limit: int) -> list:
    """Ranked matches: one FTS5 pass on SQLite, Wagtail's backend elsewhere (PostgreSQL ranks in one pass)."""
    backend = get_search_backend()
    # By name: the SQLite backend's module cannot even be imported when the database is PostgreSQL.
    if type(backend).__name__ == "SQLiteSearchBackend":
        return _ranked_on_sqlite(queryset, terms, limit)
    return list(backend.search(query, queryset)[:limit])


def _file_texts(page_ids: list[int]) -> dict[int, str]:
    """Extracted text of the listed publications' files that the public may open, in one query.

    ``page_ids`` are live, public pages (search hits); a file in a hidden collection is never quoted."""
    texts: dict[int, list[str]] = {}
    rows = (
        PublicationFile.objects.filter(page_id__in=page_ids)
        .exclude(document__collection__in=hidden_collections())
        .values_list("page_id", "document__extracted__text")
    )
    for page_id, text in rows:
        if text:
            texts.setdefault(page_id, []).append(text)
    return {page_id: "\n".join(chunks) for page_id, chunks in texts.items()}


# What a reader calls each kind of page, by model label; a page model may also set ``search_type_label``.
TYPE_LABELS = {
    "core.HomePage": "Home page",
    "network.NetworkIndexPage": "Member directory",
    "network.MemberHighlightPage": "Member highlight",
    "events.EventIndexPage": "Events",
    "events.EventPage": "Event",
    "comms.PodcastIndexPage": "Podcast",
    "comms.PodcastEpisodePage": "Podcast episode",
    "donations.DonationPage": "Donate",
    "stories.StoryIndexPage": "Stories",
    "stories.StoryPage": "Story",
    "advocacy.CampaignIndexPage": "Campaigns",
    "advocacy.CampaignPage": "Campaign",
    "advocacy.DossierIndexPage": "Legislation",
    "advocacy.DossierPage": "Legislation",
    "publications.CountryIndexPage": "Countries",
    "publications.PublicationIndexPage": "Library",
    "publications.PublicationPage": "Publication",
    "report.AnnualReportPage": "Annual report",
    "report.ReportChapterPage": "Report chapter",
}


def type_label(page) -> str:
    """The reader-facing kind of a hit: a publication's own kind, else the page type's name without "page"."""
    if isinstance(page, PublicationPage) and page.kind:
        return str(page.get_kind_display())
    model = page.specific_class or type(page)
    label = getattr(model, "search_type_label", None) or TYPE_LABELS.get(model._meta.label)
    if not label:
        label = re.sub(r"( index)? page$", "", str(model._meta.verbose_name)) or "Page"
    return str(label)[:1].upper() + str(label)[1:]


def _keep_selected_options(facet_options: dict, filters: dict[str, str]) -> dict:
    """Every selected filter stays in its dropdown (count 0) even when none of the hits has that value."""
    kept = {}
    for name, options in facet_options.items():
        value = filters.get(name, "")
        if value and not any(o.selected for o in options):
            options = [*options, FacetOption(value, _facet_label(name, value), 0, True)]
            key = (lambda o: o.value) if name == "year" else (lambda o: o.label)
            options = sorted(options, key=key, reverse=name == "year")
        kept[name] = options
    return kept


def _facet_label(name: str, value: str) -> str:
    if name == "kind":
        return str(dict(PublicationKind.choices).get(value, value))
    if name == "country":
        return str(all_countries.name(value) or value)
    if name == "theme":
        return FocusArea.objects.filter(slug=value).values_list("name", flat=True).first() or value
    if name == "programme":
        return Programme.objects.filter(slug=value).values_list("name", flat=True).first() or value
    if name == "language":
        return str(dict(LANGUAGES).get(value, value))
    return value


def _page_text(page, files_text: str = "") -> str:
    chunks = [
        getattr(page, name, "") or ""
        for name in ("summary", "standfirst", "introduction", "search_description")
    ]
    return " ".join(str(c) for c in [*chunks, files_text] if c)


def site_search(*, params) -> dict:
    """Pages and documents matching ``q``; publication facets narrow the publications among the pages."""
    raw = (params.get("q") or "").strip()
    terms = query_terms(raw)
    filters = clean_filters(params)
    context = {
        "query": raw[:MAX_QUERY_LENGTH],
        "terms": terms,
        "filters": filters,
        "hits": [],
        "documents": [],
        "facets": {},
        "message": "",
    }
    if not terms:
        context["message"] = (
            "Type a word or two to search the site and the text of our publications."
            if not raw
            else "That search has no words we can look for; try a name, a country or a topic."
        )
        return context
    query = " ".join(terms)
    try:
        public_pages = Page.objects.live().public()
        pages = _search(public_pages, query, terms, PAGE_LIMIT)
        readable = DocumentText.objects.public(pages=public_pages).select_related("document")
        documents = _search(readable, query, terms, DOCUMENT_LIMIT)
    except (DatabaseError, ValueError) as exc:  # a backend's parser choking on input is a message, not a 500
        logger.warning("Search for %r failed: %s", query, exc)
        context["message"] = "We could not run that search; please try other words."
        return context

    # The SQLite index can return a page once per matching entry; keep its best-ranked place only.
    seen: set[int] = set()
    pages = [p for p in pages if not (p.pk in seen or seen.add(p.pk))]
    publication_ids = [p.pk for p in pages if p.specific_class is PublicationPage]
    publications = PublicationPage.objects.filter(pk__in=publication_ids)
    context["facets"] = _keep_selected_options(facets(publications, filters), filters)
    unfiltered_count = len(pages)
    if any(filters.values()):
        kept = set(apply_filters(publications, filters).values_list("pk", flat=True))
        pages = [p for p in pages if p.pk in kept]
    context["total_pages"] = len(pages)
    pages = pages[:SHOWN_PAGES]
    specific = {p.pk: p for p in Page.objects.filter(pk__in=[p.pk for p in pages]).specific()}
    texts = _file_texts([p.pk for p in pages])
    for page in pages:
        page = specific.get(page.pk, page)
        context["hits"].append(
            Hit(
                title=page.title,
                url=page.url,
                kind=type_label(page),
                snippet=highlight(_page_text(page, texts.get(page.pk, "")), terms),
                date=getattr(page, "publication_date", None),
            )
        )
    if not any(filters.values()):
        context["documents"] = [
            Hit(title=d.document.title, url=d.document.url, kind="Document", snippet=highlight(d.text, terms))
            for d in documents
        ]
    if not context["hits"] and any(filters.values()) and (unfiltered_count or documents):
        # The words match; the filters left nothing. Say so, and offer the same search without them.
        context["message"] = f"No results for “{raw[:MAX_QUERY_LENGTH]}” with these filters."
        context["unfiltered_url"] = (
            reverse("publications:search") + "?" + urlencode({"q": raw[:MAX_QUERY_LENGTH]})
        )
    elif not context["hits"] and not context["documents"]:
        context["message"] = f"Nothing matches “{raw[:MAX_QUERY_LENGTH]}”. Try fewer or different words."
    return context
