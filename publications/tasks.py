"""Background tasks of publications (in-process by default, the database queue in production)."""

from django_tasks import task


@task()
def document_text_extract_task(*, document_id: int) -> str:
    """Extract and index the text of one uploaded document; returns the resulting status."""
    from wagtail.documents import get_document_model

    from publications.services import document_text_extract

    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:  # deleted before the worker got to it
        return "gone"
    return document_text_extract(document=document).status
