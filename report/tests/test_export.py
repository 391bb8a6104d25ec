"""The static archive opens from disk: relative links, its own stylesheet, the same content."""

import pytest
from django.core.management import CommandError, call_command

from report.factories import AnnualReportPageFactory, ReportChapterPageFactory


@pytest.fixture
def report(site):
    report = AnnualReportPageFactory(
        parent=site.root_page, slug="ar", title="Annual Report", year_label="2022-2023"
    )
    ReportChapterPageFactory(parent=report, slug="outreach", title="Outreach")
    ReportChapterPageFactory(parent=report, slug="staff", title="Staff perspectives")
    return report


def test_export_writes_relative_links_and_copies_the_stylesheet(report, tmp_path):
    call_command("export_report", "2022-2023", str(tmp_path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    index = (tmp_path / "index.html").read_text()
    assert 'href="outreach/index.html"' in index
    assert 'href="static/css/site.css"' in index
    chapter = (tmp_path / "outreach" / "index.html").read_text()
    assert 'href="../index.html"' in chapter
    assert 'href="../staff/index.html"' in chapter
    assert (tmp_path / "static" / "css" / "site.css").exists()


def test_export_of_an_unknown_year_names_the_available_reports(report, tmp_path):
    with pytest.raises(CommandError, match="No published report for '1999'.*2022-2023"):
        call_command("export_report", "1999", str(tmp_path))


@pytest.mark.parametrize("year", ["0", "99999999999999999999", "²⁰²³"])
def test_export_of_a_malformed_year_names_the_available_reports(report, tmp_path, year):
    with pytest.raises(CommandError, match="No published report for .*available: 2022-2023"):
        call_command("export_report", year, str(tmp_path))


def test_export_into_a_file_fails_before_rendering(report, tmp_path):
    target = tmp_path / "taken"
    target.write_text("not a directory")
    with pytest.raises(CommandError, match="exists and is not a directory"):
        call_command("export_report", "2022-2023", str(target))
    assert target.read_text() == "not a directory"


def test_export_under_a_file_names_the_reason(report, tmp_path):
    (tmp_path / "taken").write_text("")
    with pytest.raises(CommandError, match="Cannot create .*taken/archive"):
        call_command("export_report", "2022-2023", str(tmp_path / "taken" / "archive"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_exported_report_opens_from_disk_in_chromium(site, tmp_path, browser_page):
    report = AnnualReportPageFactory(
        parent=site.root_page, slug="ar", title="Annual Report", year_label="2022-2023"
    )
    ReportChapterPageFactory(parent=report, slug="outreach", title="Outreach")
    call_command("export_report", "2022-2023", str(tmp_path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    page = browser_page
    page.goto((tmp_path / "index.html").as_uri())
    page.get_by_role("link", name="Outreach").first.click()
    page.wait_for_url("**/outreach/index.html")
    assert page.get_by_role("heading", level=1).inner_text() == "Outreach"
    # The stylesheet loaded from disk: the skip link is moved off-screen by site.css.
    assert page.eval_on_selector(".skip-link", "e => getComputedStyle(e).position") == "absolute"


def test_export_refuses_an_empty_directory_and_a_private_report(report, tmp_path, monkeypatch):
    from wagtail.models import PageViewRestriction

    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match="Give the directory"):
        call_command("export_report", "2022-2023", "")
    assert not any(tmp_path.iterdir())
    PageViewRestriction.objects.create(page=report, restriction_type="password", password="s3cret")
    with pytest.raises(CommandError, match="is private"):
        call_command("export_report", "2022-2023", str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["import_organisations", "import_people", "import_observations"])
def test_import_commands_name_a_directory_and_a_missing_file(db, tmp_path, command):
    with pytest.raises(CommandError, match="is a directory; give the path of the exported file"):
        call_command(command, str(tmp_path))
    with pytest.raises(CommandError, match="No such file"):
        call_command(command, str(tmp_path / "missing.csv"))


def test_write_nginx_config_names_an_output_it_cannot_write(tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("write_nginx_config", f"--output={tmp_path / 'missing' / 'yearbook.conf'}")
