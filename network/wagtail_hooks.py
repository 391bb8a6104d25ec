"""Admin for the network, scoped so each organisation's editors change only their own records."""

from django.core.exceptions import PermissionDenied
from django.urls import path
from django_filters.filters import QuerySetRequestMixin
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from network import views
from network.models import FocusArea, NetworkLogEntry, Organisation, Person, Region
from network.permissions import is_secretariat, without_foreign_highlights


class ScopedFilterSet(WagtailFilterSet):
    """Filters that choose an organisation offer only those the user may edit, so they name no one else's."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        for filter_ in self.filters.values():
            if isinstance(filter_, QuerySetRequestMixin) and filter_.queryset.model is Organisation:
                filter_.queryset = Organisation.objects.editable_by(request.user)


class ScopedIndexView(generic.IndexView):
    """Lists only the records of the organisations the user may edit, and offers only those in its filters."""

    base_filterset_class = ScopedFilterSet

    def get_base_queryset(self):
        allowed = self.permission_policy.instances_user_has_any_permission_for(self.request.user, ["change"])
        return super().get_base_queryset().filter(pk__in=allowed.values("pk"))


class InstanceCheckedMixin:
    """Refuse (403) to show or act on a record of an organisation the user may not edit."""

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        if not self.permission_policy.user_has_permission_for_instance(self.request.user, "change", instance):
            raise PermissionDenied
        return instance


class ForUserFormMixin:
    """Pass the user to the ScopedForm (Wagtail passes it only to WagtailAdminModelForm subclasses)."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}


class ScopedCreateView(ForUserFormMixin, generic.CreateView):
    pass


class ScopedCopyView(ForUserFormMixin, InstanceCheckedMixin, generic.CopyView):
    pass


class ScopedEditView(ForUserFormMixin, InstanceCheckedMixin, generic.EditView):
    pass


class ScopedDeleteView(InstanceCheckedMixin, generic.DeleteView):
    pass


class ScopedHistoryView(InstanceCheckedMixin, HistoryView):
    pass


class ScopedUsageView(InstanceCheckedMixin, UsageView):
    pass


class ScopedViewSet(ModelViewSet):
    """A viewset whose listing and every per-record view (edit, delete, history, usage) follow an
    OrganisationScopedPolicy."""

    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    copy_view_class = ScopedCopyView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        viewset = self

        class ScopedForm(form_class):
            """Limit organisation choices to those the user may edit; only the secretariat chooses editors."""

            def __init__(self, *args, for_user=None, **kwargs):
                super().__init__(*args, **kwargs)
                field = self.fields.get("organisation")
                if field is not None and for_user is not None:
                    field.queryset = Organisation.objects.editable_by(for_user)
                if for_user is None or not is_secretariat(for_user):
                    # Dropped from the form, so a posted value is ignored and the panel is not shown.
                    self.fields.pop("editors", None)

        ScopedForm.__name__ = f"{viewset.model.__name__}ScopedForm"
        return ScopedForm


class OrganisationViewSet(ScopedViewSet):
    model = Organisation
    url_prefix = "network/organisations"
    icon = "group"
    list_display = ["name", "short_name", "kind", "country", "region", "joined_on"]
    list_filter = ["kind", "region", "focus_areas"]
    search_fields = ["name", "short_name", "city"]
    form_fields = [
        "name",
        "short_name",
        "slug",
        "kind",
        "country",
        "city",
        "region",
        "founded_year",
        "joined_on",
        "left_on",
        "website",
        "logo",
        "focus_areas",
        "description",
        "parent",
        "editors",
    ]


class PersonViewSet(ScopedViewSet):
    model = Person
    url_prefix = "network/people"
    icon = "user"
    list_display = [
        "name",
        "role",
        "organisation",
        BooleanColumn("may_be_quoted", label="May be quoted", sort_key="may_be_quoted"),
    ]
    list_filter = ["organisation", "may_be_quoted"]
    search_fields = ["name", "role"]
    form_fields = ["name", "role", "organisation", "region", "photo", "may_be_quoted", "email"]


class RegionViewSet(ModelViewSet):
    model = Region
    url_prefix = "network/regions"
    icon = "globe"
    form_fields = ["name", "slug"]


class FocusAreaViewSet(ModelViewSet):
    model = FocusArea
    url_prefix = "network/focus-areas"
    icon = "tag"
    form_fields = ["name", "slug"]


class NetworkGroup(ViewSetGroup):
    menu_label = "Network"
    menu_icon = "group"
    menu_order = 200
    items = (
        OrganisationViewSet("organisations"),
        PersonViewSet("people"),
        RegionViewSet("regions"),
        FocusAreaViewSet("focus_areas"),
    )


@hooks.register("register_admin_viewset")
def register_network_viewsets():
    return NetworkGroup()


@hooks.register("register_admin_urls")
def register_network_admin_urls():
    return [
        path("network/import/", views.import_organisations_view, name="network_import"),
        path("network/export.<str:fmt>", views.export_organisations_view, name="network_export"),
    ]


@hooks.register("register_log_actions")
def log_organisations_and_people_apart(actions):
    """Their history goes to NetworkLogEntry, whose viewable_by_user scopes the site history report."""
    actions.register_model(Organisation, NetworkLogEntry)
    actions.register_model(Person, NetworkLogEntry)


@hooks.register("construct_page_chooser_queryset")
def hide_other_organisations_highlights_from_the_chooser(pages, request):
    """The page chooser and the explorer list pages by their draft titles: they leave out the highlights of
    organisations the user may not edit (NetworkPagePermissionPolicy does the same for reports and the API)."""
    return without_foreign_highlights(request.user, pages)


@hooks.register("construct_explorer_page_queryset")
def hide_other_organisations_highlights_from_the_explorer(parent_page, pages, request):
    return without_foreign_highlights(request.user, pages)


@hooks.register("register_admin_menu_item")
def register_network_import_menu_item():
    from django.urls import reverse
    from wagtail.admin.menu import MenuItem

    class SecretariatMenuItem(MenuItem):
        def is_shown(self, request):
            return is_secretariat(request.user)

    return SecretariatMenuItem(
        "Import organisations", reverse("network_import"), icon_name="upload", order=205
    )
