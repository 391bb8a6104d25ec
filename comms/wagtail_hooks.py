"""Admin for comms: one "Communications" menu group with the podcast, channels, observations and tools."""

from django.urls import include, path
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from comms.admin_views import CommsDashboardView, ObservationUploadView
from comms.models import (
    AudienceBaseline,
    Channel,
    ImportBatch,
    ImportSource,
    Observation,
    PodcastSeries,
    PodcastShow,
)
from core.admin_views import menu_item_for, titled_view
from core.snippets import PolicySnippetViewSet


class PodcastShowViewSet(PolicySnippetViewSet):
    model = PodcastShow
    icon = "media"
    list_display = ["title", "author"]


class PodcastSeriesViewSet(PolicySnippetViewSet):
    model = PodcastSeries
    icon = "list-ul"
    list_display = ["title", "show", "season_number"]


class ChannelViewSet(PolicySnippetViewSet):
    model = Channel
    icon = "globe"
    list_display = ["name", "kind", "owner_name"]
    list_filter = ["kind"]


class ImportSourceViewSet(PolicySnippetViewSet):
    model = ImportSource
    icon = "table"
    list_display = ["label", "name", "channel"]


class ImportBatchViewSet(PolicySnippetViewSet):
    model = ImportBatch
    icon = "upload"
    list_display = ["filename", "source", "export_format", "row_count", "observation_count", "imported_at"]


class AudienceBaselineViewSet(PolicySnippetViewSet):
    model = AudienceBaseline
    icon = "pick"
    menu_label = "Audience totals"
    list_display = ["channel", "measure", "date", "value", "note"]
    list_filter = ["channel"]


class ObservationViewSet(PolicySnippetViewSet):
    model = Observation
    icon = "date"
    list_display = ["channel", "measure", "date", "value", "batch"]
    list_filter = ["channel", "measure"]
    list_per_page = 50


class CommsViewSetGroup(SnippetViewSetGroup):
    menu_label = "Communications"
    menu_icon = "mail"
    menu_order = 210
    submenu_hook = "register_comms_menu_item"  # the dashboard and the import join the group's submenu
    items = (
        PodcastShowViewSet,
        PodcastSeriesViewSet,
        ChannelViewSet,
        ImportSourceViewSet,
        ImportBatchViewSet,
        AudienceBaselineViewSet,
        ObservationViewSet,
    )


register_snippet(CommsViewSetGroup)


admin_urls = [
    path("upload/", titled_view(ObservationUploadView), name="upload"),
    path("dashboard/", titled_view(CommsDashboardView), name="dashboard"),
]


@hooks.register("register_admin_urls")
def register_comms_admin_urls():
    return [path("comms/", include((admin_urls, "comms_admin")))]


@hooks.register("register_comms_menu_item")
def register_comms_dashboard_menu_item():
    return menu_item_for(CommsDashboardView, "comms_admin:dashboard", icon_name="view", order=100)


@hooks.register("register_comms_menu_item")
def register_comms_upload_menu_item():
    return menu_item_for(ObservationUploadView, "comms_admin:upload", icon_name="upload", order=101)
