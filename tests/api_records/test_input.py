"""Bad input is refused with 422 naming the field and why, never a crash, and nothing of
the refused write is kept."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from secretariat.bodies.models import Body, BodyEvent, Meeting
from secretariat.initiatives.models import Initiative
from secretariat.records.kinds import kinds
from secretariat.registry.models import Status

from .conftest import BASE

pytestmark = pytest.mark.django_db


def _where(response) -> list[str]:
    """The field each error names: the body's field, or the parameter."""
    assert response.status_code == 422, (response.status_code, response.content)
    assert response["Content-Type"] == "application/problem+json"
    fields = []
    for error in response.json()["errors"]:
        loc = error["loc"]
        fields.append(loc[loc.index("payload") + 1] if "payload" in loc else (loc or [""])[-1])
    return fields


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"kind": "emperor"}, "kind", "'member'"),  # outside the choices
        ({"actor": 987654}, "actor", "valid choice"),  # no such actor
        ({"start": "2021-13"}, "start", "not a real date"),  # a month that is none
        ({"start": "June 2021"}, "start", "pattern"),  # not a partial date at all
        ({"end": "1999"}, "end", "must come after the start"),  # the record's own rule
        ({"colour": "red"}, "colour", "Extra inputs"),  # a field it does not have
        ({"kind": None}, "kind", ""),  # null for a required value
        ({"decided_at": "soc-1"}, "decided_at", "integer"),  # a key for an id
    ],
)
def test_a_bad_value_is_refused_naming_its_field(world, officer, change, field, words):
    status = Status.objects.get(actor=world.alpha)
    response = officer.patch(f"/registry/status/{status.pk}", change, etag='"v1"')
    assert field in _where(response)
    assert words in response.json()["detail"]
    assert Status.objects.get(pk=status.pk).version == 1


def test_a_new_record_lacking_a_required_field_or_a_source_is_refused(world, officer):
    missing = officer.post("/bodies/body-event", {"body": world.body.pk, "date": "1999",
                                                  "sources": [world.source.key]})  # fmt: skip
    assert _where(missing) == ["kind"]
    unknown = officer.post("/bodies/body-event", {"body": world.body.pk, "kind": "established",
                                                  "date": "1999", "sources": ["nope"]})  # fmt: skip
    assert _where(unknown) == ["sources"]
    assert not BodyEvent.objects.exists()  # the event was not kept without its source


def test_numbers_links_and_ids_the_database_cannot_hold_are_refused(world, officer):
    """Out of a column's range, a link to no record, an id beyond any: 422, not a crash."""
    too_big = officer.post(
        "/bodies/meeting",
        {"body": world.body.pk, "key": "soc-9", "ordinal": 40000, "sources": [world.source.key]},
    )
    assert _where(too_big) == ["ordinal"]
    links = officer.post(
        "/initiatives/initiative",
        {
            "slug": "forum",
            "title_en": "Forum",
            "meetings": [world.meeting.pk, 987654],
            "sources": [world.source.key],
        },
    )
    assert _where(links) == ["meetings"]
    assert not Initiative.objects.exists()
    huge = officer.get("/registry/status/99999999999999999999999")
    assert _where(huge) == ["status_id"]
    assert officer.get("/registry/status?offset=-1").status_code == 422
    assert officer.get("/registry/status?limit=100000").status_code == 422  # fmt: skip


def test_a_duplicate_key_is_refused_by_the_unique_rule(world, officer):
    response = officer.post("/bodies/meeting", {"body": world.body.pk, "key": "soc-1",
                                                "sources": [world.source.key]})  # fmt: skip
    assert _where(response) == ["key"]
    assert "already exists" in response.json()["detail"]
    assert Meeting.objects.filter(key="soc-1").count() == 1


def test_deleting_a_record_others_need_is_refused_with_what_needs_it(world, officer):
    response = officer.delete(f"/bodies/body/{world.body.pk}", etag=f'"v{world.body.version}"')
    assert response.status_code == 422, response.json()
    assert response.json()["detail"] == "This body cannot be deleted: meetings still refer to it."
    assert Body.objects.filter(pk=world.body.pk).exists()


def test_a_body_that_is_not_json_is_refused(world, officer):
    status = Status.objects.get(actor=world.alpha)
    response = officer.client.patch(
        f"{BASE}/registry/status/{status.pk}", "{not json", content_type="application/json",
        HTTP_IF_MATCH='"v1"', **officer.auth,
    )  # fmt: skip
    assert 400 <= response.status_code < 500
    assert Status.objects.get(pk=status.pk).version == 1


def test_a_database_refusal_never_escapes_as_a_crash(world, officer, monkeypatch):
    """Should the database refuse what the checks let through (a race), the answer is 422
    with the constraint's own message, and the transaction leaves nothing behind."""
    kind = next(k for k in kinds() if k.label == "registry.status")

    def refused(request, obj, form, change):
        obj.save()
        raise IntegrityError('CHECK constraint failed: "status_end_not_before_start"')

    monkeypatch.setattr(kind.admin, "save_model", refused)
    response = officer.post(
        "/registry/status",
        {
            "actor": world.omega.pk,
            "kind": "partner",
            "start": "2021",
            "sources": [world.source.key],
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "The end must not come before the start."
    assert not Status.objects.filter(actor=world.omega, kind="partner").exists()


@pytest.mark.parametrize("value", [[["member"]], {"member": 1}, "member", [], ["emperor"]])
def test_a_list_of_kinds_takes_only_a_flat_list_of_known_kinds(world, officer, value):
    """A JSON column holding a list is typed as one: nesting never reaches the rules."""
    response = officer.post(
        "/registry/ordinal-series",
        {"slug": "n", "label_en": "N", "actor_kind": "state", "status_kinds": value},
    )
    assert "status_kinds" in _where(response)
