"""Killing a process in the middle of a burst of donation writes leaves no half-written donation."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from donations.models import Donation, DonationIntent, IntentStatus

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]

BURST = """
import django, sys
django.setup()
from decimal import Decimal
from donations.models import Frequency
from donations.services import _intent_insert, payment_record
for n in range(100000):
    intent, _ = _intent_insert(
        key=f"kill-{n}",
        donor_fields={"email": f"kill{n}@example.org", "name": f"Kill {n}"},
        intent_fields={"amount": Decimal("7.00"), "currency": "EUR", "frequency": Frequency.ONE_OFF},
    )
    payment_record(intent=intent, capture_id=f"KILL-{n}", amount=Decimal("7.00"), currency="EUR", source="return")
    print(n, flush=True)
"""


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def test_sigkill_mid_burst_leaves_every_donation_whole():
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "yearbook.settings.test"}
    process = subprocess.Popen(
        [sys.executable, "-c", BURST],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for written, _line in enumerate(process.stdout, start=1):
        if written == 60:
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, process.stderr.read()
    # Every payment's intent is completed and every completed intent has exactly one payment: neither half of a
    # payment write exists without the other, whatever instant the kill landed on.
    assert Donation.objects.count() >= 60
    assert not Donation.objects.exclude(intent__status=IntentStatus.COMPLETED).exists()
    for intent in DonationIntent.objects.filter(status=IntentStatus.COMPLETED):
        assert intent.payments.count() == 1
    assert (
        DonationIntent.objects.exclude(status__in=[IntentStatus.COMPLETED, IntentStatus.PENDING]).count() == 0
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            assert cursor.fetchone()[0] == "ok"
