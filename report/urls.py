"""Public figure pages: /figures/compare/ and /figures/<statistic>/<parameters>/."""

from django.urls import path, register_converter

from report import views

app_name = "report"


class StatisticNameConverter:
    """app.statistic, e.g. comms.yoy_change (a dot, so no other /figures/ address can be mistaken for one)."""

    regex = r"[a-z_]+\.[a-z_0-9]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(StatisticNameConverter, "statistic")

urlpatterns = [
    path("figures/compare/", views.reports_compare, name="compare"),
    path("figures/<statistic:name>/", views.figure_page, name="figure"),
    path("figures/<statistic:name>/<str:params>/", views.figure_page, name="figure"),
]
