"""Figures about publications and studies, computed from publication records."""

from collections import Counter
from datetime import date

from core.statistics import Figure, Listing, ListingItem, registry
from publications.models import PublicationCountry, PublicationKind, PublicationPage


def _published(start: date | None = None, end: date | None = None):
    pages = PublicationPage.objects.live().public()
    if start:
        pages = pages.filter(publication_date__gte=start)
    if end:
        pages = pages.filter(publication_date__lte=end)
    return pages


def _period(start, end) -> str:
    if start and end:
        return f" published {start:%d %b %Y}–{end:%d %b %Y}"
    return ""


@registry.register("publications.total", label="Publications")
def total(start: date | None = None, end: date | None = None, kind: str = "") -> Figure:
    pages = _published(start, end)
    if kind:
        pages = pages.filter(kind=kind)
    n = pages.count()
    what = _plural(PublicationKind(kind).label.lower()) if kind in PublicationKind.values else "publications"
    records_url = f"/publications/?kind={kind}" if kind else "/publications/"
    return Figure(n, f"{n} {what}{_period(start, end)} in the library.", records_url=records_url)


def _plural(noun: str) -> str:
    """English plural of a kind's label: case study → case studies, country overview → country overviews."""
    if noun.endswith("y") and noun[-2:-1] not in set("aeiou"):
        return noun[:-1] + "ies"
    return noun + "s"


@registry.register("publications.by_kind", label="Publications by kind")
def by_kind(start: date | None = None, end: date | None = None) -> Figure:
    counts = Counter(_published(start, end).values_list("kind", flat=True))
    labels = dict(PublicationKind.choices)
    items = tuple(f"{labels[k]}: {n}" for k, n in sorted(counts.items(), key=lambda i: labels[i[0]]))
    return Figure(sum(counts.values()), f"Publications{_period(start, end)}, counted by kind.", items=items)


@registry.register("publications.by_year", label="Publications by year")
def by_year() -> Figure:
    counts = Counter(d.year for d in _published().values_list("publication_date", flat=True))
    items = tuple(f"{year}: {n}" for year, n in sorted(counts.items()))
    return Figure(
        sum(counts.values()), "Publications in the library, counted by year of publication.", items=items
    )


@registry.register("publications.by_programme", label="Publications by programme")
def by_programme(start: date | None = None, end: date | None = None) -> Figure:
    counts = Counter(
        name or "No programme" for name in _published(start, end).values_list("programme__name", flat=True)
    )
    items = tuple(f"{name}: {n}" for name, n in sorted(counts.items()))
    return Figure(
        sum(counts.values()), f"Publications{_period(start, end)}, counted by programme.", items=items
    )


@registry.register("publications.countries_covered", label="Countries covered by publications")
def countries_covered(start: date | None = None, end: date | None = None, kind: str = "") -> Figure:
    pages = _published(start, end)
    if kind:
        pages = pages.filter(kind=kind)
    rows = PublicationCountry.objects.filter(page__in=pages.values("pk"))
    names = tuple(sorted({row.country.name for row in rows}))
    return Figure(
        len(names), f"Distinct countries covered by publications{_period(start, end)}.", items=names
    )


def _study(slug: str) -> PublicationPage:
    from core.statistics import StatisticError

    study = _published().filter(slug=slug).first()
    if study is None:
        raise StatisticError(f"There is no live publication with the slug {slug!r}.")
    return study


@registry.register("publications.survivors_consulted", label="Survivors consulted in a study")
def survivors_consulted(slug: str) -> Figure:
    from core.statistics import StatisticError

    study = _study(slug)
    if study.survivors_consulted is None:
        raise StatisticError(f"“{study.title}” records no number of survivors consulted.")
    return Figure(
        study.survivors_consulted,
        f"Survivors consulted for “{study.title}”, as recorded from {study.survivors_consulted_source}.",
        records_url=study.url or "",
    )


@registry.register("publications.study_countries", label="Countries of a study")
def study_countries(slug: str) -> Figure:
    study = _study(slug)
    names = tuple(sorted(c.name for c in study.country_list))
    wider = (
        f" It is part of a wider study covering {study.wider_study_countries} countries."
        if study.wider_study_countries
        else ""
    )
    return Figure(len(names), f"Countries where “{study.title}” was carried out.{wider}", items=names)


@registry.listing("publications.published", label="Publications")
def published(start: date, end: date, kind: str = "", request=None) -> Listing:
    pages = _published(start, end)
    if kind:  # a publication kind, e.g. case_study
        pages = pages.filter(kind=kind)
    return Listing(
        tuple(
            ListingItem(p.title, p.get_url(request) or "", p.publication_date.strftime("%B %Y"))
            for p in pages.order_by("publication_date", "title").defer_streamfields()
        ),
        f"Live publications{_period(start, end)}" + (f" of kind {kind}." if kind else "."),
    )
