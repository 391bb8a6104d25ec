"""run_fake_paypal [--port 8001]: the demo's test-mode PayPal (no credentials, no money)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from donations.testing import FakePayPal


class Command(BaseCommand):
    help = "Serve the fake PayPal used by PAYPAL_MODE=fake; it posts its webhooks to the Yearbook site."

    def add_arguments(self, parser):
        parser.add_argument(
            "--port", type=int, default=8001, help="Loopback port to serve on (default: 8001)."
        )
        parser.add_argument(
            "--webhook-url",
            default="http://127.0.0.1:8000/donations/paypal/webhook/",
            help="Where the fake posts its webhook events.",
        )

    def handle(self, *args, port, webhook_url, **options):
        fake = FakePayPal(
            client_id=settings.PAYPAL_CLIENT_ID,
            secret=settings.PAYPAL_CLIENT_SECRET,
            webhook_id=settings.PAYPAL_WEBHOOK_ID,
        )
        fake.webhook_url, fake.auto_deliver = webhook_url, True
        self.stdout.write(f"Fake PayPal (test mode) on {fake.serve(port=port)}; webhooks to {webhook_url}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            fake.stop()
