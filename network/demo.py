"""The network in 2022-2024: the secretariat, the members and partners named in the seed pages, the six
organisations that joined in 2023, staff quoted in the report, fictional older members (marked as demo) and the
fictional members that joined in 2023-2024 (marked as demo too)."""

from datetime import date

from django.utils.text import slugify

from core.demo import DemoContext, demo_step, upsert_page
from network.models import (
    FocusArea,
    NetworkIndexPage,
    Organisation,
    OrganisationAlias,
    OrganisationKind,
    Person,
    Region,
)

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
M, P, F, IGO, C = (
    OrganisationKind.MEMBER,
    OrganisationKind.PARTNER,
    OrganisationKind.FUNDER,
    OrganisationKind.INTERGOVERNMENTAL,
    OrganisationKind.COMPANY,
)

# name, short name, kind, country, city, region, founded, joined, focus areas, description (written for Yearbook)
NAMED = [
    (
        "ECPAT International",
        "ECPAT",
        OrganisationKind.SECRETARIAT,
        "TH",
        "Bangkok",
        "Southeast Asia",
        1990,
        None,
        ["Trafficking", "Online exploitation", "Travel and tourism"],
        "The secretariat of the global network, coordinating research, advocacy and members' joint work.",
    ),
    (
        "Associação Crianças Desfavorecidas",
        "ACRIDES",
        M,
        "CV",
        "Praia",
        "West & Central Africa",
        1998,
        date(2023, 2, 15),
        ["Child participation", "Justice for children"],
        "A Cabo Verdean network of seven organisations working on children's education, health and social protection.",
    ),
    (
        "Association Keoogo",
        "Keoogo",
        M,
        "BF",
        "Ouagadougou",
        "West & Central Africa",
        1999,
        date(2023, 3, 20),
        ["Street-connected children", "Care and recovery"],
        "Protects children, young women and others living on the streets of Ouagadougou; its name means a space of initiation in Mooré.",
    ),
    (
        "Children's Voice",
        "",
        M,
        "CD",
        "Goma",
        "West & Central Africa",
        2002,
        date(2023, 4, 12),
        ["Justice for children", "Child participation"],
        "Defends children's rights and access to schooling, training and justice across six provinces of the eastern DRC.",
    ),
    (
        "Communauté Abel",
        "",
        M,
        "CI",
        "Grand-Bassam",
        "West & Central Africa",
        1982,
        date(2023, 5, 3),
        ["Care and recovery", "Street-connected children"],
        "Supports young people aged 14 to 21 through counselling, culture and vocational training; linked to Gruppo Abele.",
    ),
    (
        "Ubuchingo Defence For Children – Zambia",
        "Ubuchingo",
        M,
        "ZM",
        "Kasama",
        "East & Southern Africa",
        2009,
        date(2023, 6, 21),
        ["Justice for children", "Trafficking", "Child participation"],
        "Founded by women in Northern Province to speak out against abuse; 'Ubuchingo' means protection in Bemba.",
    ),
    (
        "SUSTAIN Cameroon",
        "",  # no short name: "SUSTAIN" as an alias would match the everyday word in media monitoring
        M,
        "CM",
        "",  # the seed names the region it works in, not a city
        "West & Central Africa",
        None,
        date(2023, 7, 8),
        ["Child, early and forced marriage", "Trafficking", "Care and recovery", "Child participation"],
        "Works across Cameroon's North-West region with children held in, or at risk of, early and forced "
        "marriage, sexual exploitation, trafficking and modern slavery: schooling, skills training and help to "
        "earn a living for survivors, and community service that gives hard-to-reach young people, women and "
        "girls a say, so that today's children become tomorrow's activists.",
    ),
    (
        "AMANE",
        "AMANE",
        M,
        "MA",
        "Rabat",
        "Middle East & North Africa",
        2006,
        date(2015, 5, 1),
        ["Care and recovery", "Child participation"],
        "Moroccan member that co-organised the first Global Boys Summit.",
    ),
    (
        "CHS Alternativo",
        "CHS",
        M,
        "PE",
        "Lima",
        "Latin America & Caribbean",
        2003,
        date(2012, 1, 1),
        ["Trafficking"],
        "Peruvian member working against child trafficking.",
    ),
    (
        "ECPAT Foundation",
        "",
        M,
        "TH",
        "Chiang Rai",
        "Southeast Asia",
        2002,
        date(2006, 1, 1),
        ["Trafficking", "Travel and tourism"],
        "Thai member working against the trafficking of children.",
    ),
    (
        "Shakti Samuha",
        "",
        M,
        "NP",
        "Kathmandu",
        "South Asia",
        1996,
        date(2014, 1, 1),
        ["Trafficking", "Care and recovery"],
        "Nepali organisation founded by survivors of trafficking.",
    ),
    (
        "Defence for Children – ECPAT the Netherlands",
        "DCI-ECPAT",
        M,
        "NL",
        "Leiden",
        "European Union",
        1983,
        date(1996, 1, 1),
        ["Justice for children", "Child participation"],
        "Dutch member and a partner in the She Leads programme.",
    ),
    (
        "Plan International Netherlands",
        "",
        P,
        "NL",
        "Amsterdam",
        "European Union",
        1937,
        None,
        [],
        "Partner in She Leads.",
    ),
    (
        "African Women's Development and Communication Network",
        "FEMNET",
        P,
        "KE",
        "Nairobi",
        "East & Southern Africa",
        1988,
        None,
        [],
        "Partner in She Leads.",
    ),
    (
        "Terre des Hommes Netherlands",
        "TdH NL",
        P,
        "NL",
        "The Hague",
        "European Union",
        1965,
        None,
        [],
        "Partner in She Leads.",
    ),
    (
        "Equal Measures 2030",
        "EM2030",
        P,
        "GB",
        "London",
        "",
        2016,
        None,
        [],
        "Technical partner of She Leads.",
    ),
    (
        "Meta",
        "",
        C,
        "US",
        "Menlo Park",
        "North America",
        2004,
        None,
        [],
        "Launch partner of the Break Free to Fly campaign.",
    ),
    ("INTERPOL", "", IGO, "FR", "Lyon", "European Union", 1923, None, [], "Partner in Disrupting Harm."),
    (
        "Missing Children Europe",
        "MCE",
        P,
        "BE",
        "Brussels",
        "European Union",
        2001,
        None,
        ["Trafficking"],
        "Brussels-based federation of organisations working on missing and sexually exploited children.",
    ),
    (
        "UNICEF Office of Research – Innocenti",
        "UNICEF Innocenti",
        IGO,
        "IT",
        "Florence",
        "European Union",
        1988,
        None,
        [],
        "Partner in Disrupting Harm.",
    ),
    (
        "Global Partnership to End Violence Against Children",
        "End Violence",
        F,
        "US",
        "New York",
        "North America",
        2016,
        None,
        [],
        "Funder of Disrupting Harm.",
    ),
    (
        "Lanzarote Committee Secretariat, Council of Europe",
        "Lanzarote Committee",
        IGO,
        "FR",
        "Strasbourg",
        "European Union",
        2007,
        None,
        [],
        "Co-produced the Joint Country Overviews.",
    ),
    (
        "Defence for Children International",
        "DCI",
        P,
        "CH",
        "Geneva",
        "",
        1979,
        None,
        ["Justice for children"],
        "International children's rights movement with national sections; Ubuchingo in Zambia is one of them.",
    ),
    (
        "European Child Sexual Abuse Legislation Advocacy Group",
        "ECLAG",
        P,
        "BE",
        "Brussels",
        "European Union",
        None,
        None,
        ["Online exploitation"],
        "Coalition of child-rights organisations working on EU law against child sexual abuse; the network's EU "
        "members take part in its Participatory Group.",
    ),
    (
        "Gruppo Abele",
        "",
        P,
        "IT",
        "Turin",
        "European Union",
        1965,
        None,
        [],
        "Italian association of which Communauté Abel is the local branch.",
    ),
]

# The seed pages' own spellings where the records use another one (aliases, which media monitoring also reads).
OTHER_NAMES = [
    ("Gruppo Abele", "Gruppo Abele Onlus"),
    ("Terre des Hommes Netherlands", "Terre des Hommes the Netherlands"),
    ("Lanzarote Committee Secretariat, Council of Europe", "Lanzarote Committee Secretariat"),
]
# Records earlier versions of the demo invented, removed when the demo is loaded again.
RETIRED = ["Réseau Camerounais pour l'Enfance (demo)"]

# Fictional older members, spread across regions so the directory looks like a network's.
FICTIONAL = [
    ("Sauti ya Watoto Trust", "KE", "East & Southern Africa"),
    ("Ubuntu Child Shield", "ZA", "East & Southern Africa"),
    ("Nyota Children's Network", "TZ", "East & Southern Africa"),
    ("Kanyike Youth Voice", "UG", "East & Southern Africa"),
    ("Ombetja Child Rights Forum", "NA", "East & Southern Africa"),
    ("Lumière pour l'Enfance", "SN", "West & Central Africa"),
    ("Ghana Child Safeguard Alliance", "GH", "West & Central Africa"),
    ("Nour Children's Association", "TN", "Middle East & North Africa"),
    ("Sahara Child Protection Circle", "DZ", "Middle East & North Africa"),
    ("Rakshak Child Network", "IN", "South Asia"),
    ("Shishu Surokkha Forum", "BD", "South Asia"),
    ("Lanka Child Guard", "LK", "South Asia"),
    ("Bayanihan Child Watch", "PH", "Southeast Asia"),
    ("Anak Aman Indonesia", "ID", "Southeast Asia"),
    ("Kampuchea Child Haven", "KH", "Southeast Asia"),
    ("Pacific Child Safe Network", "FJ", "East Asia & Pacific"),
    ("Red Niñez Segura Ecuador", "EC", "Latin America & Caribbean"),
    ("Fundación Infancia Libre", "DO", "Latin America & Caribbean"),
    ("Colectivo Niñez Protegida", "CO", "Latin America & Caribbean"),
    ("Brasil Infância Segura", "BR", "Latin America & Caribbean"),
    ("Kinderschutz Allianz", "DE", "European Union"),
    ("Enfance Sûre France", "FR", "European Union"),
    ("Infanzia Protetta Italia", "IT", "European Union"),
    ("Lapsiturva Suomi", "FI", "European Union"),
    ("Copii în Siguranță Moldova", "MD", "Eastern Europe & Central Asia"),
    ("Çocuk Güvenliği Derneği", "TR", "Eastern Europe & Central Asia"),
    ("Bolalar Himoyasi Uzbekistan", "UZ", "Eastern Europe & Central Asia"),
    ("Child Safe Canada Coalition", "CA", "North America"),
]

# Fictional members that joined in 2023-2024, in countries the network already works in: name, country, city,
# region, founded, joined, focus areas, what they do (written for the demo).
NEWER_MEMBERS = [
    (
        "Mtoto Salama Foundation",
        "TZ",
        "Dodoma",
        "East & Southern Africa",
        2008,
        date(2023, 9, 14),
        ["Online exploitation", "Child participation"],
        "Runs school clubs and a text-message helpline in central Tanzania through which children report abuse "
        "they meet online; its name means a safe child in Swahili.",
    ),
    (
        "Pahayag Youth Network",
        "PH",
        "Cebu City",
        "Southeast Asia",
        2011,
        date(2023, 11, 22),
        ["Online exploitation", "Justice for children"],
        "Young volunteers in the Visayas who work with village councils against abuse streamed for paying "
        "viewers abroad, and who stay beside child witnesses until their cases close.",
    ),
    (
        "Sendero Seguro Cusco",
        "PE",
        "Cusco",
        "Latin America & Caribbean",
        2005,
        date(2024, 2, 7),
        ["Travel and tourism", "Trafficking"],
        "Trains hotel, guiding and transport workers along the tourist routes of the southern Andes to notice "
        "and report children at risk of exploitation.",
    ),
    (
        "Surakshit Bachpan Samiti",
        "NP",
        "Birgunj",
        "South Asia",
        2010,
        date(2024, 4, 16),
        ["Trafficking", "Care and recovery"],
        "Keeps a transit home and a desk at the border crossing to India for children found travelling alone "
        "or with adults who are not their family.",
    ),
]

STAFF = [
    (
        "Stana Buchowska",
        "Regional Coordinator, Eastern Europe & Central Asia",
        "Eastern Europe & Central Asia",
    ),
    ("Amy Crocker", "Head of Child Protection and Technology", ""),
    ("Francesco Cecon", "Head of the Global Boys Initiative", ""),
    ("Matteo Russo", "Legal Research Associate", ""),
    ("Isaline", "Regional Coordinator, European Union", "European Union"),
    ("Adriana Hidalgo", "Staff member", ""),
    ("Natasha", "Staff member", ""),
    ("Kohnwilai Teppunkoonngam", "Staff member", ""),
]


@demo_step(order=100)
def build_network(ctx: DemoContext) -> None:
    regions = {
        name: Region.objects.update_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in REGIONS
    }
    focus = {
        name: FocusArea.objects.update_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in FOCUS_AREAS
    }
    for name, short, kind, country, city, region, founded, joined, areas, description in NAMED:
        organisation, _ = Organisation.objects.update_or_create(
            name=name,
            defaults={
                "short_name": short,
                "slug": slugify(short if len(short) > 3 else name),
                "kind": kind,
                "country": country,
                "city": city,
                "region": regions.get(region),
                "founded_year": founded,
                "joined_on": joined,
                "description": description,
            },
        )
        organisation.focus_areas.set([focus[a] for a in areas])
        if short and short != name:
            OrganisationAlias.objects.get_or_create(organisation=organisation, name=short)
    secretariat = Organisation.objects.get(name="ECPAT International")
    OrganisationAlias.objects.get_or_create(organisation=secretariat, name="ECPAT International")
    Organisation.objects.filter(name="Communauté Abel").update(
        parent=Organisation.objects.get(name="Gruppo Abele")
    )
    Organisation.objects.filter(name="Ubuchingo Defence For Children – Zambia").update(
        parent=Organisation.objects.get(name="Defence for Children International")
    )
    for name, other in OTHER_NAMES:
        OrganisationAlias.objects.get_or_create(organisation=Organisation.objects.get(name=name), name=other)
    # A database built by an earlier demo keeps no record the demo no longer has (it would be a seventh member).
    Organisation.objects.filter(name__in=RETIRED).delete()
    for number, (name, country, region) in enumerate(FICTIONAL):
        organisation, _ = Organisation.objects.update_or_create(
            name=name,
            defaults={
                "slug": slugify(name),
                "kind": M,
                "country": country,
                "region": regions[region],
                "founded_year": 1990 + number % 20,
                "joined_on": date(2010 + number % 12, 1 + number % 12, 1),
                "description": "Fictional member organisation, part of the demo data.",
            },
        )
        organisation.focus_areas.set([focus[FOCUS_AREAS[number % len(FOCUS_AREAS)]]])
    # Their names sort after the older members of their countries and after the campaign's first six, so what
    # other steps pick by name (a case study's partner, the campaign's members) stays as it was.
    for name, country, city, region, founded, joined, areas, description in NEWER_MEMBERS:
        organisation, _ = Organisation.objects.update_or_create(
            name=name,
            defaults={
                "slug": slugify(name),
                "kind": M,
                "country": country,
                "city": city,
                "region": regions[region],
                "founded_year": founded,
                "joined_on": joined,
                "description": f"Fictional member organisation, part of the demo data. {description}",
            },
        )
        organisation.focus_areas.set([focus[a] for a in areas])
    for name, role, region in STAFF:
        Person.objects.update_or_create(
            organisation=secretariat,
            name=name,
            defaults={"role": role, "region": regions.get(region), "may_be_quoted": True},
        )
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
