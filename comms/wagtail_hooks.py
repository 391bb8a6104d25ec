"""Admin for comms: one "Communications" menu group with the podcast, channels, observations and tools."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from comms.admin_views import CommsDashboardView, ObservationUploadView
from comms.models import Channel, ImportBatch, ImportSource, Observation, PodcastSeries, PodcastShow


class PodcastShowViewSet(SnippetViewSet):
    model = PodcastShow
    icon = "media"
    list_display = ["title", "author"]


class PodcastSeriesViewSet(SnippetViewSet):
    model = PodcastSeries
    icon = "list-ul"
    list_display = ["title", "show", "season_number"]


class ChannelViewSet(SnippetViewSet):
    model = Channel
    icon = "globe"
    list_display = ["name", "kind", "owner_name"]
    list_filter = ["kind"]


class ImportSourceViewSet(SnippetViewSet):
    model = ImportSource
    icon = "table"
    list_display = ["label", "name", "channel"]


class ImportBatchViewSet(SnippetViewSet):
    model = ImportBatch
    icon = "upload"
    list_display = ["filename", "source", "row_count", "observation_count", "imported_at"]


class ObservationViewSet(SnippetViewSet):
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
        ObservationViewSet,
    )


register_snippet(CommsViewSetGroup)


def titled_view(view_class: type[WagtailAdminTemplateMixin]):
    """The view with its page title as the last breadcrumb: Wagtail's slim header shows the breadcrumbs as the
    page heading, so with only the default "Home" crumb the page would be headed "Home"."""
    home = WagtailAdminTemplateMixin.breadcrumbs_items
    return view_class.as_view(breadcrumbs_items=[*home, {"url": "", "label": view_class.page_title}])


admin_urls = [
    path("upload/", titled_view(ObservationUploadView), name="upload"),
    path("dashboard/", titled_view(CommsDashboardView), name="dashboard"),
]


@hooks.register("register_admin_urls")
def register_comms_admin_urls():
    return [path("comms/", include((admin_urls, "comms_admin")))]


class PermittedMenuItem(MenuItem):
    """A link shown only to users with every permission its view requires."""

    def __init__(self, *args, permissions: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.permissions = permissions

    def is_shown(self, request):
        return request.user.has_perms(self.permissions)


@hooks.register("register_comms_menu_item")
def register_comms_dashboard_menu_item():
    return PermittedMenuItem(
        CommsDashboardView.page_title,
        reverse("comms_admin:dashboard"),
        icon_name="view",
        order=100,
        permissions=CommsDashboardView.permission_required,
    )


@hooks.register("register_comms_menu_item")
def register_comms_upload_menu_item():
    return PermittedMenuItem(
        ObservationUploadView.page_title,
        reverse("comms_admin:upload"),
        icon_name="upload",
        order=101,
        permissions=ObservationUploadView.permission_required,
    )
