"""The demo annual report 2022-2023: two chapters retold from the seed pages in new words."""

from core.demo import DemoContext, block, demo_step, upsert_page
from report.models import AnnualReportPage, ReportChapterPage


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
            "source": "podcast_episodes",
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
            "source": "publications",
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
            "source": "new_members",
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
    # figure checker (Published editions → Check typed figures) can be seen catching it.
    outreach = ReportChapterPage.objects.get(pk=outreach.pk)  # fresh: publishing happened on another instance
    if not outreach.has_unpublished_changes:
        outreach.body = [
            *OUTREACH_BODY,
            block(
                "paragraph",
                _p("Since January 2023 we have welcomed four new member organisations."),
                "outreach-draft-four",
            ),
            _donate("outreach"),
        ]
        outreach.save_revision()
    if not report.editions.exists():
        from report.services import report_edition_publish

        report_edition_publish(report=report)  # the public report shows this edition's frozen figures
    ctx.log(f"report with {report.get_children().count()} chapters, {report.editions.count()} edition(s)")
