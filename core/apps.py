from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Site"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page, PageViewRestriction
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from core.cache import purge_page_cache

        page_published.connect(purge_page_cache, dispatch_uid="purge_page_cache_on_publish")
        page_unpublished.connect(purge_page_cache, dispatch_uid="purge_page_cache_on_unpublish")
        post_page_move.connect(purge_page_cache, dispatch_uid="purge_page_cache_on_move")
        # A page made private must leave the cache at once, not when its entry expires.
        for signal in (post_save, post_delete):
            signal.connect(
                purge_page_cache, sender=PageViewRestriction, dispatch_uid=f"purge_on_privacy_{signal}"
            )

        def purge_on_page_delete(sender, instance, **kwargs):
            if isinstance(instance, Page):
                purge_page_cache()

        post_delete.connect(purge_on_page_delete, weak=False, dispatch_uid="purge_page_cache_on_delete")
