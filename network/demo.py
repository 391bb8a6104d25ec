"""The network in 2022-2024: the secretariat, the members and partners named in the seed pages, the six
organisations that joined in 2023, staff quoted in the report, fictional older members (marked as demo) and the
fictional members that joined in 2023-2024 (marked as demo too), loaded from ``demo_data/`` through the importers."""

from pathlib import Path

from django.utils.text import slugify

from core.demo import DemoContext, demo_step, upsert_page
from network.imports import organisations_import, people_import
from network.models import FocusArea, NetworkIndexPage, Organisation, Person, Region

REGIONS = [
    "East & Southern Africa",
    "West & Central Africa",
    "Middle East & North Africa",
    "South Asia",
    "Southeast Asia",
    "East Asia & Pacific",
    "Latin America & Caribbean",
    "European Union",
    "Eastern Europe & Central Asia",
    "North America",
]
FOCUS_AREAS = [
    "Trafficking",
    "Online exploitation",
    "Travel and tourism",
    "Child, early and forced marriage",
    "Street-connected children",
    "Justice for children",
    "Child participation",
    "Care and recovery",
]
DEMO_DATA = Path(__file__).parent / "demo_data"
# organisations.csv holds every organisation the seed pages name (in their spellings, or as aliases media
# monitoring reads), the fictional older members (marked as demo) and the fictional members that joined in
# 2023-2024; people.csv the staff quoted in the report. SUSTAIN Cameroon has no short name on purpose: "SUSTAIN" as
# an alias would match the everyday word in media monitoring. The newer members' names sort after the older members
# of their countries and after the campaign's first six, so what other steps pick by name (a case study's partner,
# the campaign's members) stays as it was.
ORGANISATIONS_FILE = DEMO_DATA / "organisations.csv"
PEOPLE_FILE = DEMO_DATA / "people.csv"
# Federations the importers do not cover: organisation → the parent it belongs to.
PARENTS = [
    ("Communauté Abel", "Gruppo Abele"),
    ("Ubuchingo Defence For Children – Zambia", "Defence for Children International"),
]
# Records earlier versions of the demo invented, removed when the demo is loaded again.
RETIRED = ["Réseau Camerounais pour l'Enfance (demo)"]


def _load(importer, path: Path) -> None:
    """The demo's own file through the importer an administrator uses; a problem in it stops the demo."""
    report = importer(filename=path.name, content=path.read_bytes(), write=True)
    if report.errors:
        raise ValueError(f"{path.name} does not import: " + "; ".join(report.errors[:10]))


@demo_step(order=100)
def build_network(ctx: DemoContext) -> None:
    for name in REGIONS:
        Region.objects.update_or_create(slug=slugify(name), defaults={"name": name})
    for name in FOCUS_AREAS:
        FocusArea.objects.update_or_create(slug=slugify(name), defaults={"name": name})
    # A database built by an earlier demo keeps no record the demo no longer has (it would be a seventh member).
    Organisation.objects.filter(name__in=RETIRED).delete()
    _load(organisations_import, ORGANISATIONS_FILE)
    for name, parent in PARENTS:
        Organisation.objects.filter(name=name).update(parent=Organisation.objects.get(name=parent))
    _load(people_import, PEOPLE_FILE)
    ctx.shared["network_index"] = upsert_page(
        ctx.home,
        NetworkIndexPage,
        slug="network",
        title="Our network",
        show_in_menus=True,
        introduction="Member organisations in dozens of countries, working together to end the sexual exploitation of children.",
    )
    ctx.log(f"network: {Organisation.objects.members().count()} members, {Person.objects.count()} people")


HIGHLIGHTS = [
    (
        "keoogo-street-children",
        "Association Keoogo",
        "International Day for Street Children: a conversation with Association Keoogo",
        "How a team in Ouagadougou reaches children who live and work on the streets.",
        "Street-connected children",
    ),
    (
        "chs-alternativo-trafficking-peru",
        "CHS Alternativo",
        "Child trafficking in Peru: a conversation with CHS Alternativo",
        "What a Lima-based member has learned about trafficking routes and the children caught in them.",
        "Trafficking",
    ),
    (
        "ecpat-foundation-trafficking-thailand",
        "ECPAT Foundation",
        "Child trafficking in Thailand: a conversation with ECPAT Foundation",
        "Prevention work in the north of Thailand, told by the people who do it.",
        "Trafficking",
    ),
    (
        "shakti-samuha-trafficking-nepal",
        "Shakti Samuha",
        "Child trafficking in Nepal: a conversation with Shakti Samuha",
        "An organisation founded by survivors explains why their leadership changes the response.",
        "Trafficking",
    ),
]


@demo_step(order=110)
def build_member_highlights(ctx: DemoContext) -> None:
    from network.models import MemberHighlightPage

    index = ctx.shared["network_index"]
    for slug, organisation, title, standfirst, theme in HIGHLIGHTS:
        page = upsert_page(
            index,
            MemberHighlightPage,
            slug=slug,
            title=title,
            standfirst=standfirst,
            organisation=Organisation.objects.get(name=organisation),
            body=(
                "<p><em>Demo page.</em> The interview itself goes here once the member has approved its words; "
                "the link above opens the organisation's record in the network directory.</p>"
            ),
        )
        wanted = {FocusArea.objects.get(name=theme)}
        if set(page.themes.all()) != wanted:
            page.themes.set(wanted)
            page.save_revision().publish()
