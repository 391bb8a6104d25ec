"""Routes of event pages (registration, proposals and votes by signed link, .ics) and the iCalendar feed."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from core.params import parse_id
from events import calendar
from events.forms import ProposalForm, RegistrationForm
from events.models import EventPage
from events.services import (
    RegistrationError,
    TokenError,
    participant_from_token,
    participant_token,
    proposal_create,
    registration_create,
    vote_cast,
)


def register(request, event: EventPage):
    state = event.registration_state()
    if state != "open":
        # No form to fill in: say why, and point back to the event (a stale form posted here gets the same page).
        status = 400 if request.method == "POST" else 200
        return TemplateResponse(
            request,
            "events/registration_form.html",
            {"page": event, "form": None, "state": state},
            status=status,
        )
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            participant = registration_create(
                event=event,
                agenda_url=request.build_absolute_uri(event.url + "agenda/?t="),
                **form.cleaned_data,
            )
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            return TemplateResponse(
                request,
                "events/registration_done.html",
                {"page": event, "participant": participant, "token": participant_token(participant)},
            )
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request, "events/registration_form.html", {"page": event, "form": form, "state": state}, status=status
    )


def agenda(request, event: EventPage, token: str):
    """A participant's personal page: propose a session, vote for proposals (no account needed)."""
    try:
        participant = participant_from_token(event=event, token=token)
    except TokenError as exc:
        return TemplateResponse(
            request, "events/link_problem.html", {"page": event, "problem": str(exc)}, status=403
        )
    form = ProposalForm(request.POST or None)
    if request.method == "POST":
        try:
            if "proposal" in request.POST:
                proposal_id = parse_id(request.POST["proposal"])
                if proposal_id is None:
                    return HttpResponseBadRequest("Unknown proposal.")
                _, created = vote_cast(event=event, token=token, proposal_id=proposal_id)
                messages.success(
                    request, "Your vote is counted." if created else "You had already voted for that one."
                )
                return redirect(request.get_full_path())
            if form.is_valid():
                proposal_create(event=event, token=token, **form.cleaned_data)
                messages.success(request, "Thank you: your proposal is on the list for everyone to vote on.")
                return redirect(request.get_full_path())
        except TokenError as exc:
            return TemplateResponse(
                request, "events/link_problem.html", {"page": event, "problem": str(exc)}, status=403
            )
    proposals = event.proposals.select_related("proposer").prefetch_related("votes")
    voted = set(participant.votes.values_list("proposal_id", flat=True))
    return TemplateResponse(
        request,
        "events/participant_agenda.html",
        {"page": event, "participant": participant, "form": form, "proposals": proposals, "voted": voted},
    )


def event_ics(request, event: EventPage):
    response = HttpResponse(
        calendar.calendar_for([event], request), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def upcoming_feed(request, index):
    events = EventPage.objects.child_of(index).live().public().order_by("start")
    return HttpResponse(
        calendar.calendar_for(events, request, upcoming_only=True),
        content_type="text/calendar; charset=utf-8",
    )
