"""Who may read which extracted text: the model's permissions, narrowed to documents the user may already see."""

from django.db.models import Q
from wagtail.documents import get_document_model
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry


class DocumentTextPolicy(ModelPermissionPolicy):
    """Listing or choosing extracted texts needs the model's permissions, and shows only the texts of files the
    public may search (``DocumentText.objects.public()``) or that Wagtail's document permissions already let the
    user choose or change. Otherwise a search of the texts would reveal the words and titles of PDFs in
    restricted collections and of unpublished publications."""

    def _readable(self, user, queryset):
        if user.is_active and user.is_superuser:
            return queryset
        document_policy = policy_registry.get_by_type(get_document_model())
        choosable = document_policy.instances_user_has_any_permission_for(user, ["choose", "change"])
        public = self.model.objects.public().values("document")
        # One condition on "document", a FilterField, so the listing's and the chooser's search accept it.
        documents = get_document_model().objects.filter(Q(pk__in=public) | Q(pk__in=choosable.values("pk")))
        return queryset.filter(document__in=documents.values("pk"))

    def instances_user_has_any_permission_for(self, user, actions):
        return self._readable(user, super().instances_user_has_any_permission_for(user, actions))

    def instances_user_has_permission_for(self, user, action):
        return self._readable(user, super().instances_user_has_permission_for(user, action))

    def user_has_permission_for_instance(self, user, action, instance):
        return super().user_has_permission_for_instance(user, action, instance) and (
            self._readable(user, self.model.objects.filter(pk=instance.pk)).exists()
        )
