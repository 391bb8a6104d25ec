"""An event's outputs link to their publications in the library, while those are live and public."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from wagtail.models import PageViewRestriction

from events.models import EventOutput, OutputKind
from publications.factories import PublicationIndexPageFactory, PublicationPageFactory

pytestmark = pytest.mark.django_db

TITLE = "Global Boys Summit: Outcomes Report"


@pytest.fixture
def publication(site):
    library = PublicationIndexPageFactory(parent=site.root_page)
    return PublicationPageFactory(parent=library, title="Outcomes of the summit", slug="summit-outcomes")


@pytest.fixture
def output(event, publication):
    return EventOutput.objects.create(
        event=event, kind=OutputKind.OUTCOMES_REPORT, title=TITLE, publication=publication
    )


def _outputs_section(event) -> str:
    html = Client(HTTP_HOST="localhost").get(event.url).content.decode()
    section = html[html.index('id="outputs-heading"') :]
    return section[: section.index("</section>")]


def test_an_output_title_links_to_its_publication_and_one_without_stays_as_it_was(event, output, publication):
    EventOutput.objects.create(event=event, kind=OutputKind.SUMMARY_REPORT, title="Summary Report")
    EventOutput.objects.create(
        event=event, kind=OutputKind.ACTION_PLAN, title="Action Plan", url="https://example.org/plan.pdf"
    )
    section = _outputs_section(event)
    assert f'<a href="{publication.url}">{TITLE}</a>' in section
    assert "<li>Summary Report " in section  # no publication, document or address: plain text
    assert '<a href="https://example.org/plan.pdf">Action Plan</a>' in section


def test_an_output_whose_publication_is_unpublished_is_plain_text(event, output, publication):
    publication.unpublish()
    section = _outputs_section(event)
    assert TITLE in section and "<a " not in section


def test_an_output_whose_publication_is_private_is_plain_text(event, output, publication):
    PageViewRestriction.objects.create(page=publication, restriction_type="login")
    section = _outputs_section(event)
    assert TITLE in section and "<a " not in section


def test_an_output_accepts_only_a_publication_page_as_its_publication(event, publication):
    wrong = EventOutput(event=event, kind=OutputKind.OTHER, title="Not a publication", publication=event)
    with pytest.raises(ValidationError) as raised:
        wrong.full_clean()
    assert "publication" in raised.value.message_dict
    EventOutput(
        event=event, kind=OutputKind.OTHER, title="A publication", publication=publication
    ).full_clean()


def test_the_event_form_offers_only_publication_pages_for_an_output(event, publication):
    form_class = type(event).get_edit_handler().get_form_class()
    field = form_class.formsets["outputs"].form().fields["publication"]
    assert list(field.queryset) == [publication.page_ptr]


def test_the_event_editor_chooses_an_outputs_publication_among_publication_pages(admin_client, event, output):
    html = admin_client.get(f"/admin/pages/{event.pk}/edit/").content.decode()
    assert "publications.publicationpage" in html.lower()
