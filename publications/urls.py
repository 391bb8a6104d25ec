"""Non-page URLs of publications: the site-wide search."""

from django.urls import path

from publications import views

app_name = "publications"

urlpatterns = [path("search/", views.search, name="search")]
