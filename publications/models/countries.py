"""One page per country the network touches, at /countries/<iso>/, and a comparison of assessments."""

from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.models import Page

from core.models import BasePage


class CountryIndexPage(RoutablePageMixin, BasePage):
    """Lists the countries the network touches; each has a route with its lowercase ISO alpha-2 code."""

    introduction = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["core.HomePage"]
    subpage_types = []
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from publications.countries import country_listing

        context = super().get_context(request, *args, **kwargs)
        context["countries"] = country_listing()
        return context

    @path("compare/", name="compare")
    def compare(self, request):
        from publications.countries import assessment_table

        context = {"page": self, **assessment_table(params=request.GET)}
        return TemplateResponse(request, "publications/assessment_comparison.html", context)

    @re_path(r"^(?P<iso>[a-z]{2})/$", name="country")
    def country(self, request, iso):
        from publications.countries import country_profile

        profile = country_profile(code=iso.upper())
        if profile is None:
            raise Http404("The network has no records for this country.")
        return TemplateResponse(request, "publications/country.html", {"page": self, **profile})
