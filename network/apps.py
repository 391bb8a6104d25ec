from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Network"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from network.models import Organisation, Person
        from network.permissions import OrganisationScopedPolicy

        # Enforced by every admin view of these models, not only hidden in menus.
        register_permission_policy(Organisation, OrganisationScopedPolicy(Organisation, ""))
        register_permission_policy(Person, OrganisationScopedPolicy(Person, "organisation"))
