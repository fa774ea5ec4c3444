"""The admin writes documents through the same services and shows their refusals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secretariat.documents import services
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
    """Feedback added in the admin is written by feedback_add with who entered it."""
    (alpha,) = docs.members("alpha")
    circulation = docs.circulate(docs.document())
    data = {"circulation": circulation.pk, "actor": alpha.pk, "received_on": "2021-03-05",
            "text": "We agree."}  # fmt: skip
    response = officer.post(reverse("admin:documents_feedback_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Feedback.objects.get().entered_by == officer.user


# --- A version and its texts on one form -------------------------------------------------


def new_version(document, *texts, **fields):
    """The version add page as posted: the version, and a (language, file) row per text."""
    data = {"document": document.pk, "date": "", "note": "", **management("texts", len(texts))}
    for i, (language, file) in enumerate(texts):
        data |= {f"texts-{i}-language": language, f"texts-{i}-file": file}
    return data | fields


def test_a_version_added_with_its_text_saves_both(officer, docs, media):
    """A version added with its file on one form is saved with its text (it was a 500)."""
    document = docs.document()
    data = new_version(document, ("en", upload("sample.docx")))
    response = officer.post(reverse("admin:documents_documentversion_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    version = document.versions.get()
    assert [t.language for t in version.texts.all()] == ["en"]
    assert "confidence-building" in version.texts.get().text
    assert len(stored_files(media)) == 1


def test_a_version_added_with_texts_in_two_languages_saves_all(officer, docs, media):
    """Texts in two languages on the add form are saved with the new version."""
    document = docs.document()
    data = new_version(document, ("en", upload("sample.docx")), ("ru", upload("sample.txt")))
    response = officer.post(reverse("admin:documents_documentversion_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    version = document.versions.get()
    assert sorted(version.texts.values_list("language", flat=True)) == ["en", "ru"]
    assert len(stored_files(media)) == 2


def test_two_texts_in_one_language_are_refused_on_the_form(officer, docs, media):
    """Two texts in the same language: the form says so (the formset's unique check on
    version and language), keeps the input, saves nothing."""
    document = docs.document()
    data = new_version(
        document, ("en", upload("sample.docx")), ("en", upload("sample.txt")), note="draft"
    )
    response = officer.post(reverse("admin:documents_documentversion_add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please correct the duplicate data for language." in page
    assert "\ndraft</textarea>" in page  # what was typed is kept
    assert not document.versions.exists() and not DocumentText.objects.exists()
    assert stored_files(media) == []


def test_a_new_version_with_a_file_of_no_accepted_type_is_not_saved(officer, docs, media):
    """A program sent as a version's text is refused on the form; the version is not saved."""
    document = docs.document()
    data = new_version(document, ("en", upload("setup.pdf", b"MZ" + b"\x00" * 40)))
    response = officer.post(reverse("admin:documents_documentversion_add"), data)
    assert response.status_code == 200
    assert "Received a Windows program" in response.content.decode()
    assert not document.versions.exists() and stored_files(media) == []


def test_a_text_for_a_circulated_version_is_refused_on_the_form(officer, docs, media):
    """A circulated version takes no new text: refused on its page, nothing stored."""
    docs.members("alpha")
    document = docs.document()
    version = docs.version(document)
    docs.circulate(document, version=version)
    url = reverse("admin:documents_documentversion_change", args=[version.pk])
    data = {"date": "", "note": "", **management("texts", 1), "texts-0-language": "en",
            "texts-0-file": upload("sample.txt"), "texts-0-version": version.pk}  # fmt: skip
    response = officer.post(url, data)
    assert response.status_code == 200
    assert "was circulated/adopted and cannot change" in response.content.decode()
    assert not DocumentText.objects.exists() and stored_files(media) == []


def test_a_refusal_during_the_save_rolls_back_the_version_and_its_texts(
    officer, docs, media, monkeypatch
):
    """The version is circulated between the form's checks and its second text: the
    refusal shows on the form, and neither the version, its texts nor a file is kept."""
    docs.members("alpha")
    document = docs.document()
    upload_now = services.text_upload

    def circulated_meanwhile(*, version, **kwargs):
        if version.texts.exists():
            docs.circulate(document, version=version)
        return upload_now(version=version, **kwargs)

    monkeypatch.setattr(services, "text_upload", circulated_meanwhile)
    data = new_version(document, ("en", upload("sample.docx")), ("ru", upload("sample.txt")))
    response = officer.post(reverse("admin:documents_documentversion_add"), data)
    assert response.status_code == 200
    assert "was circulated/adopted and cannot change" in response.content.decode()
    assert not document.versions.exists() and not DocumentText.objects.exists()
    assert not document.events.exists()
    assert stored_files(media) == []


def test_a_text_added_on_its_own_page_is_saved(officer, docs, media):
    """The text add page uploads a text to a chosen version."""
    version = docs.version(docs.document())
    data = {"version": version.pk, "language": "en", "file": upload("sample.txt")}
    response = officer.post(reverse("admin:documents_documenttext_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert version.texts.get().language == "en" and len(stored_files(media)) == 1


def test_a_refusal_during_a_text_save_shows_on_its_own_page(officer, docs, media, monkeypatch):
    """The text page too shows a refusal at save time on the form, not a 500."""
    docs.members("alpha")
    document = docs.document()
    version = docs.version(document)
    upload_now = services.text_upload

    def circulated_meanwhile(**kwargs):
        docs.circulate(document, version=version)
        return upload_now(**kwargs)

    monkeypatch.setattr(services, "text_upload", circulated_meanwhile)
    data = {"version": version.pk, "language": "en", "file": upload("sample.txt")}
    response = officer.post(reverse("admin:documents_documenttext_add"), data)
    assert response.status_code == 200
    assert "was circulated/adopted and cannot change" in response.content.decode()
    assert not DocumentText.objects.exists() and stored_files(media) == []


def resubmitted(page) -> dict:
    """A change page's forms as the browser sends them back unchanged."""
    forms, data = [page.context["adminform"].form], {}
    for inline in page.context["inline_admin_formsets"]:
        data |= {field.html_name: field.value() for field in inline.formset.management_form}
        forms += inline.formset.forms
    for form in forms:
        data |= {f.html_name: f.value() for f in form if f.value() not in (None, False)}
    return data


def test_a_version_added_on_the_document_page_is_saved(officer, docs):
    """The document page's versions inline still adds a version (numbered after the last)."""
    document = docs.document()
    docs.version(document)
    url = reverse("admin:documents_document_change", args=[document.pk])
    data = resubmitted(officer.get(url))
    data |= {"versions-TOTAL_FORMS": "2", "versions-1-note": "revised", "versions-1-date": ""}
    response = officer.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(document.versions.values_list("number", "note")) == [(1, ""), (2, "revised")]
