"""The live-vs-edition page reads like the report: statistic labels in words, figures formatted as published."""

import datetime
import re
from decimal import Decimal

import pytest

from core.statistics import Figure, registry
from report.factories import AnnualReportPageFactory, ReportChapterPageFactory
from report.services import edition_diff, report_edition_publish

YOY = "[[comms.yoy_change channel=facebook measure=followers period_end=2023-07-31]]"
NEW = "[[network.new_members start=2023-01-01 end=2023-12-31]]"


@pytest.fixture(autouse=True)
def statistics():
    with (
        registry.temporary(
            "comms.yoy_change",
            lambda channel, measure, period_end: Figure(
                Decimal("3.00"), "on the year before", unit="percent"
            ),
            label="Year-over-year change of a channel measure",
            unit="percent",
        ),
        registry.temporary(
            "network.new_members",
            lambda start, end: Figure(1234, "organisations that joined"),
            label="New member organisations",
        ),
    ):
        yield


@pytest.fixture
def report(site):
    report = AnnualReportPageFactory(
        parent=site.root_page, start_date=datetime.date(2022, 8, 1), end_date=datetime.date(2023, 7, 31)
    )
    ReportChapterPageFactory(
        parent=report, body=[("paragraph", f"<p>Facebook grew {YOY}; {NEW} joined.</p>")]
    )
    report_edition_publish(report=report)
    return report


def test_edition_diff_rows_carry_a_readable_label_and_the_published_text(report):
    rows = {row["key"]: row for row in edition_diff(report=report)}
    yoy = rows["comms.yoy_change channel=facebook measure=followers period_end=2023-07-31"]
    assert yoy["label"] == (
        "Year-over-year change of a channel measure, channel: facebook, measure: followers, "
        "period end: 31 July 2023"
    )
    assert (yoy["frozen"], yoy["frozen_text"], yoy["live_text"]) == ("3.00", "+3%", "+3%")
    new = rows["network.new_members end=2023-12-31 start=2023-01-01"]
    assert new["label"] == "New member organisations, from 1 January 2023 to 31 December 2023"
    assert new["frozen_text"] == "1,234"


def test_edition_diff_labels_an_unknown_statistic_by_its_key(report):
    edition = report.latest_edition
    edition.figures["gone.away year=2023"] = {"value": "5", "unit": "count", "derivation": "", "items": []}
    edition.save()
    rows = {row["key"]: row for row in edition_diff(report=report)}
    assert rows["gone.away year=2023"]["label"] == "gone.away year=2023"
    assert rows["gone.away year=2023"]["live_text"] is None


def test_diff_page_shows_labels_and_formatted_figures(admin_client, report):
    html = admin_client.get(f"/admin/report/{report.pk}/diff/").content.decode()
    assert "Year-over-year change of a channel measure, channel: facebook" in html
    assert "<td>+3%</td>" in html
    assert "<td>3.00</td>" not in html
    assert "1,234" in html


def test_diff_page_summary_has_a_single_full_stop(admin_client, report):
    html = admin_client.get(f"/admin/report/{report.pk}/diff/").content.decode()
    summary = re.search(r"<p>(Edition 1, published .*?)</p>", html).group(1)
    assert summary.endswith(": 0 figures changed since.")
    assert ".." not in summary


def test_editions_menu_item_and_page_heading_agree(admin_client, report):
    from wagtail.admin.menu import admin_menu

    labels = [item.label for item in admin_menu.registered_menu_items]
    assert "Published editions" in labels
    assert "Report editions" not in labels
    html = admin_client.get("/admin/report/editions/").content.decode()
    assert "<title>Published editions" in html


def test_editions_diff_and_checker_are_only_for_editors_of_the_report(report, client, django_user_model):
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="Readers of the admin")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = django_user_model.objects.create_user("reader", "r@example.org", "pw")
    user.groups.add(group)
    client.force_login(user)
    for view in ("diff", "check"):  # Wagtail turns PermissionDenied into a redirect to the dashboard
        response = client.get(f"/admin/report/{report.pk}/{view}/", HTTP_HOST="localhost")
        assert (response.status_code, response.get("Location")) == (302, "/admin/"), view
    listing = client.get("/admin/report/editions/", HTTP_HOST="localhost")
    assert listing.status_code == 200 and report.title not in listing.content.decode()
