"""Demo year: the campaign launched with a technology company, and the EU regulation the network followed."""

from datetime import date

from core.demo import DemoContext, demo_step, upsert_children, upsert_page


@demo_step(order=500)
def build_advocacy(ctx: DemoContext) -> None:
    from wagtail.models import Page

    from advocacy.models import CampaignIndexPage, CampaignPage, DossierIndexPage, DossierPage, DossierStatus
    from network.models import Organisation

    def org(name: str) -> Organisation:
        return Organisation.objects.get(name=name)

    campaigns = upsert_page(
        ctx.home,
        CampaignIndexPage,
        slug="campaigns",
        title="Campaigns",
        show_in_menus=True,
        introduction="<p>What we ask for, who we ask it with, and how far each campaign travelled.</p>",
    )
    campaign = upsert_page(
        campaigns,
        CampaignPage,
        slug="break-free-to-fly",
        title="Break Free to Fly",
        start=date(2023, 3, 1),
        end=date(2023, 6, 30),
        search_description="A campaign with a technology partner that joined local mobilisation to policy asks.",
        aims=(
            "<p>Help young people recognise grooming and sextortion online and know where to turn, and press "
            "platforms and governments for safety by design.</p>"
        ),
        channels="Instagram, Facebook, WhatsApp",
        call_to_action="Read the safety tips",
        call_to_action_url="https://ecpat.example/break-free-to-fly",
    )
    upsert_children(campaign, "partners", [{"organisation": org("Meta"), "role": "Launch partner"}])
    members = Organisation.objects.members().exclude(country="").order_by("name")[:6]
    upsert_children(
        campaign,
        "participations",
        [
            {"organisation": member, "activity": activity, "reach": reach}
            for member, (activity, reach) in zip(
                members,
                [
                    ("School sessions on online safety", 2400),
                    ("Radio spots in two languages", 15000),
                    ("Social media series", 8800),
                    ("Youth ambassador workshops", 640),
                    ("Parents' evenings", 900),
                    ("Translated the campaign toolkit", None),
                ],
                strict=False,
            )
        ],
    )

    dossiers = upsert_page(
        ctx.home,
        DossierIndexPage,
        slug="legislation",
        title="Legislation we follow",
        introduction="<p>Laws and regulations that decide how children are protected, and what we do about them.</p>",
    )
    dossier = upsert_page(
        dossiers,
        DossierPage,
        slug="eu-child-sexual-abuse-regulation",
        title="EU regulation to prevent and combat child sexual abuse",
        jurisdiction="European Union",
        official_reference="COM(2022) 209",
        # Follows from the last timeline entry: the lead committee adopted its report, so it left committee.
        status=DossierStatus.IN_TRILOGUE,
        summary=(
            "A proposed EU law that would oblige online services to assess and reduce the risk of child sexual "
            "abuse on their platforms and create an EU centre to support that work. (Demo timeline.)"
        ),
        position=(
            "<p>We support a permanent legal basis for detecting, reporting and removing abuse material, with "
            "strong safeguards, and we ask that survivors' views shape the EU centre.</p>"
        ),
    )
    source = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=COM:2022:209:FIN"
    upsert_children(
        dossier,
        "stages",
        [
            {
                "stage": "proposal",
                "date": date(2022, 5, 11),
                "note": "The Commission publishes its proposal.",
                "source_url": source,
            },
            {
                "stage": "consultation",
                "date": date(2022, 9, 12),
                "note": "Feedback period closes.",
                "source_url": "",
            },
            {
                "stage": "committee_vote",
                "date": date(2023, 11, 13),
                "note": "Lead committee adopts its report.",
                "source_url": "",
            },
        ],
    )
    upsert_children(
        dossier,
        "actions",
        [
            {
                "kind": "letter",
                "date": date(2022, 10, 18),
                "description": "Joint letter with members to Members of the European Parliament",
                "linked_page": None,
            },
            {
                "kind": "meeting",
                "date": date(2022, 10, 11),
                "description": "Briefing for EU members at their communications meeting",
                "linked_page": Page.objects.filter(slug="eu-members-meeting-2022").first(),
            },
            {
                "kind": "statement",
                "date": date(2023, 4, 20),
                "description": "Statement on safeguards and survivors' voices",
                "linked_page": None,  # no page carries the statement; the campaign is not it
            },
        ],
    )
    ctx.log("advocacy: 1 campaign, 1 dossier")
