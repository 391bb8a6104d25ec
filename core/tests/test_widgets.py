"""The long-list select writes the same markup as Django's own select, only faster."""

import pytest
from django import forms
from django.test.html import parse_html
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from core.widgets import LongSelect

CHOICES = [("", "Choose a country"), *countries]


class Stock(forms.Form):
    country = LazyTypedChoiceField(choices=CHOICES, help_text="Where you live")


class Fast(forms.Form):
    country = LazyTypedChoiceField(choices=CHOICES, help_text="Where you live", widget=LongSelect)


@pytest.mark.parametrize(
    "data",
    [None, {"country": "KE"}, {"country": ""}, {"country": "<script>"}],
    ids=["unbound", "chosen", "missing (error attributes)", "invalid value is escaped"],
)
def test_long_select_renders_what_djangos_select_renders(data):
    stock, fast = Stock(data), Fast(data)
    if data is not None:
        assert stock.is_valid() == fast.is_valid()
    assert parse_html(str(fast["country"])) == parse_html(str(stock["country"]))


def test_the_chosen_country_is_selected_and_labels_are_escaped():
    html = LongSelect(choices=[("KE", "Kenya"), ("XX", "<b>Bold</b>")]).render("country", "KE")
    assert '<option value="KE" selected>Kenya</option>' in html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html
