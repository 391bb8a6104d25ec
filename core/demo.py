"""Building blocks for the demo years: ordered, idempotent steps contributed by each app's ``demo`` module."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models
from django.utils.module_loading import autodiscover_modules
from wagtail.models import Page


@dataclass(frozen=True)
class DemoYear:
    """One reporting year of the demo, e.g. 2022-2023 from 1 August 2022 to 31 July 2023."""

    label: str
    start: date
    end: date


# The demo's reporting years, oldest first: the seed pages' year, then the one that continues it.
DEMO_YEARS = (
    DemoYear("2022-2023", date(2022, 8, 1), date(2023, 7, 31)),
    DemoYear("2023-2024", date(2023, 8, 1), date(2024, 7, 31)),
)


@dataclass
class DemoContext:
    """What steps share: the reporting years, the site's home page and anything a step publishes for later."""

    years: tuple[DemoYear, ...] = DEMO_YEARS
    home: Page | None = None
    site_url: str = "http://localhost"  # where the demo is served: canonical links, feeds and the PDF use it
    shared: dict[str, Any] = field(default_factory=dict)
    log: Callable[[str], None] = print

    # The first year, as steps written for a single year read it.
    @property
    def year_label(self) -> str:
        return self.years[0].label

    @property
    def start(self) -> date:
        return self.years[0].start

    @property
    def end(self) -> date:
        return self.years[0].end


@dataclass(frozen=True)
class DemoStep:
    order: int
    name: str
    function: Callable[[DemoContext], None]


_steps: dict[str, DemoStep] = {}


def demo_step(order: int) -> Callable:
    """Register a function as a demo step; lower orders run first (network before events, report last)."""

    def decorator(function: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
        name = f"{function.__module__}.{function.__name__}"
        _steps[name] = DemoStep(order, name, function)
        return function

    return decorator


def demo_steps() -> list[DemoStep]:
    autodiscover_modules("demo")
    return sorted(_steps.values(), key=lambda s: (s.order, s.name))


def block(block_type: str, value: Any, key: str) -> dict:
    """A StreamField block with a stable id, so re-running the demo does not count as an edit."""
    return {"type": block_type, "value": value, "id": f"demo-{key}"}


def _canonical(value: str) -> str:
    # PostgreSQL's jsonb reorders keys, so StreamField JSON is compared in a canonical form.
    try:
        return json.dumps(json.loads(value), sort_keys=True)
    except (TypeError, ValueError):
        return value


def _snapshot(page: models.Model, names: list[str]) -> dict[str, Any]:
    """Comparable field values: Python values (aware datetimes compare across time zones), canonical JSON for
    StreamFields."""
    from wagtail.fields import StreamField

    snapshot = {}
    for name in names:
        field = page._meta.get_field(name)
        if isinstance(field, StreamField):
            snapshot[name] = _canonical(field.value_to_string(page))
        else:
            value = field.value_from_object(page)
            # Normalise what was assigned (a UUID given as text) to what the database returns; relations and
            # exotic fields compare as they are.
            with contextlib.suppress(Exception):
                value = field.to_python(value)
            snapshot[name] = value
    return snapshot


def upsert_page(parent: Page, model: type[Page], *, slug: str, **fields: Any) -> Page:
    """Create or update a published child page by slug, publishing a revision only when something changed."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page
    before = _snapshot(page, list(fields))
    for name, value in fields.items():
        setattr(page, name, value)
    if _snapshot(page, list(fields)) != before or not page.live:
        page.save_revision().publish()
    return page


@demo_step(order=0)
def build_site(ctx: DemoContext) -> None:
    """The home page as the default site's root, and the organisation's site settings."""
    from core.models import HomePage, SiteSettings
    from core.sites import default_site_at, page_tree_root

    ctx.home = upsert_page(
        page_tree_root(),
        HomePage,
        slug="home",
        title="ECPAT International",
        standfirst=(
            "A global network of organisations working in dozens of countries so that no child is sexually "
            "exploited. This site records our year and publishes what it achieved."
        ),
    )
    site = default_site_at(ctx.home, site_url=ctx.site_url, site_name="ECPAT International")
    SiteSettings.objects.update_or_create(
        site=site,
        defaults={
            "organisation_name": "ECPAT International",
            "tagline": "Ending the sexual exploitation of children",
            "facebook_url": "https://www.facebook.com/ECPATInternational",
            "instagram_url": "https://www.instagram.com/ecpatinternational",
            "linkedin_url": "https://www.linkedin.com/company/ecpat-international",
            "x_url": "https://x.com/ECPAT",
            "announcement_text": "Polling shows the public wants urgent laws that keep children safe from exploitation.",
            "announcement_link_label": "Read the story",
            "announcement_url": "",
            "donation_heading": "Give monthly, protect children all year",
            "donation_text": (
                "<p>Most of our supporters give a small amount every month. A regular gift lets the network "
                "plan its work to end the sexual exploitation of children.</p>"
            ),
        },
    )


def upsert_children(page: Page, relation: str, rows: list[dict[str, Any]]) -> None:
    """Give a page exactly these inline children (an InlinePanel relation), publishing only if they changed.

    The children go through a new revision, so a later publish from a revision keeps them.
    """
    child_model = page._meta.get_field(relation).related_model

    def comparable(values: dict[str, Any]) -> tuple:
        return tuple(
            sorted(
                (name, value.pk if isinstance(value, models.Model) else value)
                for name, value in values.items()
            )
        )

    wanted = [comparable(row) for row in rows]
    current = (
        [
            comparable({name: getattr(child, name) for name in rows[0]})
            for child in getattr(page, relation).all()
        ]
        if rows
        else []
    )
    if wanted == current and (rows or not getattr(page, relation).exists()):
        return
    setattr(page, relation, [child_model(**row) for row in rows])
    page.save_revision().publish()
