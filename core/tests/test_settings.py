"""Production settings refuse to start without their environment, and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_ENV = {
    "DJANGO_SETTINGS_MODULE": "yearbook.settings.production",
    "SECRET_KEY": "x7!k2$pq9Lm4@v8Zr1#t6Yw3^n5Bc0&h2Jd7*fG4sQ9eR1uI8oP3aS6dF0gH5jK2",
    "ALLOWED_HOSTS": "yearbook.example.org",
    "DATABASE_URL": "postgres://yearbook:pw@db.example.org:5432/yearbook",
    "PAYPAL_MODE": "sandbox",
    "PAYPAL_CLIENT_ID": "client",
    "PAYPAL_CLIENT_SECRET": "secret",
    "PAYPAL_WEBHOOK_ID": "WH-1",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SAMPLE_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_check_deploy_passes_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=SAMPLE_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "variable",
    [
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "PAYPAL_MODE",
        "PAYPAL_CLIENT_ID",
        "PAYPAL_CLIENT_SECRET",
        "PAYPAL_WEBHOOK_ID",
    ],
)
def test_missing_variable_stops_start_up_naming_it(variable):
    env = {k: v for k, v in SAMPLE_ENV.items() if k != variable}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert variable in result.stderr


def test_paypal_test_mode_is_refused_in_production():
    result = run_manage("check", env={**SAMPLE_ENV, "PAYPAL_MODE": "fake"})
    assert result.returncode != 0
    assert "PAYPAL_MODE must be 'live' or 'sandbox'" in result.stderr


def test_empty_allowed_hosts_is_refused_by_name():
    result = run_manage("check", env={**SAMPLE_ENV, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must name at least one host" in result.stderr


def test_malformed_database_url_is_named():
    result = run_manage("check", env={**SAMPLE_ENV, "DATABASE_URL": "oracle-ish://nonsense"})
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite-specific pragmas")
def test_sqlite_runs_in_wal_mode_with_immediate_transactions(db):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # In-memory test databases cannot use WAL; file databases (demo, production-like) must.
    assert mode in ("wal", "memory")
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("dev-only-insecure-key-not-for-production", "published development key"),
        ("django-insecure-" + "k" * 60, "published development key"),
        ("s3cr3t-but-short", "16 characters, fewer than 50"),
        ("abcdef" * 10, "bits of entropy"),
    ],
    ids=["dev default", "django template", "short", "low entropy"],
)
def test_a_weak_secret_key_stops_production_start_up(key, reason):
    result = run_manage("check", env={**SAMPLE_ENV, "SECRET_KEY": key})
    assert result.returncode != 0
    assert "SECRET_KEY is too weak for production" in result.stderr
    assert reason in result.stderr


@pytest.mark.parametrize("maker", ["token_hex", "token_urlsafe", "django"])
def test_generated_secret_keys_are_strong_enough(maker):
    import secrets

    from django.core.management.utils import get_random_secret_key

    from yearbook.settings.base import secret_key_weakness

    key = {
        "token_hex": lambda: secrets.token_hex(32),
        "token_urlsafe": lambda: secrets.token_urlsafe(50),
    }.get(maker, get_random_secret_key)()
    assert secret_key_weakness(key) == ""
