from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Network"

    def ready(self):
        from wagtail.models import AbstractPage
        from wagtail.permissions import register_permission_policy

        import network.import_formats  # noqa: F401  (registers the network's export formats)
        from network.models import Organisation, Person
        from network.permissions import NetworkPagePermissionPolicy, OrganisationScopedPolicy

        # Enforced by every admin view of these models, not only hidden in menus.
        # A new organisation has no editors and is public at once: only the secretariat adds one.
        register_permission_policy(
            Organisation, OrganisationScopedPolicy(Organisation, "", secretariat_actions=frozenset({"add"}))
        )
        register_permission_policy(Person, OrganisationScopedPolicy(Person, "organisation"))
        # Another organisation's highlights (and drafts) stay out of every page list Wagtail builds for a user.
        register_permission_policy(AbstractPage, NetworkPagePermissionPolicy("wagtailcore.Page"))
