"""Services of the programme: upserts on natural keys and their refusals, with messages."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from secretariat.programme import services as programme
from secretariat.programme.models import CoordinatorRole, Quotation, Review, Task
from secretariat.records.services import Outcome

pytestmark = pytest.mark.django_db


def test_area_added_by_a_decision_keeps_its_date_meeting_and_document(world):
    """An area added later carries when, where and by what it was added."""
    assert str(world.health.added_on) == "2021-01"
    assert world.health.added_at == world.soc
    assert world.health.added_by == world.decision


def test_an_area_number_cannot_repeat_in_an_edition(world):
    """Adding an area under a number the edition already has is refused."""
    with pytest.raises(ValidationError, match="already has an area with the number 1"):
        programme.area_add(
            edition=world.edition, number=1, dimension=world.human, title_en="Other",
            sources=world.src,
        )  # fmt: skip
    area = programme.area_add(
        edition=world.edition, number=3, dimension=world.human, title_en="Other",
        sources=world.src,
    )  # fmt: skip
    assert area.number == 3


def test_role_upsert_is_idempotent_on_its_natural_key(world):
    """The same role recorded twice is unchanged; a new end updates it."""
    world.role(world.trade, world.alpha, "coordinator", "2021-10")
    _, outcome = programme.coordinator_role_upsert(
        area=world.trade, actor=world.alpha, role="coordinator", start="2021-10",
        sources=world.src,
    )  # fmt: skip
    assert outcome is Outcome.UNCHANGED
    _, outcome = programme.coordinator_role_upsert(
        area=world.trade, actor=world.alpha, role="coordinator", start="2021-10", end="2024",
        sources=world.src,
    )  # fmt: skip
    assert outcome is Outcome.UPDATED
    assert CoordinatorRole.objects.count() == 1


def test_overlapping_roles_of_the_same_state_are_refused(world):
    """A state cannot hold the same role on the same area twice at once."""
    world.role(world.trade, world.alpha, "coordinator", "2018", "2022-01")
    with pytest.raises(ValidationError, match="already coordinator of this area from 2018"):
        world.role(world.trade, world.alpha, "coordinator", "2021-06")
    # back to back, another role, or another state: accepted
    world.role(world.trade, world.alpha, "coordinator", "2022-01")
    world.role(world.trade, world.alpha, "co_coordinator", "2020")
    world.role(world.trade, world.beta, "coordinator", "2020")


def test_a_role_cannot_end_before_it_starts(world):
    with pytest.raises(ValidationError, match=r"The end must not come before the start\."):
        world.role(world.trade, world.alpha, "coordinator", "2021-06", "2020")


def test_a_role_must_be_known(world):
    with pytest.raises(ValidationError, match="'chair' is not a role"):
        world.role(world.trade, world.alpha, "chair", "2021")


def test_a_task_status_must_be_in_the_list(world):
    """A task status outside pending, in progress, done, dropped is refused."""
    world.roadmap()
    with pytest.raises(ValidationError, match="'finished' is not a task status"):
        programme.task_upsert(
            cluster=world.charter, position=9, title_en="X", status="finished", sources=world.src
        )
    assert Task.objects.filter(position=9).count() == 0


def test_a_state_cannot_both_lead_and_contribute(world):
    world.roadmap()
    with pytest.raises(ValidationError, match="either leads a task or contributes"):
        programme.task_upsert(
            cluster=world.rules, position=2, title_en="X", lead_states=[world.alpha],
            contributing_states=[world.alpha], sources=world.src,
        )  # fmt: skip


def test_review_is_matched_by_date_and_links_documents(world):
    review, outcome = programme.review_upsert(date="2022-06", sources=world.src)
    assert outcome is Outcome.CREATED
    _, outcome = programme.review_upsert(
        date="2022-06", documents=[world.guidelines], sources=world.src
    )
    assert outcome is Outcome.UPDATED
    assert list(review.documents.all()) == [world.guidelines]
    assert Review.objects.count() == 1


def test_every_record_needs_a_source(world):
    with pytest.raises(ValidationError, match="at least one source"):
        programme.review_upsert(date="2023-04", sources=[])


def test_quotation_is_matched_by_speaker_date_and_first_words(world):
    """Correcting the end of a quotation updates it instead of adding another."""
    words = "We propose to start the transformation of the Conference into a full-fledged org"
    q, _ = programme.quotation_upsert(
        text_en=words + "anization.", speaker_en="The President", date="2019-06-15",
        topic="transformation", sources=world.src,
    )  # fmt: skip
    again, outcome = programme.quotation_upsert(
        text_en=words + "anisation!", speaker_en="The President", date="2019-06-15",
        topic="transformation", sources=world.src,
    )  # fmt: skip
    assert (again.pk, outcome) == (q.pk, Outcome.UPDATED)
    programme.quotation_upsert(
        text_en=words, speaker_en="The President", date="2022-10-13", topic="transformation",
        sources=world.src,
    )  # fmt: skip
    assert Quotation.objects.count() == 2


def test_edition_cannot_link_its_own_document(world):
    with pytest.raises(ValidationError, match="its own document"):
        programme.edition_document_link(
            edition=world.edition, document=world.new, sources=world.src
        )
