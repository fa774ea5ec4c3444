"""Next-step checklists: ordered steps on a record, moved along with sources."""

import pytest
from django.core.exceptions import ValidationError

from secretariat.checklists import selectors, services
from secretariat.checklists.models import NextStep
from secretariat.core.models import AccessLevel
from secretariat.documents import services as documents

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(build):
    return documents.document_create(
        key="hca-amendments", symbol="X/1", type="agreement", title_en="HCA amendments",
        sources=[build.source],
    )  # fmt: skip


@pytest.fixture
def steps(build, document):
    kz = build.actor("kazakhstan")
    services.checklist_set(
        subject=document,
        steps=[
            {"title_en": "Decree of the Government", "responsible": kz,
             "sources": [build.source]},
            {"title_en": "Signing", "responsible_text_en": "Secretary General",
             "sources": [build.source]},
            {"title_en": "Ratification by Parliament", "responsible": kz,
             "sources": [build.source]},
        ],
    )  # fmt: skip
    return selectors.checklist(document)


def test_steps_keep_their_order_and_progress(steps):
    """Steps come back in order; progress counts done out of planned."""
    assert [s.title_en for s in steps] == [
        "Decree of the Government",
        "Signing",
        "Ratification by Parliament",
    ]
    assert selectors.progress(steps).label == "0 of 3 steps done"
    assert selectors.next_pending(steps).position == 1


def test_moving_a_step_to_done_needs_its_date_and_cites_why(build, steps, document):
    """A step is done on a date, with a source; a dropped step leaves the count."""
    with pytest.raises(ValidationError, match="Say when the step was done"):
        services.next_step_move(step=steps[0], status="done", sources=[build.source])
    services.next_step_move(step=steps[0], status="done", done="2024-11", sources=[build.source])
    services.next_step_move(step=steps[1], status="dropped", sources=[build.source])
    fresh = selectors.checklist(document)
    assert [s.status for s in fresh] == ["done", "dropped", "pending"]
    assert str(fresh[0].done) == "2024-11"
    assert selectors.progress(fresh).label == "1 of 2 steps done"
    assert selectors.next_pending(fresh).position == 3


def test_impossible_moves_are_refused(build, steps):
    """A dropped step cannot be marked done without reopening it."""
    services.next_step_move(step=steps[1], status="dropped", sources=[build.source])
    with pytest.raises(ValidationError, match="A step that is dropped cannot become done"):
        services.next_step_move(step=steps[1], status="done", done="2024", sources=[build.source])


def test_setting_the_checklist_again_changes_nothing(build, steps, document):
    """A loader setting the same steps twice reports them unchanged; fewer steps trim it."""
    kz = steps[0].responsible
    same = [
        {"title_en": s.title_en, "responsible": s.responsible,
         "responsible_text_en": s.responsible_text_en, "sources": [build.source]}
        for s in steps
    ]  # fmt: skip
    assert {o.value for o in services.checklist_set(subject=document, steps=same)} == {"unchanged"}
    services.checklist_set(subject=document, steps=same[:2])
    assert NextStep.objects.count() == 2
    assert kz is not None


def test_api_lists_steps_and_hides_unreadable_documents(client, steps, document):
    """The document's next steps are served with progress; a confidential one is a 404."""
    data = client.get("/api/v1/documents/hca-amendments/next-steps").json()
    assert data["progress"] == "0 of 3 steps done"
    assert data["steps"][1]["responsible_text"] == "Secretary General"
    assert data["steps"][0]["responsible"]["slug"] == "kazakhstan"
    documents.document_update(document=document, access=AccessLevel.CONFIDENTIAL)
    response = client.get("/api/v1/documents/hca-amendments/next-steps")
    assert response.status_code == 404
