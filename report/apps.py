from django.apps import AppConfig


class ReportConfig(AppConfig):
    name = "report"
    verbose_name = "Annual report"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from core.request_memo import site_structure_changed
        from report.models import ReportEdition

        # Pages show the latest edition's frozen figures.
        post_save.connect(site_structure_changed, sender=ReportEdition, dispatch_uid="structure_edition_save")
        post_delete.connect(
            site_structure_changed, sender=ReportEdition, dispatch_uid="structure_edition_delete"
        )
