from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = "Publications and country knowledge"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.documents import get_document_model
        from wagtail.models import CollectionViewRestriction
        from wagtail.permissions import register_permission_policy

        from publications.models import DocumentText
        from publications.permissions import DocumentTextPolicy

        # Its listing and chooser search the text of every PDF: only what the user may already see.
        register_permission_policy(DocumentText, DocumentTextPolicy(DocumentText))

        # A publication's search entry holds its files' text, except for files the public may not open: it must
        # follow when a file moves collection or a collection's privacy changes (see PublicationPage.files_text).
        post_save.connect(
            _document_saved, sender=get_document_model(), dispatch_uid="publications_document_saved"
        )
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(
                _collection_privacy_changed,
                sender=CollectionViewRestriction,
                dispatch_uid=f"publications_collection_privacy_{name}",
            )

        from wagtail.signals import published, unpublished

        from core.cache import purge_page_cache
        from publications.models import CountryOverview

        # Country pages, the comparison and publication pages show published overviews: publishing one (from the
        # editor, a moderator's approval or a revert), unpublishing or deleting it empties the page cache. Saving
        # a draft changes nothing public, so it purges nothing.
        for name, signal in (("publish", published), ("unpublish", unpublished), ("delete", post_delete)):
            signal.connect(
                purge_page_cache, sender=CountryOverview, dispatch_uid=f"publications_overview_{name}"
            )


def _document_saved(sender, instance, **kwargs) -> None:
    from core.cache import purge_page_cache
    from publications.services import publication_search_refresh

    if publication_search_refresh(documents=[instance]):
        purge_page_cache()  # cached search results may quote it


def _collection_privacy_changed(sender, instance, **kwargs) -> None:
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    from core.cache import purge_page_cache
    from publications.services import publication_search_refresh

    collection = Collection.objects.filter(pk=instance.collection_id).first()
    if collection is not None:  # a deleted collection took its restriction with it, and held no documents
        below = get_document_model().objects.filter(collection__path__startswith=collection.path)
        publication_search_refresh(documents=below)
    purge_page_cache()  # cached search results may quote its files
