"""The admin writes documents through the same services and shows their refusals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secretariat.documents.models import Document, DocumentEvent, DocumentText, Feedback

from .conftest import stored_files, upload

pytestmark = pytest.mark.django_db
K = DocumentEvent.Kind
CITATIONS = "core-citation-content_type-object_id"
VARIANTS = "core-variant-content_type-object_id"


@pytest.fixture
def officer(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "", "a-long-password-1")
    client.force_login(user)
    client.user = user
    return client


def management(prefix, total=0, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial)}


def sourced(source, **fields):
    return {
        **management(CITATIONS, 1),
        f"{CITATIONS}-0-source": source.pk,
        f"{CITATIONS}-0-locator": "",
        **management(VARIANTS),
        **fields,
    }


def test_every_documents_admin_page_renders_with_records(officer, docs):
    """List, add and change pages of every documents model open with records present."""
    (alpha,) = docs.members("alpha")
    document = docs.document()
    docs.text(docs.version(document))
    circulation = docs.circulate(document)
    docs.feedback(circulation, alpha)
    for model in ("document", "documentversion", "documenttext", "documentevent", "feedback"):
        assert officer.get(reverse(f"admin:documents_{model}_changelist")).status_code == 200
        assert officer.get(reverse(f"admin:documents_{model}_add")).status_code == 200
        obj = Document._meta.apps.get_model("documents", model).objects.first()
        page = officer.get(reverse(f"admin:documents_{model}_change", args=[obj.pk]))
        assert page.status_code == 200, model


def test_a_document_added_without_symbol_gets_one_from_the_pattern(officer, docs, build):
    """The admin makes the symbol and key as document_create does."""
    docs.organization()
    body = build.body("soc", short_name_en="SOC")
    data = sourced(
        build.source, type="report", title_en="Annual report", title_ru="", access="public",
        body=body.pk, meeting="", note="", symbol="", key="",
        **management("versions"), **management("relations"), **management("events"),
        **management("checklists-nextstep-subject_type-subject_id"),
    )  # fmt: skip
    response = officer.post(reverse("admin:documents_document_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    document = Document.objects.get()
    assert document.symbol.startswith("EXO/SOC/") and document.symbol.endswith("/1")
    assert [c.source.key for c in document.citations.all()] == ["test-source"]


def test_a_text_uploaded_in_the_admin_goes_through_text_upload(officer, docs, media):
    """The version page uploads a text: recognised, extracted and stored."""
    version = docs.version(docs.document())
    url = reverse("admin:documents_documentversion_change", args=[version.pk])
    data = {
        "date": "", "note": "", **management("texts", 1),
        "texts-0-language": "en", "texts-0-file": upload("sample.docx"),
        "texts-0-version": version.pk,
    }  # fmt: skip
    response = officer.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    text = DocumentText.objects.get()
    assert text.media_type.endswith("wordprocessingml.document")
    assert "confidence-building" in text.text
    assert len(stored_files(media)) == 1


def test_the_admin_shows_an_upload_refusal_on_the_form(officer, docs, media):
    """A program renamed .pdf is refused on the form, with the services' words."""
    version = docs.version(docs.document())
    url = reverse("admin:documents_documentversion_change", args=[version.pk])
    data = {
        "date": "", "note": "", **management("texts", 1),
        "texts-0-language": "en", "texts-0-file": upload("setup.pdf", b"MZ" + b"\x00" * 40),
        "texts-0-version": version.pk,
    }  # fmt: skip
    page = officer.post(url, data).content.decode()
    assert "Received a Windows program (named &#x27;setup.pdf&#x27;)" in page
    assert not DocumentText.objects.exists() and stored_files(media) == []


def test_the_admin_refuses_an_impossible_event_with_the_reason(officer, docs, build):
    """Adopting a withdrawn draft is refused on the event form, and nothing is saved."""
    document = docs.document()
    docs.event(document, K.DRAFTED, "2021-01-10")
    docs.event(document, K.WITHDRAWN, "2021-02-01")
    data = sourced(
        build.source, document=document.pk, kind="adopted", date="2021-03",
        version="", body="", meeting="", actor="", deadline="", note="",
    )  # fmt: skip
    page = officer.post(reverse("admin:documents_documentevent_add"), data).content.decode()
    assert "A document that is withdrawn cannot be adopted." in page
    assert document.events.count() == 2


def test_the_admin_refuses_to_edit_a_circulated_version(officer, docs):
    """A circulated version's note cannot be changed in the admin either."""
    docs.members("alpha")
    document = docs.document()
    version = docs.version(document, note="as sent")
    docs.circulate(document, version=version)
    url = reverse("admin:documents_documentversion_change", args=[version.pk])
    page = officer.post(url, {"date": "", "note": "edited", **management("texts")})
    assert "was circulated/adopted and cannot change" in page.content.decode()
    version.refresh_from_db()
    assert version.note == "as sent"


def test_feedback_entered_in_the_admin_records_the_officer(officer, docs):
    """Feedback added in the admin is written by feedback_record with who entered it."""
    (alpha,) = docs.members("alpha")
    circulation = docs.circulate(docs.document())
    data = {"circulation": circulation.pk, "actor": alpha.pk, "received_on": "2021-03-05",
            "text": "We agree."}  # fmt: skip
    response = officer.post(reverse("admin:documents_feedback_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Feedback.objects.get().entered_by == officer.user
