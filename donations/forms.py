"""The donation form: validated on the server, usable without JavaScript, with a honeypot and a form token."""

import secrets
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from core.widgets import LongSelect
from donations.models import Dedication, Frequency


def parse_presets(text: str) -> list[Decimal]:
    presets = []
    for part in (text or "").split(","):
        try:
            value = Decimal(part.strip())
        except InvalidOperation:
            continue
        if value > 0:
            presets.append(value)
    return presets


class DonationForm(forms.Form):
    frequency = forms.ChoiceField(
        choices=Frequency.choices, initial=Frequency.MONTHLY, widget=forms.RadioSelect, label="How often"
    )
    preset = forms.ChoiceField(required=False, widget=forms.RadioSelect, label="Amount")
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
        label="Send an e-card to (optional)",
        help_text="We email them your message once you have given.",
    )
    name = forms.CharField(
        max_length=200, label="Your name", widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(label="Your email", widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    country = LazyTypedChoiceField(
        choices=[("", "Choose a country"), *countries], label="Country", widget=LongSelect
    )
    consent_updates = forms.BooleanField(
        required=False, label="Send me occasional news about our work (you can stop at any time)"
    )
    # Honeypot: hidden from people (CSS and aria-hidden); bots fill every field.
    website = forms.CharField(required=False, label="Leave this empty")
    form_token = forms.CharField(widget=forms.HiddenInput)
    origin_page = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, presets: list[Decimal] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        presets = presets or [Decimal(10), Decimal(25), Decimal(50), Decimal(100)]
        self.fields["preset"].choices = [(f"{p:g}", f"{p:g}") for p in presets]
        self.fields["currency"].choices = [(c, c) for c in settings.DONATION_CURRENCIES]
        if not self.is_bound:
            self.initial.setdefault("form_token", secrets.token_hex(16))
            self.initial.setdefault("preset", f"{presets[1 if len(presets) > 1 else 0]:g}")

    def clean_custom_amount(self):
        raw = self.cleaned_data["custom_amount"].strip().replace(",", ".")
        if not raw:
            return None
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            raise forms.ValidationError("Enter the amount as a number, for example 30 or 12.50.") from None
        if not amount.is_finite() or amount <= 0:
            raise forms.ValidationError("Enter an amount greater than zero.")
        if amount > settings.DONATION_MAX_AMOUNT:  # first: quantize() fails on numbers such as 1e999999999
            raise forms.ValidationError(
                f"For gifts above {settings.DONATION_MAX_AMOUNT:,} please contact us so we can thank you properly."
            )
        if amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError("Use at most two decimal places.")
        if amount < 1:
            raise forms.ValidationError("The smallest gift we can take is 1.")
        return amount

    def clean(self):
        data = super().clean()
        amount = data.get("custom_amount") or (Decimal(data["preset"]) if data.get("preset") else None)
        if amount is None and not self.errors.get("custom_amount"):
            self.add_error("custom_amount", "Choose an amount or enter your own.")
        data["amount"] = amount
        if data.get("dedication", Dedication.NONE) != Dedication.NONE and not data.get("honoree_name"):
            self.add_error("honoree_name", "Tell us whose name the gift is dedicated to.")
        if data.get("ecard_email") and data.get("dedication") == Dedication.NONE:
            self.add_error(
                "ecard_email", "An e-card goes with a dedication: choose one above, or leave this empty."
            )
        return data
