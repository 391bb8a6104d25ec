"""Publication figures in the report registry."""

import pytest

from core.statistics import StatisticError, registry
from publications.factories import ProgrammeFactory, PublicationPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def study(library):
    page = PublicationPageFactory(parent=library, slug="survivors", research=True, wider_study_countries=13)
    for code in ["KE", "ZA", "NA", "MY", "KH"]:
        page.countries.create(country=code)
    page.save()
    return page


def test_survivors_consulted_is_the_recorded_number_with_its_source(study):
    figure = registry.compute("publications.survivors_consulted", slug="survivors")
    assert figure.value == 33
    assert "the methodology chapter" in figure.derivation


def test_a_study_without_a_recorded_number_is_an_error_not_a_zero(library):
    PublicationPageFactory(parent=library, slug="plain")
    with pytest.raises(StatisticError, match="records no number"):
        registry.compute("publications.survivors_consulted", slug="plain")


def test_study_countries_names_them_and_the_wider_study(study):
    figure = registry.compute("publications.study_countries", slug="survivors")
    assert figure.value == 5
    assert "Kenya" in figure.items
    assert "13 countries" in figure.derivation


def test_counts_by_kind_programme_and_countries(library, study):
    boys = ProgrammeFactory(name="Global Boys Initiative")
    PublicationPageFactory.create_batch(2, parent=library, programme=boys)
    assert registry.compute("publications.total").value == 3
    case_studies = registry.compute("publications.total", kind="case_study")
    assert case_studies.value == 2
    assert case_studies.derivation == "2 case studies in the library."
    assert (
        case_studies.records_url == "/publications/?kind=case_study"
    )  # the records behind the figure, filtered
    assert registry.compute("publications.by_kind").items == ("Case study: 2", "Research report: 1")
    assert "Global Boys Initiative: 2" in registry.compute("publications.by_programme").items
    assert registry.compute("publications.countries_covered").value == 5
    assert registry.compute("publications.by_year").items == ("2023: 3",)
