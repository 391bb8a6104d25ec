"""Non-page endpoints: the form's POST target, PayPal's return and cancel links, the webhook, manage links."""

import json
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Page

from donations import services, webhooks
from donations.forms import DonationForm, parse_presets
from donations.models import DonationIntent, DonationSettings, Frequency, SubscriptionStatus
from donations.paypal import PayPalError

logger = logging.getLogger("yearbook.donations")
RATE_WINDOW = 3600


def _client_ip(request) -> str:
    """The reader's address: nginx's X-Real-IP when the request came through a trusted proxy (behind nginx every
    connection is from loopback, so one address would hold everyone's count), otherwise the connection's."""
    remote = request.META.get("REMOTE_ADDR", "unknown")
    if remote in settings.TRUSTED_PROXIES:
        return request.META.get("HTTP_X_REAL_IP") or remote
    return remote


def _rate_limited(request) -> bool:
    """Count form submissions per IP per hour in the cache; card testers submit many, people a few."""
    key = f"donations:rate:{_client_ip(request)}"
    cache.add(key, 0, RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW)
        count = 1
    return count > settings.DONATION_RATE_LIMIT


def _form_page(request, form, status=200, problem=""):
    context = {"form": form, "problem": problem, "paypal_test_mode": settings.PAYPAL_MODE == "fake"}
    return TemplateResponse(request, "donations/donation_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def give(request):
    presets = parse_presets(DonationSettings.for_request(request).amount_presets)
    if request.method == "GET":
        return _form_page(request, DonationForm(presets=presets))
    if _rate_limited(request):
        return _form_page(
            request,
            DonationForm(request.POST, presets=presets),
            status=429,
            problem="Too many donation attempts came from your connection in the last hour. "
            "Please wait an hour and try again, or contact us if you need help.",
        )
    form = DonationForm(request.POST, presets=presets)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    data = form.cleaned_data
    if data["website"]:  # the honeypot: answer like a normal failure, record nothing
        return _form_page(
            request, form, status=400, problem="Your donation could not be taken. Please try again."
        )
    origin = Page.objects.filter(pk=data["origin_page"]).first() if data.get("origin_page") else None
    try:
        intent = services.donation_intent_create(
            form_token=data["form_token"],
            email=data["email"],
            name=data["name"],
            country=data["country"],
            consent_updates=data["consent_updates"],
            amount=data["amount"],
            currency=data["currency"],
            frequency=data["frequency"],
            dedication=data["dedication"],
            honoree_name=data["honoree_name"],
            dedication_message=data["dedication_message"],
            ecard_email=data["ecard_email"],
            origin_page=origin,
            return_url=request.build_absolute_uri(reverse("donations:return")),
            cancel_url=request.build_absolute_uri(reverse("donations:cancel")),
        )
    except services.DonationError as exc:
        return _form_page(request, form, status=502, problem=str(exc))
    if not intent.approve_url:
        return redirect("donations:thank_you", public_id=intent.public_id)
    return redirect(intent.approve_url)


@require_GET
def paypal_return(request):
    public_id = request.GET.get("intent", "")
    intent = DonationIntent.objects.filter(public_id=services._uuid_or_none(public_id)).first()
    if intent is None:
        return _problem(request, "This return link does not match a donation of yours.")
    try:
        if intent.frequency == Frequency.MONTHLY:
            services.subscription_activate(
                public_id=public_id, subscription_id=request.GET.get("subscription_id", "")
            )
        else:
            services.donation_capture(public_id=public_id, order_id=request.GET.get("token", ""))
    except services.ReturnMismatch as exc:
        return _problem(request, str(exc))
    except services.DonationError as exc:  # declined, pending or PayPal slow: the thank-you page says which
        return redirect(reverse("donations:thank_you", args=[intent.public_id]) + "?note=" + exc.code)
    return redirect("donations:thank_you", public_id=intent.public_id)


def _problem(request, message: str):
    return TemplateResponse(request, "donations/problem.html", {"problem": message}, status=400)


@require_GET
def thank_you(request, public_id):
    intent = get_object_or_404(DonationIntent.objects.select_related("donor"), public_id=public_id)
    subscription = getattr(intent, "subscription", None) if intent.frequency == Frequency.MONTHLY else None
    context = {
        "intent": intent,
        "subscription": subscription,
        "payment": intent.payments.first(),
        "note": request.GET.get("note", ""),
    }
    response = TemplateResponse(request, "donations/thank_you.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def cancelled(request):
    intent = services.donation_intent_abandon(public_id=services._uuid_or_none(request.GET.get("intent", "")))
    response = TemplateResponse(request, "donations/cancelled.html", {"intent": intent})
    response["Cache-Control"] = "private, no-store"
    return response


@csrf_exempt
@require_POST
def webhook(request):
    """PayPal's notifications: verified with PayPal, stored once by event ID, applied in one transaction."""
    try:
        event = json.loads(request.body)
        if not isinstance(event, dict) or not event.get("id") or not event.get("event_type"):
            raise ValueError
    except ValueError:
        return HttpResponseBadRequest("Not a PayPal event.")
    try:
        verified = services.paypal().webhook_verify(headers=dict(request.headers), event=event)
    except PayPalError:
        return HttpResponse("Verification unavailable; deliver again later.", status=503)
    if not verified:
        logger.warning("Rejected an unverifiable webhook %s", event.get("id"))
        return HttpResponseBadRequest("Signature not verified.")
    try:
        record, created = webhooks.webhook_event_process(event=event)
    except webhooks.WebhookDeferred as exc:
        return HttpResponse(
            f"Deferred: {exc}; deliver again later.", status=503, headers={"Retry-After": "5"}
        )
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:  # a verified event we cannot read
        logger.error("Webhook %s %s could not be applied: %r", event.get("id"), event.get("event_type"), exc)
        return HttpResponseBadRequest("The event could not be read; nothing was recorded.")
    return JsonResponse({"event": record.event_id, "duplicate": not created, "outcome": record.outcome})


@require_http_methods(["GET", "POST"])
def manage(request, token):
    try:
        subscription = services.subscription_from_token(token)
    except services.DonationError as exc:
        return TemplateResponse(request, "donations/problem.html", {"problem": str(exc)}, status=403)
    problem = ""
    if request.method == "POST":
        try:
            subscription = services.subscription_cancel(subscription=subscription)
        except services.DonationError as exc:
            problem = str(exc)
    context = {
        "subscription": subscription,
        "problem": problem,
        "active": subscription.status == SubscriptionStatus.ACTIVE,
    }
    response = TemplateResponse(request, "donations/manage.html", context, status=502 if problem else 200)
    response["Cache-Control"] = "private, no-store"
    return response
