"""Uploads served by Django in the embedded set-up, with the rule nginx applies in production (templates/core/
nginx.conf): every file except documents, which only Wagtail's view serves after checking their collection."""

import posixpath

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.static import serve

# Wagtail stores every document under this folder of MEDIA_ROOT (AbstractDocument.file's upload_to).
DOCUMENTS_FOLDER = "documents"


def serve_public_media(request: HttpRequest, path: str) -> HttpResponse:
    """Serve ``MEDIA_ROOT/path`` unless it is a document: then 404, whatever spelling reaches the folder."""
    # django.views.static.serve normalises the same way, so "./documents/x" and "a/../documents/x" are caught.
    normalised = posixpath.normpath(path.replace("\\", "/")).lstrip("/")
    if normalised.split("/", 1)[0].lower() == DOCUMENTS_FOLDER:
        raise Http404("Documents are served at /documents/<id>/, which checks who may see them.")
    return serve(request, path, document_root=settings.MEDIA_ROOT)
