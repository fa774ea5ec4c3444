"""The officers' pages on documents: a document with its first version and texts in one
step, a version, texts of an open version, a circulation for feedback.

What must hold: a valid form saves exactly what it says and goes to the document's page; a
refusal answers 422 with the reason on the field, what was typed kept, nothing saved and
no file left on disk; only officers reach the forms, whatever record the address names.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from secretariat.accounts import services as accounts
from secretariat.audit.models import Act
from secretariat.core.models import Source
from secretariat.documents import services
from secretariat.documents.models import Document, DocumentText, DocumentVersion
from tests.helpers import PASSWORD

from .conftest import stored_files, upload

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
BROKEN_PDF = b"%PDF-1.7\nthis is not a pdf at all"


@pytest.fixture(autouse=True)
def back_to_english():
    """A page asked for in Russian leaves Russian active in the thread."""
    yield
    translation.deactivate()


@pytest.fixture
def officer(client):
    user = accounts.account_create(username="ofc", password=PASSWORD, role="officer").user
    client.force_login(user)
    return client


@pytest.fixture
def paper(docs):
    """A document with version 1 (circulated, so fixed) and version 2 (open)."""
    docs.organization()
    document = docs.document("EXO/DECL/2024/1", key="decl-1", title_en="Declaration")
    docs.circulate(document, date="2024-03-01", deadline=dt.date(2024, 3, 20))
    docs.version(document, date="2024-04-02")
    return document


def page(response) -> str:
    return response.content.decode()


def nothing_saved(media, documents: int, versions: int = 0) -> None:
    """Only the records there were before, no text, and no file on disk."""
    assert (Document.objects.count(), DocumentVersion.objects.count()) == (documents, versions)
    assert DocumentText.objects.count() == 0
    assert stored_files(media) == []


# --- A document with its first version and texts ---------------------------------------


def new_document(build, **changes) -> dict:
    data = {
        "type": "declaration",
        "title_en": "Declaration on dialogue",
        "title_ru": "Декларация о диалоге",
        "access": "restricted",
        "public_from": "2030-01-01",
        "body": "soc",
        "meeting": "soc-5",
        "symbol": "",
        "version_date": "2024-06-03",
        "version_note": "As agreed by the SOC.",
        "source_keys": build.source.key,
        "text_en": upload("sample.pdf"),
        "text_ru": upload("sample.docx"),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def soc(build, docs):
    docs.organization()
    body = build.body("soc", "senior_officials_committee", name_en="SOC", short_name_en="SOC")
    build.meeting("soc-5", body)
    return body


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_add_document_page_shows_its_form(officer, soc, language):
    response = officer.get("/documents/new/?meeting=soc-5", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = page(response)
    assert 'enctype="multipart/form-data"' in html
    assert 'name="text_en"' in html and 'name="text_ru"' in html
    assert 'value="soc-5"' in html  # preset from the meeting's page
    assert '<option value="soc" selected>' in html  # and its body
    if language == "ru":
        assert "Добавить документ" in html and "Текст (Английский)" in html
    else:
        assert "Add a document" in html and "Text in English" in html


def test_a_document_is_added_with_its_version_and_two_texts(officer, build, soc, media):
    response = officer.post("/documents/new/", new_document(build))
    assert response.status_code == 302, page(response)[-3000:]
    document = Document.objects.get()
    assert response["Location"] == f"/documents/{document.key}/"
    assert document.symbol == "EXO/SOC/2024/1"  # made from the pattern, its year
    assert (document.title_ru, document.access, document.public_from) == (
        "Декларация о диалоге", "restricted", dt.date(2030, 1, 1),
    )  # fmt: skip
    assert (document.body.slug, document.meeting.key) == ("soc", "soc-5")
    assert [c.source for c in document.citations.all()] == [build.source]
    version = document.versions.get()
    assert (version.number, str(version.date), version.note) == (
        1, "2024-06-03", "As agreed by the SOC.",
    )  # fmt: skip
    texts = {t.language: t for t in version.texts.all()}
    assert set(texts) == {"en", "ru"}
    assert texts["en"].media_type == "application/pdf"
    assert texts["ru"].media_type.endswith("wordprocessingml.document")
    assert len(stored_files(media)) == 2
    shown = page(officer.get(response["Location"]))
    assert "The document EXO/SOC/2024/1 is added." in shown


def test_one_text_or_none_is_enough(officer, build, soc):
    data = new_document(build, text_ru=None, text_en=None, symbol="EXO/OWN/1")
    assert officer.post("/documents/new/", data).status_code == 302
    assert Document.objects.get().symbol == "EXO/OWN/1"
    assert DocumentText.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"text_ru": upload("x.png", PNG)}, "text_ru", "Received a PNG image (named"),
        ({"text_en": upload("x.pdf", BROKEN_PDF)}, "text_en", "cannot be read as one"),
        ({"title_en": ""}, "title_en", "This field is required."),
        ({"meeting": "no-such-meeting"}, "meeting", "No meeting has the key no-such-meeting."),
        ({"source_keys": ""}, "source_keys", "Name where this comes from"),
        ({"version_date": "2024-13"}, "version_date", "not a real date"),
    ],
)
def test_a_refused_document_saves_nothing_and_leaves_no_file(
    officer, build, soc, media, changes, field, message
):
    """The other text was fine and stored first: it is gone too."""
    response = officer.post("/documents/new/", new_document(build, **changes))
    assert response.status_code == 422
    form = response.context["form"]
    assert any(message in str(e) for e in form.errors[field]), form.errors
    html = page(response)
    assert 'value="Декларация о диалоге"' in html or field == "title_ru"  # typed, kept
    assert "choose it again" in html  # files are not kept by the browser
    nothing_saved(media, documents=0)


def test_a_taken_symbol_is_refused_on_its_field(officer, build, soc, media, docs):
    docs.document("EXO/TAKEN/1")
    response = officer.post("/documents/new/", new_document(build, symbol="EXO/TAKEN/1"))
    assert response.status_code == 422
    assert response.context["form"].errors["symbol"] == [
        "A document with the symbol EXO/TAKEN/1 is on record already."
    ]
    assert 'value="EXO/TAKEN/1"' in page(response)
    nothing_saved(media, documents=1)


def test_a_refusal_after_the_texts_were_stored_removes_them(officer, build, soc, media):
    """The database refuses at the very end (here: the symbol taken meanwhile, after the
    form was checked): both stored texts are deleted with the rollback."""
    from secretariat.documents import officer_forms

    original = officer_forms.DocumentCreateForm.clean_symbol
    officer_forms.DocumentCreateForm.clean_symbol = lambda form: form.cleaned_data["symbol"]
    try:
        services.document_create(
            type="note", symbol="EXO/RACE/1", title_en="First", sources=[build.source]
        )
        response = officer.post("/documents/new/", new_document(build, symbol="EXO/RACE/1"))
    finally:
        officer_forms.DocumentCreateForm.clean_symbol = original
    assert response.status_code == 422
    assert "symbol" in response.context["form"].errors
    nothing_saved(media, documents=1)


def test_every_bad_file_is_named_at_once(officer, build, soc, media):
    data = new_document(build, text_en=upload("a.png", PNG), text_ru=upload("b.pdf", BROKEN_PDF))
    response = officer.post("/documents/new/", data)
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"text_en", "text_ru"}
    nothing_saved(media, documents=0)


def test_the_refusal_reads_in_russian(officer, build, soc, media):
    data = new_document(build, text_ru=upload("x.png", PNG))
    response = officer.post("/documents/new/", data, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 422
    assert "Получено: изображение PNG" in page(response)
    nothing_saved(media, documents=0)


# --- A version, and texts ---------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_version_and_text_pages_show_their_forms(officer, paper, language):
    for url in ("/documents/decl-1/versions/new/", "/documents/decl-1/versions/2/texts/new/"):
        response = officer.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        assert 'name="text_ru"' in page(response)
    title = "Добавить версию 3" if language == "ru" else "Add version 3 of EXO/DECL/2024/1"
    assert title in page(
        officer.get("/documents/decl-1/versions/new/", HTTP_ACCEPT_LANGUAGE=language)
    )


def test_the_document_page_offers_the_forms_to_officers(officer, client, paper):
    html = page(officer.get("/documents/decl-1/"))
    assert "/documents/decl-1/versions/new/?next=" in html
    assert "/documents/decl-1/circulate/?next=" in html
    assert "/documents/decl-1/versions/2/texts/new/" in html  # version 2 is open
    assert "/documents/decl-1/versions/1/texts/new/" not in html  # version 1 is fixed
    assert "/documents/new/" in page(officer.get("/documents/"))


def test_a_version_is_added_with_its_texts(officer, paper, media):
    data = {"date": "2024-06", "note": "Second reading.", "text_en": upload("sample.txt"),
            "text_ru": upload("sample.odt")}  # fmt: skip
    response = officer.post("/documents/decl-1/versions/new/", data)
    assert response.status_code == 302
    assert response["Location"] == "/documents/decl-1/#h-versions"
    version = paper.versions.get(number=3)
    assert (str(version.date), version.note) == ("2024-06", "Second reading.")
    assert sorted(version.texts.values_list("language", flat=True)) == ["en", "ru"]
    assert len(stored_files(media)) == 2


def test_a_refused_version_saves_nothing(officer, paper, media):
    data = {"note": "Kept", "text_en": upload("sample.txt"), "text_ru": upload("x.png", PNG)}
    response = officer.post("/documents/decl-1/versions/new/", data)
    assert response.status_code == 422
    assert "Received a PNG image" in str(response.context["form"].errors["text_ru"])
    assert "Kept</textarea>" in page(response)
    nothing_saved(media, documents=1, versions=2)


def test_a_text_is_added_to_an_open_version(officer, paper, media):
    url = "/documents/decl-1/versions/2/texts/new/"
    response = officer.post(url, {"text_ru": upload("sample.html")})
    assert response.status_code == 302
    assert paper.versions.get(number=2).texts.get().language == "ru"
    form = officer.get(url).context["form"]
    assert list(form.fields) == ["text_en"]  # Russian is on file now


@pytest.mark.parametrize(
    ("number", "data", "message"),
    [
        (1, {"text_en": upload("sample.txt")}, "Version 1 was circulated/adopted"),
        (2, {}, "Choose a file for at least one language."),
        (2, {"text_en": upload("e.txt", b"")}, "The submitted file is empty."),
    ],
)
def test_a_refused_text_saves_nothing(officer, paper, media, number, data, message):
    """A version circulated already is fixed; a form without a file adds nothing."""
    response = officer.post(f"/documents/decl-1/versions/{number}/texts/new/", data)
    assert response.status_code == 422
    assert message in page(response)
    nothing_saved(media, documents=1, versions=2)


def test_a_fixed_version_says_so_instead_of_a_form(officer, paper):
    response = officer.get("/documents/decl-1/versions/1/texts/new/")
    assert response.status_code == 200
    html = page(response)
    assert "its texts are fixed" in html and 'type="file"' not in html


# --- Circulation for feedback -----------------------------------------------------------


@pytest.fixture
def states(docs):
    return docs.members("alpha", "beta", "gamma")


def circulation(**changes) -> dict:
    data = {"version": "2", "date": "2024-06-03", "deadline": "2024-06-30", "note": "Round 2"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_circulation_page_shows_versions_by_number_and_date(officer, paper, states, language):
    response = officer.get("/documents/decl-1/circulate/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = page(response)
    version = "Версия 2 — 2 апреля 2024" if language == "ru" else "Version 2 — 2 April 2024"
    assert f'<option value="2" selected>{version}</option>' in html
    assert 'value="1"' not in html  # circulated already: not offered
    assert f'value="{timezone.localdate().isoformat()}"' in html  # today by default
    assert 'type="checkbox" name="recipients" value="alpha"' in html


def test_a_version_is_circulated_to_every_member_with_the_act_as_source(officer, paper, states):
    response = officer.post("/documents/decl-1/circulate/", circulation())
    assert response.status_code == 302, page(response)[-2000:]
    assert response["Location"] == "/documents/decl-1/#circulations"
    event = paper.events.get(kind="circulated", version__number=2)
    assert (str(event.date), event.deadline, event.note) == (
        "2024-06-03", dt.date(2024, 6, 30), "Round 2",
    )  # fmt: skip
    assert list(event.recipients.all()) == []  # none listed: every member state that day
    act = Act.objects.get(verb=Act.Verb.CIRCULATED, object_id=event.pk)
    assert act.via == "web"
    [cited] = [c.source for c in event.citations.all()]
    assert cited.title.startswith("Secretariat record: ")
    assert "is circulated, with feedback due by 30 June 2024" in page(
        officer.get("/documents/decl-1/")
    )


def test_a_circulation_to_chosen_states_with_a_source(officer, paper, states, build):
    data = circulation(recipients=["alpha", "gamma"], source_keys=build.source.key)
    assert officer.post("/documents/decl-1/circulate/", data).status_code == 302
    event = paper.events.get(kind="circulated", version__number=2)
    assert sorted(a.slug for a in event.recipients.all()) == ["alpha", "gamma"]
    assert build.source in [c.source for c in event.citations.all()]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"deadline": "2024-05-30"}, "deadline", "comes before the circulation"),
        ({"version": "1"}, "version", "This document has no open version 1"),
        ({"version": "99"}, "version", "This document has no open version 99"),
        ({"deadline": None}, "deadline", "This field is required."),
        ({"recipients": ["nobody"]}, "recipients", "Select a valid choice."),
        ({"source_keys": "no-such-source"}, "source_keys", "No source on record has the key"),
    ],
)
def test_a_refused_circulation_saves_nothing(officer, paper, states, changes, field, message):
    response = officer.post("/documents/decl-1/circulate/", circulation(**changes))
    assert response.status_code == 422
    assert any(message in str(e) for e in response.context["form"].errors[field])
    assert "Round 2</textarea>" in page(response)
    assert paper.events.filter(kind="circulated").count() == 1
    assert Act.objects.filter(verb=Act.Verb.CIRCULATED).count() == 1  # version 1's


def test_a_refusal_by_the_service_lands_on_the_form(officer, paper, states, docs):
    """The document was withdrawn meanwhile: its lifecycle refuses the circulation, whose
    act and source are not kept either."""
    services.document_event_upsert(
        document=paper, kind="withdrawn", date="2024-05-01", sources=docs.sources
    )
    response = officer.post("/documents/decl-1/circulate/", circulation())
    assert response.status_code == 422
    assert "cannot be circulated" in page(response)
    assert paper.events.filter(kind="circulated").count() == 1
    assert Source.objects.filter(title__startswith="Secretariat record").count() == 1  # v1's


# --- Who may use the forms --------------------------------------------------------------

URLS = [
    "/documents/new/",
    "/documents/{key}/versions/new/",
    "/documents/{key}/versions/2/texts/new/",
    "/documents/{key}/circulate/",
]


@pytest.mark.parametrize("role", [None, "public", "delegate"])
def test_only_officers_reach_the_forms(client, build, paper, role, media):
    """Anonymous visitors are sent to sign in, readers and delegates told the page is not
    theirs: the same for a document that exists and one that does not."""
    if role is not None:
        actor = build.actor("alpha") if role == "delegate" else None
        user = accounts.account_create(username="u", password=PASSWORD, role=role, actor=actor).user
        client.force_login(user)
    for key in ("decl-1", "no-such-document"):
        for url in (u.format(key=key) for u in URLS):
            get = client.get(url)
            post = client.post(url, {**circulation(), "text_en": upload("sample.txt")})
            for response in (get, post):
                assert response.status_code == (302 if role is None else 403), url
                if role is None:
                    assert response["Location"].startswith("/accounts/sign-in/")
    assert (Document.objects.count(), DocumentVersion.objects.count()) == (1, 2)
    assert stored_files(media) == []


def test_missing_records_answer_404_to_officers(officer, paper):
    for url in ("/documents/nothing/versions/new/", "/documents/nothing/circulate/",
                "/documents/decl-1/versions/9/texts/new/"):  # fmt: skip
        assert officer.get(url).status_code == 404


# --- The files of a write that fails ---------------------------------------------------


def test_files_stored_in_a_failed_block_are_deleted(docs, media):
    """Two texts stored, then a later step fails: both files go with the rollback; a block
    that succeeds keeps its files."""
    document = docs.document()
    version = docs.version(document)
    with pytest.raises(RuntimeError), services.files_kept_only_if_saved():
        docs.text(version, "en")
        docs.text(version, "ru", name="sample.pdf")
        assert len(stored_files(media)) == 2
        raise RuntimeError("a later step failed")
    assert stored_files(media) == [] and not DocumentText.objects.exists()
    with services.files_kept_only_if_saved():
        docs.text(version, "en")
    assert len(stored_files(media)) == 1


def test_an_inner_block_that_succeeded_hands_its_files_to_the_outer(docs, media):
    document = docs.document()
    with pytest.raises(RuntimeError), services.files_kept_only_if_saved():
        services.version_create_with_texts(
            document=document, texts={"en": upload("sample.txt"), "ru": upload("sample.odt")}
        )
        assert len(stored_files(media)) == 2
        raise RuntimeError("after the version was saved")
    assert stored_files(media) == [] and not DocumentVersion.objects.exists()


def test_texts_upload_names_each_refused_text(docs, media):
    version = docs.version(docs.document())
    texts = {"en": upload("sample.txt"), "ru": upload("x.png", PNG)}
    with pytest.raises(Exception) as refused:
        services.texts_upload(version=version, texts=texts)
    assert list(refused.value.message_dict) == ["text_ru"]
    assert stored_files(media) == [] and not DocumentText.objects.exists()
