"""Who sees which state took which position: the one rule (selectors.positions_seen), at
its edges, and every route that could show a position, a statement or who objected.

Everyone who may read a procedure sees its outcome and the number of objections. The
positions and statements are everyone's on a "public" procedure; the Secretariat's and
member states' delegates' on a "members" one (the default); the Secretariat's only on an
"officers" one; and a delegate always sees its own state's.
"""

from __future__ import annotations

import json

import pytest

from secretariat.accounts import services as accounts
from secretariat.decisions import selectors, services
from secretariat.decisions.models import Position, Procedure
from tests.helpers import PASSWORD

from .test_pages import text
from .world import at, document

pytestmark = pytest.mark.django_db

ROLES = ["public", "reader", "observer", "alpha", "objector", "former", "officer", "admin"]
# What each role is shown, for each visibility: every state's positions, its own, none.
SCOPES = {
    "public": dict.fromkeys(ROLES, "all"),
    "members": {
        "public": "none", "reader": "none", "observer": "own", "alpha": "all",
        "objector": "all", "former": "own", "officer": "all", "admin": "all",
    },
    "officers": {
        "public": "none", "reader": "none", "observer": "own", "alpha": "own",
        "objector": "own", "former": "own", "officer": "all", "admin": "all",
    },
}  # fmt: skip
VISIBILITIES = list(SCOPES)


class Scene:
    """A silence procedure per visibility on a public paper, each broken by Quetzalia's
    objection (a statement with its own word), with Alpha's support and the observer's
    comment (each with theirs); and the people who read them."""

    def __init__(self, world):
        b = world.build
        self.world = world
        self.objector = b.actor("quetzalia", name_en="Quetzalia")
        b.status(self.objector, "member", "2000-01-01")
        former = b.actor("formeria", name_en="Formeria")
        b.status(former, "member", "2000-01-01", "2010-01-01")
        self.procedures: dict[str, Procedure] = {}
        for visibility in VISIBILITIES:
            _, version = document(f"EXO/VIS/{visibility}", key=f"vis-{visibility}")
            procedure = world.silence(version=version, positions_visibility=visibility)
            world.position(procedure, world.alpha, "support", at(hours=1), f"alphaword{visibility}")
            world.position(
                procedure, self.objector, "objection", at(hours=2), f"objectword{visibility}"
            )
            world.position(
                procedure, world.observer, "comment", at(hours=3), f"omegaword{visibility}"
            )
            self.procedures[visibility] = procedure
        make = accounts.account_create

        def delegate(name, actor):
            return make(username=name, password=PASSWORD, role="delegate", actor=actor).user

        self.users = {
            "public": None,
            "reader": make(username="reader", password=PASSWORD, role="public").user,
            "observer": delegate("omega-delegate", world.observer),
            "alpha": delegate("alpha-delegate", world.alpha),
            "objector": delegate("quetzalia-delegate", self.objector),
            "former": delegate("formeria-delegate", former),
            "officer": make(username="officer", password=PASSWORD, role="officer").user,
            "admin": make(username="admin", password=PASSWORD, role="administrator").user,
        }

    def client(self, client, role):
        client.logout()
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client

    def user(self, role):
        from django.contrib.auth.models import AnonymousUser

        return self.users[role] or AnonymousUser()


@pytest.fixture
def scene(world) -> Scene:
    return Scene(world)


OWN_WORDS = {"alpha": "alphaword", "objector": "objectword", "observer": "omegaword"}


def own_word(role: str, visibility: str) -> str | None:
    """The word of the role's own state's position, if it has one in the procedure."""
    return OWN_WORDS[role] + visibility if role in OWN_WORDS else None


def expected_words(role: str, visibility: str) -> set[str]:
    """The statements' words the role must see in the procedure (the others it must not)."""
    scope = SCOPES[visibility][role]
    every = {f"{w}{visibility}" for w in ("alphaword", "objectword", "omegaword")}
    if scope == "all":
        return every
    own = own_word(role, visibility)
    return {own} if own else set()


def all_words(visibility: str) -> set[str]:
    return {f"{w}{visibility}" for w in ("alphaword", "objectword", "omegaword")}


# --- The rule --------------------------------------------------------------------------


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_the_rule_at_its_edges(scene, visibility):
    """Each role is shown all, its own or no state's positions, as the table says: a former
    member's delegate is not a member's, an observer's delegate sees its own comments."""
    procedure = scene.procedures[visibility]
    got = {role: selectors.positions_seen(procedure, scene.user(role)).scope for role in ROLES}
    assert got == SCOPES[visibility]


def test_the_default_is_members(world):
    assert world.silence().positions_visibility == "members"


@pytest.mark.parametrize("role", ROLES)
def test_the_rule_in_sql_agrees_with_the_rule_in_hand(scene, role):
    """positions_seen_q keeps exactly the positions positions_seen shows, in every procedure."""
    user = scene.user(role)
    kept = set(Position.objects.filter(selectors.positions_seen_q(user)).values_list("pk", flat=1))
    shown = {
        p.pk
        for p in Position.objects.select_related("procedure")
        if selectors.positions_seen(p.procedure, user).shows(p.actor_id)
    }
    assert kept == shown


# --- The routes ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_procedure_page_names_the_objector_only_to_whom_it_may(client, scene, role):
    """The page says the procedure failed, when, and how many objected, to everyone; who
    objected, the statements and who is pending only to those who may see them."""
    for visibility in VISIBILITIES:
        _page(client, scene, role, visibility)


def _page(client, scene, role, visibility):
    procedure = scene.procedures[visibility]
    page = scene.client(client, role).get(f"/procedures/{procedure.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Not adopted: the procedure failed at 1 March 2024, 14:00." in body
    assert "Silence was broken by an objection stated at 1 March 2024, 14:00" in body
    assert "1 objection." in body
    expected = expected_words(role, visibility)
    for word in all_words(visibility):
        assert (word in body) == (word in expected), (word, role, visibility)
    names_objector = SCOPES[visibility][role] == "all" or role == "objector"
    assert ("Quetzalia" in body) == names_objector, (role, visibility)
    words = text(page)
    assert ("Pending (2) Beta, Gamma" in words) == (SCOPES[visibility][role] == "all")
    assert "Pending (2)" in words  # the count, whoever asks


@pytest.mark.parametrize("role", ROLES)
def test_the_api_shows_positions_only_to_whom_it_may(client, scene, role):
    """The detail and the list: the outcome and the counts for everyone; positions,
    statements, who broke silence and who is pending as the rule says."""
    for visibility in VISIBILITIES:
        _api(client, scene, role, visibility)


def _api(client, scene, role, visibility):
    procedure = scene.procedures[visibility]
    c = scene.client(client, role)
    data = c.get(f"/api/v1/procedures/{procedure.pk}").json()
    scope = SCOPES[visibility][role]
    assert (data["positions_visibility"], data["positions_shown"]) == (visibility, scope)
    assert (data["outcome"]["state"], data["outcome"]["objections"]) == ("failed", 1)
    assert (data["eligible_count"], data["pending_count"]) == (4, 2)
    broken = data["outcome"]["broken_by"]
    assert broken["stated_at"] == "2024-03-01T14:00:00Z"
    sees_objector = scope == "all" or role == "objector"
    assert (broken["position"] is not None) == sees_objector
    assert ("Quetzalia" in broken["detail"]) == sees_objector
    shown = {p["actor"]["slug"] for p in data["positions"]}
    current = {c["actor"]["slug"] for c in data["current_positions"]}
    if scope == "all":
        assert shown == {"alpha", "quetzalia", "omega"}
        assert current == {"alpha", "beta", "gamma", "quetzalia"}
        assert [a["slug"] for a in data["pending"]] == ["beta", "gamma"]
    else:
        own = {"alpha": "alpha", "objector": "quetzalia", "observer": "omega"}.get(role)
        assert shown == ({own} if own else set())
        assert current == ({own} if own in ("alpha", "quetzalia") else set())
        assert data["pending"] is None
    text = json.dumps(data)
    for word in all_words(visibility):
        assert (word in text) == (word in expected_words(role, visibility))
    [item] = [i for i in c.get("/api/v1/procedures?limit=100").json()["items"]
              if i["id"] == procedure.pk]  # fmt: skip
    assert item["positions_shown"] == scope
    assert (item["outcome"]["broken_by"]["position"] is not None) == sees_objector


@pytest.mark.parametrize("role", ROLES)
def test_the_objectors_page_and_api_list_only_the_positions_shown(client, scene, role):
    """The actor page and /actors/{slug}/positions list a state's positions only in the
    procedures where the caller is shown them."""
    c = scene.client(client, role)
    expected = {
        f"EXO/VIS/{v}" for v in VISIBILITIES if SCOPES[v][role] == "all" or role == "objector"
    }
    items = c.get("/api/v1/actors/quetzalia/positions?limit=100").json()["items"]
    assert {i["document"]["symbol"] for i in items} == expected
    page = c.get("/actors/quetzalia/").content.decode()
    for visibility in VISIBILITIES:
        shown = f"EXO/VIS/{visibility}" in expected
        assert (f"objectword{visibility}" in page) == shown, (role, visibility)


def test_the_lists_and_the_document_page_name_nobody(client, scene):
    """The procedures list, the document's page and the home page give outcomes and
    counts, never a state's position, to anyone."""
    for role in ROLES:
        c = scene.client(client, role)
        for url in ("/procedures/", "/documents/vis-officers/", "/documents/vis-members/", "/"):
            body = c.get(url).content.decode()
            for visibility in VISIBILITIES:
                for word in all_words(visibility):
                    assert word not in body, (url, role, word)


def test_a_blocked_meeting_counts_the_objections_and_names_them_to_members(client, scene):
    """A decision at a meeting blocked by an objection: the public reads that one objection
    stood, a member's delegate also whose."""
    world = scene.world
    _, version = document("EXO/VIS/meeting", key="vis-meeting")
    procedure = world.meeting_procedure(version=version)
    world.position(procedure, scene.objector, "objection", at(hours=1), "Not this text.")
    services.procedure_decide(procedure=procedure, decided_at=at(days=4))
    public = " ".join(scene.client(client, "public").get(f"/procedures/{procedure.pk}/")
                      .content.decode().split())  # fmt: skip
    assert "1 objection stood when the decision was taken." in public
    assert "Quetzalia" not in public and "Not this text." not in public
    data = client.get(f"/api/v1/procedures/{procedure.pk}").json()
    assert (data["outcome"]["objections"], data["outcome"]["blocked_by"]) == (1, [])
    member = " ".join(scene.client(client, "alpha").get(f"/procedures/{procedure.pk}/")
                      .content.decode().split())  # fmt: skip
    assert "1 objection stood when the decision was taken: Quetzalia." in member
    data = client.get(f"/api/v1/procedures/{procedure.pk}").json()
    assert [p["actor"]["slug"] for p in data["outcome"]["blocked_by"]] == ["quetzalia"]


def test_the_etag_does_not_change_with_what_the_caller_is_not_shown(client, scene):
    """The answer's tag is made from what the caller was shown: a statement added where the
    public may not see it leaves the public's answer and tag as they were; a member's
    answer (and tag) changes."""
    world = scene.world
    procedure = scene.procedures["members"]
    url = f"/api/v1/procedures/{procedure.pk}?at=2024-03-09T00:00:00Z"
    public = scene.client(client, "public").get(url)
    member_before = scene.client(client, "alpha").get(url)["ETag"]
    world.position(procedure, world.partner, "comment", at(hours=5), "unseencommentword")
    again = scene.client(client, "public").get(url)
    assert again.content == public.content and again["ETag"] == public["ETag"]
    assert b"unseencommentword" not in again.content
    member = scene.client(client, "alpha").get(url)
    assert b"unseencommentword" in member.content and member["ETag"] != member_before
    # And the public's tag, sent back, still answers 304: nothing it may see changed.
    client.logout()
    assert client.get(url, HTTP_IF_NONE_MATCH=public["ETag"]).status_code == 304


def test_changing_who_sees_the_positions(client, scene):
    """The Secretariat may open the positions to the public later (the outcome was always
    everyone's)."""
    procedure = scene.procedures["officers"]
    services.procedure_visibility_set(procedure=procedure, visibility="public")
    page = client.get(f"/procedures/{procedure.pk}/").content.decode()
    assert "objectwordofficers" in page and "Quetzalia" in page
