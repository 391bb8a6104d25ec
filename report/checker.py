"""The figure checker: find numbers typed into chapter text next to a known subject and compare them with
the statistic that counts that subject, listing every mismatch with its sentence and the computed value."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils.html import strip_tags

from core.statistics import StatisticError, registry

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

QUANTIFIER = r"(?P<bound>more than|over|at least|nearly|almost|around|about|some)?\s*"
NUMBER = (
    r"(?P<number>\d[\d,]*(?:\.\d+)?|(?:"
    + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    + r")(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)"
)


@dataclass(frozen=True)
class Rule:
    """A subject as written in prose, the statistic that counts it, and cue words the sentence must contain."""

    subject: str  # regex for the noun after the number, e.g. "organi[sz]ations|members"
    statistic: str
    cues: str = ""  # regex; empty = any sentence
    period: bool = True  # pass the report's start/end to the statistic


# Report may use every app: the rules name statistics that the domain apps register.
RULES = [
    Rule(
        r"(?:new )?(?:member )?organi[sz]ations|new members", "network.new_members", cues=r"welcom|join|new"
    ),
    Rule(r"countries", "network.new_member_countries", cues=r"welcom|join|new member"),
    Rule(
        r"member organi[sz]ations|members", "network.members", cues=r"network (?:of|has|counts)", period=False
    ),
    Rule(r"case studies", "publications.count_case_studies"),
    Rule(r"(?:podcast )?episodes", "comms.episodes"),
    Rule(r"practitioners|participants", "events.participants", cues=r"summit|workshop|meeting"),
]


@dataclass(frozen=True)
class Mismatch:
    where: str
    sentence: str
    claimed: str
    computed: str
    statistic: str
    derivation: str


def parse_number(text: str) -> int | float:
    text = text.lower().replace(",", "")
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    if "-" in text:
        tens, units = text.split("-", 1)
        return NUMBER_WORDS[tens] + NUMBER_WORDS[units]
    return float(text) if "." in text else int(text)


def sentences(html: str) -> list[str]:
    text = re.sub(r"\s+", " ", strip_tags(html.replace("</p>", "</p> ")))
    text = re.sub(r"\[\[[^\]]*\]\]", "", text)  # live figures are correct by construction
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def _satisfies(bound: str | None, claimed: float, actual: float) -> bool:
    if bound in ("more than", "over"):
        return actual > claimed
    if bound == "at least":
        return actual >= claimed
    if bound in ("nearly", "almost", "around", "about", "some"):
        return abs(actual - claimed) <= max(1, 0.1 * claimed)
    return actual == claimed


def check_text(html: str, *, where: str, start: date, end: date) -> list[Mismatch]:
    """Mismatches between numbers written in the text and the statistics the rules point to."""
    found = []
    for sentence in sentences(html):
        for rule in RULES:
            if rule.cues and not re.search(rule.cues, sentence, re.I):
                continue
            pattern = re.compile(
                r"\b" + QUANTIFIER + NUMBER + r"\s+(?:\w+\s+){0,2}?(?:" + rule.subject + r")\b", re.I
            )
            for match in pattern.finditer(sentence):
                try:
                    figure = registry.compute(
                        rule.statistic, **({"start": start, "end": end} if rule.period else {})
                    )
                except StatisticError:
                    continue  # the app that counts this subject is not installed
                claimed = parse_number(match["number"])
                if not _satisfies((match["bound"] or "").lower() or None, claimed, float(figure.value)):
                    found.append(
                        Mismatch(
                            where,
                            sentence,
                            match[0].strip(),
                            str(figure.value),
                            rule.statistic,
                            figure.derivation,
                        )
                    )
    return found


def check_report(report, *, include_drafts: bool = True) -> list[Mismatch]:
    """Check every chapter of a report; drafts are checked in their latest (unpublished) revision."""
    from report.models import ReportChapterPage

    mismatches = []
    for chapter in ReportChapterPage.objects.child_of(report).specific():
        if include_drafts and chapter.has_unpublished_changes:
            chapter = chapter.get_latest_revision_as_object()
        html = " ".join(str(block.value.source) for block in chapter.body if block.block_type == "paragraph")
        mismatches += check_text(html, where=chapter.title, start=report.start_date, end=report.end_date)
    return mismatches
