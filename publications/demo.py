"""The library: the 2022-2023 publications the seed pages name and a few of 2023-2024, each with a small PDF
generated at load time, the country pages, and structured overviews (demo content written for Yearbook, not the
network's findings)."""

import json
from datetime import date

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.models import Workflow, WorkflowContentType

from core.demo import DemoContext, demo_step, upsert_page
from network.models import FocusArea, Organisation, OrganisationKind
from publications.models import (
    Assessment,
    Compliance,
    ConventionStandard,
    CountryIndexPage,
    CountryOverview,
    Manifestation,
    OverviewKind,
    OverviewSection,
    PartnerRole,
    Programme,
    PublicationCountry,
    PublicationIndexPage,
    PublicationKind,
    PublicationOrganisation,
    PublicationPage,
)
from publications.services import publication_file_attach

# A word that only the Moldova joint overview's PDF contains, so a full-text search can be shown to work.
MOLDOVA_PDF_WORD = "Zephyrine"

PROGRAMMES = [
    (
        "Global Boys Initiative",
        "Research and practice on the sexual exploitation of boys and the services they need.",
    ),
    ("Disrupting Harm", "A research project on online child sexual exploitation and abuse in 13 countries."),
    (
        "She Leads",
        "A joint programme raising the influence of girls and young women in decisions that affect them.",
    ),
]
GBI, DH = "Global Boys Initiative", "Disrupting Harm"
LANZAROTE = "Lanzarote Committee Secretariat, Council of Europe"

# Eight practices of service providers documented by the Global Boys Initiative (titles written for the demo).
CASE_STUDIES = [
    ("drop-in-centres-for-boys", "Drop-in centres that boys choose to return to", "KE"),
    ("outreach-to-boys-on-the-street", "Night outreach to boys living on the street", "BF"),
    ("male-social-workers", "Recruiting and supporting male social workers", "PH"),
    (
        "peer-support-for-boy-survivors",
        "Peer support groups led by young men who survived exploitation",
        "NP",
    ),
    ("sport-as-a-way-in", "Sport as a way into conversations about abuse", "BR"),
    ("online-counselling-for-boys", "Anonymous online counselling for boys", "TH"),
    ("family-reintegration", "Bringing boys home: family reintegration after exploitation", "MA"),
    ("training-police-on-boys", "Training police officers to recognise exploited boys", "IN"),
]
COUNTRY_OVERVIEWS = [  # code, name, published
    ("CI", "Côte d'Ivoire", date(2023, 4, 20)),
    ("EC", "Ecuador", date(2023, 4, 20)),
    ("DO", "Dominican Republic", date(2023, 4, 20)),
    ("BD", "Bangladesh", date(2023, 4, 20)),
    ("TZ", "Tanzania", date(2024, 1, 25)),
    ("NP", "Nepal", date(2024, 5, 14)),
]
# Case studies the Global Boys Initiative added in 2023-2024, after the eight above: slug, title, country, published,
# summary, PDF paragraphs (written for the demo).
LATER_CASE_STUDIES = [
    (
        "following-boys-home",
        "Following boys home: neighbours who keep in touch after shelter care",
        "KH",
        date(2023, 11, 14),
        "How trained neighbours stay in contact with boys who have left a shelter, so that support does not end at "
        "the door. The Global Boys Initiative added it to its case studies after the summit.",
        [
            "Volunteers visit each boy and his family for a year after he returns home, and call in staff when "
            "something worries them.",
            "The study sets out how volunteers are chosen, trained and supervised, and what the visits cost.",
        ],
    ),
]
JOINT_OVERVIEWS = [("MD", "Moldova"), ("FI", "Finland"), ("IT", "Italy")]
SURVIVOR_COUNTRIES = ["KE", "ZA", "NA", "MY", "KH"]

# What the Global Boys Summit and the Nairobi regional workshop published afterwards (summaries written for the
# demo). The events' outputs link to these by slug (events/demo.py, a step after this one).
EVENT_OUTPUTS = [
    # slug, title, kind, published, summary, PDF paragraphs, programme, themes
    (
        "global-boys-summit-2023-outcomes-report",
        "Global Boys Summit: Outcomes Report",
        PublicationKind.EVENT_REPORT,
        date(2023, 7, 12),
        "What the practitioners who met in Casablanca in June 2023 concluded about care for boy survivors of "
        "sexual exploitation, session by session, and the action points they set for their countries, their "
        "regions and the network as a whole.",
        [
            "The sessions were proposed and chosen by the participants before the summit opened.",
            "Each chapter ends with the commitments made in that session and who will carry them forward.",
        ],
        GBI,
        ["Care and recovery", "Child participation"],
    ),
    (
        "global-boys-summit-2023-summary-report",
        "Global Boys Summit: Summary Report",
        PublicationKind.SUMMARY,
        date(2023, 7, 12),
        "The first Global Boys Summit in a few pages: who came to Casablanca, how they built the agenda together "
        "with the hosts and AMANE, and which next steps they agreed for services that support boys.",
        ["A short read for partners and funders; the outcomes report holds the detail of every session."],
        GBI,
        ["Care and recovery"],
    ),
    (
        "regional-workshop-nairobi-2023-event-review",
        "Regional Workshop: In-Depth Event Review",
        PublicationKind.EVENT_REPORT,
        date(2023, 6, 20),
        "A full review of the May 2023 workshop in Nairobi for East and Southern Africa: the problems that "
        "governments, researchers and civil society found they share, the highlights of three days of work, and "
        "what the participants will do next.",
        [
            "The review follows the workshop's sessions in order and records the questions each one left open.",
            "It closes with the points on which the region's members and partners agreed to act together.",
        ],
        "",
        ["Justice for children", "Child participation"],
    ),
    (
        "regional-workshop-nairobi-2023-summary-and-action-plan",
        "Regional Workshop: Summary and Action Plan",
        PublicationKind.SUMMARY,
        date(2023, 6, 20),
        "The Nairobi workshop's conclusions on one page, and the plan that follows from them: national policy "
        "that reaches communities, families and children, and protection that does not wait for the courts.",
        ["Each action names who leads it and when members will report on it at the next regional meeting."],
        "",
        ["Justice for children"],
    ),
    (
        "regional-workshop-bangkok-2024-summary-and-action-plan",
        "Regional Workshop Bangkok: Summary and Action Plan",
        PublicationKind.SUMMARY,
        date(2024, 4, 10),
        "What members, police and tourism businesses from Southeast Asia and the Pacific agreed in Bangkok in "
        "March 2024 about exploitation that crosses borders, and the plan for passing cases between hotlines, "
        "police and the travel industry.",
        [
            "The plan lists each commitment with the organisation that leads it and the date it is due.",
            "A closing section sets out what the region will bring to the network's next global meeting.",
        ],
        "",
        ["Travel and tourism", "Online exploitation"],
    ),
]

STANDARDS = [
    ("Art. 5", "Training of people who work with children"),
    ("Art. 18", "Criminalising sexual abuse"),
    ("Art. 19", "Offences concerning child prostitution"),
    ("Art. 20", "Offences concerning child sexual abuse material"),
    ("Art. 23", "Solicitation of children for sexual purposes"),
    ("Art. 25", "Jurisdiction, including over offences abroad"),
]
# Demo ratings per standard, in STANDARDS order (not the real assessments).
RATINGS = {
    "MD": ["partially", "compliant", "partially", "partially", "not_compliant", "no_data"],
    "FI": ["compliant", "compliant", "compliant", "partially", "compliant", "partially"],
    "IT": ["partially", "compliant", "compliant", "compliant", "partially", "compliant"],
}

# Structured overview sections for two countries, written for the demo.
SECTIONS = {
    "CI": [
        (
            Manifestation.TRAVEL_AND_TOURISM,
            "Coastal resorts near Abidjan and Grand-Bassam draw visitors all year, and informal guesthouses rarely check who accompanies a child.",
            "Hotel staff in two coastal towns took part in a first round of training on spotting and reporting risks.",
            "Few cases reach court, and tourism businesses have no shared code of conduct.",
            "A national child protection hotline and a handful of shelters run by civil society.",
            "Adopt a code of conduct with hotel associations\nTrain labour inspectors on child protection in tourism\nFund shelters outside Abidjan",
        ),
        (
            Manifestation.ONLINE,
            "Mobile internet use among teenagers grew quickly, and payments through mobile money make grooming harder to trace.",
            "A cybercrime unit now accepts reports about child sexual abuse material.",
            "No specialised training for prosecutors, and little data on reports made by children.",
            "The cybercrime platform and school awareness sessions run by members.",
            "Train prosecutors and judges on digital evidence\nPublish yearly figures on reports and convictions",
        ),
        (
            Manifestation.MARRIAGE,
            "Marriage before 18 remains common in the north and west, often arranged between families.",
            "The legal age of marriage was made equal for girls and boys.",
            "Customary unions escape registration and therefore the law.",
            "Community dialogues led by religious and traditional leaders.",
            "Register every union, customary or civil\nKeep girls in secondary school with bursaries",
        ),
    ],
    "EC": [
        (
            Manifestation.TRAFFICKING,
            "Children are moved from rural provinces to cities and across the northern and southern borders.",
            "A national plan against trafficking was renewed with a chapter on children.",
            "Shelters are concentrated in Quito and Guayaquil, far from where many children are identified.",
            "A specialised police unit and a network of shelters run with members.",
            "Open shelters in border provinces\nTrain border officials to identify children travelling with unrelated adults",
        ),
        (
            Manifestation.ONLINE,
            "Most adolescents are online every day, and reports of sextortion have risen since 2020.",
            "Schools adopted a protocol for responding to online violence.",
            "Internet providers are not required to report abuse material.",
            "A hotline run by civil society and awareness campaigns in schools.",
            "Require providers to detect, remove and report abuse material\nFund the hotline from the public budget",
        ),
    ],
}


def _pdf(title: str, kind: str, paragraphs: list[str]) -> bytes:
    """A small tagged PDF (WeasyPrint, as the report uses) with the title and a few paragraphs."""
    import weasyprint

    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    html = (
        f"<html lang='en'><head><title>{escape(title)}</title></head><body>"
        f"<p style='text-transform:uppercase'>{escape(kind)}</p><h1>{escape(title)}</h1>{body}"
        "<p><em>Demo document generated for Yearbook.</em></p></body></html>"
    )
    return weasyprint.HTML(string=html).write_pdf()


def _organisation(name: str, kind: str = OrganisationKind.INTERGOVERNMENTAL) -> Organisation:
    organisation = Organisation.objects.filter(name=name).first()
    if organisation is None:  # the network demo normally made it; create a partner record when run alone
        organisation = Organisation.objects.create(
            name=name, slug=slugify(name)[:200], kind=kind, country="FR"
        )
    return organisation


def _publish(
    index: PublicationIndexPage,
    *,
    slug: str,
    title: str,
    kind: str,
    published: date,
    summary: str,
    pdf_text: list[str],
    programme: Programme | None = None,
    countries: list[str] = (),
    partners: list[tuple[Organisation, str]] = (),
    themes: list[str] = (),
    **fields,
) -> PublicationPage:
    page = upsert_page(
        index,
        PublicationPage,
        slug=slug,
        title=title,
        kind=kind,
        publication_date=published,
        summary=summary,
        programme=programme,
        **fields,
    )
    if not page.files.exists():
        data = _pdf(title, PublicationKind(kind).label, [summary, *pdf_text])
        publication_file_attach(
            page=page, file=ContentFile(data, name=f"{slug}.pdf"), title=title, label="Full report"
        )
    changed = False
    if [c.country.code for c in page.countries.all()] != list(countries):
        page.countries = [PublicationCountry(country=code) for code in countries]
        changed = True
    wanted_partners = [(o.pk, role) for o, role in partners]
    if [(p.organisation_id, p.role) for p in page.organisations.all()] != wanted_partners:
        page.organisations = [PublicationOrganisation(organisation=o, role=role) for o, role in partners]
        changed = True
    wanted_themes = set(FocusArea.objects.filter(name__in=themes))
    if set(page.themes.all()) != wanted_themes:
        page.themes = list(wanted_themes)
        changed = True
    if changed:
        page.save_revision().publish()
    return page


@demo_step(order=400)
def build_library(ctx: DemoContext) -> None:
    programmes = {
        name: Programme.objects.update_or_create(
            slug=slugify(name), defaults={"name": name, "description": text}
        )[0]
        for name, text in PROGRAMMES
    }
    index = upsert_page(
        ctx.home,
        PublicationIndexPage,
        slug="publications",
        title="Publications",
        show_in_menus=True,
        introduction="Research, country overviews, case studies and guidance from the network, searchable to the last page.",
    )
    ctx.shared["publication_index"] = index
    secretariat = Organisation.objects.filter(kind=OrganisationKind.SECRETARIAT).first()
    members = Organisation.objects.members()

    for number, (slug, title, country) in enumerate(CASE_STUDIES, start=1):
        partner = members.filter(country=country).first()
        _publish(
            index,
            slug=f"case-study-{slug}",
            title=f"Case study: {title}",
            kind=PublicationKind.CASE_STUDY,
            published=date(2023, 3, 1 + number),
            summary=f"How one service provider works with boys at risk of, or subjected to, sexual exploitation: {title.lower()}. One of eight case studies of the Global Boys Initiative.",
            pdf_text=[
                "This case study describes the practice, the boys it reaches and what the staff learned along the way.",
                "It closes with advice for other services that want to adapt the approach.",
            ],
            programme=programmes[GBI],
            countries=[country],
            partners=[(partner, PartnerRole.PARTNER)] if partner else [],
            themes=["Care and recovery"],
        )

    for slug, title, country, published, summary, pdf_text in LATER_CASE_STUDIES:
        partner = members.filter(country=country).first()
        _publish(
            index,
            slug=f"case-study-{slug}",
            title=f"Case study: {title}",
            kind=PublicationKind.CASE_STUDY,
            published=published,
            summary=summary,
            pdf_text=pdf_text,
            programme=programmes[GBI],
            countries=[country],
            partners=[(partner, PartnerRole.PARTNER)] if partner else [],
            themes=["Care and recovery"],
        )

    for code, name, published in COUNTRY_OVERVIEWS:
        _publish(
            index,
            slug=f"country-overview-{slugify(name)}",
            title=f"Country Overview: {name}",
            kind=PublicationKind.COUNTRY_OVERVIEW,
            published=published,
            summary=f"What is known about the sexual exploitation of children in {name}, what has been achieved, what stands in the way and which actions come first.",
            pdf_text=[
                f"The overview for {name} gathers public data on exploitation in travel and tourism, online, through trafficking, in prostitution and through child, early and forced marriage.",
                "Each chapter ends with priority actions addressed to the government and its partners.",
            ],
            countries=[code],
            themes=[
                "Trafficking",
                "Online exploitation",
                "Travel and tourism",
                "Child, early and forced marriage",
            ],
        )

    lanzarote = _organisation(LANZAROTE)
    for code, name in JOINT_OVERVIEWS:
        extra = (
            [f"Field notes mention the {MOLDOVA_PDF_WORD} referral protocol piloted in two districts."]
            if code == "MD"
            else []
        )
        _publish(
            index,
            slug=f"joint-country-overview-{slugify(name)}",
            title=f"Joint Country Overview: {name}",
            kind=PublicationKind.JOINT_COUNTRY_OVERVIEW,
            published=date(2022, 12, 5),
            summary=f"{name}'s compliance with the Lanzarote Convention, read against the government's own answers to the Lanzarote Committee and the network's research.",
            pdf_text=[
                "For each standard, the government's information is set beside the network's findings and an assessment of compliance.",
                *extra,
            ],
            countries=[code],
            partners=[(lanzarote, PartnerRole.PARTNER)],
            themes=["Justice for children"],
        )

    _publish(
        index,
        slug="disrupting-harm-conversations-with-young-survivors",
        title="Disrupting Harm: Conversations with Young Survivors",
        kind=PublicationKind.RESEARCH_REPORT,
        published=date(2022, 11, 15),
        summary="Young women and men who were exploited online explain what happened to them and what would have helped; their views shape the report's recommendations.",
        pdf_text=[
            "Thirty-three young people in Cambodia, Kenya, Malaysia, Namibia and South Africa spoke with researchers.",
            "The conversations belong to Disrupting Harm, a study of 13 countries in Southern and East Africa and Southeast Asia.",
        ],
        programme=programmes[DH],
        countries=SURVIVOR_COUNTRIES,
        partners=[
            (_organisation("INTERPOL"), PartnerRole.PARTNER),
            (_organisation("UNICEF Office of Research – Innocenti"), PartnerRole.PARTNER),
            (
                _organisation("Global Partnership to End Violence Against Children", OrganisationKind.FUNDER),
                PartnerRole.FUNDER,
            ),
        ],
        themes=["Online exploitation", "Child participation"],
        survivors_consulted=33,
        survivors_consulted_source="the report's methodology: conversations held in 2021-2022",
        wider_study_countries=13,
    )
    amane = Organisation.objects.filter(name="AMANE").first()
    for slug, title, kind, published, summary, pdf_text, programme, themes in EVENT_OUTPUTS:
        _publish(
            index,
            slug=slug,
            title=title,
            kind=kind,
            published=published,
            summary=summary,
            pdf_text=pdf_text,
            programme=programmes.get(programme),
            partners=[(amane, PartnerRole.PARTNER)] if amane and programme == GBI else [],
            themes=themes,
        )
    _build_overviews()
    upsert_page(
        ctx.home,
        CountryIndexPage,
        slug="countries",
        title="Countries",
        show_in_menus=True,
        introduction="Everything the network knows about a country on one page: members, events, publications and overviews.",
    )
    if secretariat:
        ctx.log(f"publications: {PublicationPage.objects.count()} publications in the library")


def _build_overviews() -> None:
    standards = [
        ConventionStandard.objects.update_or_create(
            convention="Lanzarote Convention", reference=ref, defaults={"title": title, "sort_order": n}
        )[0]
        for n, (ref, title) in enumerate(STANDARDS)
    ]
    for code, name, published in COUNTRY_OVERVIEWS:
        overview, _ = CountryOverview.objects.update_or_create(
            country=code,
            year=published.year,
            kind=OverviewKind.COUNTRY,
            defaults={
                "publication": PublicationPage.objects.get(slug=f"country-overview-{slugify(name)}"),
                "is_demo_content": True,
                "introduction": f"The structure of the {name} overview; the text is demo content written for Yearbook.",
            },
        )
        for order, (manifestation, situation, achievements, challenges, responses, actions) in enumerate(
            SECTIONS.get(code, [])
        ):
            OverviewSection.objects.update_or_create(
                overview=overview,
                manifestation=manifestation,
                defaults={
                    "sort_order": order,
                    "situation": situation,
                    "achievements": achievements,
                    "challenges": challenges,
                    "existing_responses": responses,
                    "priority_actions": actions,
                },
            )
        _publish_overview(overview)
    for code, name in JOINT_OVERVIEWS:
        overview, _ = CountryOverview.objects.update_or_create(
            country=code,
            year=2022,
            kind=OverviewKind.JOINT,
            defaults={
                "publication": PublicationPage.objects.get(slug=f"joint-country-overview-{slugify(name)}"),
                "is_demo_content": True,
                "introduction": f"Demo assessments for {name}, written for Yearbook; not the published ratings.",
            },
        )
        for order, (standard, rating) in enumerate(zip(standards, RATINGS[code], strict=True)):
            Assessment.objects.update_or_create(
                overview=overview,
                standard=standard,
                defaults={
                    "sort_order": order,
                    "compliance": Compliance(rating),
                    "government_information": "The government reported the relevant law and its latest amendments.",
                    "network_information": "Members found gaps between the law and how it is applied."
                    if rating != "compliant"
                    else "Members confirmed the law is applied in the cases they followed.",
                },
            )
        _publish_overview(overview)
    _moderate_overviews()


# What the draft-state and locking mixins keep about an overview as a whole, not part of what it says.
_OVERVIEW_BOOKKEEPING = {
    "live",
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
    "live_revision",
    "latest_revision",
    "go_live_at",
    "expire_at",
    "expired",
    "locked",
    "locked_at",
    "locked_by",
}


def _overview_content(data: dict) -> dict:
    """An overview's serialised content (its fields, sections and assessments) as JSON compares it."""
    data = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return {name: value for name, value in data.items() if name not in _OVERVIEW_BOOKKEEPING}


def _publish_overview(overview: CountryOverview) -> None:
    """Publish a revision of what the demo just wrote, so the overview's history starts with the demo; none when
    its published revision already says the same, so a second run adds no revision."""
    overview = CountryOverview.objects.get(pk=overview.pk)  # its sections and assessments as stored
    live = overview.live_revision
    if live is None or _overview_content(live.content) != _overview_content(overview.serializable_data()):
        overview.save_revision().publish()


def _moderate_overviews() -> None:
    """Overviews go through Wagtail's default workflow, "Moderators approval": an editor saves drafts and submits
    one for moderation, and a moderator approves it (which publishes it) or asks for changes. Editors may add and
    change overviews but not publish them; moderators may also publish, lock and unlock."""
    workflow = Workflow.objects.filter(name="Moderators approval", active=True).first()
    content_type = ContentType.objects.get_for_model(CountryOverview)
    if workflow is not None and not WorkflowContentType.objects.filter(content_type=content_type).exists():
        WorkflowContentType.objects.create(content_type=content_type, workflow=workflow)
    editing = ["add", "change", "view"]
    for group_name, actions in (
        ("Editors", editing),
        ("Moderators", [*editing, "publish", "lock", "unlock"]),
    ):
        group = Group.objects.filter(name=group_name).first()
        if group is not None:  # Wagtail's initial groups, unless an administrator removed one
            group.permissions.add(
                *Permission.objects.filter(
                    content_type=content_type, codename__in=[f"{a}_countryoverview" for a in actions]
                )
            )
