"""The site's own "Edit" page: officers change a record in the site's layout, with the
admin's checks and the services' saving; others get nothing; a stale edit is refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secretariat.accounts import services as accounts
from secretariat.audit.models import AuditEntry
from secretariat.documents import services as documents
from secretariat.documents.models import Document
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(build):
    return documents.document_create(
        type="decision", symbol="EXO/1", key="exo-1", title_en="Old title", sources=[build.source]
    )


@pytest.fixture
def officer(client):
    user = accounts.account_create(username="ofc", password=PASSWORD, role="officer").user
    client.force_login(user)
    return client


def edit_url(paper) -> str:
    return reverse(
        "portal:edit", kwargs={"app_label": "documents", "slug": "document", "pk": paper.pk}
    )


def form_data(client, url) -> dict:
    """The form's values as the page shows them (what a browser would send back)."""
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else value
    return data


def test_an_officer_edits_a_record_on_the_site(officer, paper):
    """The page shows the record's fields; saving changes the record, audited with the
    reason, and goes back to where the officer came from."""
    url = edit_url(paper) + "?next=/documents/exo-1/"
    page = officer.get(url)
    assert page.status_code == 200
    assert 'value="Old title"' in page.content.decode()
    data = {**form_data(officer, url), "title_en": "New title", "reason": "Typo in the title"}
    response = officer.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert response["Location"] == "/documents/exo-1/"
    paper.refresh_from_db()
    assert paper.title_en == "New title"
    entry = AuditEntry.objects.for_record(paper).first()
    assert (entry.via, entry.reason, entry.changes["title_en"]) == (
        "web", "Typo in the title", ["Old title", "New title"],
    )  # fmt: skip


def test_a_refused_edit_keeps_what_was_typed_and_saves_nothing(officer, paper):
    url = edit_url(paper)
    data = {**form_data(officer, url), "title_en": "", "title_ru": "Новое название"}
    response = officer.post(url, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "This field is required." in html and "Новое название" in html
    paper.refresh_from_db()
    assert (paper.title_en, paper.title_ru) == ("Old title", "")


def test_a_stale_edit_is_refused_with_who_changed_what(officer, paper):
    """Someone changed the record after the form was shown: 409, nothing overwritten."""
    url = edit_url(paper)
    data = form_data(officer, url)
    documents.document_update(document=Document.objects.get(pk=paper.pk), title_en="Meanwhile")
    response = officer.post(url, {**data, "title_en": "Mine"})
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    assert Document.objects.get(pk=paper.pk).title_en == "Meanwhile"


def test_an_edit_can_add_a_new_source(officer, paper):
    url = edit_url(paper)
    data = {**form_data(officer, url), "source_title": "Press release of 3 May 2024",
            "source_url": "https://example.org/press"}  # fmt: skip
    assert officer.post(url, data).status_code == 302
    titles = [c.source.title for c in paper.citations.select_related("source")]
    assert titles == ["Test source", "Press release of 3 May 2024"]


@pytest.mark.parametrize("role", [None, "public", "delegate"])
def test_only_officers_reach_the_edit_page(client, build, paper, role):
    """Anonymous visitors are asked to sign in; readers and delegates are told the page is
    not theirs, the same whether the record exists or not."""
    if role is not None:
        actor = build.actor("alpha") if role == "delegate" else None
        user = accounts.account_create(username="u", password=PASSWORD, role=role, actor=actor).user
        client.force_login(user)
    for url in (edit_url(paper), edit_url(paper).replace(str(paper.pk), "987654")):
        response = client.get(url)
        assert response.status_code == (302 if role is None else 403)
        assert client.post(url, {"title_en": "x"}).status_code == (302 if role is None else 403)
    assert Document.objects.get(pk=paper.pk).title_en == "Old title"


def test_record_pages_lead_officers_to_edit(officer, client, paper):
    """The document's page shows officers the Edit link (the site's form); the public no."""
    html = officer.get("/documents/exo-1/").content.decode()
    assert edit_url(paper) in html
    client.logout()
    assert edit_url(paper) not in client.get("/documents/exo-1/").content.decode()


def test_the_edit_form_posts_its_fields(officer, paper):
    """What a browser sends: every field sits inside the one POST form (an unclosed form
    or stray markup before it would make the browser submit something else)."""
    from lxml import html as lxml_html

    page = lxml_html.fromstring(officer.get(edit_url(paper)).content.decode())
    (form,) = page.xpath("//main//form[.//input[@name='title_en']]")
    assert form.get("method") == "post"
    assert form.xpath(".//input[@name='csrfmiddlewaretoken']")
    assert not page.xpath("//main//form[not(@method='post') and .//input[@name='title_en']]")
    assert "include with form=" not in officer.get(edit_url(paper)).content.decode()


def test_a_saved_edit_says_so(officer, paper):
    url = edit_url(paper)
    data = {**form_data(officer, url), "title_en": "Saved title"}
    page = officer.post(url, data, follow=True).content.decode()
    assert "The changes are saved." in page
