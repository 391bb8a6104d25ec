"""Publications, country overviews and country pages (split by topic; import from here)."""

from publications.models.countries import CountryIndexPage
from publications.models.documents import DocumentText, ExtractionStatus, hidden_collections
from publications.models.overviews import (
    Assessment,
    Compliance,
    ConventionStandard,
    CountryOverview,
    Manifestation,
    OverviewKind,
    OverviewSection,
)
from publications.models.pages import (
    LANGUAGES,
    PartnerRole,
    PublicationAuthor,
    PublicationCountry,
    PublicationFile,
    PublicationIndexPage,
    PublicationKind,
    PublicationOrganisation,
    PublicationPage,
)
from publications.models.programmes import Programme

__all__ = [
    "LANGUAGES",
    "Assessment",
    "Compliance",
    "ConventionStandard",
    "CountryIndexPage",
    "CountryOverview",
    "DocumentText",
    "ExtractionStatus",
    "Manifestation",
    "OverviewKind",
    "OverviewSection",
    "PartnerRole",
    "Programme",
    "PublicationAuthor",
    "PublicationCountry",
    "PublicationFile",
    "PublicationIndexPage",
    "PublicationKind",
    "PublicationOrganisation",
    "PublicationPage",
    "hidden_collections",
]
