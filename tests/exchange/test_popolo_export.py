"""The Popolo export: valid against the official schemas, true to the record, as of a date,
and never showing a user what that user may not read."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from jsonschema import Draft3Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from secretariat.bodies.models import Meeting
from secretariat.exchange import popolo
from secretariat.exchange.formats import FORMATS
from secretariat.registry.models import Chairmanship, SecretariatHead, Status

pytestmark = pytest.mark.django_db
STANDARDS = Path(__file__).parents[1] / "standards" / "popolo"
KINDS = {
    "organizations": "organization",
    "memberships": "membership",
    "posts": "post",
    "persons": "person",
    "events": "event",
}
FAR = dt.date(2100, 1, 1)


def popolo_registry() -> Registry:
    """The vendored draft-03 schemas under their own ids: a $ref never reaches the network
    (an id missing here is unresolvable, not fetched)."""
    resources = []
    for path in sorted((STANDARDS / "schemas").glob("*.json")):
        contents = json.loads(path.read_text())
        uri = contents["id"].rstrip("#")
        resources.append((uri, Resource.from_contents(contents, default_specification=DRAFT3)))
    return Registry().with_resources(resources)


REGISTRY = popolo_registry()


def validator(kind: str) -> Draft3Validator:
    schema = json.loads((STANDARDS / "schemas" / f"{kind}.json").read_text())
    return Draft3Validator(schema, registry=REGISTRY, format_checker=Draft3Validator.FORMAT_CHECKER)


def schema_errors(doc: dict) -> list[str]:
    """Every way the document's entities break their Popolo schemas, with where."""
    errors = []
    for collection, kind in KINDS.items():
        check = validator(kind)
        for i, entity in enumerate(doc[collection]):
            errors += [f"/{collection}/{i}: {e.message}" for e in check.iter_errors(entity)]
    return errors


def export(*, at=FAR, user=None) -> dict:
    return json.loads(popolo.render(at=at, user=user or AnonymousUser()))


@pytest.fixture(scope="module")
def cica_doc(cica, django_db_blocker):
    with django_db_blocker.unblock():
        return export()


# --- The CICA record ------------------------------------------------------------------


def test_every_entity_validates_against_the_popolo_schemas(cica_doc):
    """Each organization, membership, post, person and event of the CICA export is valid."""
    assert all(cica_doc[c] for c in KINDS), {c: len(cica_doc[c]) for c in KINDS}
    assert schema_errors(cica_doc) == []


def test_the_validation_would_catch_a_broken_entity():
    """The check itself fails on what the schemas forbid (a date not ISO, a link without url)."""
    broken = {c: [] for c in KINDS}
    broken["memberships"] = [{"id": "x", "start_date": "13 October 2022"}]
    broken["events"] = [{"id": "y", "sources": [{"note": "no url"}]}]
    assert len(schema_errors(broken)) == 2


def test_kuwait_is_a_member_from_2022(cica_doc):
    """A researcher finds Kuwait's member membership starting in 2022, with ISO codes."""
    kuwait = next(o for o in cica_doc["organizations"] if o["id"] == "actor/kuwait")
    assert {"scheme": "ISO 3166-1 alpha-2", "identifier": "KW"} in kuwait["identifiers"]
    assert {"name": "Кувейт", "lang": "ru", "note": "name in Russian"} in kuwait["other_names"]
    member = [
        m
        for m in cica_doc["memberships"]
        if m.get("member", {}).get("id") == "actor/kuwait" and m["role"] == "member"
    ]
    assert [m["start_date"][:4] for m in member] == ["2022"]
    assert member[0]["organization_id"] == "cica"
    assert all(s["url"].startswith("http") for s in member[0]["sources"])


def test_chair_memberships_match_the_chairmanships(cica_doc):
    """One chair membership per chairmanship, with the state, the start and the end."""
    exported = sorted(
        (m["member"]["id"], m["start_date"], m.get("end_date"))
        for m in cica_doc["memberships"]
        if m["role"] == "chair"
    )
    recorded = sorted(
        (f"actor/{c.actor.slug}", c.start.isoformat(), c.end.isoformat() if c.end else None)
        for c in Chairmanship.objects.select_related("actor")
    )
    assert exported == recorded and len(recorded) > 5
    chair_posts = [p for p in cica_doc["posts"] if p["id"] == "post/chair"]
    assert chair_posts == [
        {"id": "post/chair", "label": "Chair", "organization_id": "cica", "role": "chair"}
    ]


def test_statuses_and_heads_are_memberships(cica_doc):
    """Every status and every head of the Secretariat is there, heads as persons in a post."""
    roles = [m["role"] for m in cica_doc["memberships"]]
    assert len([r for r in roles if r != "chair"]) == (
        Status.objects.count() + SecretariatHead.objects.count()
    )
    assert {"member", "observer", "partner"} <= set(roles)
    heads = [m for m in cica_doc["memberships"] if m.get("post_id") == "post/head-of-secretariat"]
    persons = {p["id"] for p in cica_doc["persons"]}
    assert heads and {h["person_id"] for h in heads} == persons
    assert {h["role"] for h in heads} == {"Executive Director", "Secretary General"}


def test_meetings_are_events_of_their_bodies(cica_doc):
    """As many events as meetings, each organized by a body exported beside it."""
    events = cica_doc["events"]
    assert len(events) == Meeting.objects.count()
    bodies = {o["id"] for o in cica_doc["organizations"] if o["id"].startswith("body/")}
    assert {e["organization_id"] for e in events} <= bodies
    summit = next(e for e in events if e["id"] == "meeting/summit-6")
    assert summit["start_date"] == "2022-10-12" and summit["status"] == "held"
    assert summit["location"] == "Astana, Kazakhstan"
    assert {"scheme": "ordinal", "identifier": "6"} in summit["identifiers"]


def test_bodies_hang_under_the_organization(cica_doc):
    """Every body's parent is the organization or another exported body."""
    ids = {o["id"] for o in cica_doc["organizations"]}
    bodies = [o for o in cica_doc["organizations"] if o["id"].startswith("body/")]
    assert bodies and all(b["parent_id"] in ids for b in bodies)
    org = next(o for o in cica_doc["organizations"] if o["id"] == "cica")
    assert org["founding_date"] == "1992-10-05"
    assert {"name": "CICA", "lang": "en", "note": "short name in English"} in org["other_names"]


def test_two_exports_are_byte_identical(cica):
    """Sorted keys and ids: the same record gives the same bytes, also through formats."""
    first, second = io.BytesIO(), io.BytesIO()
    FORMATS["popolo"].export(first, at=FAR, user=AnonymousUser())
    FORMATS["popolo"].export(second, at=FAR, user=AnonymousUser())
    assert first.getvalue() == second.getvalue()
    doc = json.loads(first.getvalue())
    for collection in KINDS:
        ids = [e["id"] for e in doc[collection]]
        assert ids == sorted(ids) and len(set(ids)) == len(ids)


def test_nothing_that_begins_after_the_date(cica):
    """As of 1 January 2010: no Kuwait, no later meeting, and Kazakhstan's chairmanship
    (which ended on 8 June 2010) without its end, not yet known then."""
    doc = export(at=dt.date(2010, 1, 1))
    assert schema_errors(doc) == []
    assert "actor/kuwait" not in {o["id"] for o in doc["organizations"]}
    assert all(e["start_date"] <= "2010-01-01" for e in doc["events"])
    assert all(m["start_date"] <= "2010-01-01" for m in doc["memberships"])
    chair = [m for m in doc["memberships"] if m["id"].startswith("chair/kazakhstan/")]
    assert len(chair) == 1 and "end_date" not in chair[0]
    members = {o["id"] for o in doc["organizations"]}
    assert all(m.get("member", {}).get("id", "cica") in members for m in doc["memberships"])


def test_the_api_answers_the_same_bytes(client, cica):
    """GET /api/v1/exports/popolo.json?at= gives exactly the export for that user."""
    response = client.get("/api/v1/exports/popolo.json", {"at": "2016-06-01"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.content == popolo.render(at=dt.date(2016, 6, 1), user=AnonymousUser())


def test_the_api_refuses_a_bad_date_with_a_problem(client, db):
    response = client.get("/api/v1/exports/popolo.json", {"at": "2016-13-01"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "at" in response.json()["detail"]
