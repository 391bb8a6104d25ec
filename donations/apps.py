from django.apps import AppConfig
from django.conf import settings


class DonationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "donations"
    verbose_name = "Donations"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from core.permissions import ViewOnlyPolicy
        from donations.currencies import currencies_check
        from donations.models import Refund

        currencies_check(settings.DONATION_CURRENCIES)  # a typo in a currency would fail every gift
        # Refunds come from PayPal's records; nobody edits one in the admin.
        register_permission_policy(Refund, ViewOnlyPolicy(Refund))
