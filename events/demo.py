"""Demo events: in 2022-2023 the Global Boys Summit, the Nairobi regional workshop and the EU members' meeting, with
participant records that add up to the published counts; in 2023-2024 the EU members' second meeting and a regional
workshop in Bangkok (names are invented and marked as demo)."""

import random
from datetime import date, datetime
from zoneinfo import ZoneInfo

from wagtail.models import Page

from core.demo import DemoContext, demo_step, upsert_children, upsert_page
from events.models import (
    PUBLICATION_PAGES,
    ActionLevel,
    ActionPoint,
    ActionStatus,
    AgendaSession,
    EventIndexPage,
    EventKind,
    EventPage,
    OutputKind,
    Participant,
    ParticipantRole,
    ParticipantStatus,
    SessionProposal,
    Vote,
)

# Invented syllables: the names they make are plausible-sounding but belong to no one.
GIVEN = [
    "Ama",
    "Lira",
    "Tomas",
    "Nadi",
    "Seko",
    "Iria",
    "Malo",
    "Zeni",
    "Oren",
    "Kavi",
    "Dalia",
    "Rumi",
    "Tesa",
    "Bayo",
]
FAMILY = [
    "Demori",
    "Talvek",
    "Onsara",
    "Quillon",
    "Mbeyo",
    "Varsetti",
    "Kolwe",
    "Arandu",
    "Sefir",
    "Nyamo",
    "Lestrin",
]

SUMMIT_COUNTRIES = [
    "MA",
    "DZ",
    "TN",
    "EG",
    "KE",
    "UG",
    "TZ",
    "ZA",
    "NA",
    "ZM",
    "BF",
    "CI",
    "CM",
    "CD",
    "CV",
    "SN",
    "NG",
    "GH",
    "IN",
    "NP",
    "BD",
    "LK",
    "TH",
    "KH",
    "PH",
    "ID",
    "PE",
    "EC",
    "DO",
    "NL",
    "IT",
]  # 31
WORKSHOP_COUNTRIES = [
    "KE",
    "UG",
    "TZ",
    "RW",
    "BI",
    "ET",
    "SO",
    "SS",
    "SD",
    "ER",
    "DJ",
    "ZA",
    "NA",
    "BW",
    "ZW",
    "ZM",
    "MW",
    "MZ",
    "AO",
    "LS",
    "SZ",
    "MG",
    "MU",
    "SC",
    "KM",
    "CD",
    "CG",
    "CM",
    "NG",
    "GH",
    "TH",
    "NL",
]  # 32
EU_COUNTRIES = ["BE", "NL", "FR", "DE", "IT", "ES", "PT", "SE", "FI", "AT", "IE", "LU"]  # 12
EU_COUNTRIES_2023 = [*EU_COUNTRIES, "PL", "RO"]  # 14
BANGKOK_COUNTRIES = [
    "TH",
    "KH",
    "LA",
    "MM",
    "VN",
    "MY",
    "ID",
    "PH",
    "TL",
    "FJ",
    "PG",
    "NP",
    "IN",
    "BD",
    "LK",
    "AU",
]  # 16


def _org(name: str):
    from network.models import Organisation

    return (
        Organisation.objects.filter(name=name).first() or Organisation.objects.filter(short_name=name).first()
    )


def _at(day: date, hour: int, tz: str) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(tz))


def _participants(event: EventPage, countries: list[str], total: int, roles: list[tuple[str, int]]) -> None:
    """Deterministic participants: every country at least once, roles in the given numbers."""
    rng = random.Random(event.slug)  # noqa: S311 (demo data, not security)
    role_list = [role for role, n in roles for _ in range(n)]
    role_list += [ParticipantRole.PRACTITIONER] * (total - len(role_list))
    for n in range(total):
        email = f"participant-{n:03d}@{event.slug}.demo.invalid"
        Participant.objects.update_or_create(
            event=event,
            email=email,
            defaults={
                "name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)} (demo)",
                "country": countries[n] if n < len(countries) else rng.choice(countries),
                "role": role_list[n],
                "organisation_name": "Demo organisation",
                "listed_publicly": rng.random() < 0.5,
                "status": ParticipantStatus.ATTENDED,
            },
        )


def _action_points(event: EventPage, rows: list[tuple], owner=None) -> None:
    """Rows of (text, level, status, due date or None)."""
    for text, level, status, due in rows:
        ActionPoint.objects.update_or_create(
            event=event, text=text, defaults={"level": level, "status": status, "due": due, "owner": owner}
        )


def _set_organisers(page: EventPage, hosts: list, co_organisers: list) -> None:
    hosts, co_organisers = [o for o in hosts if o], [o for o in co_organisers if o]
    if set(page.hosts.all()) != set(hosts) or set(page.co_organisers.all()) != set(co_organisers):
        page.hosts.set(hosts)
        page.co_organisers.set(co_organisers)
        page.save_revision().publish()


@demo_step(order=300)
def build_events(ctx: DemoContext) -> None:
    index = upsert_page(
        ctx.home,
        EventIndexPage,
        slug="events",
        title="Events",
        show_in_menus=True,
        introduction="Summits, regional workshops and network meetings where members and partners plan together.",
    )
    secretariat = _org("ECPAT International")

    summit = upsert_page(
        index,
        EventPage,
        slug="global-boys-summit-2023",
        title="Global Boys Summit 2023",
        kind=EventKind.SUMMIT,
        start=_at(date(2023, 6, 6), 9, "Africa/Casablanca"),
        end=_at(date(2023, 6, 8), 17, "Africa/Casablanca"),
        time_zone="Africa/Casablanca",
        city="Casablanca",
        country="MA",
        programme="Global Boys Initiative",
        summary="The first global meeting on care for boy survivors of sexual exploitation, with an agenda built by its participants.",
        description=(
            "<p>Practitioners who support boys met for three days to share what works in care for boy survivors. "
            "Participants proposed and voted on the sessions before arriving, then turned their discussions into "
            "action points for national, regional and global work.</p>"
        ),
    )
    _set_organisers(summit, [secretariat], [_org("AMANE")])
    _participants(
        summit,
        SUMMIT_COUNTRIES,
        67,
        [(ParticipantRole.ORGANISER, 5), (ParticipantRole.SPEAKER, 8), (ParticipantRole.YOUTH_DELEGATE, 4)],
    )
    proposals = [
        ("Gender-sensitive intake for boys", "How first contact with services can make boys feel believed."),
        ("Working with families", "Involving carers in recovery without exposing boys to more harm."),
        (
            "Online exploitation of boys",
            "What practitioners see online and how referral pathways can keep up.",
        ),
    ]
    people = list(summit.participants.order_by("email")[:12])
    for i, (title, description) in enumerate(proposals):
        proposal, _ = SessionProposal.objects.update_or_create(
            event=summit, title=title, defaults={"proposer": people[i], "description": description}
        )
        for voter in people[3 : 3 + 6 - i * 2]:
            Vote.objects.get_or_create(proposal=proposal, participant=voter)
        AgendaSession.objects.update_or_create(
            event=summit,
            title=title,
            defaults={
                "starts_at": _at(date(2023, 6, 6 + i), 10, "Africa/Casablanca"),
                "ends_at": _at(date(2023, 6, 6 + i), 12, "Africa/Casablanca"),
                "room": f"Room {i + 1}",
                "facilitators": people[i].name,
                "proposal": proposal,
            },
        )
    _action_points(
        summit,
        [
            (
                "Publish guidance on gender-sensitive services for boys",
                ActionLevel.GLOBAL,
                ActionStatus.IN_PROGRESS,
                date(2024, 3, 31),
            ),
            (
                "Map services for boy survivors in North Africa",
                ActionLevel.REGIONAL,
                ActionStatus.OPEN,
                date(2024, 6, 30),
            ),
            (
                "Train hotline staff on disclosures by boys",
                ActionLevel.NATIONAL,
                ActionStatus.DONE,
                date(2023, 12, 31),
            ),
        ],
        owner=secretariat,
    )

    workshop = upsert_page(
        index,
        EventPage,
        slug="regional-workshop-nairobi-2023",
        title="Regional Workshop: East and Southern Africa",
        kind=EventKind.REGIONAL_WORKSHOP,
        start=_at(date(2023, 5, 16), 9, "Africa/Nairobi"),
        end=_at(date(2023, 5, 18), 17, "Africa/Nairobi"),
        time_zone="Africa/Nairobi",
        city="Nairobi",
        country="KE",
        summary="Policymakers, researchers and child-protection workers from the region looked for shared answers.",
        description=(
            "<p>The workshop weighed national policy against action that reaches communities, families and children, "
            "and looked beyond formal justice systems for ways to protect children.</p>"
        ),
    )
    _set_organisers(workshop, [secretariat], [])
    _participants(
        workshop,
        WORKSHOP_COUNTRIES,
        82,
        [(ParticipantRole.POLICYMAKER, 14), (ParticipantRole.RESEARCHER, 9), (ParticipantRole.SPEAKER, 10)],
    )
    _action_points(
        workshop,
        [
            (
                "Strengthen community-based reporting in border areas",
                ActionLevel.REGIONAL,
                ActionStatus.IN_PROGRESS,
                None,
            ),
            (
                "Share model legislation on online exploitation with ministries",
                ActionLevel.NATIONAL,
                ActionStatus.OPEN,
                None,
            ),
        ],
    )

    eu = upsert_page(
        index,
        EventPage,
        slug="eu-members-meeting-2022",
        title="EU members' communications and campaigns meeting",
        kind=EventKind.NETWORK_MEETING,
        start=_at(date(2022, 10, 11), 9, "Europe/Brussels"),
        end=_at(date(2022, 10, 12), 17, "Europe/Brussels"),
        time_zone="Europe/Brussels",
        city="Brussels",
        country="BE",
        summary="Two days for members in the European Union to align their communications and joint campaigning.",
    )
    _set_organisers(eu, [secretariat], [])
    _participants(eu, EU_COUNTRIES, 18, [(ParticipantRole.STAFF, 4)])

    _build_events_2023_2024(index, secretariat)

    upsert_page(
        index,
        EventPage,
        slug="members-webinar-2027",
        title="Members' webinar: preparing the next annual report (demo)",
        kind=EventKind.WEBINAR,
        start=datetime(2027, 3, 10, 13, tzinfo=ZoneInfo("UTC")),
        end=datetime(2027, 3, 10, 15, tzinfo=ZoneInfo("UTC")),
        online=True,
        summary="A demo upcoming event: register to see the confirmation and the agenda-shaping link.",
        registration_opens=datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC")),
        registration_closes=datetime(2027, 3, 9, tzinfo=ZoneInfo("UTC")),
        capacity=100,
    )
    ctx.log(f"events: {EventPage.objects.count()} events, {Participant.objects.count()} participants")


def _build_events_2023_2024(index: EventIndexPage, secretariat) -> None:
    """The EU members' second meeting and the regional workshop for Southeast Asia and the Pacific."""
    eu = upsert_page(
        index,
        EventPage,
        slug="eu-members-meeting-2023",
        title="EU members' meeting on the child sexual abuse regulation",
        kind=EventKind.NETWORK_MEETING,
        start=_at(date(2023, 10, 17), 9, "Europe/Brussels"),
        end=_at(date(2023, 10, 18), 17, "Europe/Brussels"),
        time_zone="Europe/Brussels",
        city="Brussels",
        country="BE",
        summary="Members in the European Union compared notes on the regulation's passage through Parliament.",
    )
    _set_organisers(eu, [secretariat], [])
    _participants(eu, EU_COUNTRIES_2023, 23, [(ParticipantRole.STAFF, 5), (ParticipantRole.POLICYMAKER, 3)])

    bangkok = upsert_page(
        index,
        EventPage,
        slug="regional-workshop-bangkok-2024",
        title="Regional Workshop: Southeast Asia and the Pacific",
        kind=EventKind.REGIONAL_WORKSHOP,
        start=_at(date(2024, 3, 5), 9, "Asia/Bangkok"),
        end=_at(date(2024, 3, 7), 17, "Asia/Bangkok"),
        time_zone="Asia/Bangkok",
        city="Bangkok",
        country="TH",
        summary="Members, police and tourism businesses from the region looked at exploitation that crosses borders.",
        description=(
            "<p>Three days on the travel routes, payment channels and online platforms through which children in "
            "the region are exploited, and on how hotlines, police and the tourism industry can hand cases to one "
            "another without losing the child in between.</p>"
        ),
    )
    _set_organisers(bangkok, [secretariat], [_org("ECPAT Foundation")])
    _participants(
        bangkok,
        BANGKOK_COUNTRIES,
        58,
        [
            (ParticipantRole.ORGANISER, 4),
            (ParticipantRole.POLICYMAKER, 11),
            (ParticipantRole.RESEARCHER, 6),
            (ParticipantRole.SPEAKER, 9),
            (ParticipantRole.YOUTH_DELEGATE, 3),
        ],
    )
    _action_points(
        bangkok,
        [
            (
                "Agree a referral protocol between hotlines and tourism police in the Mekong countries",
                ActionLevel.REGIONAL,
                ActionStatus.IN_PROGRESS,
                date(2024, 12, 31),
            ),
            (
                "Brief payment providers on transaction patterns linked to livestreamed abuse",
                ActionLevel.GLOBAL,
                ActionStatus.OPEN,
                date(2025, 3, 31),
            ),
        ],
        owner=secretariat,
    )


# What the summit and the workshop published, by event: kind, title and the slug of the publication in the library
# (publications/demo.py makes them at order 400).
OUTPUTS = {
    "global-boys-summit-2023": [
        (
            OutputKind.OUTCOMES_REPORT,
            "Global Boys Summit: Outcomes Report",
            "global-boys-summit-2023-outcomes-report",
        ),
        (
            OutputKind.SUMMARY_REPORT,
            "Global Boys Summit: Summary Report",
            "global-boys-summit-2023-summary-report",
        ),
    ],
    "regional-workshop-nairobi-2023": [
        (
            OutputKind.EVENT_REVIEW,
            "Regional Workshop: In-Depth Event Review",
            "regional-workshop-nairobi-2023-event-review",
        ),
        (
            OutputKind.ACTION_PLAN,
            "Regional Workshop: Summary and Action Plan",
            "regional-workshop-nairobi-2023-summary-and-action-plan",
        ),
    ],
    "regional-workshop-bangkok-2024": [
        (
            OutputKind.ACTION_PLAN,
            "Regional Workshop Bangkok: Summary and Action Plan",
            "regional-workshop-bangkok-2024-summary-and-action-plan",
        ),
    ],
}


@demo_step(order=410)
def build_event_outputs(ctx: DemoContext) -> None:
    """The events' outputs, each pointing at its publication. A step of its own, after the library: the
    publications are found by slug and page type, as events does not import publications (see EventOutput)."""
    publications = Page.objects.filter(**PUBLICATION_PAGES)
    for event_slug, outputs in OUTPUTS.items():
        event = EventPage.objects.get(slug=event_slug)
        rows = [
            {"kind": kind, "title": title, "publication": publications.filter(slug=slug).first()}
            for kind, title, slug in outputs
        ]
        upsert_children(event, "outputs", rows)
    linked = sum(
        1 for rows in OUTPUTS.values() for *_, slug in rows if publications.filter(slug=slug).exists()
    )
    ctx.log(f"events: {linked} outputs linked to their publications")
