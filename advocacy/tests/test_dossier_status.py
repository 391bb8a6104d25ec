"""A dossier's status must agree with its timeline: checked in the page form, with the rows being saved."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from advocacy.models import DossierIndexPage, DossierPage, status_conflict


@pytest.mark.parametrize(
    ("status", "stages", "expected"),
    [
        ("in_committee", {"proposal", "committee_vote"}, ""),
        ("in_force", {"proposal", "adoption", "entry_into_force"}, ""),
        ("adopted", {"adoption"}, ""),
        ("in_committee", {"proposal", "adoption"}, "records its adoption"),
        ("adopted", {"adoption", "entry_into_force"}, "records entry into force"),
        ("in_force", {"proposal", "adoption"}, "needs the timeline stage “Entry into force”"),
        ("adopted", {"proposal"}, "needs the timeline stage “Adoption”"),
    ],
)
def test_status_conflict(status, stages, expected):
    problem = status_conflict(status, stages)
    assert (expected in problem) if expected else problem == ""


@pytest.fixture
def dossier(site):
    index = site.root_page.add_child(instance=DossierIndexPage(title="Legislation", slug="legislation"))
    return index.add_child(
        instance=DossierPage(
            title="A regulation",
            slug="a-regulation",
            jurisdiction="EU",
            status="proposed",
            position="<p>Yes.</p>",
        )
    )


def form_for(dossier, status, stages):
    form_class = DossierPage.get_edit_handler().get_form_class()
    data = nested_form_data(
        {
            "title": dossier.title,
            "slug": dossier.slug,
            "jurisdiction": "EU",
            "official_reference": "",
            "status": status,
            "summary": "",
            "position": rich_text("<p>We support it.</p>"),
            "stages": inline_formset(
                [
                    {"stage": s, "date": f"2023-0{n + 1}-01", "note": "", "source_url": ""}
                    for n, s in enumerate(stages)
                ]
            ),
            "actions": inline_formset([]),
        }
    )
    user = get_user_model().objects.create_superuser("editor", "e@example.org", "pw")
    return form_class(data, instance=dossier, parent_page=dossier.get_parent(), for_user=user)


def test_form_rejects_a_status_behind_the_timeline(dossier):
    form = form_for(dossier, "in_committee", ["proposal", "adoption"])
    assert not form.is_valid()
    assert "records its adoption" in form.errors["status"][0]


def test_form_accepts_a_status_that_matches_the_timeline(dossier):
    form = form_for(dossier, "adopted", ["proposal", "adoption"])
    assert form.is_valid(), form.errors
