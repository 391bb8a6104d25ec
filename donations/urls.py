"""Donation endpoints outside the page tree (the form's target, PayPal's return/cancel, webhook, manage link)."""

from django.urls import path

from donations import views

app_name = "donations"
urlpatterns = [
    path("give/", views.give, name="give"),
    path("return/", views.paypal_return, name="return"),
    path("cancelled/", views.cancelled, name="cancel"),
    path("thank-you/<uuid:public_id>/", views.thank_you, name="thank_you"),
    path("paypal/webhook/", views.webhook, name="webhook"),
    path("manage/<str:token>/", views.manage, name="manage"),
]
