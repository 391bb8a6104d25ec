"""Production: every secret and host from the environment, no insecure default, HTTPS enforced."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import database_from_env, env, secret_key_weakness

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")  # required: ImproperlyConfigured names the variable when absent
if weakness := secret_key_weakness(SECRET_KEY):
    raise ImproperlyConfigured(
        f"SECRET_KEY is too weak for production: {weakness}. Generate one with "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:  # set but empty: every request would be refused, and the defaults below need a host
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must name at least one host, e.g. ALLOWED_HOSTS=yearbook.example.org"
    )
DATABASES = {"default": database_from_env()}
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[f"https://{h}" for h in ALLOWED_HOSTS])
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default=f"https://{ALLOWED_HOSTS[0]}")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"])  # nginx on the same machine
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# A real queue: tasks are stored in the database and run by `manage.py db_worker` processes.
TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

CACHES = {"default": env.cache_url("CACHE_URL", default="filecache:///var/tmp/yearbook-cache")}
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")

# Donations must talk to the real PayPal: a deployment that forgot PAYPAL_MODE would otherwise run in test mode.
PAYPAL_MODE = env.str("PAYPAL_MODE")
if PAYPAL_MODE not in {"live", "sandbox"}:
    raise ImproperlyConfigured(f"PAYPAL_MODE must be 'live' or 'sandbox' in production, not {PAYPAL_MODE!r}.")
