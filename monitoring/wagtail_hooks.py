"""Admin for monitoring: one "Monitoring" menu group with sources, collections, items and batches, the review
queue and the attention charts."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from monitoring.admin_views import AttentionView, ReviewQueueView
from monitoring.models import Collection, IngestBatch, Item, Source


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "globe"
    list_display = ["name", "kind", "country", "language"]
    list_filter = ["kind"]


class CollectionViewSet(SnippetViewSet):
    model = Collection
    icon = "folder-open-inverse"
    list_display = ["name"]


class ItemViewSet(SnippetViewSet):
    model = Item
    icon = "doc-full"
    list_display = ["title", "source", "published_at", "duplicate_of"]
    list_filter = ["source"]
    list_per_page = 50


class IngestBatchViewSet(SnippetViewSet):
    model = IngestBatch
    icon = "upload"
    list_display = [
        "origin",
        "source",
        "status",
        "read_count",
        "stored_count",
        "duplicate_count",
        "skipped_count",
    ]


class MonitoringViewSetGroup(SnippetViewSetGroup):
    menu_label = "Monitoring"
    menu_icon = "search"
    menu_order = 220
    items = (SourceViewSet, CollectionViewSet, ItemViewSet, IngestBatchViewSet)
    submenu_hook = "register_monitoring_menu_item"  # the review queue and the charts join the group's submenu


register_snippet(MonitoringViewSetGroup)


def titled_view(view_class: type[WagtailAdminTemplateMixin], **initkwargs):
    """The view with its page title as the last breadcrumb: Wagtail's slim header shows the breadcrumbs as the
    page heading, so with only the default "Home" crumb the page would be headed "Home"."""
    home = WagtailAdminTemplateMixin.breadcrumbs_items
    crumbs = [*home, {"url": "", "label": view_class.page_title}]
    return view_class.as_view(breadcrumbs_items=crumbs, **initkwargs)


admin_urls = [
    # "tick" is not an icon in Wagtail 8 (the header would show none): "check" is.
    path("review/", titled_view(ReviewQueueView, header_icon="check"), name="review"),
    path("attention/", titled_view(AttentionView), name="attention"),
]


@hooks.register("register_admin_urls")
def register_monitoring_admin_urls():
    return [path("monitoring/", include((admin_urls, "monitoring_admin")))]


class PermittedMenuItem(MenuItem):
    """A link shown only to users with every permission its view requires."""

    def __init__(self, *args, permissions: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.permissions = permissions

    def is_shown(self, request):
        return request.user.has_perms(self.permissions)


@hooks.register("register_monitoring_menu_item")
def register_review_menu_item():
    return PermittedMenuItem(
        ReviewQueueView.page_title,
        reverse("monitoring_admin:review"),
        icon_name="check",
        order=100,
        permissions=ReviewQueueView.permission_required,
    )


@hooks.register("register_monitoring_menu_item")
def register_attention_menu_item():
    return PermittedMenuItem(
        AttentionView.page_title,
        reverse("monitoring_admin:attention"),
        icon_name="view",
        order=101,
        permissions=AttentionView.permission_required,
    )
