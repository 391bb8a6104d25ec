"""Test doubles for donations: a fake PayPal that speaks PayPal's REST API over real HTTP.

Not product code: tests start it with the ``fake_paypal`` fixture and the demo with ``manage.py run_fake_paypal``.
"""

from donations.testing.fake import OUTCOMES, FakePayPal

__all__ = ["OUTCOMES", "FakePayPal"]
