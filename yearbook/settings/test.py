"""Test settings: fast hashing, in-memory cache, tasks run immediately, plain static storage."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
PAGE_CACHE_SECONDS = 0  # tests that exercise the page cache switch it on themselves

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file rather than memory: the live server's request threads then use their own connections, which the
    # donations reliability check (concurrent requests) and its kill test (a second process) rely on.
    # One file per test run (child processes inherit the name), so two runs at once never share a database.
    os.environ.setdefault("YEARBOOK_TEST_DB", f"test-db-{os.getpid()}.sqlite3")
    (BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / os.environ["YEARBOOK_TEST_DB"])}  # noqa: F405
