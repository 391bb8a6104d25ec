"""Non-page endpoints of comms: the podcast feed, the figures API and the public impact page."""

from django.urls import path

from comms import views

app_name = "comms"

urlpatterns = [
    path("podcast/feed.xml", views.podcast_feed, name="podcast_feed"),
    path("api/comms/figures/", views.figures_api, name="figures"),
    path("impact/", views.impact, name="impact"),
]
