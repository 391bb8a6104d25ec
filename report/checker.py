"""The figure checker: find numbers typed into chapter text next to a known subject and compare them with
the statistic that counts that subject, listing every mismatch with its sentence and the computed value."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from django.utils.html import strip_tags
from django.utils.timezone import localdate

from core.formatting import format_percent
from core.statistics import StatisticError, registry

if TYPE_CHECKING:
    from comms.models import Channel
    from events.models import EventPage

NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
NUMBER_WORDS.update(
    {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
)

BOUNDS = "more than|over|at least|nearly|almost|around|about|some|fewer than|less than|under"
QUANTIFIER = rf"(?:(?P<bound>{BOUNDS})\s+)?"
NUMBER = (
    r"(?P<number>\d[\d,]*(?:\.\d+)?|(?:"
    + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    + r")(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)"
)
GAP = r"(?:[a-z][\w'-]*\s+){0,2}?"  # up to two words between number and subject ("four new member …")

# Words that make a sentence about events, and the people an event counts. People alone are cue enough only
# when the sentence (or the page) is about a known event: "we trained 200 people" is not about the summit.
EVENT_NOUNS = r"summit|workshop|meeting|conference|webinar|forum|event"
EVENT_CUES = rf"\b(?:{EVENT_NOUNS})s?\b"
PEOPLE = r"participants|practitioners|delegates|attendees|people|policymakers|professionals|experts"

# The parameters each scope fills in from the check (the rest are the rule's fixed parameters).
SCOPES = {
    "period": ("start", "end"),
    "on": ("on",),
    "event": ("event",),
    "channel": ("channel", "measure", "period_end"),
}


@dataclass(frozen=True)
class Rule:
    """A subject as written in prose, the statistic that counts it, its fixed parameters, and the cue words a
    sentence must contain. ``scope`` says which parameters come from the check (see SCOPES)."""

    subject: str  # regex for the noun after the number, e.g. "organi[sz]ations|members"
    statistic: str
    params: dict = field(default_factory=dict)
    cues: str = ""  # regex; empty = any sentence
    scope: str = "period"

    @property
    def pattern(self) -> re.Pattern:
        if self.scope == "channel":  # "27%", "−5 per cent": the unit follows the number directly
            return re.compile(
                rf"(?<![\w.]){QUANTIFIER}(?P<sign>[-−+])?{NUMBER}\s*(?:{self.subject})(?!\w)", re.I
            )
        return re.compile(rf"(?<![\w.]){QUANTIFIER}{NUMBER}\s+{GAP}(?:{self.subject})\b", re.I)


# Order matters: each number is checked by the first rule that takes it, so specific rules come first.
# report.E001-E003 (report/checks.py) stop the site from starting when a rule names a statistic or a parameter
# the registry does not have.
RULES = [
    Rule(
        r"(?:new )?(?:member )?organi[sz]ations|new members", "network.new_members", cues=r"welcom|join|new"
    ),
    Rule(
        r"countries",
        "network.new_member_countries",
        cues=r"new members?\b|members? (?:who |that )?joined|organi[sz]ations (?:\w+ )?joined"
        r"|welcom\w* (?:\S+ ){0,3}?(?:new )?(?:member )?organi[sz]ations",
    ),
    Rule(PEOPLE, "events.event_participants", scope="event"),
    Rule(PEOPLE, "events.participants", cues=EVENT_CUES),
    Rule(r"countries", "events.event_countries", cues=rf"{EVENT_CUES}|\b(?:{PEOPLE})\b", scope="event"),
    Rule(r"countries", "events.countries", cues=EVENT_CUES),
    Rule(
        r"member organi[sz]ations|members",
        "network.members",
        cues=r"network (?:now )?(?:of|has|counts|numbers)",
        scope="on",
    ),
    Rule(r"case stud(?:y|ies)", "publications.total", {"kind": "case_study"}),
    Rule(r"(?:podcast )?episodes", "comms.episodes", cues=r"podcast|episode|listen"),
    Rule(r"%|per ?cent\b|percent\b", "comms.yoy_change", scope="channel"),
]


@dataclass(frozen=True)
class Mismatch:
    where: str
    sentence: str
    claimed: str
    computed: str
    statistic: str
    derivation: str


def parse_number(text: str) -> int | Decimal:
    text = text.lower().replace(",", "")
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    if "-" in text:
        tens, units = text.split("-", 1)
        return NUMBER_WORDS[tens] + NUMBER_WORDS[units]
    return Decimal(text) if "." in text else int(text)


def sentences(html: str) -> list[str]:
    text = re.sub(r"\s+", " ", strip_tags(html.replace("</p>", "</p> ")))
    text = re.sub(r"\[\[[^\]]*\]\]", "", text)  # live figures are correct by construction
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def satisfies(bound: str | None, claimed: int | Decimal, actual: int | Decimal, places: int = 0) -> bool:
    """Whether ``actual`` bears out the claim; ``places`` = decimals the claim was written with."""
    claimed, actual = Decimal(claimed), Decimal(actual)
    rounded = actual.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if bound in ("more than", "over"):
        return actual > claimed
    if bound == "at least":
        return actual >= claimed
    if bound in ("fewer than", "less than", "under"):
        return actual < claimed
    if bound in (
        "nearly",
        "almost",
    ):  # just below; or the claim is the figure rounded ("nearly 13%" of 13.29)
        return claimed * Decimal("0.9") <= actual < claimed or (rounded == claimed != actual)
    if bound in ("about", "around", "some"):
        return abs(actual - claimed) <= abs(claimed) * Decimal("0.1")
    return actual == claimed  # 27 = 27.00; 13 ≠ 13.29: a plain number is the figure as published


@dataclass
class _Context:
    """What one check knows besides the text: the period, an event hint, and records read at most once."""

    start: date
    end: date
    event: str | None = None

    @cached_property
    def events(self) -> list[tuple[re.Pattern, str]]:
        return _event_aliases(self.start, self.end)

    @cached_property
    def channels(self) -> list[tuple[re.Pattern, Channel]]:
        return _channel_aliases()


def _event_aliases(start: date, end: date) -> list[tuple[re.Pattern, str]]:
    """(pattern, slug) for every name a published event goes by: its title, the title without a trailing
    year, and its city next to an event noun ("the workshop in Nairobi", "the Nairobi workshop")."""
    from events.models import EventPage

    names: dict[str, list] = {}
    for event in EventPage.objects.live().public().only("title", "slug", "city", "start"):
        forms = {re.escape(event.title), re.escape(re.sub(r"[\s,–-]*\(?\d{4}\)?$", "", event.title))}
        if event.city:
            city = re.escape(event.city)
            forms |= {
                rf"(?:{EVENT_NOUNS})s? (?:[\w-]+ ){{0,2}}?in {city}",
                rf"{city} (?:\w+ )?(?:{EVENT_NOUNS})",
            }
        for form in forms - {""}:
            names.setdefault(form, []).append(event)
    aliases = []
    for form, events in names.items():
        # A name several events share means the one held in the report's period, if only one was.
        found = events if len(events) == 1 else [e for e in events if start <= localdate(e.start) <= end]
        if len(found) == 1:
            aliases.append((re.compile(rf"(?<!\w){form}(?!\w)", re.I), found[0].slug))
    return aliases


def _nearest(found: list[tuple[int, object]], at: int) -> object | None:
    """Of (position, item) pairs, the item found nearest before ``at``, else the first after it."""
    found = sorted(found, key=lambda pair: pair[0])
    before = [item for position, item in found if position < at]
    after = [item for position, item in found if position >= at]
    return before[-1] if before else (after[0] if after else None)


def _event_for(sentence: str, at: int, context: _Context) -> str | None:
    """The event a claim at ``at`` is about: the one named nearest before it, else after it, else the hint."""
    spans = [(m.span(), slug) for pattern, slug in context.events for m in pattern.finditer(sentence)]
    # "Global Boys Summit 2024" is that event even where "Global Boys Summit" alone would mean another.
    named = [
        (a, slug)
        for (a, b), slug in spans
        if not any(c <= a and b <= d and (c, d) != (a, b) for (c, d), _ in spans)
    ]
    return _nearest(named, at) or context.event


MEASURES = [
    (r"audience|followers|following", "followers"),
    (r"subscribers", "subscribers"),
    (r"page ?views", "page_views"),
    (r"visits|visitors|sessions", "visits"),
    (r"mentions|coverage", "mentions"),
    (r"listens|downloads|plays", "listens"),
    (r"impressions", "impressions"),
]
# The measure a channel's growth means when the sentence names none (as the report's headline figures).
DEFAULT_MEASURE = {"website": "visits", "traditional_media": "mentions", "social_mentions": "mentions"}
UP = r"grew|grow|growth|rose|risen|rise|increased?|up|gained|higher|climbed|changed?"
DOWN = r"fell|fallen|fall|dropped|drop|declined?|decreased?|down|lost|shrank|shrunk|lower"


def _channel_aliases() -> list[tuple[re.Pattern, Channel]]:
    from comms.models import Channel

    aliases = []
    for channel in Channel.objects.all():
        for name in {channel.name, channel.slug.replace("_", " ")}:
            flags = 0 if len(name) < 3 else re.I  # "X" is a letter as well as a channel: match it as written
            aliases.append((re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", flags), channel))
    return aliases


def _direction(before: str) -> str | None:
    """Which way the last change word before a percentage points ("up" or "down"); None if there is none."""
    words = re.findall(rf"\b(?:{UP}|{DOWN})\b", before, re.I)
    if not words:
        return None
    return "down" if re.fullmatch(DOWN, words[-1], re.I) else "up"


def _channel_params(part: str, at: int, context: _Context) -> dict | None:
    """channel, measure and period_end for a percentage at ``at`` in its part of the sentence; None when the
    part names no channel or no change (a share like "45% of our followers" is not a year-on-year figure)."""
    channel = _nearest([(m.start(), c) for p, c in context.channels for m in p.finditer(part)], at)
    if channel is None or _direction(part[:at]) is None:
        return None
    measures = [(m.start(), measure) for words, measure in MEASURES for m in re.finditer(words, part, re.I)]
    measure = _nearest(measures, at) or DEFAULT_MEASURE.get(channel.kind, "followers")
    return {"channel": channel.slug, "measure": measure, "period_end": context.end}


def _params(
    rule: Rule, sentence: str, match: re.Match, part: tuple[int, int], context: _Context
) -> dict | None:
    """The statistic's parameters for one claim, or None when the rule does not apply to it."""
    if rule.scope == "period":
        return {**rule.params, "start": context.start, "end": context.end}
    if rule.scope == "on":
        return {**rule.params, "on": context.end}
    if rule.scope == "event":
        event = _event_for(sentence, match.start(), context)
        return {**rule.params, "event": event} if event else None
    lo, hi = part
    found = _channel_params(sentence[lo:hi], match.start() - lo, context)
    return {**rule.params, **found} if found else None


def _check_claim(rule: Rule, match: re.Match, params: dict, before: str) -> tuple[str, str] | None:
    """(computed, derivation) when the records contradict the claim, else None."""
    claimed = parse_number(match["number"])
    places = len(match["number"].partition(".")[2])
    bound = (match["bound"] or "").lower() or None
    try:
        figure = registry.compute(rule.statistic, **params)
    except StatisticError as error:  # the records cannot bear the claim out: say so rather than pass it
        return "no figure", str(error)
    actual = Decimal(figure.value)
    if rule.scope != "channel":
        return None if satisfies(bound, claimed, actual, places) else (str(figure.value), figure.derivation)
    # A change: its direction must agree with the records, then its size is compared.
    falling = _direction(before) == "down" or match["sign"] in ("-", "−")
    agrees = actual == 0 or (actual < 0) == falling
    if agrees and satisfies(bound, claimed, abs(actual), places):
        return None
    return format_percent(actual), figure.derivation


def check_text(
    html: str, *, where: str, start: date, end: date, event: EventPage | str | None = None
) -> list[Mismatch]:
    """Mismatches between numbers written in the text and the statistics the rules point to. ``event`` (an
    EventPage or its slug) is what the text is about where a sentence names no event itself."""
    context = _Context(start, end, getattr(event, "slug", event))
    found = []
    for sentence in sentences(html):
        taken: set[tuple[int, int]] = set()  # numbers already checked by an earlier rule
        for rule in RULES:
            if rule.cues and not re.search(rule.cues, sentence, re.I):
                continue
            matches = list(rule.pattern.finditer(sentence))
            for i, match in enumerate(matches):
                if match.span("number") in taken:
                    continue
                # A claim's part of the sentence runs from the previous claim to the next one.
                part = (
                    matches[i - 1].end() if i else 0,
                    matches[i + 1].start() if i + 1 < len(matches) else len(sentence),
                )
                params = _params(rule, sentence, match, part, context)
                if params is None:
                    continue
                taken.add(match.span("number"))
                wrong = _check_claim(rule, match, params, sentence[part[0] : match.start()])
                if wrong:
                    computed, derivation = wrong
                    found.append(
                        Mismatch(where, sentence, match[0].strip(), computed, rule.statistic, derivation)
                    )
    return found


def event_named_in(text: str, *, start: date, end: date) -> str | None:
    """The slug of the published event ``text`` (e.g. a page title) names, if it names one."""
    return _event_for(text, len(text), _Context(start, end))


def check_report(report, *, include_drafts: bool = True) -> list[Mismatch]:
    """Check every chapter of a report; drafts are checked in their latest (unpublished) revision. A chapter
    whose title names an event is about that event."""
    from report.models import ReportChapterPage

    mismatches = []
    for chapter in ReportChapterPage.objects.child_of(report).specific():
        if include_drafts and chapter.has_unpublished_changes:
            chapter = chapter.get_latest_revision_as_object()
        mismatches += check_chapter(chapter, report=report)
    return mismatches


def check_chapter(chapter, *, report) -> list[Mismatch]:
    """Check one chapter's prose against the records of its report's period."""
    start, end = report.start_date, report.end_date
    html = " ".join(str(block.value.source) for block in chapter.body if block.block_type == "paragraph")
    event = event_named_in(chapter.title, start=start, end=end)
    return check_text(html, where=chapter.title, start=start, end=end, event=event)
