"""The admin's extracted-text listing and chooser are no full-text oracle over PDFs the user may not see."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from wagtail.models import Collection, CollectionViewRestriction, GroupCollectionPermission

from publications.factories import PublicationPageFactory, pdf_file
from publications.services import publication_file_attach

WORD = "quorbleflax"
URLS = [
    f"/admin/snippets/choose/publications/documenttext/results/?q={WORD}",
    f"/admin/snippets/choose/publications/documenttext/?q={WORD}",
    f"/admin/snippets/publications/documenttext/?q={WORD}",
]


@pytest.fixture
def files(library):
    """Three PDFs with the same rare word: on a public page, on a draft, and in a login-restricted collection."""
    public = PublicationPageFactory(parent=library, title="Open report", slug="open")
    publication_file_attach(page=public, file=pdf_file(f"Open finding {WORD}"), title="Open PDF")
    draft = PublicationPageFactory(parent=library, title="Embargoed report", slug="embargoed")
    draft.unpublish()
    publication_file_attach(page=draft, file=pdf_file(f"Embargoed finding {WORD}"), title="Embargoed PDF")
    private = Collection.get_first_root_node().add_child(name="Safeguarding")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    restricted = publication_file_attach(
        page=public, file=pdf_file(f"Case file {WORD}"), title="Case file PDF"
    )
    restricted.document.collection = private
    restricted.document.save()
    return {"private": private}


def _officer(django_user_model, *, document_collections=()):
    """A communications officer who may list extracted texts, and choose documents only in the given collections."""
    group = Group.objects.create(name="Communications")
    group.permissions.set(
        Permission.objects.filter(codename__in=["access_admin", "view_documenttext", "change_documenttext"])
    )
    for collection in document_collections:
        GroupCollectionPermission.objects.create(
            group=group,
            collection=collection,
            permission=Permission.objects.get(
                content_type__app_label="wagtaildocs", codename="choose_document"
            ),
        )
    user = django_user_model.objects.create_user("officer", password="x")
    user.groups.add(group)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", URLS)
def test_an_officer_without_document_rights_finds_only_the_public_pdf(files, django_user_model, url):
    html = _officer(django_user_model).get(url).content.decode()
    assert "Open PDF" in html
    assert "Embargoed PDF" not in html and "Case file PDF" not in html


@pytest.mark.parametrize("url", URLS)
def test_an_officer_who_may_choose_the_private_collections_documents_finds_them(
    files, django_user_model, url
):
    html = _officer(django_user_model, document_collections=[files["private"]]).get(url).content.decode()
    assert "Case file PDF" in html and "Open PDF" in html
    assert "Embargoed PDF" not in html  # in the root collection, which this officer may not choose from


def test_the_chosen_view_refuses_a_hidden_text_by_id(files, django_user_model):
    from publications.models import DocumentText

    hidden = DocumentText.objects.get(document__title="Embargoed PDF")
    response = _officer(django_user_model).get(
        f"/admin/snippets/choose/publications/documenttext/chosen/{hidden.pk}/"
    )
    assert response.status_code == 404
    assert "Embargoed" not in response.content.decode()


@pytest.mark.parametrize("url", URLS)
def test_a_superuser_finds_every_pdf(files, admin_client, url):
    html = admin_client.get(url).content.decode()
    assert all(title in html for title in ("Open PDF", "Embargoed PDF", "Case file PDF"))
