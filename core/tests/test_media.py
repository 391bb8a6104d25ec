"""The embedded set-up serves uploads as nginx does in production: images and report PDFs, never documents."""

import importlib

import pytest
from django.http import Http404
from django.test import RequestFactory, override_settings
from django.urls import resolve

from core.media import serve_public_media


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "private-report.pdf").write_bytes(b"%PDF-1.4 private")
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "photo.png").write_bytes(b"\x89PNG public")
    return tmp_path


def test_public_uploads_are_served(media_root):
    response = serve_public_media(RequestFactory().get("/media/images/photo.png"), "images/photo.png")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG public"


@pytest.mark.parametrize(
    "path",
    [
        "documents/private-report.pdf",
        "./documents/private-report.pdf",
        "images/../documents/private-report.pdf",
        "/documents/private-report.pdf",
        "Documents/private-report.pdf",
        "documents/",
    ],
)
def test_documents_are_never_served_from_media(media_root, path):
    with pytest.raises(Http404):
        serve_public_media(RequestFactory().get(f"/media/{path}"), path)


def test_the_demo_routes_media_through_the_document_refusing_view():
    import yearbook.urls

    try:
        with override_settings(SERVE_MEDIA=True):
            importlib.reload(yearbook.urls)
            match = resolve("/media/documents/private-report.pdf", urlconf=yearbook.urls)
        assert match.func is serve_public_media
    finally:
        importlib.reload(yearbook.urls)
