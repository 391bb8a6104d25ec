"""Top-level URLs: admin, documents, machine-readable endpoints, then Wagtail's page tree."""

from django.conf import settings
from django.urls import include, path
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]

if settings.SERVE_MEDIA:
    # The demo and development serve uploads (report PDFs, images) themselves; production leaves it to nginx.
    # Documents are never among them: Wagtail's /documents/<id>/ view checks their collection's privacy.
    from django.urls import re_path

    from core.media import serve_public_media

    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve_public_media)]

urlpatterns += [
    path("", include("comms.urls")),
    path("donations/", include("donations.urls")),
    path("", include("publications.urls")),
    path("", include("report.urls")),
    path("", include(wagtail_urls)),
]
