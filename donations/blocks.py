"""The donation form as a StreamField block, usable on any page; it posts to donations/urls.py."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from wagtail import blocks

from core.params import parse_id

START_FIELDS = ("frequency", "preset", "currency")


class DonationFormBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Make a donation")
    text = blocks.TextBlock(required=False)
    presets = blocks.CharBlock(
        max_length=100,
        required=False,
        help_text="Comma-separated amounts; empty uses the site's donation settings.",
    )

    class Meta:
        icon = "pick"
        template = "components/donation_form_block.html"

    def clean(self, value):
        from donations.models import validate_amount_presets

        value = super().clean(value)
        if value.get("presets"):  # the same checks as the donation settings' presets
            try:
                validate_amount_presets(value["presets"])
            except ValidationError as exc:
                raise blocks.StructBlockValidationError(block_errors={"presets": exc}) from exc
        return value

    def get_context(self, value, parent_context=None):
        from django.conf import settings

        from donations.forms import DonationForm, parse_presets

        context = super().get_context(value, parent_context)
        request = (parent_context or {}).get("request")
        presets = parse_presets(value.get("presets"))
        if not presets and request is not None:
            from donations.models import DonationSettings

            presets = parse_presets(DonationSettings.for_request(request).amount_presets)
        page = (parent_context or {}).get("page")
        initial = {"origin_page": getattr(page, "pk", None)}
        if request is not None:  # choices carried over from a DonationStartBlock on another page
            initial |= {key: request.GET[key] for key in START_FIELDS if request.GET.get(key)}
            if origin := parse_id(request.GET.get("origin_page")):  # anything else is not a page's ID
                initial["origin_page"] = origin
        form = DonationForm(presets=presets, initial=initial)
        context.update({"form": form, "paypal_test_mode": settings.PAYPAL_MODE == "fake"})
        return context


class DonationStartBlock(blocks.StructBlock):
    """The first step of giving (how often, how much) as a plain GET form that opens the donation page.

    It holds no personal data and no CSRF token, so the page around it stays cacheable for every reader;
    the donation page then asks for the details and posts them with CSRF protection.
    """

    heading = blocks.CharBlock(max_length=120, default="Support this work")
    text = blocks.TextBlock(required=False)

    class Meta:
        icon = "pick"
        template = "components/donation_start_block.html"

    def get_context(self, value, parent_context=None):
        from django.conf import settings

        from donations.forms import parse_presets
        from donations.models import Frequency
        from donations.selectors import live_donation_page

        context = super().get_context(value, parent_context)
        donation_page = live_donation_page()
        presets = [Decimal(10), Decimal(25), Decimal(50), Decimal(100)]
        request = (parent_context or {}).get("request")
        if request is not None:
            from donations.models import DonationSettings

            presets = parse_presets(DonationSettings.for_request(request).amount_presets) or presets
        page = (parent_context or {}).get("page")
        context.update(
            donation_page=donation_page,
            presets=[f"{p:g}" for p in presets],
            frequencies=Frequency.choices,
            currencies=settings.DONATION_CURRENCIES,
            origin_page=getattr(page, "pk", ""),
        )
        return context
