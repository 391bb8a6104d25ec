"""django-csp's middleware, with the admin's exceptions to the site's Content-Security-Policy."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.urls import reverse


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The site's policy everywhere; under the Wagtail admin, ``CONTENT_SECURITY_POLICY_ADMIN_REPLACE`` replaces
    some directives. Wagtail 8's date and time widgets and inline panels render inline scripts with no nonce, and
    its editor adds <style> elements from JavaScript, so the admin cannot run without inline scripts and styles;
    the public site, which holds none, keeps the strict directives.

    Forms may also post to ``PAYPAL_CHECKOUT_ORIGIN``: the donation form's answer redirects the donor there, and
    browsers apply form-action to that redirect."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        parts.update = {"form-action": [settings.PAYPAL_CHECKOUT_ORIGIN], **(parts.update or {})}
        if not report_only and request.path_info.startswith(reverse("wagtailadmin_home")):
            parts.replace = {**settings.CONTENT_SECURITY_POLICY_ADMIN_REPLACE, **(parts.replace or {})}
        return parts
