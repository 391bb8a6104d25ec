from django.apps import AppConfig


class ReportConfig(AppConfig):
    name = "report"
    verbose_name = "Annual report"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from core.periods import register_period_source
        from core.request_memo import site_structure_changed
        from report import checks  # noqa: F401 (registers the figure-checker system check)
        from report.models import ReportEdition
        from report.periods import annual_report_periods
        from stories.signals import content_taken_down

        # Pages show the latest edition's frozen figures.
        post_save.connect(site_structure_changed, sender=ReportEdition, dispatch_uid="structure_edition_save")
        post_delete.connect(
            site_structure_changed, sender=ReportEdition, dispatch_uid="structure_edition_delete"
        )
        # Every period-dependent page, dashboard and endpoint takes its period from the annual reports.
        register_period_source(annual_report_periods)
        # Stored PDFs are copies of the pages: what consent no longer covers must leave them too.
        content_taken_down.connect(_rerender_pdfs, dispatch_uid="report_pdfs_after_takedown")


def _rerender_pdfs(sender, **kwargs) -> None:
    from report.services import edition_pdfs_rerender

    edition_pdfs_rerender()
