"""RIS and BibTeX records of a publication, for reference managers."""

import re

from publications.models import PublicationKind, PublicationPage

RIS_TYPES = {PublicationKind.RESEARCH_REPORT: "RPRT", PublicationKind.POLICY_BRIEF: "RPRT"}


def to_ris(page: PublicationPage) -> str:
    lines = [f"TY  - {RIS_TYPES.get(page.kind, 'RPRT')}", f"TI  - {page.title}"]
    lines += [f"AU  - {name}" for name in page.author_names] or [f"A2  - {page.publisher}"]
    lines += [
        f"PY  - {page.year}",
        f"DA  - {page.publication_date:%Y/%m/%d}",
        f"PB  - {page.publisher}",
        f"AB  - {page.summary}",
    ]
    lines += [f"KW  - {theme.name}" for theme in page.themes.all()]
    if page.doi:
        lines.append(f"DO  - {page.doi}")
    if page.isbn:
        lines.append(f"SN  - {page.isbn}")
    if page.full_url:
        lines.append(f"UR  - {page.full_url}")
    lines.append("ER  - ")
    return "\r\n".join(line.replace("\n", " ") for line in lines) + "\r\n"


def _bibtex_escape(value: str) -> str:
    return re.sub(r"([{}%&$#_])", r"\\\1", value)


def to_bibtex(page: PublicationPage) -> str:
    first = (page.author_names or [page.publisher])[0]
    key = (
        re.sub(r"[^A-Za-z0-9]", "", first.split()[-1] if first else "anon")
        + str(page.year)
        + re.sub(r"[^a-z0-9]", "", page.slug)[:20]
    )
    # Corporate authors are wrapped in braces so BibTeX does not split them into first and last names.
    authors = (
        " and ".join(_bibtex_escape(n) for n in page.author_names)
        or "{" + _bibtex_escape(page.publisher) + "}"
    )
    fields = {
        "title": "{" + _bibtex_escape(page.title) + "}",
        "author": authors,
        "year": str(page.year),
        "month": f"{page.publication_date:%b}".lower(),
        "institution": _bibtex_escape(page.publisher),
        "type": page.get_kind_display(),
        "abstract": _bibtex_escape(page.summary),
    }
    if page.doi:
        fields["doi"] = page.doi
    if page.isbn:
        fields["isbn"] = page.isbn
    if page.full_url:
        fields["url"] = page.full_url
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
    return f"@techreport{{{key},\n{body}\n}}\n"
