"""Demo year: colleagues' words (paraphrased from the report, by name and role) and a survivor known by a first name.

Every quote carries a demo consent record; the survivor's allows web and print, pseudonymous, until 2028.
"""

from datetime import date

from core.demo import DemoContext, demo_step, upsert_page

# (speaker on file, what they said in new words, where)
STAFF_QUOTES = [
    (
        "Amy Crocker",
        "Each day teaches you something. Stay humble, and you see people's humanity win out over money "
        "and politics.",
        "Staff interview, 2023",
    ),
    (
        "Francesco Cecon",
        "The high point was watching new research on boys turn into practical action on the ground.",
        "Staff interview, 2023",
    ),
    (
        "Natasha",
        "We keep looking for where we can do the most good, and we are wise enough to stop and check that "
        "every step has a purpose.",
        "Staff interview, 2023",
    ),
    (
        "Kohnwilai Teppunkoonngam",
        "I hope for recovery and prevention services that affected children help to shape themselves.",
        "Staff interview, 2023",
    ),
]
SURVIVOR_QUOTE = (
    "Ally",
    "Surviving is about learning to cope, and I am still here. It takes effort every single day. What carries me is "
    "a real wish to live.",
    "Conversation for Disrupting Harm",
)


@demo_step(order=510)
def build_stories(ctx: DemoContext) -> None:
    from network.models import Person
    from stories.models import AgeBand, Consent, Quote, StoryIndexPage, StoryPage, Survivor

    quotes = {}
    for name, text, context in STAFF_QUOTES:
        person = Person.objects.get(name=name, organisation__kind="secretariat")
        Consent.objects.update_or_create(
            person=person,
            given_on=date(2023, 6, 1),
            defaults={
                "use_web": True,
                "use_print": True,
                "use_social": True,
                "named": True,
                "method": "email",
            },
        )
        quote, _ = Quote.objects.update_or_create(person=person, context=context, defaults={"text": text})
        quotes[name] = quote
    name, text, context = SURVIVOR_QUOTE
    survivor, _ = Survivor.objects.update_or_create(
        chosen_name=name, defaults={"age_band": AgeBand.YOUNG_ADULT}
    )
    Consent.objects.update_or_create(
        survivor=survivor,
        given_on=date(2023, 2, 15),
        defaults={"use_web": True, "use_print": True, "valid_until": date(2028, 7, 31), "method": "recorded"},
    )
    quotes[name], _ = Quote.objects.update_or_create(
        survivor=survivor, context=context, defaults={"text": text}
    )
    # Published only through the consent check, as an editor's "Publish" button would.
    from stories.services import quote_publish

    for quote in quotes.values():
        if not quote.published:
            quote_publish(quote=quote)
    ctx.shared["quotes"] = quotes

    index = upsert_page(
        ctx.home,
        StoryIndexPage,
        slug="stories",
        title="Stories",
        show_in_menus=True,
        introduction="<p>The work in the words of the people who do it and the people it is for.</p>",
    )
    upsert_page(
        index,
        StoryPage,
        slug="research-into-practice",
        title="From research to practice for boys",
        person=Person.objects.get(name="Francesco Cecon"),
        standfirst="How the Global Boys Initiative turned its studies into tools practitioners use.",
        body=(
            "<p>When the initiative began, services for boys were rare and evidence was thin. Eight case studies "
            "later, practitioners have guidance they helped to write, and a summit where they shaped the agenda "
            "themselves.</p>"
        ),
    )
    ctx.log(f"stories: {len(quotes)} consented quotes, 1 story")
