"""Public forms: registration and session proposals (server-side validated, usable without JavaScript)."""

from django import forms
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from core.widgets import LongSelect
from events.models import ParticipantRole


class RegistrationForm(forms.Form):
    name = forms.CharField(max_length=200, label="Full name")
    email = forms.EmailField(
        max_length=254, help_text="We send your confirmation and your personal agenda link here."
    )
    organisation_name = forms.CharField(max_length=200, required=False, label="Organisation")
    country = LazyTypedChoiceField(choices=[("", "Choose a country"), *countries], widget=LongSelect)
    role = forms.ChoiceField(choices=ParticipantRole.choices, initial=ParticipantRole.PRACTITIONER)
    listed_publicly = forms.BooleanField(
        required=False, label="Show my name and organisation in the public list of participants"
    )


class ProposalForm(forms.Form):
    title = forms.CharField(max_length=200, label="Session title")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, label="What would the session cover?"
    )
