"""A Content-Security-Policy on every HTML response, and no page of the site or the admin that breaks it."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from wagtail.models import Page

from conftest import axe_violations

REQUIRED = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'self'",
}


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def test_public_pages_carry_a_policy_without_unsafe_inline_scripts(client, site):
    directives = policy(client.get("/"))
    for name, value in REQUIRED.items():
        assert value in directives[name], name
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]


def test_forms_may_post_only_to_the_site_and_paypal(client, site):
    form_action = policy(client.get("/"))["form-action"]
    assert form_action == ["'self'", settings.PAYPAL_CHECKOUT_ORIGIN]


def test_the_admin_allows_wagtails_inline_scripts_and_keeps_every_other_directive(admin_client, client, site):
    admin, public = policy(admin_client.get("/admin/")), policy(client.get("/"))
    assert admin["script-src"] == ["'self'", "'unsafe-inline'"]
    assert admin["style-src"] == ["'self'", "'unsafe-inline'"]
    for name in ("default-src", "object-src", "base-uri", "frame-ancestors", "form-action", "img-src"):
        assert admin[name] == public[name], name


def test_a_template_that_uses_the_nonce_gets_it_in_the_header(rf):
    from django.http import HttpResponse
    from django.template import engines

    from core.csp import ContentSecurityPolicyMiddleware

    template = engines["django"].from_string('<script nonce="{{ CSP_NONCE }}">1</script>')

    def view(request):

        return HttpResponse(template.render({"CSP_NONCE": request.csp_nonce}, request))

    request = rf.get("/")
    response = ContentSecurityPolicyMiddleware(view)(request)
    nonce = str(request.csp_nonce)
    assert f'nonce="{nonce}"' in response.content.decode()
    assert f"'nonce-{nonce}'" in policy(response)["script-src"]


def test_a_page_served_from_the_page_cache_keeps_its_policy(client, site, settings):
    settings.PAGE_CACHE_SECONDS = 60
    first, second = client.get("/"), client.get("/")
    assert second["X-Page-Cache"] == "hit"
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("mode", "origin"), [("live", "https://www.paypal.com"), ("sandbox", "https://www.sandbox.paypal.com")]
)
def test_production_allows_the_checkout_of_its_paypal_mode(mode, origin):
    from core.tests.test_settings import SAMPLE_ENV, run_manage

    script = "from django.conf import settings; print(settings.PAYPAL_CHECKOUT_ORIGIN)"
    result = run_manage("shell", "-c", script, env={**SAMPLE_ENV, "PAYPAL_MODE": mode})
    assert result.returncode == 0, result.stderr
    assert origin in result.stdout


# In real Chromium -------------------------------------------------------------------------------------------

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
});
"""

# Pages that are not pages of the tree: search, the impact page, the donation form, the comparisons, the
# figure pages (these new ones are also checked with axe-core below).
YEAR_PAGES = [
    "/impact/?year=2022-2023",
    "/figures/compare/",
    "/figures/comms.yoy_change/channel=linkedin,measure=followers/",
]
ENDPOINTS = ["/search/?q=child", "/impact/", "/countries/compare/", "/donations/give/?amount=25", *YEAR_PAGES]
ADMIN_URLS = [
    "/admin/",
    "/admin/pages/",
    "/admin/snippets/",
    "/admin/images/",
    "/admin/documents/",
    "/admin/reports/site-history/",
]


def one_live_page_of_each_type() -> list[str]:
    seen, urls = set(), []
    for page in Page.objects.live().public().exclude(depth=1).specific().order_by("path"):
        if page.content_type_id not in seen and page.url:
            seen.add(page.content_type_id)
            urls.append(page.url)
    return urls


def visit(page, url: str) -> list[str]:
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    response = page.goto(url)
    assert response is not None and response.status < 400, (url, response and response.status)
    page.wait_for_load_state("networkidle")
    return [f"{url}: {v}" for v in page.evaluate("window.__cspViolations")] + [f"{url}: {c}" for c in console]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_public_page_type_or_admin_screen_breaks_the_policy(live_server, chromium, django_user_model):
    call_command("load_demo_year", stdout=io.StringIO())
    pages = one_live_page_of_each_type()
    assert len(pages) >= 15  # every page type of the demo year, from the home page to a story

    context = chromium.new_context()  # CSP enforced: Playwright's bypass_csp stays off
    context.add_init_script(RECORD_VIOLATIONS)
    tab = context.new_page()
    violations = []
    inaccessible = []
    for url in [*pages, *ENDPOINTS]:
        violations += visit(tab, f"{live_server.url}{url}")
        if url in YEAR_PAGES:
            inaccessible += [f"{url}: {v}" for v in axe_violations(tab)]
    assert inaccessible == [], "\n".join(inaccessible)

    django_user_model.objects.create_superuser("csp-admin", "csp@example.org", "pw")
    client = Client()
    client.login(username="csp-admin", password="pw")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    edit = f"/admin/pages/{Page.objects.live().specific().exclude(depth=1).last().pk}/edit/"
    for url in [*ADMIN_URLS, edit]:
        violations += visit(tab, f"{live_server.url}{url}")
    context.close()
    assert violations == [], "\n".join(violations)
