"""Template tags for pages outside the report that point readers to it."""

from django import template

from report.models import AnnualReportPage

register = template.Library()


@register.simple_tag
def latest_reports(count: int = 3):
    """The newest live, public annual reports, newest first (the home page lists them)."""
    return AnnualReportPage.objects.live().public().order_by("-start_date")[:count]
