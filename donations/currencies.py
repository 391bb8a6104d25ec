"""What each currency allows a gift to be: PayPal's decimals and our smallest and largest amount, in one table.

PayPal refuses decimals in HUF, JPY and TWD (its currency-codes reference); the minimums keep a gift worth
roughly one euro or more, so a card tester gains nothing from the smallest amounts, and the maximums send a
very large gift to a conversation rather than a form.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class CurrencyRule:
    """How an amount in one currency is written for PayPal and which amounts the form takes."""

    decimals: int
    minimum: Decimal
    maximum: Decimal

    @property
    def step(self) -> Decimal:
        return Decimal(1).scaleb(-self.decimals)


def _rule(decimals: int, minimum: int, maximum: int) -> CurrencyRule:
    return CurrencyRule(decimals, Decimal(minimum), Decimal(maximum))


# PayPal's supported currencies (developer.paypal.com/api/rest/reference/currency-codes/).
CURRENCIES: dict[str, CurrencyRule] = {
    "AUD": _rule(2, 1, 150_000),
    "BRL": _rule(2, 5, 500_000),
    "CAD": _rule(2, 1, 150_000),
    "CHF": _rule(2, 1, 100_000),
    "CNY": _rule(2, 5, 700_000),
    "CZK": _rule(2, 25, 2_500_000),
    "DKK": _rule(2, 5, 750_000),
    "EUR": _rule(2, 1, 100_000),
    "GBP": _rule(2, 1, 100_000),
    "HKD": _rule(2, 5, 800_000),
    "HUF": _rule(0, 400, 40_000_000),
    "ILS": _rule(2, 5, 400_000),
    "JPY": _rule(0, 150, 15_000_000),
    "MXN": _rule(2, 20, 2_000_000),
    "MYR": _rule(2, 5, 450_000),
    "NOK": _rule(2, 10, 1_100_000),
    "NZD": _rule(2, 2, 170_000),
    "PHP": _rule(2, 50, 5_800_000),
    "PLN": _rule(2, 5, 430_000),
    "SEK": _rule(2, 10, 1_100_000),
    "SGD": _rule(2, 1, 130_000),
    "THB": _rule(2, 50, 3_500_000),
    "TWD": _rule(0, 30, 3_200_000),
    "USD": _rule(2, 1, 100_000),
}

# Presets are offered in every currency, so they are checked against the loosest rule of all; the chosen
# currency's own rule applies when the donor submits.
PRESET_RULE = _rule(2, 1, 100_000)


def currency_rule(currency: str) -> CurrencyRule:
    """The rule for a currency code; KeyError for one PayPal does not take."""
    return CURRENCIES[currency.upper()]


def paypal_value(amount: Decimal, currency: str) -> str:
    """The amount as PayPal's ``value`` string: "1500" in JPY, "12.50" in EUR (never rounded silently)."""
    rule = currency_rule(currency)
    quantized = amount.quantize(rule.step)
    if quantized != amount:
        raise ValueError(f"{amount} {currency} has more than {rule.decimals} decimal places.")
    return f"{quantized:.{rule.decimals}f}"


def currencies_check(configured: list[str]) -> None:
    """Refuse to start with a donation currency PayPal does not take (a typo would fail every gift)."""
    unknown = [code for code in configured if code.upper() not in CURRENCIES]
    if unknown:
        raise ImproperlyConfigured(
            f"DONATION_CURRENCIES holds {', '.join(unknown)}, which PayPal does not take; "
            f"use codes from: {', '.join(sorted(CURRENCIES))}."
        )
    if not configured:
        raise ImproperlyConfigured("DONATION_CURRENCIES is empty: name at least one currency, such as EUR.")
