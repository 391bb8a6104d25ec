"""Settings shared by every environment; values that differ come from the environment."""

import math
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; absent in CI and production containers


SUPPORTED_DATABASE_ENGINES = {"django.db.backends.sqlite3", "django.db.backends.postgresql"}


# Keys that ship in this repository (dev and test settings) or in Django's own project template.
KNOWN_INSECURE_SECRET_KEYS = {"dev-only-insecure-key-not-for-production", "test-only-insecure-key"}
SECRET_KEY_MIN_LENGTH = 50  # Django's own deployment check (security.W009) asks for as much
SECRET_KEY_MIN_BITS = 192  # Shannon estimate over the key's own characters; 64 hex digits carry about 250


def secret_key_weakness(key: str) -> str:
    """Why ``key`` is too weak for production, or "" when it is not."""
    if key in KNOWN_INSECURE_SECRET_KEYS or key.startswith("django-insecure-"):
        return "it is a published development key"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"it has {len(key)} characters, fewer than {SECRET_KEY_MIN_LENGTH}"
    counts = [key.count(c) for c in set(key)]
    bits = -sum(n * math.log2(n / len(key)) for n in counts)
    if bits < SECRET_KEY_MIN_BITS:
        return f"its characters carry about {bits:.0f} bits of entropy, fewer than {SECRET_KEY_MIN_BITS}"
    return ""


def database_from_env(default: str | None = None) -> dict:
    """Parse DATABASE_URL, adding SQLite's concurrency options; name the variable when it is malformed."""
    url = env.str("DATABASE_URL", default=default)
    if not url:
        raise ImproperlyConfigured(
            "Set the DATABASE_URL environment variable (e.g. postgres://user:pw@host/db)."
        )
    try:
        config = environ.Env.db_url_config(url)
    except Exception as exc:  # environ raises several types for bad URLs
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from exc
    if config.get("ENGINE") not in SUPPORTED_DATABASE_ENGINES:
        raise ImproperlyConfigured(f"DATABASE_URL has an unsupported scheme: {url.split(':', 1)[0]!r}")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work during a write; IMMEDIATE takes the write lock at BEGIN so two writers
        # queue on the busy timeout instead of failing with "database is locked" mid-transaction.
        config.setdefault("OPTIONS", {}).update(
            {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            }
        )
    config.setdefault("CONN_MAX_AGE", 60)  # a worker keeps its connection instead of opening one per request
    config.setdefault("CONN_HEALTH_CHECKS", True)
    return config


INSTALLED_APPS = [
    # Yearbook domain apps (one per domain; see docs/architecture.md)
    "core",
    "network",
    "events",
    "comms",
    "monitoring",
    "donations",
    "stories",
    "advocacy",
    "publications",
    "report",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.params.RefuseNulParametersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "core.cache.ProxyCacheMiddleware",  # outside ConditionalGet so its 304s tell nginx too
    "django.middleware.http.ConditionalGetMiddleware",  # ETag / If-None-Match → 304
    "core.cache.PublicPageCacheMiddleware",  # outside sessions and CSRF so it sees the cookies they set
    "core.csp.ContentSecurityPolicyMiddleware",  # inside the page cache: a cached page keeps the header (and nonce) it was made with
    "core.request_memo.RequestMemoMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "yearbook.urls"
WSGI_APPLICATION = "yearbook.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {"default": database_from_env(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Files never served publicly (signed consent forms); reached only through permission-checked views.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploads: keep request bodies bounded; individual upload kinds validate their own size and type.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = ["pdf", "csv", "xlsx", "docx", "txt", "vtt", "srt"]  # vtt, srt: podcast transcripts

# Background tasks: in-process by default; production points this at the database queue and its worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Wagtail's database backend uses PostgreSQL full-text search automatically when the database is PostgreSQL.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

WAGTAIL_SITE_NAME = "Yearbook"
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False

PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)  # 0 disables the public page cache
# How long nginx in front (`manage.py write_nginx_config`) may answer from its own copy before asking again with the ETag.
PROXY_CACHE_SECONDS = env.int("PROXY_CACHE_SECONDS", default=1)

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": BASE_DIR / "var" / "cache",
    }
}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Yearbook <noreply@localhost>")

# Donations through PayPal (docs/donations.md). "fake" talks to donations/fake_paypal.py (demo and tests).
PAYPAL_MODE = env.str("PAYPAL_MODE", default="fake")
PAYPAL_BASE_URL = env.str(
    "PAYPAL_BASE_URL",
    default={"live": "https://api-m.paypal.com", "sandbox": "https://api-m.sandbox.paypal.com"}.get(
        PAYPAL_MODE, "http://127.0.0.1:8001"
    ),
)
_fake = PAYPAL_MODE == "fake"
# Where the donation form sends the donor to approve a payment (the CSP's form-action must allow it).
PAYPAL_CHECKOUT_ORIGIN = env.str(
    "PAYPAL_CHECKOUT_ORIGIN",
    default={"live": "https://www.paypal.com", "sandbox": "https://www.sandbox.paypal.com"}.get(
        PAYPAL_MODE, PAYPAL_BASE_URL
    ),
)
PAYPAL_CLIENT_ID = env.str("PAYPAL_CLIENT_ID", **({"default": "fake-client"} if _fake else {}))
PAYPAL_CLIENT_SECRET = env.str("PAYPAL_CLIENT_SECRET", **({"default": "fake-secret"} if _fake else {}))
PAYPAL_WEBHOOK_ID = env.str("PAYPAL_WEBHOOK_ID", **({"default": "FAKEWEBHOOK"} if _fake else {}))
PAYPAL_TIMEOUT = env.float("PAYPAL_TIMEOUT", default=10.0)  # seconds per attempt
PAYPAL_ATTEMPTS = env.int("PAYPAL_ATTEMPTS", default=5)  # retries reuse the same PayPal-Request-Id
# One logical call (all its retries and waits) ends within this many seconds: under gunicorn's 30 s timeout.
PAYPAL_DEADLINE = env.float("PAYPAL_DEADLINE", default=20.0)
DONATION_CURRENCIES = env.list("DONATION_CURRENCIES", default=["EUR", "USD", "GBP", "THB"])
DONATION_RATE_LIMIT = env.int("DONATION_RATE_LIMIT", default=10)  # form submissions per IP per hour
# Addresses of proxies whose X-Real-IP names the client (nginx from write_nginx_config sets it). None when
# gunicorn faces readers itself: a header a reader sends must not choose whose rate limit a request counts to.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# Personal data kept after a donor's last donation attempt (donations.services.donors_erase_expired).
DONOR_RETENTION_DAYS = env.int("DONOR_RETENTION_DAYS", default=7 * 365)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"yearbook": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# Content-Security-Policy on every response (django-csp, through core.csp). Public pages run no inline script or
# style of their own; a template that needs one adds nonce="{{ CSP_NONCE }}" and the header then carries it.
# Podcast audio is usually hosted by a podcast service, hence media over any HTTPS origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "media-src": [SELF, "https:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [SELF],  # Wagtail's preview frames the site in its own admin
        "form-action": [SELF],  # and PAYPAL_CHECKOUT_ORIGIN, added by core.csp from the current setting
    }
}
# The admin's exceptions (see core.csp): Wagtail's inline scripts and styles, and its check for new releases.
CONTENT_SECURITY_POLICY_ADMIN_REPLACE = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "connect-src": [SELF, "https://releases.wagtail.org"],
}
# Editors' avatars are uploaded, not fetched from Gravatar (which would learn who works in the admin, and when).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
