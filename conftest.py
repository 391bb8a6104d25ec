"""Project-wide fixtures: a Wagtail site to hang pages on, and real Chromium for browser tests."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls our tests make there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE_JS = Path(__file__).parent / "core" / "tests" / "vendor" / "axe.min.js"
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _forget_site_structure():
    """Each test starts without the skeleton an earlier test's (rolled back) pages left remembered."""
    from core.request_memo import forget_until_edited

    forget_until_edited()


@pytest.fixture
def site(db):
    """The default Site rooted at a fresh HomePage (replacing Wagtail's welcome page)."""
    from core.factories import site_with_home_page

    return site_with_home_page()


@pytest.fixture
def admin_client(site, django_user_model):
    """A client logged in as a superuser ("admin") on the default site (replaces pytest-django's own)."""
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.org", "pw"))
    return client


@pytest.fixture(scope="session")
def chromium():
    """One headless Debian Chromium for the whole run."""
    from playwright.sync_api import sync_playwright

    args = [*CHROMIUM_ARGS, *(["--no-sandbox"] if os.geteuid() == 0 else [])]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    """A fresh browser tab (own cookies) per test."""
    context = chromium.new_context(viewport={"width": 390, "height": 844})  # a phone-sized screen
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (WCAG 2.x A/AA rules) on the current page and return violations of the given impacts."""
    # Evaluated through the DevTools protocol rather than added as a <script>: the site's Content-Security-Policy
    # (rightly) refuses inline scripts, and the tests must see the pages under the policy they are served with.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(f"() => {{ {AXE_JS.read_text()}\n }}")
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


@pytest.fixture
def assert_accessible():
    """Call with a Playwright page; fails listing every serious or critical axe-core violation."""

    def check(page):
        violations = axe_violations(page)
        assert violations == [], f"axe-core violations on {page.url}: {violations}"

    return check


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (rate limits, page cache)."""
    from django.core.cache import cache

    cache.clear()
