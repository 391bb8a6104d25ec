"""Writes of publications: attaching validated files, extracting and indexing their text."""

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.search import index

from publications.extraction import pdf_text
from publications.models import DocumentText, ExtractionStatus, PublicationFile, PublicationPage
from publications.validation import pdf_problem

logger = logging.getLogger("yearbook")


@transaction.atomic
def publication_file_attach(
    *, page: PublicationPage, file: File, title: str, label: str = "", language: str = "en"
) -> PublicationFile:
    """Store ``file`` as a Wagtail document on ``page`` and queue its text extraction.

    Raises ValidationError (nothing stored) when the file is empty, too large or not a PDF; a PDF that pypdf
    cannot read is stored and later flagged "text not extracted"."""
    problem = pdf_problem(file, name=getattr(file, "name", "") or title)
    if problem:
        raise ValidationError({"file": problem})
    document = get_document_model()(title=title)
    document.file.save(getattr(file, "name", "") or f"{page.slug}.pdf", file, save=False)
    document._set_document_file_metadata()
    document.save()
    attached = PublicationFile.objects.create(
        page=page, document=document, label=label, language=language, sort_order=page.files.count()
    )
    document_text_queue(document=document)
    return attached


def document_text_queue(*, document) -> DocumentText:
    """Mark the document's text as pending and enqueue its extraction.

    Enqueued inside the caller's transaction: the database queue only sees it once that commits, and the
    in-process backend (development, tests) extracts at once."""
    from publications.tasks import document_text_extract_task

    text, _ = DocumentText.objects.update_or_create(
        document=document,
        defaults={"status": ExtractionStatus.PENDING, "problem": "", "file_hash": ""},
    )
    document_text_extract_task.enqueue(document_id=document.pk)
    return text


def publication_files_sync(*, page: PublicationPage) -> int:
    """Queue extraction for the page's files that have no text yet or changed since; returns how many."""
    queued = 0
    for attached in page.files.select_related("document"):
        existing = DocumentText.objects.filter(document=attached.document).first()
        if existing is None or existing.is_stale:
            document_text_queue(document=attached.document)
            queued += 1
    return queued


@transaction.atomic
def document_text_extract(*, document) -> DocumentText:
    """Read the document, store its text (or why there is none) and reindex the publications using it."""
    try:
        document.file.open("rb")
        try:
            data = document.file.read()
        finally:
            document.file.close()
    except OSError as exc:
        data, error = b"", f"The file could not be read ({exc})."
    else:
        error = ""
    result = pdf_text(data) if data else None
    problem = error or (result.problem if result else "The file is empty.")
    text, _ = DocumentText.objects.update_or_create(
        document=document,
        defaults={
            "status": ExtractionStatus.FAILED
            if problem and not (result and result.text)
            else ExtractionStatus.EXTRACTED,
            "text": result.text if result else "",
            "pages": result.pages if result else None,
            "problem": problem[:300],
            "file_hash": document.file_hash or "",
            "extracted_at": timezone.now(),
        },
    )
    if text.status == ExtractionStatus.FAILED:
        logger.warning("Text not extracted from document %s: %s", document.pk, problem)
    for page in PublicationPage.objects.filter(files__document=document).distinct():
        index.insert_or_update_object(page)
    return text


def publication_search_refresh(*, documents) -> int:
    """Reindex the publications carrying any of ``documents`` (a queryset or a list), so that a file the public may
    no longer open (moved to or under a collection with a view restriction) leaves their search entry, and one it
    may open again comes back; returns how many pages were reindexed."""
    pages = list(PublicationPage.objects.filter(files__document__in=documents).distinct())
    for page in pages:
        index.insert_or_update_object(page)
    return len(pages)
