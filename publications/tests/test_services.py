"""Attaching files: validation, storage, background extraction and the flags for broken files."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from publications.factories import BROKEN_PDF, PublicationPageFactory, pdf_bytes, pdf_file
from publications.models import DocumentText, ExtractionStatus, PublicationFile
from publications.services import document_text_extract, publication_file_attach, publication_files_sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(library):
    return PublicationPageFactory(parent=library)


def test_attaching_a_pdf_stores_it_and_extracts_its_text(page):
    attached = publication_file_attach(page=page, file=pdf_file("Lanzarote findings"), title="Report")
    text = DocumentText.objects.get(document=attached.document)
    assert text.status == ExtractionStatus.EXTRACTED
    assert "Lanzarote findings" in text.text
    assert text.pages == 1
    assert "Lanzarote findings" in page.files_text()


def test_a_file_that_is_not_a_pdf_is_refused_with_its_name_and_nothing_is_stored(page):
    with pytest.raises(ValidationError) as error:
        publication_file_attach(
            page=page, file=ContentFile(b"PK\x03\x04 a zip", name="notes.docx"), title="Notes"
        )
    assert "“notes.docx” is not a PDF" in str(error.value)
    assert get_document_model().objects.count() == 0
    assert PublicationFile.objects.count() == 0


def test_an_oversized_pdf_is_refused_with_its_size_and_the_limit(page, settings):
    settings.PUBLICATIONS_MAX_PDF_BYTES = 1024 * 1024
    big = ContentFile(pdf_bytes() + b" " * (2 * 1024 * 1024), name="big.pdf")
    with pytest.raises(ValidationError) as error:
        publication_file_attach(page=page, file=big, title="Big")
    assert "is 2.0 MB; the limit is 1 MB" in str(error.value)
    assert get_document_model().objects.count() == 0


def test_an_empty_file_is_refused(page):
    with pytest.raises(ValidationError, match="is empty"):
        publication_file_attach(page=page, file=ContentFile(b"", name="empty.pdf"), title="Empty")


def test_a_broken_pdf_is_stored_but_flagged_text_not_extracted(page):
    attached = publication_file_attach(
        page=page, file=ContentFile(BROKEN_PDF, name="broken.pdf"), title="Broken"
    )
    text = DocumentText.objects.get(document=attached.document)
    assert text.status == ExtractionStatus.FAILED
    assert text.get_status_display() == "Text not extracted"
    assert "could not be read" in text.problem
    assert attached.text_status == "Text not extracted"


def test_extraction_runs_again_only_when_the_file_changed(page):
    attached = publication_file_attach(page=page, file=pdf_file("first"), title="Report")
    assert publication_files_sync(page=page) == 0
    document = attached.document
    document.file.save("second.pdf", pdf_file("second version"), save=False)
    document._set_document_file_metadata()
    document.save()
    assert publication_files_sync(page=page) == 1
    assert "second version" in DocumentText.objects.get(document=document).text


def test_extracting_a_document_whose_file_vanished_flags_it(page):
    attached = publication_file_attach(page=page, file=pdf_file("gone soon"), title="Report")
    attached.document.file.storage.delete(attached.document.file.name)
    text = document_text_extract(document=get_document_model().objects.get(pk=attached.document_id))
    assert text.status == ExtractionStatus.FAILED
    assert text.problem
