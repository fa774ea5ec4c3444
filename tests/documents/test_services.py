"""Writes about documents: symbols, updates, versions and their immutability,
relations, circulation and feedback."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from secretariat.documents import services
from secretariat.documents.models import DocumentEvent, DocumentText

from .conftest import upload

pytestmark = pytest.mark.django_db
K = DocumentEvent.Kind
LOCKED = "Version 1 was circulated/adopted and cannot change: make a new version."


# --- Documents and symbols -------------------------------------------------------------


def test_symbols_are_made_from_the_pattern_with_the_next_number(docs, build):
    """Without a symbol, a document gets the organization's pattern, numbered per prefix;
    its key is made from the symbol."""
    docs.organization()
    soc = build.body("soc", kind="senior_officials_committee", short_name_en="SOC")
    first = services.document_create(
        type="report", title_en="A", body=soc, year=2021, sources=docs.sources
    )
    second = services.document_create(
        type="report", title_en="B", body=soc, year=2021, sources=docs.sources
    )
    other_year = services.document_create(
        type="report", title_en="C", body=soc, year=2022, sources=docs.sources
    )
    assert (first.symbol, first.key) == ("EXO/SOC/2021/1", "exo-soc-2021-1")
    assert second.symbol == "EXO/SOC/2021/2"
    assert other_year.symbol == "EXO/SOC/2022/1"


def test_a_body_without_short_name_is_named_by_its_slug_and_type_can_be_in_the_pattern(docs, build):
    """{body} falls back to the slug in capitals; {type} is the document type."""
    docs.organization(symbol_pattern="{org}/{body}/{type}/{year}/{seq}")
    fund = build.body("fund", kind="institution")
    meeting = build.meeting("fund-1", fund)
    document = services.document_create(
        type="plan_of_action", title_en="Plan", meeting=meeting, year=2020, sources=docs.sources
    )
    assert document.symbol == "EXO/FUND/PLAN-OF-ACTION/2020/1"


def test_a_symbol_cannot_be_made_without_the_organization(docs, build):
    """Before the organization is recorded, a document needs its symbol given."""
    with pytest.raises(ValidationError, match="none can be made before the organization"):
        services.document_create(
            type="report", title_en="A", body=build.body(), sources=docs.sources
        )


def test_symbols_are_unique(docs):
    """A second document with a symbol already taken is refused."""
    docs.document("EXO/1", key="first")
    with pytest.raises(ValidationError) as refused:
        docs.document("EXO/1", key="second")
    assert "symbol" in refused.value.message_dict


def test_a_document_needs_a_source(docs):
    """Every record cites at least one source."""
    with pytest.raises(ValidationError, match="at least one source"):
        services.document_create(symbol="X/1", type="report", title_en="A", sources=[])


def test_update_changes_titles_and_access_but_never_the_symbol(docs):
    """Titles and access change; the symbol and key are identifiers and are refused."""
    document = docs.document("EXO/1")
    services.document_update(document=document, title_ru="Декларация", access="restricted")
    document.refresh_from_db()
    assert (document.title_ru, document.access) == ("Декларация", "restricted")
    with pytest.raises(ValidationError, match="symbol and key never change"):
        services.document_update(document=document, symbol="EXO/2")


def test_a_new_type_must_fit_the_lifecycle_on_record(docs):
    """A declaration signed straight from draft cannot become an agreement, which is
    signed only once agreed."""
    document = docs.document()
    docs.event(document, K.DRAFTED, "2021-01-01")
    docs.event(document, K.SIGNED, "2021-02-01")
    with pytest.raises(ValidationError, match="is signed only once agreed or adopted"):
        services.document_update(document=document, type="agreement")
    document.refresh_from_db()
    assert document.type == "declaration"


def test_upsert_is_idempotent_for_loaders(docs):
    """Upserting the same document twice creates it once and then changes nothing."""
    values = dict(key="d", symbol="EXO/D", type="report", title_en="D", sources=docs.sources)
    _, first = services.document_upsert(**values)
    _, again = services.document_upsert(**values)
    assert (first.value, again.value) == ("created", "unchanged")


# --- Relations -------------------------------------------------------------------------


def test_relations_are_typed_and_not_to_itself(docs):
    """A document amends another; it cannot relate to itself."""
    old, new = docs.document(), docs.document()
    relation, outcome = services.relation_add(
        from_document=new, kind="amends", to_document=old, sources=docs.sources
    )
    assert (relation.kind, outcome.value) == ("amends", "created")
    assert list(old.related_from.values_list("from_document__symbol", flat=True)) == [new.symbol]
    with pytest.raises(ValidationError, match="cannot relate to itself"):
        services.relation_add(
            from_document=old, kind="supersedes", to_document=old, sources=docs.sources
        )


# --- Versions --------------------------------------------------------------------------


def test_versions_are_numbered_in_order_and_copy_nothing(docs):
    """A new version takes the next number and starts without texts."""
    document = docs.document()
    first = docs.version(document, date="2021-01", note="First draft")
    docs.text(first)
    second = docs.version(document)
    assert (first.number, second.number) == (1, 2)
    assert str(first.date) == "2021-01"
    assert second.texts.count() == 0 and second.note == ""


@pytest.mark.parametrize("kind", [K.CIRCULATED, K.ADOPTED, K.SIGNED])
def test_a_circulated_or_adopted_version_is_immutable(docs, kind):
    """Once circulated or decided on, a version refuses a new text and any edit; the
    change is a new version, and the old one is kept as it was."""
    document = docs.document()
    version = docs.version(document, note="as circulated")
    docs.text(version, "en")
    docs.event(document, kind, "2021-03-01", version=version)
    with pytest.raises(ValidationError) as refused:
        docs.text(version, "ru")
    assert refused.value.messages == [LOCKED]
    with pytest.raises(ValidationError) as refused:
        services.version_update(version=version, note="changed")
    assert refused.value.messages == [LOCKED]
    version.refresh_from_db()
    assert version.note == "as circulated"
    assert [t.language for t in version.texts.all()] == ["en"]
    newer = docs.version(document, note="revised")
    docs.text(newer, "ru")
    assert newer.number == 2


def test_a_draft_version_can_be_edited(docs):
    """Before circulation, a version's note and date may change."""
    version = docs.version(docs.document())
    services.version_update(version=version, note="corrected", date="2021-05-04")
    version.refresh_from_db()
    assert (version.note, str(version.date)) == ("corrected", "2021-05-04")


@pytest.mark.raw_writes("makes a bare procedure row: only the version's lock is tested here")
def test_a_version_before_a_decision_procedure_is_locked(docs, build):
    """A version put to a consensus procedure is fixed too."""
    document = docs.document()
    version = docs.version(document)
    meeting = build.meeting("council-1")
    procedure = apps.get_model("decisions", "Procedure")
    procedure.objects.create(
        version=version, body=meeting.body, kind="meeting", meeting=meeting,
        opened_at=timezone.now(),
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        docs.text(version)
    assert refused.value.messages == [LOCKED]


def test_a_text_is_never_replaced(docs):
    """A second English text for the same version is refused: nothing is overwritten."""
    version = docs.version(docs.document())
    docs.text(version, "en")
    with pytest.raises(ValidationError, match="a text is never replaced"):
        docs.text(version, "en", name="sample.html")
    assert DocumentText.objects.get().media_type == "text/plain"


def test_a_text_in_a_language_not_kept_is_refused(docs):
    """Texts are kept in the organization's languages."""
    version = docs.version(docs.document())
    with pytest.raises(ValidationError, match="'fr' is not one of the languages kept: en, ru"):
        docs.text(version, "fr")


# --- Circulation and feedback ----------------------------------------------------------


def test_circulating_writes_a_dated_event_with_deadline_and_recipients(docs):
    """A circulation is a lifecycle event of the version, with its deadline and list."""
    _, beta = docs.members("alpha", "beta")
    document = docs.document()
    event = docs.circulate(document, recipients=[beta])
    assert (event.kind, event.deadline, event.version.number) == (
        "circulated",
        dt.date(2021, 3, 31),
        1,
    )
    assert list(event.recipients.all()) == [beta]


def test_circulation_refuses_a_deadline_before_it_and_a_finished_document(docs):
    """The deadline comes after the circulation; an adopted document is not circulated."""
    document = docs.document()
    with pytest.raises(ValidationError, match="comes before the circulation"):
        docs.circulate(document, date="2021-03-01", deadline=dt.date(2021, 2, 1))
    docs.event(document, K.ADOPTED, "2021-01-15")
    with pytest.raises(ValidationError, match="A document that is adopted cannot be circulated"):
        docs.circulate(document)


def test_feedback_is_recorded_with_who_entered_it(docs, django_user_model):
    """A state's feedback keeps its date, text, file and the officer who entered it."""
    (alpha,) = docs.members("alpha")
    circulation = docs.circulate(docs.document())
    officer = django_user_model.objects.create_user("officer")
    feedback = docs.feedback(
        circulation, alpha, text="Comments attached.", file=upload("sample.pdf"),
        entered_by=officer,
    )  # fmt: skip
    assert (feedback.entered_by, feedback.text) == (officer, "Comments attached.")
    assert feedback.file.name.endswith(".pdf")


def test_feedback_refusals(docs, build):
    """Feedback comes from a recipient, after the circulation, with a text or a file."""
    alpha, beta = docs.members("alpha", "beta")
    outsider = build.actor("outsider")
    circulation = docs.circulate(docs.document(), recipients=[alpha])
    with pytest.raises(ValidationError, match="Beta was not among those"):
        docs.feedback(circulation, beta)
    with pytest.raises(ValidationError, match="Outsider was not among those"):
        docs.feedback(circulation, outsider)
    with pytest.raises(ValidationError, match="cannot come before the circulation"):
        docs.feedback(circulation, alpha, received_on=dt.date(2021, 2, 1))
    with pytest.raises(ValidationError, match="needs its text or its file"):
        docs.feedback(circulation, alpha, text="  ")
    assert not circulation.feedback.exists()
