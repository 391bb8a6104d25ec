from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Site"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.contrib.settings.models import BaseSiteSetting
        from wagtail.models import Page, PageViewRestriction, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from core.cache import purge_page_cache
        from core.request_memo import site_structure_changed

        for name, signal in (
            ("publish", page_published),
            ("unpublish", page_unpublished),
            ("move", post_page_move),
        ):
            signal.connect(purge_page_cache, dispatch_uid=f"purge_page_cache_on_{name}")
            signal.connect(site_structure_changed, dispatch_uid=f"site_structure_on_{name}")
        for name, signal in (("save", post_save), ("delete", post_delete)):
            # A page made private must leave the cache at once, not when its entry expires.
            signal.connect(
                purge_page_cache, sender=PageViewRestriction, dispatch_uid=f"purge_on_privacy_{name}"
            )
            signal.connect(
                site_structure_changed, sender=PageViewRestriction, dispatch_uid=f"structure_privacy_{name}"
            )
            signal.connect(site_structure_changed, sender=Site, dispatch_uid=f"structure_site_{name}")

        def purge_on_page_delete(sender, instance, **kwargs):
            if isinstance(instance, Page):
                purge_page_cache()

        def structure_on_save(sender, instance, **kwargs):
            # Any page saved (drafts too: factories and imports create live pages without publishing) or any
            # site setting: the menu, the donation page and the settings every page shows may have changed.
            if isinstance(instance, Page | BaseSiteSetting):
                site_structure_changed()
            # Every cached page shows the site settings (name, footer links, announcement): drop them all. Not
            # when a setting is created: `for_site` creates it with its defaults on the first page that reads it.
            if isinstance(instance, BaseSiteSetting | Site) and not kwargs.get("created"):
                purge_page_cache()

        post_delete.connect(purge_on_page_delete, weak=False, dispatch_uid="purge_page_cache_on_delete")
        post_save.connect(structure_on_save, weak=False, dispatch_uid="structure_on_save")
        post_delete.connect(structure_on_save, weak=False, dispatch_uid="structure_on_delete")
