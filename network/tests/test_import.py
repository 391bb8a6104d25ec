import io

import pytest
from django.core.management import CommandError, call_command

from network.factories import RegionFactory
from network.imports import organisations_import
from network.models import Organisation
from network.services import organisations_export_rows

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
    with pytest.raises(CommandError, match="(?i)nothing was written"):
        call_command("import_organisations", str(path), stderr=DEVNULL)


def test_people_import_names_unknown_organisations_and_bad_emails_and_writes_nothing(db):
    from network.factories import OrganisationFactory
    from network.imports import people_import
    from network.models import Person

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


def _import(rows: str, write: bool = True):
    return organisations_import(filename="orgs.csv", content=(HEADER + rows).encode(), write=write)


def test_new_organisations_get_unique_slugs_against_the_database_and_the_file(db):
    from network.factories import OrganisationFactory

    OrganisationFactory(name="Org Slug", slug="org-slug")
    report = _import("Org Slug!,,member,PT,,,,,,,,,\nOrg-Slug,,member,PT,,,,,,,,,\n")
    assert (report.errors, report.created) == ([], 2)
    assert Organisation.objects.get(name="Org Slug!").slug == "org-slug-2"
    assert Organisation.objects.get(name="Org-Slug").slug == "org-slug-3"
    # A later import that creates an organisation works too (it used to hit the UNIQUE empty slug).
    assert _import("Another Org,,member,KE,,,,,,,,,\n").errors == []
    assert Organisation.objects.get(name="Another Org").slug == "another-org"


@pytest.mark.parametrize(
    ("row", "error"),
    [
        ("Org,,member,PT,,,,,,not a url,,,", "Row 2: website: Enter a valid URL."),
        ("x" * 10000 + ",,member,PT,,,,,,,,,", "Row 2: name: Ensure this value has at most 200 characters"),
        ("Org," + "x" * 10000 + ",member,PT,,,,,,,,,", "Row 2: short_name: Ensure this value has at most 50"),
        ("Org,,member,PT,,,-5,,,,,,", "Row 2: founded_year: -5 is not a year between 1800 and"),
        ("Org,,member,PT,,,1e400,,,,,,", "Row 2: founded_year: '1e400' is not a year"),
        ("Org,,member,PT,,,1999.7,,,,,,", "Row 2: founded_year: '1999.7' is not a year"),
        ("Org,,member,PT,,,99999999,,,,,,", "Row 2: founded_year: 99999999 is not a year between"),
        ("Org,,member,PT,,,1700,,,,,,", "Row 2: founded_year: 1700 is not a year between 1800"),
        ("Org,,member,PT,,,,2023-01-01xyz,,,,,", "Row 2: joined_on: '2023-01-01xyz' is not a date"),
        ("Org,,member,PT,,,,,,,," + "x" * 300 + ",", "Row 2: aliases: an alias has 300 characters"),
        ("Org,,member,,,,,,,,,,", "Row 2: country: empty, and a new organisation needs its country"),
    ],
)
def test_rows_the_write_would_refuse_are_reported_in_the_dry_run(db, row, error):
    for write in (False, True):
        report = _import(row + "\n", write=write)
        assert len(report.errors) == 1 and report.errors[0].startswith(error), report.errors
        assert not report.written
    assert Organisation.objects.count() == 0


def test_a_whole_year_as_a_spreadsheet_writes_it_is_accepted(db):
    assert _import("Org,,member,PT,,,1999.0,2000-01-01,,,,,\n").errors == []
    assert Organisation.objects.get().founded_year == 1999


def test_a_name_in_other_letter_case_updates_the_existing_organisation(db):
    from network.factories import OrganisationFactory

    OrganisationFactory(name="ECPAT International", slug="ecpat-international", city="Bangkok")
    report = _import("ECPAT INTERNATIONAL,ECPAT,member,TH,,,,,,,,,\n")
    assert (report.errors, report.created, report.updated) == ([], 0, 1)
    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.short_name) == ("ECPAT International", "ECPAT")


def test_columns_missing_from_the_file_are_left_as_they_are(db):
    from network.factories import OrganisationFactory

    OrganisationFactory(name="Keoogo", slug="keoogo", website="https://keoogo.org", city="Ouagadougou")
    report = organisations_import(filename="o.csv", content=b"name,city\nKeoogo,Bobo-Dioulasso\n", write=True)
    assert report.errors == []
    organisation = Organisation.objects.get()
    assert (organisation.city, organisation.website) == ("Bobo-Dioulasso", "https://keoogo.org")


def test_people_import_checks_lengths_and_yes_no_words(db):
    from network.factories import OrganisationFactory
    from network.imports import people_import
    from network.models import Person

    OrganisationFactory(name="ECPAT International")
    content = (
        "name,role,organisation,may_be_quoted,email\n"
        + "x" * 10000
        + ",,ECPAT International,yes,\n"
        + "Jane Roe,,ECPAT International,no,"
        + "a" * 60
        + "@"
        + ".".join(["b" * 60] * 4)
        + ".org\n"
        + "John Roe,,ecpat international,maybe,\n"
    ).encode()
    report = people_import(filename="people.csv", content=content, write=True)
    assert report.errors == [
        "Row 2: name: Ensure this value has at most 200 characters (it has 10000).",
        "Row 3: email: Ensure this value has at most 254 characters (it has 308).",
        "Row 4: may_be_quoted: 'maybe' is not yes or no; use yes/no, true/false, y/n, 1/0 or x"
        " (or leave it empty for no)",
    ]
    assert Person.objects.count() == 0


def test_the_admin_import_sends_a_people_file_to_the_people_importer(db, django_user_model):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from network.factories import OrganisationFactory
    from network.models import Person

    OrganisationFactory(name="ECPAT International")
    client = Client(HTTP_HOST="localhost")
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    content = (
        b"name,role,organisation,region,may_be_quoted,email\nJane Roe,Officer,ECPAT International,,yes,\n"
    )
    response = client.post(
        "/admin/network/import/",
        {"holds": "people", "write": "on", "file": SimpleUploadedFile("p.csv", content)},
    )
    assert response.status_code == 200
    assert "Imported: 1 new" in response.content.decode()
    assert Person.objects.get().may_be_quoted is True


def test_a_header_only_file_is_not_a_successful_import(db):
    report = organisations_import(filename="o.csv", content=HEADER.encode(), write=True)
    assert report.errors == ["The file has no data rows."]


@pytest.mark.parametrize("command", ["import_organisations", "import_people"])
def test_import_commands_show_row_progress_unless_quiet(db, tmp_path, capsys, command):
    path = tmp_path / "rows.csv"
    path.write_text("name,organisation\nA,X\nB,X\nC,X\n")
    with pytest.raises(CommandError):  # the rows name no known organisation: only the progress matters here
        call_command(command, str(path), stdout=DEVNULL, stderr=DEVNULL)
    assert "3 rows" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command(command, str(path), stdout=DEVNULL, stderr=DEVNULL, verbosity=0)
    assert "rows" not in capsys.readouterr().err


def test_an_empty_kind_keeps_an_existing_organisations_kind_and_a_new_one_takes_the_declared_kind(db):
    from network.factories import OrganisationFactory

    OrganisationFactory(name="Meta", kind="company", country="US")
    content = b"name,kind,country\nMeta,,US\nLumiere,,SN\n"
    report = organisations_import(filename="orgs.csv", content=content, write=True, kind="partner")
    assert not report.errors
    assert dict(Organisation.objects.values_list("name", "kind")) == {"Meta": "company", "Lumiere": "partner"}


def test_a_person_listed_twice_under_an_organisations_name_and_short_name_is_named_as_a_duplicate(db):
    from network.factories import OrganisationFactory
    from network.imports import people_import
    from network.models import Person

    OrganisationFactory(name="Association Keoogo", short_name="Keoogo")
    content = b"name,organisation,role\nJane Roe,Association Keoogo,Director\nJane Roe,Keoogo,Intern\n"
    report = people_import(filename="people.csv", content=content, write=True)
    assert report.errors == ["Row 3: name: 'Jane Roe' appears twice for the same organisation"]
    assert not Person.objects.exists()
