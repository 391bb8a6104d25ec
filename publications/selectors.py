"""Read-side queries of the library: GET filters and facet counts over publication pages."""

from collections import Counter
from dataclasses import dataclass

from django.core.paginator import Paginator
from django_countries import countries as all_countries

from core.params import year_param
from network.models import FocusArea
from publications.models import LANGUAGES, Programme, PublicationKind, PublicationPage

FILTERS = ("kind", "year", "country", "theme", "programme", "language")


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


def clean_filters(params) -> dict[str, str]:
    """Only well-formed values survive; anything else is ignored rather than an error."""
    filters = {name: (params.get(name) or "").strip() for name in FILTERS}
    if filters["kind"] not in PublicationKind.values:
        filters["kind"] = ""
    filters["year"] = str(year_param(filters["year"]) or "")
    filters["country"] = filters["country"].upper()
    if filters["country"] not in dict(all_countries):
        filters["country"] = ""
    if filters["language"] not in dict(LANGUAGES):
        filters["language"] = ""
    return filters


def apply_filters(pages, filters: dict[str, str]):
    if filters["kind"]:
        pages = pages.filter(kind=filters["kind"])
    if filters["year"]:
        pages = pages.filter(publication_date__year=int(filters["year"]))
    if filters["country"]:
        pages = pages.filter(countries__country=filters["country"])
    if filters["theme"]:
        pages = pages.filter(themes__slug=filters["theme"])
    if filters["programme"]:
        pages = pages.filter(programme__slug=filters["programme"])
    if filters["language"]:
        pages = pages.filter(files__language=filters["language"])
    return pages.distinct()


def facets(pages, filters: dict[str, str]) -> dict[str, list[FacetOption]]:
    """Counts per value of each facet, over the pages matching every *other* selected filter."""
    result = {}
    # Facets whose other filters agree share one query for their pages (all six, when no filter is set), and
    # kind, year and programme are counted from one query over those pages.
    ids_for: dict[tuple, list[int]] = {}
    columns_for: dict[tuple, dict[str, tuple[Counter, dict]]] = {}
    for name in FILTERS:
        others = {**filters, name: ""}
        key = tuple(others.items())
        if key not in ids_for:
            ids_for[key] = list(apply_filters(pages, others).values_list("pk", flat=True))
        if name in ("kind", "year", "programme"):
            if key not in columns_for:
                columns_for[key] = _column_counts(ids_for[key])
            counts, labels = columns_for[key][name]
        else:
            counts, labels = _related_counts(name, ids_for[key])
        result[name] = _options(name, counts, labels, filters[name])
    return result


def _column_counts(ids: list[int]) -> dict[str, tuple[Counter, dict]]:
    """(counts, labels) of the facets stored on the page itself: kind, year and programme."""
    kinds, years, programmes, programme_names = Counter(), Counter(), Counter(), {}
    rows = PublicationPage.objects.filter(pk__in=ids).values_list(
        "kind", "publication_date", "programme__slug", "programme__name"
    )
    for kind, published, programme, programme_name in rows:
        kinds[kind] += 1
        years[str(published.year)] += 1
        if programme:
            programmes[programme] += 1
            programme_names[programme] = programme_name
    return {
        "kind": (kinds, dict(PublicationKind.choices)),
        "year": (years, {year: year for year in years}),
        "programme": (programmes, programme_names),
    }


def _related_counts(name: str, ids: list[int]) -> tuple[Counter, dict]:
    """(counts, labels) of a facet held in related rows: country, theme or language (a page counts once)."""
    qs = PublicationPage.objects.filter(pk__in=ids)
    if name == "country":
        counts = Counter(code for code, _ in qs.values_list("countries__country", "pk").distinct() if code)
        return counts, {code: all_countries.name(code) for code in counts}
    if name == "theme":
        rows = [
            (slug, label)
            for slug, label, _ in qs.values_list("themes__slug", "themes__name", "pk").distinct()
        ]
        return Counter(slug for slug, _ in rows if slug), {slug: label for slug, label in rows if slug}
    counts = Counter(code for code, _ in qs.values_list("files__language", "pk").distinct() if code)
    return counts, dict(LANGUAGES)


def _options(name: str, counts: Counter, labels: dict, selected: str) -> list[FacetOption]:
    if selected and selected not in counts:
        # Keep a selected value that other filters leave empty, so its dropdown still shows what is applied.
        if name in ("theme", "programme"):
            model = FocusArea if name == "theme" else Programme
            labels.update(model.objects.filter(slug=selected).values_list("slug", "name"))
        elif name == "country":
            labels[selected] = all_countries.name(selected)
        if selected in labels or name in ("year", "kind", "language"):
            counts[selected] = 0
    options = [FacetOption(v, str(labels.get(v, v)), n, v == selected) for v, n in counts.items()]
    key = (lambda o: o.value) if name == "year" else (lambda o: o.label)
    return sorted(options, key=key, reverse=name == "year")


def library(*, index, params) -> dict:
    """The library listing: filtered pages (newest first, 20 a page) with facets and active filters."""
    pages = PublicationPage.objects.child_of(index).live().public()
    filters = clean_filters(params)
    results = apply_filters(pages, filters).order_by("-publication_date", "title")
    paginator = Paginator(results.select_related("programme", "cover_image"), 20)
    page_number = params.get("page", "1")
    return {
        "filters": filters,
        "facets": facets(pages, filters),
        "publications": paginator.get_page(page_number),
        "result_count": paginator.count,
        "is_filtered": any(filters.values()),
    }
