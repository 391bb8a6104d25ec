"""Writes for events: registration with capacity and waiting list, proposals and votes through signed links,
and action-point updates. Attendance imports are in ``events.attendance``."""

from __future__ import annotations

import datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from events.models import (
    ActionPoint,
    ActionPointUpdate,
    ActionStatus,
    EventPage,
    Participant,
    ParticipantRole,
    ParticipantStatus,
    SessionProposal,
    Vote,
)

TOKEN_SALT = "events.participant"  # noqa: S105 (a signing namespace, not a secret)


class RegistrationError(Exception):
    """A registration that cannot be taken; the message is shown to the person registering."""


class TokenError(Exception):
    """A proposal/vote link that is unknown, tampered with, or for another event."""


def participant_token(participant: Participant) -> str:
    return signing.dumps({"e": participant.event_id, "p": participant.pk}, salt=TOKEN_SALT)


def participant_from_token(*, event: EventPage, token: str) -> Participant:
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        raise TokenError("This link is not valid. Use the link from your registration email.") from None
    if data.get("e") != event.pk:
        raise TokenError("This link belongs to another event.")
    participant = Participant.objects.filter(pk=data.get("p"), event=event).first()
    if participant is None or participant.status == ParticipantStatus.CANCELLED:
        raise TokenError("This registration no longer exists.")
    return participant


@transaction.atomic
def registration_create(
    *,
    event: EventPage,
    name: str,
    email: str,
    country: str,
    organisation_name: str = "",
    role: str = ParticipantRole.PRACTITIONER,
    listed_publicly: bool = False,
    agenda_url: str = "",
) -> Participant:
    """Register a person, or put them on the waiting list when the event is full; email a confirmation."""
    state = event.registration_state()
    if state != "open":
        raise RegistrationError(
            {
                "not_open": "Registration has not opened yet.",
                "closed": "Registration for this event has closed.",
                "none": "This event does not take registrations.",
            }[state]
        )
    # Lock the event row so two last-place registrations cannot both get the last seat.
    EventPage.objects.select_for_update().filter(pk=event.pk).first()
    email = email.strip().lower()
    if Participant.objects.filter(event=event, email__iexact=email).exists():
        raise RegistrationError(
            "You are already registered with this email address; check your inbox for the link."
        )
    taken = event.participants.counted().count()
    status = (
        ParticipantStatus.WAITLISTED
        if event.capacity is not None and taken >= event.capacity
        else ParticipantStatus.REGISTERED
    )
    try:
        with transaction.atomic():
            participant = Participant.objects.create(
                event=event,
                name=name.strip(),
                email=email,
                country=country,
                organisation_name=organisation_name.strip(),
                role=role,
                listed_publicly=listed_publicly,
                status=status,
            )
    except IntegrityError:  # a double submit that raced the check above
        raise RegistrationError("You are already registered with this email address.") from None
    link = f"{agenda_url}{participant_token(participant)}" if agenda_url else ""
    context = {"participant": participant, "event": event, "link": link}
    transaction.on_commit(
        lambda: send_mail(
            subject=f"{'Waiting list' if status == ParticipantStatus.WAITLISTED else 'Registration confirmed'}: {event.title}",
            message=render_to_string("events/email/registration.txt", context),
            from_email=None,
            recipient_list=[email],
        )
    )
    return participant


def _open_for_proposals(event: EventPage) -> None:
    closes = event.proposals_close or event.start
    if timezone.now() >= closes:
        raise TokenError("Proposals and votes for this event are closed.")


@transaction.atomic
def proposal_create(*, event: EventPage, token: str, title: str, description: str) -> SessionProposal:
    participant = participant_from_token(event=event, token=token)
    _open_for_proposals(event)
    if participant.status != ParticipantStatus.REGISTERED:
        raise TokenError("Only registered participants can propose sessions.")
    return SessionProposal.objects.create(
        event=event, proposer=participant, title=title, description=description
    )


@transaction.atomic
def vote_cast(*, event: EventPage, token: str, proposal_id: int) -> tuple[Vote, bool]:
    """Record one vote per participant per proposal; a second vote for the same proposal changes nothing."""
    participant = participant_from_token(event=event, token=token)
    _open_for_proposals(event)
    proposal = SessionProposal.objects.filter(pk=proposal_id, event=event).first()
    if proposal is None:
        raise TokenError("That proposal does not exist for this event.")
    return Vote.objects.get_or_create(proposal=proposal, participant=participant)


# Action-point updates ------------------------------------------------------------------------------------
# The admin's add, edit and delete views for updates call these, so a point's status always follows its updates.


def _check_update(*, text: str, status: str, on: datetime.date) -> None:
    errors = {}
    if status not in ActionStatus.values:
        errors["status"] = f"{status!r} is not a status of an action point."
    if not text.strip():
        errors["text"] = "Say what was done or what changed."
    if on > timezone.localdate():
        errors["date"] = "An update cannot be dated in the future."
    if errors:
        raise ValidationError(errors)


def _status_follows_updates(action_point: ActionPoint) -> None:
    """The point takes the status of its newest update (by date, then by entry); with none, it keeps its own."""
    latest = action_point.updates.order_by("-date", "-pk").first()
    if latest is not None and action_point.status != latest.status:
        action_point.status = latest.status
        action_point.save(update_fields=["status"])


@transaction.atomic
def action_point_update(
    *, action_point: ActionPoint, text: str, status: str, date: datetime.date | None = None
) -> ActionPointUpdate:
    """Record a dated update (today unless given); the point's status becomes that of its newest update.

    Raises ValidationError (by field: text, status, date) for an update that cannot be recorded."""
    on = date or timezone.localdate()
    _check_update(text=text, status=status, on=on)
    update = ActionPointUpdate.objects.create(action_point=action_point, text=text, status=status, date=on)
    _status_follows_updates(action_point)
    return update


@transaction.atomic
def action_point_update_change(
    *, update: ActionPointUpdate, text: str, status: str, date: datetime.date
) -> ActionPointUpdate:
    """Correct an update's text, status or date; the point's status follows its newest update again."""
    _check_update(text=text, status=status, on=date)
    update.text, update.status, update.date = text, status, date
    update.save(update_fields=["text", "status", "date"])
    _status_follows_updates(update.action_point)
    return update


@transaction.atomic
def action_point_update_delete(*, update: ActionPointUpdate) -> None:
    """Remove an update; the point's status follows the newest remaining one (or stays as it is if none is left)."""
    action_point = update.action_point
    update.delete()
    _status_follows_updates(action_point)
