"""The only ways a quote or story goes public or comes down: each checks consent and writes the audit log."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from core.cache import purge_page_cache
from stories.models import Consent, ConsentAuditEntry, ConsentUse, Quote, StoryPage
from stories.signals import content_taken_down


class ConsentError(Exception):
    """Publishing refused; the message says which consent is missing and why."""


def _missing_consent_reason(item, use: str, on: date) -> str:
    consents = item.consents()
    if not consents.exists():
        return f"{item.speaker_name} has no consent on record."
    if item.person_id and not consents.filter(named=True).exists():
        return f"{item.speaker_name} has not agreed to be named."
    if consents.filter(withdrawn_on__lte=on).exists() and not consents.valid_for(use, on).exists():
        return f"{item.speaker_name} withdrew their consent."
    if (
        consents.filter(**{f"use_{use}": True}, valid_until__lt=on).exists()
        and not consents.valid_for(use, on).exists()
    ):
        return f"{item.speaker_name}'s consent for {ConsentUse(use).label.lower()} expired."
    return f"{item.speaker_name}'s consent does not cover {ConsentUse(use).label.lower()}."


def _audit(action: str, subject: str, reason: str, user=None) -> None:
    ConsentAuditEntry.objects.create(action=action, subject=subject, reason=reason, user=user)


def consent_check(*, item: Quote | StoryPage, use: str = ConsentUse.WEB, user=None) -> None:
    """Raise ConsentError (and log the refusal) unless a valid consent covers this use today."""
    today = timezone.localdate()
    if item.consent_for(use, today) is None:
        reason = _missing_consent_reason(item, use, today)
        _audit(ConsentAuditEntry.Action.REFUSED, _subject(item), reason, user)
        raise ConsentError(reason)


def story_publish_guard(*, story: StoryPage, user=None) -> bool:
    """Unpublish at once a story that went live without a valid web consent, auditing the refusal; returns
    whether it stays live. The editor's Publish button is checked before publishing, but bulk actions,
    workflow approvals and scheduled publishing are not, so every publish ends here (stories/apps.py)."""
    try:
        consent_check(item=story, user=user)
    except ConsentError:
        story.unpublish(user=user, log_action=True)
        purge_page_cache()
        return False
    return True


def quote_publish(*, quote: Quote, user=None) -> None:
    """Make a quote available to blocks, after checking its web consent (a refusal is audited and kept)."""
    consent_check(item=quote, user=user)
    with transaction.atomic():
        quote.published = True
        quote.save(update_fields=["published"])
        _audit(ConsentAuditEntry.Action.PUBLISHED, _subject(quote), "Valid web consent on record.", user)
    purge_page_cache()


@transaction.atomic
def consent_withdraw(*, consent: Consent, reason: str, user=None, on: date | None = None) -> int:
    """Record a withdrawal and take down at once everything it no longer covers; returns how many items."""
    consent.withdrawn_on = on or timezone.localdate()
    consent.withdrawal_reason = reason
    consent.save(update_fields=["withdrawn_on", "withdrawal_reason"])
    _audit(ConsentAuditEntry.Action.WITHDRAWN, str(consent), reason, user)
    return consent_enforce(user=user)


@transaction.atomic
def consent_enforce(*, user=None, on: date | None = None) -> int:
    """Unpublish stories and hide quotes whose web consent expired or was withdrawn (the scheduled job).

    Taking a story down unpublishes the page, which removes it from the sitemap and public search; quotes
    disappear from every block at the next render, the page cache is emptied so no copy is served, and
    `content_taken_down` tells the report to make its stored PDFs again.
    """
    on = on or timezone.localdate()
    taken_down = 0
    for quote in Quote.objects.filter(published=True).select_related("person", "survivor"):
        if not quote.is_publishable(ConsentUse.WEB, on):
            quote.published = False
            quote.save(update_fields=["published"])
            _audit(
                ConsentAuditEntry.Action.TAKEN_DOWN,
                _subject(quote),
                _missing_consent_reason(quote, "web", on),
                user,
            )
            taken_down += 1
    for story in StoryPage.objects.live().select_related("person", "survivor"):
        if not story.is_publishable(ConsentUse.WEB, on):
            story.unpublish(user=user, log_action=True)
            _audit(
                ConsentAuditEntry.Action.TAKEN_DOWN,
                _subject(story),
                _missing_consent_reason(story, "web", on),
                user,
            )
            taken_down += 1
    if taken_down:
        purge_page_cache()
        transaction.on_commit(lambda: content_taken_down.send(sender=consent_enforce, count=taken_down))
    return taken_down


def _subject(item) -> str:
    kind = "Story" if isinstance(item, StoryPage) else "Quote"
    return f"{kind} {item.pk} ({item.speaker_name})"
