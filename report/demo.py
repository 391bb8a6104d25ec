"""The demo annual reports: 2022-2023 in two chapters retold from the seed pages in new words, and 2023-2024 in two
chapters written for the demo, which continue it from the records of the following year."""

from core.demo import DemoContext, DemoYear, block, demo_step, upsert_page
from report.models import AnnualReportPage, ReportChapterPage, ReportHeadlineFigure

# The sources the chapters' listing blocks list, in one place for both reports.
EPISODES, JOINED, PUBLISHED, EVENTS = (
    "comms.episodes_released",
    "network.joined",
    "publications.published",
    "events.held",
)


def _p(html: str) -> str:
    return f"<p>{html}</p>"


OUTREACH_BODY = [
    block(
        "paragraph",
        _p(
            "This chapter looks back on a year in which communications, community work and policy advocacy were "
            "planned as one effort. It records what we did, what it achieved and where we fell short, so that "
            "members, partners and funders can judge the work for themselves."
        ),
        "outreach-intro",
    ),
    block("heading", {"text": "Communications outputs", "level": "h2"}, "outreach-h-comms"),
    block(
        "paragraph",
        _p(
            "Our podcast marked World Tourism Day 2022 with an episode on voluntourism: members in Sri Lanka and "
            "Indonesia explained how short, unregulated volunteer placements put children at risk, and what "
            "responsible tourism should change. A mini-series followed She Leads, a programme that strengthens the "
            "voice of girls and young women in Africa and the Middle East in the decisions that affect them."
        ),
        "outreach-podcast",
    ),
    block(
        "listing",
        {
            "source": EPISODES,
            "heading": "Episodes released this year",
            "start": "2022-08-01",
            "end": "2023-07-31",
            "filter": "",
            "limit": None,
        },
        "outreach-list-episodes",
    ),
    block("heading", {"text": "Audience and attention", "level": "h2"}, "outreach-h-metrics"),
    block(
        "paragraph",
        _p(
            "We kept our Facebook community steady and put new effort into Instagram and LinkedIn, where members "
            "and practitioners look for our research. Every figure below is computed from the platform exports we "
            "imported, and each one says how it was counted."
        ),
        "outreach-metrics",
    ),
    *[
        block(
            "statistic",
            {
                "statistic": "comms.yoy_change",
                "parameters": f"channel={channel}\nmeasure={measure}\nperiod_end=2023-07-31",
                "label": label,
            },
            f"outreach-stat-{channel}",
        )
        for channel, measure, label in [
            ("linkedin", "followers", "LinkedIn audience, year on year"),
            ("instagram", "followers", "Instagram audience, year on year"),
            ("facebook", "followers", "Facebook audience, year on year"),
            ("website", "visits", "Website visits, year on year"),
            ("traditional_media", "mentions", "Mentions in traditional media"),
            ("social_mentions", "mentions", "Mentions on social media"),
        ]
    ],
    block(
        "chart",
        {
            "kind": "yoy_by_channel",
            "title": "Change on each channel, August 2022 to July 2023",
            "description": (
                "Bars compare each channel with the previous twelve months. Media mentions more than doubled; "
                "LinkedIn grew fastest among our own accounts and Facebook held steady."
            ),
            "series": "linkedin followers\ninstagram followers\nfacebook followers\nwebsite visits\n"
            "traditional_media mentions\nsocial_mentions mentions",
            "period_end": "2023-07-31",
        },
        "outreach-chart-yoy",
    ),
    block(
        "chart",
        {
            "kind": "over_time",
            "title": "LinkedIn followers over the year",
            "description": "Followers on LinkedIn rose steadily through the year, ending 27% above a year earlier.",
            "series": "linkedin followers",
            "period_end": "2023-07-31",
        },
        "outreach-chart-linkedin",
    ),
    block("heading", {"text": "Convening the network", "level": "h2"}, "outreach-h-events"),
    block(
        "paragraph",
        _p(
            "In June 2023 the first Global Boys Summit met in Casablanca, Morocco, co-organised with our member "
            "AMANE: [[events.event_participants event=global-boys-summit-2023]] participants from "
            "[[events.event_countries event=global-boys-summit-2023]] countries, most of them practitioners who work "
            "with boys, shaped the agenda together and left with action points for national, regional and global "
            "work."
        ),
        "outreach-events",
    ),
    block(
        "paragraph",
        _p(
            "A month earlier, the regional workshop in Nairobi, Kenya, brought "
            "[[events.event_participants event=regional-workshop-nairobi-2023]] policymakers, researchers and "
            "child-protection workers from [[events.event_countries event=regional-workshop-nairobi-2023]] countries "
            "together around shared problems. In October 2022, members in the European Union met for two days to "
            "align their campaigning."
        ),
        "outreach-events-2",
    ),
    block("heading", {"text": "Advocacy and policy", "level": "h2"}, "outreach-h-advocacy"),
    block(
        "paragraph",
        _p(
            "The Break Free to Fly campaign, launched with Meta as partner, joined public mobilisation with policy "
            "work, and members carried it in their own countries. We followed the proposed EU regulation on child "
            "sexual abuse closely at every stage."
        ),
        "outreach-advocacy",
    ),
    block("heading", {"text": "Research and country knowledge", "level": "h2"}, "outreach-h-research"),
    block(
        "paragraph",
        _p(
            "The Global Boys Initiative published "
            "[[publications.total kind=case_study start=2022-08-01 end=2023-07-31]] case studies of services that "
            "support boys at risk. [[publications.total kind=country_overview start=2022-08-01 end=2023-07-31]] new "
            "Country Overviews, listed below, and "
            "[[publications.total kind=joint_country_overview start=2022-08-01 end=2023-07-31]] Joint Country "
            "Overviews written with the Secretariat of the Lanzarote Committee assessed how well children are "
            "protected. Disrupting "
            "Harm, our study with INTERPOL and UNICEF Innocenti, published conversations with "
            "[[publications.survivors_consulted slug=disrupting-harm-conversations-with-young-survivors]] young "
            "survivors of online exploitation in "
            "[[publications.study_countries slug=disrupting-harm-conversations-with-young-survivors]] countries."
        ),
        "outreach-research",
    ),
    block(
        "statistic",
        {
            "statistic": "publications.total",
            "parameters": "kind=case_study\nstart=2022-08-01\nend=2023-07-31",
            "label": "Case studies on boys",
        },
        "outreach-stat-case-studies",
    ),
    block(
        "statistic",
        {
            "statistic": "publications.survivors_consulted",
            "parameters": "slug=disrupting-harm-conversations-with-young-survivors",
            "label": "Young survivors who shared their experience",
        },
        "outreach-stat-survivors",
    ),
    block(
        "listing",
        {
            "source": PUBLISHED,
            "heading": "Country overviews",
            "start": "2022-08-01",
            "end": "2023-07-31",
            "filter": "country_overview",
            "limit": None,
        },
        "outreach-list-overviews",
    ),
    block("heading", {"text": "New members", "level": "h2"}, "outreach-h-members"),
    block(
        "paragraph",
        _p(
            "Over the year the network welcomed [[network.new_members start=2022-08-01 end=2023-07-31]] "
            "organisations from [[network.new_member_countries start=2022-08-01 end=2023-07-31]] countries; they are "
            "listed below, straight from the membership records."
        ),
        "outreach-members",
    ),
    block(
        "statistic",
        {
            "statistic": "network.new_members",
            "parameters": "start=2022-08-01\nend=2023-07-31",
            "label": "New member organisations this year",
        },
        "outreach-stat-members",
    ),
    block(
        "listing",
        {
            "source": JOINED,
            "heading": "Welcome to the network",
            "start": "2022-08-01",
            "end": "2023-07-31",
            "filter": "",
            "limit": None,
        },
        "outreach-list-members",
    ),
    block("heading", {"text": "Challenges and the year ahead", "level": "h2"}, "outreach-h-ahead"),
    block(
        "paragraph",
        _p(
            "Limited funding holds back how far our communications can reach, and narratives that blame victims "
            "remain stubborn. Next year we will involve children more directly in the policy work that concerns "
            "them, and keep pairing evidence with the stories of the people behind it."
        ),
        "outreach-ahead",
    ),
]

STAFF_BODY = [
    block(
        "paragraph",
        _p(
            "Numbers tell part of the year; the people who did the work tell the rest. We asked colleagues across "
            "the secretariat what stood out for them."
        ),
        "staff-intro",
    ),
    block("heading", {"text": "Working together", "level": "h2"}, "staff-h-together"),
    block(
        "paragraph",
        _p(
            "Visits to Türkiye and Uzbekistan renewed contact with members in Eastern Europe and Central Asia, "
            "says Stana Buchowska, the regional coordinator, who is proud of what the region built together. A "
            "training workshop in Abidjan on exploitation linked to travel showed what motivated local partners "
            "can do; for Amy Crocker, Head of Child Protection and Technology, it was a lesson in humility."
        ),
        "staff-together",
    ),
    block("heading", {"text": "From research to action", "level": "h2"}, "staff-h-research"),
    block(
        "paragraph",
        _p(
            "Francesco Cecon, who leads the Global Boys Initiative, counts turning new research into practical "
            "tools as the highlight of his year. Matteo Russo, Legal Research Associate, describes Disrupting Harm "
            "as the most demanding collaboration he has worked on, spanning many disciplines and regions."
        ),
        "staff-research",
    ),
    block("heading", {"text": "Looking ahead", "level": "h2"}, "staff-h-ahead"),
    block(
        "paragraph",
        _p(
            "Isaline, Regional Coordinator for the EU, heard from policymakers that the network's contribution "
            "made a difference. Colleagues hope for recovery and prevention services shaped by the children they "
            "serve, and for a network that keeps asking whether each action is worth taking."
        ),
        "staff-ahead",
    ),
]


# Typed (not live) figures in the draft: all true for the demo year but the Instagram one (the records give
# +12.5%), so the checker lists exactly that one and the "four organisations" above.
DRAFT_SENTENCES = [
    "The Global Boys Summit brought together 67 participants from 31 countries.",
    "A month earlier, the regional workshop in Nairobi brought more than 80 policymakers, researchers and "
    "child-protection workers from 32 countries.",
    "Across all our events, nearly 170 participants took part.",
    "Our LinkedIn audience grew 27% over the year.",
    "Website visits rose by 13.29 per cent.",
    "Our Instagram audience grew 15%.",
]

# The figures each report leads with (statistic, parameters, caption); dates come from the report's period.
HEADLINES = [
    ("comms.yoy_change", "channel=linkedin\nmeasure=followers", "LinkedIn audience"),
    ("comms.yoy_change", "channel=instagram\nmeasure=followers", "Instagram audience"),
    ("comms.yoy_change", "channel=facebook\nmeasure=followers", "Facebook audience"),
    ("comms.yoy_change", "channel=website\nmeasure=visits", "Website visits"),
    ("comms.yoy_change", "channel=traditional_media\nmeasure=mentions", "Mentions in traditional media"),
    ("comms.yoy_change", "channel=social_mentions\nmeasure=mentions", "Mentions on social media"),
    ("network.new_members", "", "New member organisations"),
    ("events.participants", "", "Participants at our events"),
]


def set_headlines(report: AnnualReportPage, headlines: list[tuple[str, str, str]]) -> None:
    """Give the report these headline figures, in a published revision, only when they differ (idempotent)."""
    current = [(h.statistic, h.parameters, h.label) for h in report.headline_figures.all()]
    if current == headlines:
        return
    report.headline_figures = [
        ReportHeadlineFigure(statistic=statistic, parameters=parameters, label=label, sort_order=order)
        for order, (statistic, parameters, label) in enumerate(headlines)
    ]
    report.save_revision().publish()


def _quote_blocks(ctx: DemoContext) -> list[dict]:
    """Colleagues' consented quotes side by side, then the survivor's words, set large."""
    quotes = ctx.shared["quotes"]
    return [
        block(
            "staff_perspectives",
            {"heading": "In their words", "quotes": [q.pk for name, q in quotes.items() if q.person_id]},
            "staff-perspectives",
        ),
        block("featured_quote", {"quote": quotes["Ally"].pk}, "staff-survivor-quote"),
    ]


def _donate(key: str) -> dict:
    """Every chapter ends with the first step of a gift (the donation page asks for the rest)."""
    return block(
        "donation",
        {
            "heading": "Help us protect more children",
            "text": "A monthly gift lets members plan their work with children a year ahead.",
        },
        f"{key}-donate",
    )


@demo_step(order=900)
def build_report(ctx: DemoContext) -> None:
    """The 2022-2023 report with its two chapters."""
    report = upsert_page(
        ctx.home,
        AnnualReportPage,
        slug="annual-report-2022-2023",
        title="Annual Report 2022-2023",
        show_in_menus=True,
        year_label=ctx.year_label,
        start_date=ctx.start,
        end_date=ctx.end,
        introduction=(
            "<p>Our year in outreach, advocacy, research and the voices of the people who carried the work. "
            "Every figure in this report is counted from the records behind it.</p>"
        ),
        search_description="ECPAT International's annual report for 2022-2023.",
    )
    ctx.shared["report"] = report
    outreach = upsert_page(
        report,
        ReportChapterPage,
        slug="outreach-and-advocacy",
        title="Outreach and advocacy: the year in review",
        standfirst="How podcasts, campaigns, summits and research worked together to protect children.",
        body=[*OUTREACH_BODY, _donate("outreach")],
    )
    upsert_page(
        report,
        ReportChapterPage,
        slug="staff-perspectives",
        title="Behind the scenes: what our staff saw",
        standfirst="Colleagues across the secretariat on collaboration, research and the years ahead.",
        body=[*STAFF_BODY, *_quote_blocks(ctx), _donate("staff")],
    )
    # The seed page said "four organisations" and then listed six. Keep that slip in an unpublished draft so the
    # figure checker (Published editions → Check typed figures) can be seen catching it, beside a planted wrong
    # percentage and sentences the records bear out, which it must let pass.
    outreach = ReportChapterPage.objects.get(pk=outreach.pk)  # fresh: publishing happened on another instance
    if not outreach.has_unpublished_changes:
        outreach.body = [
            *OUTREACH_BODY,
            block(
                "paragraph",
                _p("Since January 2023 we have welcomed four new member organisations."),
                "outreach-draft-four",
            ),
            block("paragraph", _p(" ".join(DRAFT_SENTENCES)), "outreach-draft-typed"),
            _donate("outreach"),
        ]
        outreach.save_revision()
    set_headlines(report, HEADLINES)
    if not report.editions.exists():
        from report.services import report_edition_publish

        report_edition_publish(report=report)  # the public report shows this edition's frozen figures
    ctx.log(f"report with {report.get_children().count()} chapters, {report.editions.count()} edition(s)")


# The 2023-2024 report. Its blocks take their dates from the year (ctx.years[1]), and its keys start with "y2-".
YOY_SERIES = [
    ("linkedin", "followers", "LinkedIn audience, year on year"),
    ("instagram", "followers", "Instagram audience, year on year"),
    ("facebook", "followers", "Facebook audience, year on year"),
    ("website", "visits", "Website visits, year on year"),
    ("traditional_media", "mentions", "Mentions in newspapers, radio and television"),
    ("social_mentions", "mentions", "Mentions in public posts and blogs"),
]


def _period(year: DemoYear) -> str:
    return f"start={year.start.isoformat()} end={year.end.isoformat()}"


def _listing(source: str, heading: str, year: DemoYear, key: str, kind: str = "") -> dict:
    value = {
        "source": source,
        "heading": heading,
        "start": year.start.isoformat(),
        "end": year.end.isoformat(),
        "filter": kind,
        "limit": None,
    }
    return block("listing", value, key)


def _reach_body(year: DemoYear) -> list[dict]:
    end = year.end.isoformat()
    return [
        block(
            "paragraph",
            _p(
                "After a year in which media attention more than doubled, we set ourselves a quieter aim: fewer "
                "campaigns, each followed through further. This chapter shows what that choice produced on every "
                "channel, counted from the same exports as the year before, so the two reports can be read side "
                "by side."
            ),
            "y2-reach-intro",
        ),
        block("heading", {"text": "Audience and attention", "level": "h2"}, "y2-reach-h-metrics"),
        block(
            "paragraph",
            _p(
                "LinkedIn again grew fastest among our own accounts, carried by research summaries that members "
                "passed on to colleagues in ministries and courts. Instagram and Facebook grew modestly. Coverage "
                "in newspapers and on the radio kept rising, and so did the public posts that named the network, "
                "at a far calmer pace than before."
            ),
            "y2-reach-metrics",
        ),
        *[
            block(
                "statistic",
                {
                    "statistic": "comms.yoy_change",
                    "parameters": f"channel={channel}\nmeasure={measure}\nperiod_end={end}",
                    "label": label,
                },
                f"y2-reach-stat-{channel}",
            )
            for channel, measure, label in YOY_SERIES
        ],
        block(
            "comparison",
            {
                "statistic": "comms.yoy_change",
                "parameters": "channel=linkedin\nmeasure=followers",
                "label": "LinkedIn audience growth, this year and last",
            },
            "y2-reach-compare-linkedin",
        ),
        block(
            "chart",
            {
                "kind": "yoy_by_channel",
                "title": f"Change on each channel, {year.start:%B %Y} to {year.end:%B %Y}",
                "description": (
                    "Bars compare each channel with the twelve months before. Every channel grew, none as fast as "
                    "the year before: LinkedIn and mentions on social media led, and Facebook barely moved."
                ),
                "series": "\n".join(f"{channel} {measure}" for channel, measure, _label in YOY_SERIES),
                "period_end": end,
            },
            "y2-reach-chart-yoy",
        ),
        block(
            "chart",
            {
                "kind": "over_time",
                "title": "Instagram followers through the year",
                "description": (
                    "Followers on Instagram rose slowly but without a pause, and the year closed almost a tenth "
                    "above the July before."
                ),
                "series": "instagram followers",
                "period_end": end,
            },
            "y2-reach-chart-instagram",
        ),
        block("heading", {"text": "On the podcast", "level": "h2"}, "y2-reach-h-podcast"),
        block(
            "paragraph",
            _p(
                "The podcast followed the summit home: practitioners in Morocco and Nepal described how their "
                "teams now listen to boys. On Safer Internet Day a helpline in Tanzania and a youth network in the "
                "Philippines talked about sextortion, and in June members from Peru and Nepal who joined this "
                "year told listeners why they had."
            ),
            "y2-reach-podcast",
        ),
        _listing(EPISODES, "Episodes released this year", year, "y2-reach-list-episodes"),
        block("heading", {"text": "Research and country knowledge", "level": "h2"}, "y2-reach-h-research"),
        block(
            "paragraph",
            _p(
                f"The library grew by [[publications.total {_period(year)}]] publications over the year. Among "
                f"them were [[publications.total kind=country_overview {_period(year)}]] new Country Overviews, "
                "for Tanzania and Nepal, and a further case study from the Global Boys Initiative on the months "
                "after a boy leaves a shelter, when support too often stops."
            ),
            "y2-reach-research",
        ),
        _listing(PUBLISHED, "Published this year", year, "y2-reach-list-publications"),
        _donate("y2-reach"),
    ]


def _network_body(year: DemoYear) -> list[dict]:
    return [
        block(
            "paragraph",
            _p(
                "A network is only as strong as the organisations that choose to belong to it. This chapter "
                "records who joined us over the year and where members met to plan their work together."
            ),
            "y2-network-intro",
        ),
        block("heading", {"text": "New members", "level": "h2"}, "y2-network-h-members"),
        block(
            "paragraph",
            _p(
                f"[[network.new_members {_period(year)}]] organisations joined the network this year, from "
                f"[[network.new_member_countries {_period(year)}]] countries where members were already at work, "
                "so each found neighbours to learn from in its first months."
            ),
            "y2-network-members",
        ),
        block(
            "statistic",
            {
                "statistic": "network.new_members",
                "parameters": f"start={year.start.isoformat()}\nend={year.end.isoformat()}",
                "label": "New member organisations this year",
            },
            "y2-network-stat-members",
        ),
        block(
            "comparison",
            {
                "statistic": "network.new_members",
                "parameters": "",
                "label": "New members, this year and last",
            },
            "y2-network-compare-members",
        ),
        _listing(JOINED, "Welcome to the network", year, "y2-network-list-members"),
        block("heading", {"text": "Meeting in person", "level": "h2"}, "y2-network-h-events"),
        block(
            "paragraph",
            _p(
                "Members in the European Union met in Brussels in October, as the regulation on child sexual "
                "abuse moved through Parliament. In March the regional workshop in Bangkok brought "
                "[[events.event_participants event=regional-workshop-bangkok-2024]] participants from "
                "[[events.event_countries event=regional-workshop-bangkok-2024]] countries together: members, "
                "police and tourism businesses, who agreed how a case should pass from a hotline to the police "
                "without losing the child in between."
            ),
            "y2-network-events",
        ),
        block(
            "statistic",
            {
                "statistic": "events.participants",
                "parameters": f"start={year.start.isoformat()}\nend={year.end.isoformat()}",
                "label": "People at the network's meetings this year",
            },
            "y2-network-stat-participants",
        ),
        block(
            "comparison",
            {
                "statistic": "events.participants",
                "parameters": "",
                "label": "People at our meetings, this year and last",
            },
            "y2-network-compare-participants",
        ),
        _listing(EVENTS, "Where we met", year, "y2-network-list-events"),
        block("heading", {"text": "The year ahead", "level": "h2"}, "y2-network-h-ahead"),
        block(
            "paragraph",
            _p(
                "Next year our newest members will help set the agenda of the regional meetings from the start, "
                "and we will publish the Bangkok action plan again with a note on every commitment kept or missed."
            ),
            "y2-network-ahead",
        ),
        _donate("y2-network"),
    ]


# After every other step (the 2022-2023 report is 900), so its edition freezes the year's records as the demo left them.
@demo_step(order=950)
def build_second_report(ctx: DemoContext) -> None:
    """The 2023-2024 report with its two chapters, and its first edition."""
    year = ctx.years[1]
    report = upsert_page(
        ctx.home,
        AnnualReportPage,
        slug=f"annual-report-{year.label}",
        title=f"Annual Report {year.label}",
        show_in_menus=False,  # the menu keeps one report; the home page lists every year
        year_label=year.label,
        start_date=year.start,
        end_date=year.end,
        introduction=(
            "<p>Our second year reported from the records: the same channels, counted the same way, so each "
            "figure can be set beside the year before. Every number here says how it was counted.</p>"
        ),
        search_description=f"ECPAT International's annual report for {year.label}.",
    )
    upsert_page(
        report,
        ReportChapterPage,
        slug="reach-and-attention",
        title="Reach and attention: a year of steadier growth",
        standfirst="Our channels grew more slowly than the year before, and went further into the places where "
        "decisions about children are made.",
        body=_reach_body(year),
    )
    upsert_page(
        report,
        ReportChapterPage,
        slug="a-growing-network",
        title="A growing network: new members and meetings",
        standfirst="Who joined the network over the year, and where members met to plan together.",
        body=_network_body(year),
    )
    set_headlines(report, HEADLINES)
    if not report.editions.exists():
        from report.services import report_edition_publish

        report_edition_publish(report=report)
    ctx.log(
        f"report {year.label} with {report.get_children().count()} chapters, {report.editions.count()} edition(s)"
    )
