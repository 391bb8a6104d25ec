"""The donation form: validated on the server, usable without JavaScript, with a honeypot and a form token."""

import secrets
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from core.params import parse_id
from core.widgets import LongSelect
from donations.currencies import currency_rule
from donations.models import AmountProblem, Dedication, Frequency, amount_problem


def parse_presets(text: str) -> list[Decimal]:
    """The presets the form can take; one saved before presets were validated and out of bounds is left out."""
    presets = []
    for part in (text or "").split(","):
        try:
            value = Decimal(part.strip())
        except InvalidOperation:
            continue
        if amount_problem(value) is None:
            presets.append(value)
    return presets


def amount_message(problem: AmountProblem, currency: str) -> str:
    """What the donor is told about an amount the form cannot take in the chosen currency."""
    rule = currency_rule(currency)
    return {
        AmountProblem.NOT_POSITIVE: "Enter an amount greater than zero.",
        AmountProblem.TOO_LARGE: (
            f"For gifts above {rule.maximum:,} {currency} please contact us so we can thank you properly."
        ),
        AmountProblem.DECIMALS: (
            f"{currency} amounts are whole numbers, without decimals."
            if rule.decimals == 0
            else f"Use at most {'two' if rule.decimals == 2 else rule.decimals} decimal places."
        ),
        AmountProblem.TOO_SMALL: f"The smallest gift we can take in {currency} is {rule.minimum}.",
    }[problem]


class DonationForm(forms.Form):
    frequency = forms.ChoiceField(
        choices=Frequency.choices, initial=Frequency.MONTHLY, widget=forms.RadioSelect, label="How often"
    )
    preset = forms.ChoiceField(
        required=False,
        widget=forms.RadioSelect,
        label="Amount",
        error_messages={
            "invalid_choice": "That amount is no longer offered: choose another amount or enter your own."
        },
    )
    custom_amount = forms.CharField(
        required=False,
        label="Or another amount",
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    currency = forms.ChoiceField(label="Currency")
    dedication = forms.ChoiceField(
        choices=Dedication.choices,
        initial=Dedication.NONE,
        widget=forms.RadioSelect,
        label="Dedicate this gift",
    )
    honoree_name = forms.CharField(required=False, max_length=200, label="Name of the person honoured")
    dedication_message = forms.CharField(
        required=False, max_length=1000, label="Message (optional)", widget=forms.Textarea(attrs={"rows": 3})
    )
    ecard_email = forms.EmailField(
        required=False,
        max_length=254,  # the model's column: Django's form default (320) would reach the database and fail there
        label="Send an e-card to (optional)",
        help_text="We email them your message once you have given.",
    )
    name = forms.CharField(
        max_length=200, label="Your name", widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        max_length=254,  # as Donor.email
        label="Your email",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    country = LazyTypedChoiceField(
        choices=[("", "Choose a country"), *countries], label="Country", widget=LongSelect
    )
    consent_updates = forms.BooleanField(
        required=False, label="Send me occasional news about our work (you can stop at any time)"
    )
    # Honeypot: hidden from people (CSS and aria-hidden); bots fill every field.
    website = forms.CharField(required=False, label="Leave this empty")
    form_token = forms.CharField(widget=forms.HiddenInput)
    # The page the donor gave from, for the staff's reports: a value that cannot be a page ID is ignored.
    origin_page = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, presets: list[Decimal] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        presets = presets or [Decimal(10), Decimal(25), Decimal(50), Decimal(100)]
        self.fields["preset"].choices = [(f"{p:g}", f"{p:g}") for p in presets]
        self.fields["currency"].choices = [(c, c) for c in settings.DONATION_CURRENCIES]
        self.token_missing = False
        if not self.is_bound:
            self.initial.setdefault("form_token", secrets.token_hex(16))
            self.initial.setdefault("preset", f"{presets[1 if len(presets) > 1 else 0]:g}")
        elif not (self.data.get("form_token") or "").strip():
            # Refused below, but the form shown again carries a token so that sending it again works.
            self.data = self.data.copy()
            self.data["form_token"] = secrets.token_hex(16)
            self.token_missing = True

    def clean_custom_amount(self):
        raw = self.cleaned_data["custom_amount"].strip().replace(",", ".")
        if not raw:
            return None
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            raise forms.ValidationError("Enter the amount as a number, for example 30 or 12.50.") from None
        if not amount.is_finite() or amount <= 0:
            raise forms.ValidationError(amount_message(AmountProblem.NOT_POSITIVE, "EUR"))
        return amount  # checked against the chosen currency in clean()

    def clean_origin_page(self) -> int | None:
        return parse_id(self.cleaned_data["origin_page"])

    def clean(self):
        data = super().clean()
        if self.token_missing:
            self.add_error(None, "The form arrived incomplete. Please check your details and send it again.")
        amount, field = data.get("custom_amount"), "custom_amount"
        if amount is None and "custom_amount" not in self.errors and data.get("preset"):
            amount, field = Decimal(data["preset"]), "preset"
        currency = data.get("currency")
        # Typed and preset amounts alike meet the chosen currency's decimals, minimum and maximum.
        problem = amount_problem(amount, currency_rule(currency)) if amount is not None and currency else None
        if problem:
            self.add_error(field, amount_message(problem, currency))
            amount = None
        if amount is None and not self.errors.get("custom_amount") and not self.errors.get("preset"):
            self.add_error("custom_amount", "Choose an amount or enter your own.")
        data["amount"] = amount
        if data.get("dedication", Dedication.NONE) != Dedication.NONE and not data.get("honoree_name"):
            self.add_error("honoree_name", "Tell us whose name the gift is dedicated to.")
        if data.get("ecard_email") and data.get("dedication") == Dedication.NONE:
            self.add_error(
                "ecard_email", "An e-card goes with a dedication: choose one above, or leave this empty."
            )
        return data
