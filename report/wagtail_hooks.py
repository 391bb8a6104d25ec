"""Admin integration: publishing a report issues an edition; editors can compare live figures with it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from report.checker import check_chapter, check_report
from report.models import AnnualReportPage, ReportChapterPage
from report.services import edition_diff, report_edition_publish


@hooks.register("after_publish_page")
def issue_edition_when_a_report_is_published(request, page):
    """Publishing a report issues an edition; the editor is told of every figure it could not compute."""
    if isinstance(page.specific, AnnualReportPage):
        edition = report_edition_publish(report=page.specific)
        for key, frozen in edition.figures.items():
            if "error" in frozen:
                messages.warning(
                    request, f"Edition {edition.number}: {key} is shown as unavailable: {frozen['error']}"
                )


@hooks.register("after_edit_page")
@hooks.register("after_create_page")
def warn_about_typed_figures_that_disagree_with_records(request, page):
    """On save, list numbers in the chapter text that contradict the statistics."""
    chapter = page.specific
    if not isinstance(chapter, ReportChapterPage):
        return
    for m in check_chapter(chapter, report=chapter.get_parent().specific):
        messages.warning(
            request, f"Figure check: “{m.claimed}” but the records give {m.computed} ({m.statistic})."
        )


def _editable_report(request, report_id: int) -> AnnualReportPage:
    """The report, if this user may edit it: live figures can show what is not yet published."""
    report = get_object_or_404(AnnualReportPage, pk=report_id)
    if not report.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return report


def figure_check_view(request, report_id: int):
    report = _editable_report(request, report_id)
    return TemplateResponse(
        request, "report/admin/figure_check.html", {"report": report, "mismatches": check_report(report)}
    )


def editions_view(request):
    """Every report this user may edit, with its editions and links to live-vs-frozen figures."""
    reports = [
        report
        for report in AnnualReportPage.objects.order_by("-start_date")
        if report.permissions_for_user(request.user).can_edit()
    ]
    return TemplateResponse(request, "report/admin/editions.html", {"reports": reports})


def edition_diff_view(request, report_id: int):
    report = _editable_report(request, report_id)
    rows = edition_diff(report=report)
    return TemplateResponse(
        request,
        "report/admin/edition_diff.html",
        {
            "report": report,
            "edition": report.latest_edition,
            "rows": rows,
            "changed": sum(r["changed"] for r in rows),
        },
    )


@hooks.register("register_admin_urls")
def register_report_admin_urls():
    return [
        path("report/editions/", editions_view, name="report_editions"),
        path("report/<int:report_id>/diff/", edition_diff_view, name="report_edition_diff"),
        path("report/<int:report_id>/check/", figure_check_view, name="report_figure_check"),
    ]


@hooks.register("register_admin_menu_item")
def register_editions_menu_item():
    return MenuItem("Published editions", reverse("report_editions"), icon_name="doc-full-inverse", order=250)
