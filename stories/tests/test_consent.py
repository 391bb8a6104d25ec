"""Consent is enforced where quotes and stories are published, rendered and re-checked."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from network.factories import PersonFactory
from stories.factories import ConsentFactory, QuoteFactory, SurvivorFactory
from stories.models import ConsentAuditEntry, Quote, Survivor, publishable_only
from stories.services import ConsentError, consent_enforce, consent_withdraw, quote_publish

pytestmark = pytest.mark.django_db


def test_a_survivor_quote_without_consent_is_refused_with_the_reason():
    quote = QuoteFactory()
    with pytest.raises(ConsentError, match="has no consent on record"):
        quote_publish(quote=quote)
    quote.refresh_from_db()
    assert not quote.published
    assert ConsentAuditEntry.objects.get().action == ConsentAuditEntry.Action.REFUSED


def test_an_expired_consent_is_refused():
    consent = ConsentFactory(expired=True, given_on=date(2020, 1, 1))
    with pytest.raises(ConsentError, match="consent for website expired"):
        quote_publish(quote=QuoteFactory(survivor=consent.survivor))


def test_a_print_consent_does_not_allow_the_web():
    consent = ConsentFactory(print_only=True)
    quote = QuoteFactory(survivor=consent.survivor)
    with pytest.raises(ConsentError, match="does not cover website"):
        quote_publish(quote=quote)
    assert quote.is_publishable("print")


def test_a_named_person_needs_a_consent_to_be_named():
    person = PersonFactory()
    ConsentFactory(survivor=None, person=person, named=False)
    with pytest.raises(ConsentError, match="has not agreed to be named"):
        quote_publish(quote=QuoteFactory(staff=True, person=person))


def test_a_valid_consent_publishes_and_is_audited():
    consent = ConsentFactory()
    quote = QuoteFactory(survivor=consent.survivor)
    quote_publish(quote=quote)
    assert Quote.objects.get(pk=quote.pk).published
    assert ConsentAuditEntry.objects.filter(action="published").count() == 1


def test_withdrawing_consent_takes_the_quote_down_at_once_and_audits_it():
    consent = ConsentFactory()
    quote = QuoteFactory(survivor=consent.survivor)
    quote_publish(quote=quote)
    assert consent_withdraw(consent=consent, reason="Changed her mind") == 1
    quote.refresh_from_db()
    assert not quote.published and not quote.is_shown()
    assert set(ConsentAuditEntry.objects.values_list("action", flat=True)) == {
        "published",
        "withdrawn",
        "taken_down",
    }


def test_the_scheduled_check_takes_down_quotes_whose_consent_expired():
    consent = ConsentFactory(valid_until=date.today() + timedelta(days=1))
    quote = QuoteFactory(survivor=consent.survivor)
    quote_publish(quote=quote)
    assert consent_enforce(on=date.today()) == 0
    assert consent_enforce(on=date.today() + timedelta(days=2)) == 1
    quote.refresh_from_db()
    assert not quote.published


def test_a_survivor_has_no_field_for_a_surname_photo_school_city_or_age():
    names = {field.name for field in Survivor._meta.get_fields()}
    assert not names & {
        "surname",
        "last_name",
        "family_name",
        "photo",
        "image",
        "school",
        "city",
        "age",
        "birth_date",
    }


def test_a_survivor_name_with_a_surname_cannot_be_saved():
    with pytest.raises(ValidationError, match="One word only"):
        Survivor(chosen_name="Ally Okonkwo").full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Survivor.objects.create(chosen_name="Ally Okonkwo")


def test_a_pseudonym_equal_to_a_real_persons_full_name_is_refused():
    PersonFactory(name="Mirembe")
    with pytest.raises(ValidationError, match="full name of a person on file"):
        Survivor(chosen_name="mirembe").full_clean()


def test_a_childs_consent_must_come_from_a_guardian():
    child = SurvivorFactory(is_child=True)
    consent = ConsentFactory.build(survivor=child, given_by="subject")
    with pytest.raises(ValidationError, match="parent or guardian"):
        consent.full_clean()


def test_a_survivor_can_never_be_named_even_by_consent():
    with transaction.atomic(), pytest.raises(IntegrityError):
        ConsentFactory(named=True)


def test_the_admin_refuses_to_publish_a_story_without_consent(rf, site, admin_user):
    from django.contrib.messages.storage.fallback import FallbackStorage

    from stories.models import StoryIndexPage, StoryPage
    from stories.wagtail_hooks import refuse_story_without_consent

    index = site.root_page.add_child(instance=StoryIndexPage(title="Stories", slug="stories"))
    story = index.add_child(
        instance=StoryPage(
            title="A story", slug="a-story", survivor=SurvivorFactory(), body="<p>Words</p>", live=False
        )
    )
    request = rf.post("/admin/pages/edit/", {"action-publish": "1"})
    request.user = admin_user
    request.session = {}
    request._messages = FallbackStorage(request)
    response = refuse_story_without_consent(request, story)
    assert response.status_code == 302
    assert "has no consent on record" in str(list(request._messages)[0])
    assert ConsentAuditEntry.objects.filter(action="refused").exists()


def test_publishable_only_applies_the_same_rules_to_many_quotes_in_few_queries(django_assert_num_queries):
    named, unnamed, print_only = PersonFactory(), PersonFactory(), PersonFactory()
    ConsentFactory(survivor=None, person=named, named=True)
    ConsentFactory(survivor=None, person=unnamed, named=False)
    ConsentFactory(survivor=None, person=print_only, named=True, print_only=True)
    consented, withdrawn, expired = SurvivorFactory(), SurvivorFactory(), SurvivorFactory()
    ConsentFactory(survivor=consented)
    ConsentFactory(survivor=withdrawn, withdrawn=True)
    ConsentFactory(survivor=expired, expired=True)
    quotes = [
        QuoteFactory(staff=True, person=named, text="named"),
        QuoteFactory(staff=True, person=unnamed, text="unnamed"),
        QuoteFactory(survivor=withdrawn, text="withdrawn"),
        QuoteFactory(staff=True, person=print_only, text="print only"),
        QuoteFactory(survivor=consented, text="consented"),
        QuoteFactory(survivor=expired, text="expired"),
    ]
    quotes = list(Quote.objects.filter(pk__in=[q.pk for q in quotes]).order_by("pk"))
    with django_assert_num_queries(3):  # the consents, the people, the survivors
        shown = publishable_only(quotes)
        speakers = [quote.speaker_name for quote in shown]
    assert [quote.text for quote in shown] == ["named", "consented"]
    assert speakers == [named.name, consented.public_name]
    assert [q.text for q in quotes if q.is_publishable()] == ["named", "consented"]  # one by one: the same
    assert [q.text for q in publishable_only(quotes, "print")] == ["named", "print only", "consented"]


def test_the_audit_log_can_be_inspected_but_not_added_to_changed_or_deleted_even_by_a_superuser(admin_client):
    entry = ConsentAuditEntry.objects.create(
        action="refused", subject="Quote 1", reason="No consent on record"
    )
    viewset = ConsentAuditEntry.snippet_viewset

    def url(name, *args):
        from django.urls import reverse

        return reverse(viewset.get_url_name(name), args=args)

    assert admin_client.get(url("list")).status_code == 200
    inspect = admin_client.get(url("inspect", entry.pk))
    assert inspect.status_code == 200 and "No consent on record" in inspect.content.decode()
    for view, args in (("add", ()), ("edit", (entry.pk,)), ("delete", (entry.pk,))):
        assert admin_client.get(url(view, *args)).status_code in (302, 403), view
        admin_client.post(
            url(view, *args), {"action": "published", "subject": "x", "reason": "x", "at": "2023-01-01"}
        )
    entry.refresh_from_db()
    assert (ConsentAuditEntry.objects.count(), entry.action, entry.reason) == (
        1,
        "refused",
        "No consent on record",
    )


@pytest.mark.parametrize("path", ["bulk action", "scheduled or workflow publish"])
def test_a_story_without_consent_cannot_go_live_by_any_admin_path(site, admin_client, path):
    from django.test import Client
    from wagtail.models import Page

    from stories.models import StoryIndexPage, StoryPage

    index = site.root_page.add_child(instance=StoryIndexPage(title="Stories", slug="stories"))
    story = index.add_child(
        instance=StoryPage(
            title="Zuri's story",
            slug="zuri",
            survivor=SurvivorFactory(chosen_name="Zuri"),
            live=False,
            standfirst="Never consented to",
            body="<p>Words never consented to.</p>",
        )
    )
    revision = story.save_revision()
    if path == "bulk action":
        admin_client.post(f"/admin/bulk/wagtailcore/page/publish/?id={story.pk}")
    else:
        revision.publish()  # what publish_scheduled and a workflow's approval do: no editor's button
    assert not Page.objects.get(pk=story.pk).live
    assert ConsentAuditEntry.objects.filter(action="refused", subject__contains="Zuri").exists()
    public = Client(HTTP_HOST="localhost")
    assert "Never consented to" not in public.get("/search/", {"q": "consented"}).content.decode()
    assert "/stories/zuri/" not in public.get("/sitemap.xml").content.decode()


def test_the_audit_logs_policy_lists_nobody_as_able_to_change_it_and_viewers_as_able_to_view(admin_user):
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(ConsentAuditEntry)
    assert not policy.users_with_any_permission(["change", "delete"]).exists()
    assert list(policy.users_with_any_permission(["view", "change"])) == [admin_user]
