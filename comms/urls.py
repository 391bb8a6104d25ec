"""Non-page endpoints of comms: the podcast feed and the files it links to, the figures API and the impact page."""

from django.urls import path

from comms import views

app_name = "comms"

urlpatterns = [
    path("podcast/feed.xml", views.podcast_feed, name="podcast_feed"),
    path("podcast/episodes/<int:pk>/chapters.json", views.podcast_chapters, name="podcast_chapters"),
    path(
        "podcast/episodes/<int:pk>/transcript.<str:extension>",
        views.podcast_transcript,
        name="podcast_transcript",
    ),
    path("api/comms/figures/", views.figures_api, name="figures"),
    path("impact/", views.impact, name="impact"),
]
