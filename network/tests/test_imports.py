"""The organisation and people imports: empty cells keep, (clear) empties, kinds of new organisations, the dry run's
change list, CiviCRM's contact exports and re-imports that change nothing."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils.text import slugify

from network.demo import FOCUS_AREAS, REGIONS
from network.factories import FocusAreaFactory, OrganisationFactory, RegionFactory
from network.imports import country_code, organisations_import, people_import
from network.models import Organisation, OrganisationAlias, Person
from network.services import organisations_export_rows

DATA = Path(__file__).parent / "data"
DEMO_DATA = Path(__file__).parent.parent / "demo_data"


def _orgs(text: str, **options):
    return organisations_import(filename="orgs.csv", content=text.encode(), **options)


@pytest.fixture
def keoogo(db):
    region = RegionFactory(name="West & Central Africa", slug="west-central-africa")
    return OrganisationFactory(
        name="Association Keoogo",
        slug="association-keoogo",
        short_name="Keoogo",
        kind="member",
        country="BF",
        city="",
        region=region,
        website="https://keoogo.example",
    )


# Empty cells and (clear) ---------------------------------------------------------------------------------------


def test_an_empty_cell_keeps_the_stored_value(keoogo):
    report = _orgs("name,short_name,city,website\nAssociation Keoogo,,Ouagadougou,\n", write=True)
    assert report.errors == []
    keoogo.refresh_from_db()
    # The short name the media matcher uses survives a file that leaves its cell empty.
    assert (keoogo.short_name, keoogo.city, keoogo.website) == (
        "Keoogo",
        "Ouagadougou",
        "https://keoogo.example",
    )


def test_the_clear_marker_empties_a_field(keoogo):
    OrganisationAlias.objects.create(organisation=keoogo, name="Keoogo")
    report = _orgs("name,short_name,region,aliases\nAssociation Keoogo,(clear),(CLEAR),(clear)\n", write=True)
    assert report.errors == []
    keoogo.refresh_from_db()
    assert (keoogo.short_name, keoogo.region, keoogo.aliases.count()) == ("", None, 0)


@pytest.mark.parametrize(
    ("row", "error"),
    [
        ("Association Keoogo,(clear),member", "Row 2: country: (clear) cannot empty country"),
        ("Association Keoogo,BF,(clear)", "Row 2: kind: (clear) cannot empty kind"),
        ("(clear),BF,member", "Row 2: name: (clear) cannot empty name"),
    ],
)
def test_the_clear_marker_in_a_required_field_is_an_error(keoogo, row, error):
    report = _orgs(f"name,country,kind\n{row}\n", write=True)
    assert len(report.errors) == 1 and report.errors[0].startswith(error), report.errors
    keoogo.refresh_from_db()
    assert (keoogo.country.code, keoogo.kind) == ("BF", "member")


def test_people_cells_keep_or_clear_too(db):
    organisation = OrganisationFactory(name="ECPAT International", short_name="ECPAT")
    Person.objects.create(
        organisation=organisation,
        name="Amy Crocker",
        role="Head",
        email="amy@example.org",
        may_be_quoted=True,
    )
    content = b"name,organisation,role,email,may_be_quoted\nAmy Crocker,ECPAT,,(clear),\n"
    report = people_import(filename="p.csv", content=content, write=True)
    assert (report.errors, report.updated) == ([], 1)
    person = Person.objects.get()
    assert (person.role, person.email, person.may_be_quoted) == ("Head", "", True)
    report = people_import(filename="p.csv", content=b"name,organisation\n(clear),ECPAT\n")
    assert report.errors == ["Row 2: name: (clear) cannot empty name, which every record must have"]


# Kinds of new organisations ------------------------------------------------------------------------------------


def test_a_new_organisation_without_a_kind_is_an_error_naming_it(db):
    report = _orgs("name,country\nLumière pour l'Enfance,SN\n", write=True)
    assert len(report.errors) == 1
    assert report.errors[0].startswith("Row 2: kind: empty for a new organisation"), report.errors
    assert "--kind" in report.errors[0]
    assert not Organisation.objects.exists()


def test_the_declared_kind_applies_to_new_rows_without_one_and_not_to_others(keoogo):
    content = "name,kind,country\nAssociation Keoogo,,\nLumière,,SN\nMeta,company,US\n"
    report = _orgs(content, write=True, kind="Partner")
    assert report.errors == []
    assert dict(Organisation.objects.values_list("name", "kind")) == {
        "Association Keoogo": "member",
        "Lumière": "partner",
        "Meta": "company",
    }


def test_a_declared_kind_that_is_not_a_kind_is_refused(db):
    report = _orgs("name,country\nLumière,SN\n", kind="members")
    assert report.errors == [
        "The declared kind 'members' is not one of secretariat, member, partner, funder, intergovernmental, "
        "company; nothing was read."
    ]


# The dry run's change list --------------------------------------------------------------------------------------


def test_the_dry_run_lists_every_field_each_row_would_change(keoogo):
    content = (
        "name,short_name,city,country,kind\n"
        "Association Keoogo,,Ouagadougou,BF,member\n"
        "Lumière pour l'Enfance,,Dakar,Senegal,member\n"
    )
    report = _orgs(content)
    assert report.errors == [] and not report.written
    assert report.changes == [
        "Row 2: Association Keoogo: city '' → 'Ouagadougou'; short_name kept",
        "Row 3: Lumière pour l'Enfance: new organisation (member, SN)",
    ]
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    keoogo.refresh_from_db()
    assert keoogo.city == "" and Organisation.objects.count() == 1


def test_the_dry_run_lists_focus_area_alias_and_people_changes(keoogo):
    FocusAreaFactory(name="Care and recovery", slug="care-and-recovery")
    ecpat = OrganisationFactory(name="ECPAT International")
    Person.objects.create(organisation=ecpat, name="Jane Roe", role="Officer")
    report = _orgs("name,focus_areas,aliases\nAssociation Keoogo,Care and recovery,Keoogo\n")
    assert report.changes == [
        "Row 2: Association Keoogo: focus_areas '' → 'Care and recovery'; aliases + 'Keoogo'"
    ]
    content = (
        b"name,organisation,role\nJane Roe,ECPAT International,Director\nJohn Roe,ECPAT International,\n"
    )
    report = people_import(filename="p.csv", content=content)
    assert report.changes == [
        "Row 2: Jane Roe (ECPAT International): role 'Officer' → 'Director'",
        "Row 3: John Roe (ECPAT International): new person",
    ]
    assert Person.objects.get().role == "Officer"


def test_the_import_command_prints_the_changes_and_takes_the_declared_kind(db, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("name,country\nLumière,SN\n")
    with pytest.raises(CommandError, match="kind: empty for a new organisation"):
        call_command("import_organisations", str(path), stdout=io.StringIO(), verbosity=0)
    out = io.StringIO()
    call_command("import_organisations", str(path), "--kind", "member", stdout=out, verbosity=0)
    assert "Row 2: Lumière: new organisation (member, SN)" in out.getvalue()
    assert "Dry run, nothing written: 1 new, 0 updated, 0 unchanged organisations" in out.getvalue()
    assert not Organisation.objects.exists()


# Reading files as they come --------------------------------------------------------------------------------------


def test_utf16_files_with_a_title_line_and_other_letter_case_headers_are_read(db):
    content = "Network members, as of 2024\n\nNAME\tKind\tCountry\nLumière\tmember\tSN\n".encode("utf-16")
    report = organisations_import(filename="orgs.txt", content=content, write=True)
    assert report.errors == []
    assert Organisation.objects.get().name == "Lumière"
    assert any("UTF-16 LE" in note for note in report.notes)
    assert any("the header is on row 3" in note for note in report.notes)


def test_a_format_holding_people_is_refused_by_the_organisation_import(db):
    report = _orgs("name,country\nLumière,SN\n", export_format="yearbook-people")
    assert report.errors == [
        "The format 'Yearbook people' holds people, not organisations; import the file as people."
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Burkina Faso", "BF"),
        ("Tanzania, United Republic of", "TZ"),
        ("Congo, The Democratic Republic of the", "CD"),
        ("Côte d’Ivoire", "CI"),
        ("Korea, Republic of", "KR"),
        ("bfa", "BF"),
        ("Atlantis", ""),
    ],
)
def test_countries_are_read_by_code_or_by_the_names_crms_use(text, code):
    assert country_code(text) == code


# CiviCRM --------------------------------------------------------------------------------------------------------


def test_a_civicrm_organization_export_is_recognised_and_mapped(keoogo):
    content = (DATA / "civicrm_organisations.csv").read_bytes()
    report = organisations_import(
        filename="civicrm_organisations.csv", content=content, write=True, kind="member"
    )
    assert report.errors == []
    assert report.format_label == "CiviCRM contact export (Organization contacts)"
    assert (report.created, report.updated, report.unchanged) == (3, 1, 0)
    keoogo.refresh_from_db()
    # Nick Name → short_name; City fills the empty city; the legal name becomes an alias.
    assert (keoogo.short_name, keoogo.city, keoogo.website) == (
        "Keoogo",
        "Ouagadougou",
        "https://keoogo.example",
    )
    assert list(keoogo.aliases.values_list("name", flat=True)) == [
        "Association Keoogo pour la protection des enfants"
    ]
    found = {o.name: (o.short_name, o.kind, o.country.code, o.city) for o in Organisation.objects.all()}
    assert found == {
        "Association Keoogo": ("Keoogo", "member", "BF", "Ouagadougou"),
        "Lumière pour l'Enfance": ("", "member", "SN", "Dakar"),
        "Mtoto Salama Foundation": ("Mtoto Salama", "member", "TZ", "Dodoma"),
        "Communauté Abel": ("", "member", "CI", "Grand-Bassam"),
    }


def test_a_civicrm_organization_export_without_a_declared_kind_names_each_new_row(keoogo):
    content = (DATA / "civicrm_organisations.csv").read_bytes()
    report = organisations_import(filename="civicrm_organisations.csv", content=content, write=True)
    assert [e.split(":")[0] for e in report.errors] == ["Row 3", "Row 4", "Row 5"]
    assert Organisation.objects.count() == 1


def test_a_civicrm_individual_export_imports_employees_and_skips_the_rest(db):
    OrganisationFactory(name="ECPAT International", short_name="ECPAT")
    OrganisationFactory(name="Association Keoogo", short_name="Keoogo")
    content = (DATA / "civicrm_individuals.csv").read_bytes()
    report = people_import(filename="civicrm_individuals.csv", content=content, write=True)
    assert report.errors == []
    assert report.format_label == "CiviCRM contact export (Individual contacts)"
    assert report.skipped == [
        "Row 4: Current Employer is empty: a person belongs to an organisation",
        "Row 5: Current Employer 'Acme Consulting Ltd' is not an organisation of the network",
        "Row 6: Contact Type is 'Organization', not Individual",
    ]
    found = {(p.name, p.organisation.short_name, p.role, p.email) for p in Person.objects.all()}
    assert found == {
        ("Amy Crocker", "ECPAT", "Head of Child Protection and Technology", "amy.crocker@ecpat.example"),
        ("Jean-Baptiste Ouédraogo", "Keoogo", "Programme Officer", "jb@keoogo.example"),
    }
    assert not Person.objects.filter(may_be_quoted=True).exists()


def test_the_people_command_reads_a_civicrm_export_and_says_what_it_skipped(db):
    OrganisationFactory(name="ECPAT International", short_name="ECPAT")
    out = io.StringIO()
    call_command("import_people", str(DATA / "civicrm_individuals.csv"), "--write", stdout=out, verbosity=0)
    assert "Format: CiviCRM contact export (Individual contacts)." in out.getvalue()
    assert "Skipped 4 row(s):" in out.getvalue()
    assert "Imported: 1 new, 0 updated, 0 unchanged people." in out.getvalue()


# Re-imports ------------------------------------------------------------------------------------------------------


@pytest.fixture
def vocabularies(db):
    """The regions and focus areas the demo's files name."""
    for name in REGIONS:
        RegionFactory(name=name, slug=slugify(name))
    for name in FOCUS_AREAS:
        FocusAreaFactory(name=name, slug=slugify(name))


def test_importing_the_same_files_again_changes_nothing(vocabularies):
    organisations = (DEMO_DATA / "organisations.csv").read_bytes()
    people = (DEMO_DATA / "people.csv").read_bytes()
    first = organisations_import(filename="organisations.csv", content=organisations, write=True)
    assert (first.errors, first.created) == ([], 57)
    assert people_import(filename="people.csv", content=people, write=True).created == 8
    again = organisations_import(filename="organisations.csv", content=organisations, write=True)
    assert (again.errors, again.created, again.updated, again.unchanged, again.changes) == ([], 0, 0, 57, [])
    again = people_import(filename="people.csv", content=people, write=True)
    assert (again.errors, again.created, again.updated, again.unchanged, again.changes) == ([], 0, 0, 8, [])
    # The export reads back as it was written.
    buffer = io.StringIO()
    csv.writer(buffer).writerows(organisations_export_rows())
    exported = organisations_import(filename="export.csv", content=buffer.getvalue().encode())
    assert (exported.errors, exported.updated, exported.unchanged, exported.changes) == ([], 0, 57, [])


def test_the_demo_files_hold_the_demo_figures(vocabularies):
    organisations_import(
        filename="organisations.csv", content=(DEMO_DATA / "organisations.csv").read_bytes(), write=True
    )
    assert Organisation.objects.members().count() == 43
    assert Organisation.objects.get(name="ECPAT International").slug == "ecpat"
    assert Organisation.objects.get(name="SUSTAIN Cameroon").short_name == ""


def test_the_admin_upload_takes_the_format_and_the_kind_of_new_organisations(db, django_user_model):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    content = (DATA / "civicrm_organisations.csv").read_bytes()
    form = {"holds": "organisations", "export_format": "civicrm-organisations"}
    response = client.post("/admin/network/import/", {**form, "file": SimpleUploadedFile("c.csv", content)})
    page = response.content.decode()
    assert "Row 2: kind: empty for a new organisation" in page
    response = client.post(
        "/admin/network/import/",
        {**form, "kind": "partner", "file": SimpleUploadedFile("c.csv", content)},
    )
    page = response.content.decode()
    assert "Format: CiviCRM contact export (Organization contacts)." in page
    assert "Dry run, nothing written: 4 new, 0 updated, 0 unchanged" in page
    assert "Row 5: Communauté Abel: new organisation (partner, CI)" in page
    assert not Organisation.objects.exists()
