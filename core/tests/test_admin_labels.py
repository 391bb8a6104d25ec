"""Admin labels read consistently: site settings' link fields, and yes/no columns in every listing."""

import pytest
from django.db import models
from django.urls import get_resolver
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.base import ViewSetGroup

from core.models import SiteSettings


def test_site_settings_link_fields_spell_brands_and_url_consistently():
    labels = {
        name: SiteSettings._meta.get_field(name).verbose_name
        for name in ("facebook_url", "instagram_url", "linkedin_url", "x_url", "youtube_url", "donation_url")
    }
    assert labels == {
        "facebook_url": "Facebook URL",
        "instagram_url": "Instagram URL",
        "linkedin_url": "LinkedIn URL",
        "x_url": "X URL",
        "youtube_url": "YouTube URL",
        "donation_url": "Donation URL",
    }


def test_donation_url_help_says_when_the_footer_button_is_hidden():
    help_text = SiteSettings._meta.get_field("donation_url").help_text
    assert "When blank, it opens the site's donation page" in help_text
    assert "the button is hidden" in help_text


def _viewsets(registered):
    if isinstance(registered, ViewSetGroup):
        for item in registered.registerables:
            yield from _viewsets(item)
    else:
        yield registered


@pytest.mark.django_db
def test_no_listing_shows_a_boolean_field_as_true_or_false():
    get_resolver().url_patterns  # noqa: B018 (registers the admin viewsets)
    raw = []
    for registered in viewsets.viewsets:
        for viewset in _viewsets(registered):
            model, columns = getattr(viewset, "model", None), getattr(viewset, "list_display", None)
            if model is None or not isinstance(columns, list | tuple):
                continue
            for column in columns:
                if isinstance(column, str):
                    field = next((f for f in model._meta.fields if f.name == column), None)
                    if isinstance(field, models.BooleanField):
                        raw.append(f"{type(viewset).__name__}.{column}")
    assert raw == []
