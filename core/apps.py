from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Site"

    def ready(self):
        from wagtail.signals import page_published, page_unpublished

        from core.cache import purge_page_cache

        page_published.connect(purge_page_cache, dispatch_uid="purge_page_cache_on_publish")
        page_unpublished.connect(purge_page_cache, dispatch_uid="purge_page_cache_on_unpublish")
