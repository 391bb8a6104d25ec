"""The donation form as a StreamField block, usable on any page; it posts to donations/urls.py."""

from wagtail import blocks


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
        form = DonationForm(presets=presets, initial={"origin_page": getattr(page, "pk", None)})
        context.update({"form": form, "paypal_test_mode": settings.PAYPAL_MODE == "fake"})
        return context
