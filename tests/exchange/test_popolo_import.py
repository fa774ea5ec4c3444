"""The Popolo import: the specification's examples, matching by ids and identifiers,
idempotence, refusals that keep nothing, and an audit trail that says where it came from."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secretariat.audit.models import AuditEntry
from secretariat.bodies.models import Body, Meeting
from secretariat.core.models import Organization, Source
from secretariat.exchange import popolo
from secretariat.exchange.popolo_import import import_data, sniff
from secretariat.exchange.safe import ImportRefused, read_json
from secretariat.registry.models import Actor, Chairmanship, Person, SecretariatHead, Status

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).parents[1] / "standards" / "popolo" / "examples"
FAR = dt.date(2100, 1, 1)


def rows() -> dict[str, int]:
    """How many rows every table of ours holds (the audit trail and sources included)."""
    return {
        m._meta.label: m._base_manager.count()
        for m in apps.get_models()
        if m._meta.app_config.name.startswith("secretariat.")
    }


def doc(**collections) -> dict:
    """A Popolo document with the organization and a state, plus what the test adds."""
    base = {
        "organizations": [
            {"id": "exo", "name": "Example Organization", "classification": "organization",
             "other_names": [{"name": "EXO", "lang": "en", "note": "short name"}]},
            {"id": "actor/alpha", "name": "Alpha", "classification": "state",
             "identifiers": [{"scheme": "ISO 3166-1 alpha-2", "identifier": "XA"}]},
            {"id": "body/council", "name": "Council", "classification": "ministerial council",
             "parent_id": "exo"},
        ],
        "memberships": [
            {"id": "m1", "member": {"@type": "Organization", "id": "actor/alpha"},
             "organization_id": "exo", "role": "member", "start_date": "1990-03-01"},
        ],
    }  # fmt: skip
    for key, items in collections.items():
        base[key] = base.get(key, []) + items
    return base


# --- The specification's own examples ----------------------------------------------------


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_every_example_of_the_specification_imports(path):
    """Each example is Popolo, imports without error, and says what it kept or skipped."""
    data = json.loads(path.read_text())
    assert sniff(data)
    summary = import_data(data, name=path.name)
    kept = summary.total("created") + summary.total("updated")
    assert kept + summary.total("skipped") > 0, summary
    assert str(summary).startswith(f"{path.name}: Popolo")


def test_what_the_examples_become():
    """An organization becomes an actor citing its file; a parliament's event, a motion
    or a vote are reported as skipped, with the reason."""
    summary = import_data(json.loads((EXAMPLES / "organization.json").read_text()), name="o.json")
    abc = Actor.objects.get(slug="abc-inc")
    assert (abc.name_en, abc.kind, str(abc.exists_from)) == (
        "ABC, Inc.",
        "organization",
        "1950-01-01",
    )
    assert [c.source.title for c in abc.citations.all()] == ["Popolo file o.json"]
    assert any("parent_id" in note for note in summary.notes), summary.notes
    event = import_data(json.loads((EXAMPLES / "event.json").read_text()), name="e.json")
    assert event.counts["events"]["skipped"] == 1 and not Meeting.objects.exists()
    assert any("parliament-of-canada" in note for note in event.notes), event.notes
    motion = import_data(json.loads((EXAMPLES / "motion.json").read_text()), name="m.json")
    assert motion.counts["motions"]["skipped"] == 1
    person = import_data(json.loads((EXAMPLES / "person.json").read_text()), name="p.json")
    assert person.counts["persons"]["skipped"] == 1 and not Person.objects.exists()


def test_metadata_sources_become_sources():
    """An entity's `sources` links are its sources, found again by address next time."""
    data = {"id": "union", "name": "Example Union", "classification": "international organization",
            "sources": [{"url": "http://example.org/union", "note": "Charter"}]}  # fmt: skip
    import_data(data, name="u.json")
    union = Actor.objects.get(slug="union")
    assert [(c.source.url, c.source.title) for c in union.citations.all()] == [
        ("http://example.org/union", "Charter")
    ]
    before = rows()
    again = import_data(data, name="u.json")
    assert rows() == before and again.total("created") + again.total("updated") == 0


@pytest.mark.parametrize(
    "data",
    [
        {"organizations": []},
        {"events": [], "meta": {"x": 1}},
        {"id": "x", "name": "Someone"},
        {"vote_event_id": "v", "voter_id": "p", "option": "yes"},
    ],
)
def test_sniff_knows_popolo(data):
    assert sniff(data)


@pytest.mark.parametrize(
    "data",
    [
        [],
        "organizations",
        {},
        {"id": "x"},
        {"format": "secretariat-dump", "version": 1, "tables": {}},
        {"organizations": "not a list"},
        {"name": "x", "favourite_colour": "green"},
    ],
)
def test_sniff_leaves_other_json_alone(data):
    assert not sniff(data)


# --- Into a record ------------------------------------------------------------------------


def test_a_document_becomes_the_record():
    """Organization, state, body, membership, chair, head and meeting, each through its
    service, audited as an import of the named file."""
    data = doc(
        memberships=[
            {"id": "c1", "member": {"@type": "Organization", "id": "actor/alpha"},
             "organization_id": "exo", "role": "chair", "label": "Chair (renewal)",
             "start_date": "1990-03-01", "end_date": "2002-06-10"},
            {"id": "h1", "person_id": "person/ann", "organization_id": "exo",
             "post_id": "post/head-of-secretariat", "role": "Executive Director",
             "start_date": "2000-01", "end_date": "2008-01"},
        ],
        persons=[{"id": "person/ann", "name": "Ann Example", "national_identity": "Alpha",
                  "other_names": [{"name": "Анна Пример", "lang": "ru"}]}],
        posts=[{"id": "post/head-of-secretariat", "label": "Head of the Secretariat",
                "organization_id": "exo"}],
        events=[{"id": "meeting/council-1", "name": "Founding session", "organization_id":
                 "body/council", "start_date": "1990-03-01", "location": "Alphaville, Alpha",
                 "identifiers": [{"scheme": "ordinal", "identifier": "1"}], "status": "held"}],
    )  # fmt: skip
    summary = import_data(data, name="exo.json")
    assert Organization.objects.get().short_name_en == "EXO"
    alpha = Actor.objects.get(slug="alpha")
    assert (alpha.kind, alpha.iso2) == ("state", "XA")
    assert Body.objects.get(slug="council").kind == "ministerial_council"
    assert Status.objects.get(actor=alpha).kind == "member"
    chair = Chairmanship.objects.get()
    assert (chair.kind, str(chair.end)) == ("renewal", "2002-06-10")
    head = SecretariatHead.objects.select_related("person").get()
    assert (head.person.name_ru, head.person.nationality, head.title) == (
        "Анна Пример",
        alpha,
        "executive_director",
    )
    meeting = Meeting.objects.get(key="council-1")
    entry = meeting.schedule.get()
    assert (meeting.ordinal, entry.kind, entry.city_en, entry.country) == (
        1,
        "held",
        "Alphaville",
        alpha,
    )
    assert meeting.title_en == "Founding session"
    entries = AuditEntry.objects.filter(action="create")
    assert {(e.via, e.reason) for e in entries} == {("import", "import exo.json")}
    assert summary.counts["statuses"]["created"] == 1


def test_importing_twice_changes_nothing_the_second_time():
    import_data(doc(), name="exo.json")
    before = rows()
    again = import_data(doc(), name="exo.json")
    assert rows() == before
    assert again.total("created") == again.total("updated") == 0, again


def test_a_dry_run_saves_nothing_and_says_what_it_would_do():
    before = rows()
    summary = import_data(doc(), name="exo.json", dry_run=True)
    assert rows() == before
    assert summary.counts["actors"]["created"] == 1 and summary.dry_run
    assert "dry run" in str(summary)


def test_a_state_is_matched_by_its_iso_code(minimal):
    """Another source's file naming a state by ISO code updates that state, adding itself
    as a source, and keeps what it does not say (the Russian name, the statuses)."""
    alpha = Actor.objects.get(slug="alpha")
    data = {"organizations": [{"id": "ocd/xa", "name": "Republic of Alpha",
            "identifiers": [{"scheme": "iso-3166-1", "identifier": "XA"}]}]}  # fmt: skip
    summary = import_data(data, name="other.json")
    alpha.refresh_from_db()
    assert (alpha.name_en, alpha.name_ru) == ("Republic of Alpha", "Альфа")
    assert summary.counts["actors"]["updated"] == 1
    assert Actor.objects.count() == 5
    assert "Popolo file other.json" in [c.source.title for c in alpha.citations.all()]
    assert alpha.statuses.count() == 1


def test_our_own_export_imported_back_changes_nothing(minimal):
    """Exported and imported again into the same record: every record is matched."""
    data = json.loads(popolo.render(at=FAR, user=AnonymousUser()))
    before = rows()
    summary = import_data(data, name="exo-popolo.json")
    assert summary.total("created") == summary.total("updated") == 0, summary
    assert rows() == before


def test_an_export_as_of_an_earlier_date_keeps_later_ends(minimal):
    """A file that does not know an end (it was exported before it) does not erase it."""
    data = json.loads(popolo.render(at=dt.date(2001, 1, 1), user=AnonymousUser()))
    import_data(data, name="old.json")
    assert str(Chairmanship.objects.get(actor__slug="alpha").end) == "2002-06-10"


# --- Refusals -----------------------------------------------------------------------------


def refused(data, *, name="bad.json") -> ImportRefused:
    before = rows()
    with pytest.raises(ImportRefused) as info:
        import_data(data, name=name)
    assert rows() == before, "nothing of a refused file is kept"
    return info.value


def test_an_unknown_organization_is_refused_with_its_place():
    data = doc(
        memberships=[
            {"id": f"m{i}", "member": {"@type": "Organization", "id": "actor/alpha"},
             "organization_id": "exo", "role": "observer", "start_date": f"{1980 + i}",
             "end_date": f"{1981 + i}"}
            for i in range(2, 5)
        ]
    )  # fmt: skip
    data["memberships"][3]["organization_id"] = "nowhere"
    error = refused(data)
    assert (error.where, error.why) == (
        "/memberships/3/organization_id",
        "no organization with id 'nowhere' in the file or on record",
    )


@pytest.mark.parametrize(
    ("change", "where", "why"),
    [
        (lambda d: d.update(organizations="exo"), "/organizations", "must be a list, not text"),
        (lambda d: d["organizations"].append(7), "/organizations/3", "must be an object"),
        (lambda d: d["organizations"][1].update(name=42), "/organizations/1/name", "must be text"),
        (lambda d: d["organizations"][1].update(id=3), "/organizations/1/id", "must be text"),
        (
            lambda d: d["organizations"].append({"id": "actor/alpha", "name": "Again"}),
            "/organizations/3/id",
            "duplicate id 'actor/alpha' (also at /organizations/1/id)",
        ),
        (
            lambda d: d["memberships"][0].update(start_date="1990-13-01"),
            "/memberships/0/start_date",
            "not a real date",
        ),
        (
            lambda d: d["memberships"][0].update(start_date="13 May 1990"),
            "/memberships/0/start_date",
            "is not a date",
        ),
        (
            lambda d: d["memberships"][0].update(end_date="1980"),
            "/memberships/0/end_date",
            "must come after the start",
        ),
        (
            lambda d: d["memberships"][0]["member"].update(id="actor/nobody"),
            "/memberships/0/member",
            "no organization with id 'actor/nobody'",
        ),
        (
            lambda d: d["memberships"][0].pop("member"),
            "/memberships/0",
            "names no member",
        ),
        (
            lambda d: d.update(events=[{"id": "e", "name": "E", "start_date": "2001"}]),
            "/events/0/organization_id",
            "a meeting needs the body that met",
        ),
        (
            lambda d: d.update(
                events=[{"id": "e", "organization_id": "actor/alpha", "start_date": "2001"}]
            ),
            "/events/0/organization_id",
            "not one of its bodies",
        ),
        (
            lambda d: d.update(events=[{"id": "e", "organization_id": "body/council"}]),
            "/events/0/start_date",
            "a meeting needs its start_date",
        ),
        (
            lambda d: d["organizations"][1].update(identifiers=[]),
            "/organizations/1/identifiers",
            "a state needs its ISO 3166-1 alpha-2 code",
        ),
        (
            lambda d: d["organizations"][1].update(sources=[{"url": "javascript:alert(1)"}]),
            "/organizations/1/sources/0/url",
            "is not a web address",
        ),
    ],
)
def test_a_bad_file_is_refused_at_the_first_error(change, where, why):
    data = doc()
    change(data)
    error = refused(data)
    assert error.where == where and why in error.why, (error.where, error.why)


def test_the_same_record_twice_is_refused():
    """Two memberships with different ids but the same state, role and start."""
    data = doc(memberships=[{**doc()["memberships"][0], "id": "m2"}])
    error = refused(data)
    assert error.where == "/memberships/1" and "same statuses record" in error.why


def test_a_membership_in_a_person_s_post_names_a_known_person():
    data = doc(
        memberships=[
            {"id": "h", "person_id": "person/nobody", "post_id": "post/head-of-secretariat",
             "role": "Secretary General", "start_date": "2020"}
        ]
    )  # fmt: skip
    error = refused(data)
    assert error.where == "/memberships/1/person_id" and "person/nobody" in error.why


def test_a_fragment_may_point_outside_itself():
    """A single entity is part of a larger document: what it names elsewhere is reported
    and its record skipped, where a whole document naming nothing is refused."""
    term = {"id": "h", "person_id": "person/nobody", "post_id": "post/head-of-secretariat",
            "role": "Secretary General", "start_date": "2020"}  # fmt: skip
    summary = import_data(term, name="term.json")
    assert summary.counts["memberships"]["skipped"] == 1
    assert not SecretariatHead.objects.exists()
    assert "person/nobody" in " ".join(summary.notes)


def test_nothing_of_a_file_refused_late_is_kept(minimal):
    """Many good records, then a bad one: the record is as it was, the trail too."""
    data = json.loads(popolo.render(at=FAR, user=AnonymousUser()))
    data["organizations"].append(
        {"id": "actor/newcomer", "name": "Newcomer", "classification": "international organization"}
    )
    data["events"].append({"id": "meeting/late", "organization_id": "body/council",
                           "start_date": "2004-02-30"})  # fmt: skip
    error = refused(data)
    assert error.where == f"/events/{len(data['events']) - 1}/start_date"
    assert not Actor.objects.filter(slug="newcomer").exists()


def test_deep_or_huge_files_are_refused_before_parsing():
    deep = b'{"organizations": [' + b"[" * 100 + b"]" * 100 + b"]}"
    with pytest.raises(ImportRefused, match="nested deeper"):
        read_json(deep, name="deep.json")
    with pytest.raises(ImportRefused, match="more than"):
        read_json(b'{"organizations": []}', name="big.json", max_bytes=10)


def test_an_ordinary_user_may_not_import(build):
    """Outside the system, the acting user's own rights apply: the public writes nothing."""
    from secretariat.core.acting import acting_as

    before = rows()
    with acting_as(AnonymousUser(), via="web"), pytest.raises(ImportRefused, match="Sign in"):
        import_data(doc(), name="exo.json")
    assert rows() == before
    assert not Source.objects.filter(key__startswith="popolo").exists()


# --- Whatever the input, an answer and never a traceback ------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def places(value, prefix=()):
    """Every place in a JSON value, as a path of keys and indexes."""
    yield prefix
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, inner in items:
        yield from places(inner, (*prefix, key))


def put(value, path, new):
    for key in path[:-1]:
        value = value[key]
    value[path[-1]] = new


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_value_anywhere_is_imported_or_refused_with_a_place(minimal, data):
    """A file with any value put anywhere is imported or refused with a place, never a crash,
    into a record that already holds some of its entities."""
    document = doc(
        events=[{"id": "meeting/c-1", "organization_id": "body/council", "start_date": "2001",
                 "identifiers": [{"scheme": "ordinal", "identifier": "1"}],
                 "sources": [{"url": "https://example.org/c-1", "note": "Minutes"}]}],
        posts=[{"id": "post/chair", "role": "chair", "other_label": ["Chair"]}],
    )  # fmt: skip
    examples = ["organization", "embedding-membership", "embedding-post", "event"]
    chosen = data.draw(st.sampled_from([None, *examples]))
    if chosen is not None:
        document = json.loads((EXAMPLES / f"{chosen}.json").read_text())
    path = data.draw(st.sampled_from(list(places(document))[1:]))
    put(document, path, data.draw(JSON))
    try:
        import_data(document, name="any.json", dry_run=True)
    except ImportRefused as refusal:
        assert refusal.where.startswith("/") and refusal.why


def test_parents_in_a_cycle_are_refused():
    data = doc()
    data["organizations"] += [
        {"id": "body/a", "name": "A", "parent_id": "body/b"},
        {"id": "body/b", "name": "B", "parent_id": "body/a"},
    ]
    error = refused(data)
    assert error.why == "parents make a cycle" and error.where.endswith("/parent_id")


def test_a_long_chain_of_bodies_is_placed_parents_first():
    """Sub-bodies listed before their parents, many levels deep, each under its parent."""
    data = doc()
    chain = [{"id": f"body/level-{n}", "name": f"Level {n}", "parent_id": f"body/level-{n - 1}"}
             for n in range(1, 40)]  # fmt: skip
    chain[0]["parent_id"] = "body/council"
    data["organizations"] += list(reversed(chain))
    import_data(data, name="chain.json")
    deepest = Body.objects.get(slug="level-39")
    assert deepest.parent.slug == "level-38"
    assert Body.objects.get(slug="level-1").parent.slug == "council"
