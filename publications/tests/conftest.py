import pytest

from publications.factories import (
    CountryIndexPageFactory,
    PublicationIndexPageFactory,
    PublicationPageFactory,
    pdf_file,
)
from publications.services import publication_file_attach


@pytest.fixture
def library(site):
    return PublicationIndexPageFactory(parent=site.root_page)


@pytest.fixture
def countries_index(site):
    return CountryIndexPageFactory(parent=site.root_page)


@pytest.fixture
def moldova(library):
    """A joint overview whose PDF alone contains the word 'quillwort'."""
    page = PublicationPageFactory(
        parent=library,
        title="Joint Country Overview: Moldova",
        slug="moldova",
        kind="joint_country_overview",
        summary="Compliance with the Lanzarote Convention in Moldova.",
    )
    page.countries.create(country="MD")
    page.save()  # modelcluster keeps child rows in memory until the page is saved
    publication_file_attach(page=page, file=pdf_file("The quillwort grows here"), title="Moldova overview")
    return page
