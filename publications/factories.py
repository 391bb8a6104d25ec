"""Factories for publications: pages, small valid and invalid PDFs, overviews."""

import datetime

import factory
import wagtail_factories
from django.core.files.base import ContentFile

from publications.models import (
    ConventionStandard,
    CountryIndexPage,
    CountryOverview,
    OverviewSection,
    Programme,
    PublicationIndexPage,
    PublicationKind,
    PublicationPage,
)


def pdf_bytes(text: str = "Hello") -> bytes:
    """A minimal one-page PDF whose text layer says ``text`` (ASCII), built by hand for speed."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_file(text: str = "Hello", name: str = "report.pdf") -> ContentFile:
    return ContentFile(pdf_bytes(text), name=name)


BROKEN_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> garbage with no xref or trailer"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")

    class Meta:
        model = Programme


class PublicationIndexPageFactory(wagtail_factories.PageFactory):
    title = "Publications"
    slug = "publications"
    show_in_menus = True

    class Meta:
        model = PublicationIndexPage


class CountryIndexPageFactory(wagtail_factories.PageFactory):
    title = "Countries"
    slug = "countries"
    show_in_menus = True

    class Meta:
        model = CountryIndexPage


class PublicationPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Study {n}")
    kind = PublicationKind.CASE_STUDY
    publication_date = datetime.date(2023, 3, 1)
    summary = factory.Faker("sentence")

    class Meta:
        model = PublicationPage

    class Params:
        research = factory.Trait(
            kind=PublicationKind.RESEARCH_REPORT,
            survivors_consulted=33,
            survivors_consulted_source="the methodology chapter",
        )


class CountryOverviewFactory(factory.django.DjangoModelFactory):
    """A live overview (its row is the published text) without revisions; `draft=True` for one never published."""

    country = "CI"
    year = 2023

    class Meta:
        model = CountryOverview

    class Params:
        draft = factory.Trait(live=False)


class OverviewSectionFactory(factory.django.DjangoModelFactory):
    overview = factory.SubFactory(CountryOverviewFactory)
    manifestation = "online"
    situation = factory.Faker("paragraph")
    priority_actions = "Train police\nFund helplines"

    class Meta:
        model = OverviewSection


class ConventionStandardFactory(factory.django.DjangoModelFactory):
    reference = factory.Sequence(lambda n: f"Art. {n + 1}")
    title = factory.Faker("sentence", nb_words=4)

    class Meta:
        model = ConventionStandard
