"""Campaign figures for the report, computed from campaign pages and member participation records."""

from datetime import date

from core.statistics import Figure, registry


def _campaigns(start: date | None, end: date | None):
    from advocacy.models import CampaignPage

    campaigns = CampaignPage.objects.live().public()
    if start:
        campaigns = campaigns.filter(start__gte=start)
    if end:
        campaigns = campaigns.filter(start__lte=end)
    return campaigns


@registry.register("advocacy.campaigns", label="Campaigns launched")
def campaigns(start: date | None = None, end: date | None = None) -> Figure:
    titles = tuple(_campaigns(start, end).order_by("start").values_list("title", flat=True))
    return Figure(
        len(titles), f"Campaigns launched between {start or 'the start'} and {end or 'today'}.", items=titles
    )


@registry.register("advocacy.participating_members", label="Members taking part in campaigns")
def participating_members(start: date | None = None, end: date | None = None) -> Figure:
    from advocacy.models import CampaignParticipation

    names = tuple(
        sorted(
            set(
                CampaignParticipation.objects.filter(
                    campaign__in=_campaigns(start, end), organisation__kind="member"
                ).values_list("organisation__name", flat=True)
            )
        )
    )
    return Figure(
        len(names), "Distinct member organisations recorded as taking part in those campaigns.", items=names
    )


@registry.register("advocacy.countries_reached", label="Countries reached by campaigns")
def countries_reached(start: date | None = None, end: date | None = None) -> Figure:
    from django_countries import countries

    from advocacy.models import CampaignParticipation

    codes = set(
        CampaignParticipation.objects.filter(campaign__in=_campaigns(start, end))
        .exclude(organisation__country="")
        .values_list("organisation__country", flat=True)
    )
    names = tuple(sorted(countries.name(code) for code in codes))
    return Figure(
        len(names), "Countries of the organisations that took part in those campaigns.", items=names
    )
