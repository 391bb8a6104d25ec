import io

import pytest
from django.core.management import CommandError, call_command

from network.factories import RegionFactory
from network.models import Organisation
from network.services import organisations_export_rows, organisations_import

DEVNULL = io.StringIO()
HEADER = "name,short_name,kind,country,city,region,founded_year,joined_on,left_on,website,focus_areas,aliases,description\n"


def test_bad_rows_are_reported_one_by_one_and_nothing_is_written(db):
    content = (
        HEADER
        + "Association Keoogo,Keoogo,member,BF,Ouagadougou,,1999,2023-03-20,,,,,\n"
        + "Atlantis Aid,,member,XX,,,,,,,,,\n"
        + "Association Keoogo,,member,BF,,,,,,,,,\n"
        + "Ubuchingo,,member,ZM,,,2009,2005-01-01,,,,,\n"
        + "Old Friend,,member,KE,,,,2020-01-01,2019-01-01,,,,\n"
    ).encode()
    report = organisations_import(filename="orgs.csv", content=content, write=True)
    assert report.errors == [
        "Row 3: country: 'XX' is not an ISO country code or name",
        "Row 4: name: 'Association Keoogo' appears more than once in the file",
        "Row 5: joined_on: 2005-01-01 is before the founding year 2009",
        "Row 6: left_on: 2019-01-01 is before joined_on 2020-01-01",
    ]
    assert Organisation.objects.count() == 0


def test_a_valid_file_imports_and_exports_the_same_columns(db):
    RegionFactory(name="West & Central Africa", slug="west-central-africa")
    content = (
        HEADER
        + "ACRIDES Network,ACRIDES,member,Cabo Verde,Praia,West & Central Africa,1998,2023-02-15,,,,ACRIDES,Network of seven\n"
    ).encode()
    report = organisations_import(filename="orgs.csv", content=content, write=True)
    assert (report.errors, report.created) == ([], 1)
    rows = list(organisations_export_rows())
    assert rows[0][:4] == ["name", "short_name", "kind", "country"]
    assert rows[1][:7] == [
        "ACRIDES Network",
        "ACRIDES",
        "member",
        "CV",
        "Praia",
        "West & Central Africa",
        "1998",
    ]


def test_command_is_a_dry_run_unless_told_to_write(db, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(HEADER + "Lumière,,member,SN,,,,,,,,,\n")
    call_command("import_organisations", str(path), stdout=DEVNULL, stderr=DEVNULL)
    assert Organisation.objects.count() == 0
    call_command(
        "import_organisations",
        str(path),
        "--write",
        stdout=DEVNULL,
        stderr=DEVNULL,
    )
    assert Organisation.objects.get().name == "Lumière"


def test_command_fails_naming_the_problem(db, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("title\nx\n")
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_organisations", str(path), stderr=DEVNULL)


def test_people_import_names_unknown_organisations_and_bad_emails_and_writes_nothing(db):
    from network.factories import OrganisationFactory
    from network.models import Person
    from network.services import people_import

    OrganisationFactory(name="ECPAT International", short_name="ECPAT")
    content = (
        b"name,role,organisation,may_be_quoted,email\n"
        b"Amy Crocker,Head of Child Protection and Technology,ECPAT,yes,amy@example.org\n"
        b"Someone,Officer,Nowhere Org,no,\n"
        b"Other,Officer,ECPAT International,no,not-an-email\n"
    )
    report = people_import(filename="people.csv", content=content, write=True)
    assert report.errors == [
        "Row 3: organisation: 'Nowhere Org' is not an organisation of the network",
        "Row 4: email: 'not-an-email' is not an email address",
    ]
    assert Person.objects.count() == 0
    report = people_import(filename="people.csv", content=content.split(b"Someone")[0], write=True)
    assert report.errors == [] and Person.objects.get().may_be_quoted is True
