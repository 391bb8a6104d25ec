import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from core.statistics import registry
from network.factories import FocusAreaFactory, OrganisationFactory, RegionFactory
from network.map import WIDTH, _country_paths
from network.models import NetworkIndexPage, Organisation, OrganisationKind


@pytest.fixture
def index(site):
    page = NetworkIndexPage(title="Our network", slug="network", show_in_menus=True)
    site.root_page.add_child(instance=page)
    return page


def test_new_members_statistic_counts_joins_in_the_period_with_their_countries(db):
    OrganisationFactory(name="Old", joined_on=datetime.date(2015, 1, 1))
    OrganisationFactory(name="Keoogo", country="BF", joined_on=datetime.date(2023, 3, 1))
    OrganisationFactory(name="ACRIDES", country="CV", joined_on=datetime.date(2023, 2, 1))
    OrganisationFactory(
        name="Meta", kind=OrganisationKind.COMPANY, country="US", joined_on=None, founded_year=2004
    )
    figure = registry.compute(
        "network.new_members", start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31)
    )
    assert figure.value == 2
    assert figure.items == ("ACRIDES (Cabo Verde)", "Keoogo (Burkina Faso)")
    countries = registry.compute(
        "network.new_member_countries", start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31)
    )
    assert countries.items == ("Burkina Faso", "Cabo Verde")


def test_members_and_countries_exclude_those_who_left(db):
    OrganisationFactory(country="KE")
    OrganisationFactory(country="KE")
    OrganisationFactory(country="MA", joined_on=datetime.date(2010, 1, 1), left_on=datetime.date(2020, 1, 1))
    assert registry.compute("network.members").value == 2
    assert registry.compute("network.countries").items == ("KE",)


def test_joining_before_founding_is_rejected_by_clean_and_by_the_database(db):
    organisation = OrganisationFactory.build(
        founded_year=2009, joined_on=datetime.date(2005, 1, 1), region=None
    )
    with pytest.raises(ValidationError, match="before it was founded"):
        organisation.clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        organisation.save()


def test_leaving_before_joining_is_rejected_by_the_database(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(joined_on=datetime.date(2020, 1, 1), left_on=datetime.date(2019, 1, 1))


def test_directory_filters_by_region_and_focus_and_draws_the_map(index):
    east = RegionFactory(name="East", slug="east")
    trafficking = FocusAreaFactory(name="Trafficking", slug="trafficking")
    kenyan = OrganisationFactory(name="Nyota Network", country="KE", region=east)
    kenyan.focus_areas.add(trafficking)
    OrganisationFactory(name="Lumière", country="SN")
    client = Client(HTTP_HOST="localhost")
    html = client.get("/network/?region=east").content.decode()
    assert "Nyota Network" in html and "Lumière" not in html
    assert 'data-country="KE" ' not in html  # attribute order: class then data-country
    assert 'class="map__country map__country--on" data-country="KE"' in html
    assert 'class="map__country map__country--on" data-country="SN"' in html
    assert "Lumière" not in client.get("/network/?focus=trafficking").content.decode()


def test_organisation_page_shows_the_record(index):
    OrganisationFactory(name="Association Keoogo", slug="keoogo", country="BF", description="Street work.")
    html = Client(HTTP_HOST="localhost").get("/network/organisations/keoogo/").content.decode()
    assert "Association Keoogo" in html and "Burkina Faso" in html and "Street work." in html


def test_demo_network_has_the_six_2023_members_in_the_seed_countries(db):
    from django.core.management import call_command

    call_command("load_demo_year", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # The seed's "since January 2023", to the end of its report's year (members joining later belong to 2023-2024).
    since, end = datetime.date(2023, 1, 1), datetime.date(2023, 7, 31)
    figure = registry.compute("network.new_member_countries", start=since, end=end)
    assert set(figure.items) == {
        "Burkina Faso",
        "Cabo Verde",
        "Cameroon",
        "Côte d'Ivoire",
        "Democratic Republic of the Congo",
        "Zambia",
    }
    assert Organisation.objects.joined_between(since, end).count() == 6
    later = Organisation.objects.joined_between(datetime.date(2023, 8, 1), datetime.date(2024, 7, 31))
    assert {o.country.code for o in later} == {"TZ", "PH", "PE", "NP"}  # countries the network already had
    assert all(Organisation.objects.members().filter(country=o.country).count() > 1 for o in later)


def test_no_country_outline_draws_a_line_across_the_whole_map():
    _country_paths.cache_clear()
    for code, d in _country_paths():
        for piece in d.split("M")[1:]:
            xs = [float(x) for x, _y in re.findall(r"([\d.]+),([\d.]+)", piece)]
            jumps = [abs(b - a) for a, b in zip(xs, xs[1:], strict=False)]
            assert max(jumps, default=0) <= WIDTH / 2, code
