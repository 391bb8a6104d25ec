"""Snippet viewsets whose listing and chooser follow the model's permission policy.

Wagtail's snippet chooser views check only admin access, so a chooser would list survivors, consent scopes or the
text of private PDFs to any editor. Every snippet viewset of the project is a ``PolicySnippetViewSet``: its
chooser is refused to whoever may not open its listing, and both offer only the rows the policy lets the user see.
"""

from functools import cached_property

from django.core.exceptions import PermissionDenied
from wagtail.permissions import policy_registry
from wagtail.snippets.views import chooser
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

# What Wagtail's generic IndexView asks for before it shows a listing.
LISTING_ACTIONS = ("add", "change", "delete", "view")


def visible_to(user, model, queryset):
    """``queryset`` narrowed to the rows of ``model`` that ``user`` may list under its permission policy."""
    policy = policy_registry.get_by_type(model)
    allowed = policy.instances_user_has_any_permission_for(user, LISTING_ACTIONS)
    if allowed.query.is_empty():
        return queryset.none()
    if not allowed.query.where:  # the policy grants every row
        return queryset
    if allowed.query.distinct:  # a join that may repeat rows: the listing's own query stays simple
        return queryset.filter(pk__in=allowed.order_by().values("pk"))
    # The policy's own conditions, so a search of the result filters on the fields the policy names (search
    # backends accept only declared FilterFields, and "pk" is seldom one).
    return queryset & allowed


class PolicyCheckedMixin:
    """Refuse a chooser view (403) to a user who may not list the model, and narrow what it offers."""

    @cached_property
    def listing_policy(self):
        return policy_registry.get_by_type(self.model_class)

    def dispatch(self, request, *args, **kwargs):
        if not self.listing_policy.user_has_any_permission(request.user, LISTING_ACTIONS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def visible(self, queryset):
        return visible_to(self.request.user, self.model_class, queryset)


class ChooseView(PolicyCheckedMixin, chooser.ChooseView):
    def get_object_list(self):
        return self.visible(super().get_object_list())


class ChooseResultsView(PolicyCheckedMixin, chooser.ChooseResultsView):
    def get_object_list(self):
        return self.visible(super().get_object_list())


class ChosenView(PolicyCheckedMixin, chooser.SnippetChosenView):
    def get_object(self, pk):
        return self.visible(self.model_class.objects.all()).get(pk=pk)


class ChosenMultipleView(PolicyCheckedMixin, chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return self.visible(super().get_objects(pks))


class CreateView(PolicyCheckedMixin, chooser.SnippetCreateView):
    pass


class PolicyCheckedChooserViewSet(chooser.SnippetChooserViewSet):
    choose_view_class = ChooseView
    choose_results_view_class = ChooseResultsView
    chosen_view_class = ChosenView
    chosen_multiple_view_class = ChosenMultipleView
    create_view_class = CreateView


class PolicyScopedIndexView(IndexView):
    """The snippet listing (and its search and export) shows only the rows the policy lets the user list."""

    def get_base_queryset(self):
        return visible_to(self.request.user, self.model, super().get_base_queryset())


class PolicySnippetViewSet(SnippetViewSet):
    """A SnippetViewSet whose listing and chooser show only what the model's permission policy allows."""

    chooser_viewset_class = PolicyCheckedChooserViewSet
    index_view_class = PolicyScopedIndexView
