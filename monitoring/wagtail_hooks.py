"""Admin for monitoring: one "Monitoring" menu group with sources, collections, items and batches, the review
queue, the attention charts and the media file upload."""

from django.urls import include, path
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from core.admin_views import menu_item_for, titled_view
from core.snippets import PolicySnippetViewSet
from monitoring.admin_views import AttentionView, MediaUploadView, ReviewQueueView
from monitoring.models import Collection, IngestBatch, Item, Source


class SourceViewSet(PolicySnippetViewSet):
    model = Source
    icon = "globe"
    list_display = ["name", "kind", "country", "language"]
    list_filter = ["kind"]


class CollectionViewSet(PolicySnippetViewSet):
    model = Collection
    icon = "folder-open-inverse"
    list_display = ["name"]


class ItemViewSet(PolicySnippetViewSet):
    model = Item
    icon = "doc-full"
    list_display = ["title", "source", "published_at", "duplicate_of"]
    list_filter = ["source"]
    list_per_page = 50


class IngestBatchViewSet(PolicySnippetViewSet):
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


admin_urls = [
    # "tick" is not an icon in Wagtail 8 (the header would show none): "check" is.
    path("review/", titled_view(ReviewQueueView, header_icon="check"), name="review"),
    path("attention/", titled_view(AttentionView), name="attention"),
    path("upload/", titled_view(MediaUploadView), name="upload"),
]


@hooks.register("register_admin_urls")
def register_monitoring_admin_urls():
    return [path("monitoring/", include((admin_urls, "monitoring_admin")))]


@hooks.register("register_monitoring_menu_item")
def register_review_menu_item():
    return menu_item_for(ReviewQueueView, "monitoring_admin:review", icon_name="check", order=100)


@hooks.register("register_monitoring_menu_item")
def register_attention_menu_item():
    return menu_item_for(AttentionView, "monitoring_admin:attention", icon_name="view", order=101)


@hooks.register("register_monitoring_menu_item")
def register_upload_menu_item():
    return menu_item_for(MediaUploadView, "monitoring_admin:upload", icon_name="upload", order=102)
