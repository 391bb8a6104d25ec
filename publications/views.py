"""Non-page endpoint of publications: the site search at /search/."""

from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from publications.search import site_search


@require_GET
def search(request):
    return TemplateResponse(request, "publications/search.html", site_search(params=request.GET))
