"""Nothing restricted reaches anyone who may not read it, through any route.

One walk over every URL pattern of the project (pages, admin, API, downloads,
search, history) for every role, with restricted, confidential, shared and
embargoed records in the data. Routes are found from the URL configuration, so
a new route is walked without anyone remembering to add it; a route with a
parameter this test has no sample for fails the walk, asking for one.

For each answer it checks that (1) no word, title, symbol or key of a record
the role may not read appears in the body or headers; (2) asking about such a
record answers exactly as asking about one that does not exist (status and
error message), so errors give no hint; (3) nothing answers 500.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from secretariat.accounts import services as accounts
from secretariat.checklists.services import checklist_set
from secretariat.decisions import services as decisions
from secretariat.documents import services as documents
from secretariat.documents.models import Document
from secretariat.exchange.tables import TABLES
from secretariat.programme import services as programme
from secretariat.programme.models import PriorityArea
from secretariat.treaties import services as treaties
from tests.decisions.world import T0, WEEK, World
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db
MISSING = {"int": "987654321", "str": "no-such-record-here"}


@dataclass
class Secret:
    """A record some roles may not read, and the words that would betray it."""

    document: object
    words: list[str]
    readers: set[str]  # the roles that may read it


@dataclass
class Data:
    world: World
    secrets: list[Secret]
    public_doc: object
    # Statements of states' positions in procedures on the public paper, by visibility:
    # words that betray a position to whoever may not see it (decisions.positions_seen).
    positions: list[Secret] = field(default_factory=list)
    procedures: dict = field(default_factory=dict)  # visibility -> procedure
    users: dict = field(default_factory=dict)
    samples: dict = field(default_factory=dict)  # parameter name -> [(value, secret|None)]


def _text(name: str, words: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, f"Body of the paper. {words}.\n".encode(), "text/plain")


def _secret_document(world, *, symbol, key, title, words, access, shared=False, type="declaration"):
    src = [world.build.source]
    doc = documents.document_create(
        type=type,
        symbol=symbol,
        key=key,
        title_en=f"{title} {words[0]}",
        title_ru=f"Документ {words[1]}",
        access=access,
        note=f"Note mentioning {words[2]}",
        sources=src,
    )
    if shared:
        documents.document_share_set(document=doc, actors=[world.observer])
    version = documents.version_create(document=doc, date="2024-02-01", note=words[2])
    documents.text_upload(version=version, language="en", uploaded_file=_text("t.txt", words[3]))
    documents.document_event_upsert(document=doc, kind="drafted", date="2024-02-01", sources=src)
    event, _ = documents.document_circulate(
        version=version, date="2024-02-02", deadline=dt.date(2024, 2, 20), sources=src
    )
    documents.feedback_add(
        circulation=event, actor=world.alpha, received_on=dt.date(2024, 2, 5), text=words[2]
    )
    procedure = decisions.procedure_open(
        version=version,
        body=world.body,
        kind="silence",
        opened_at=T0,
        deadline=T0 + WEEK,
        sources=src,
    )
    decisions.position_add(
        procedure=procedure, actor=world.beta, kind="support", stated_at=T0, statement=words[2]
    )
    checklist_set(subject=doc, steps=[{"title_en": f"Next {words[0]}", "sources": src}])
    return doc


@pytest.fixture
def data(build, django_capture_on_commit_callbacks) -> Data:
    with django_capture_on_commit_callbacks(execute=True):
        world = World(build)
        src = [build.source]
        restricted = _secret_document(
            world, symbol="EXO/ZQ/1", key="zanzibar-restricted", title="Restricted",
            words=["zanzibarquartz", "занзибаркварц", "quokkanote", "ultravioletplum"],
            access="restricted",
        )  # fmt: skip
        confidential = _secret_document(
            world, symbol="EXO/XQ/2", key="xylo-confidential", title="Confidential",
            words=["xylophonequill", "ксилофонперо", "wombatnote", "infraredfig"],
            access="confidential", type="agreement",
        )  # fmt: skip
        shared = _secret_document(
            world, symbol="EXO/MO/3", key="marmalade-shared", title="Shared",
            words=["marmaladeowl", "мармеладсова", "platypusnote", "cobaltpear"],
            access="restricted", shared=True,
        )  # fmt: skip
        public = documents.document_create(
            type="declaration", symbol="EXO/OPEN/4", key="open-paper", title_en="Open paper",
            sources=src,
        )  # fmt: skip
        for target in (restricted, confidential, shared):
            documents.relation_add(
                from_document=public, kind="implements", to_document=target, sources=src
            )
        # The meeting adopted the restricted paper: its outcome is not the public's.
        documents.document_event_upsert(
            document=restricted, kind="adopted", date="2024-03-05", sources=src,
            meeting=world.meeting, body=world.body,
        )  # fmt: skip
        treaties.treaty_upsert(document=confidential, sources=src, eif_instruments=2)
        _programme_links(world, [restricted, confidential, shared])
    secrets = [
        Secret(restricted, ["zanzibarquartz", "занзибаркварц", "quokkanote",
                            "ultravioletplum", "EXO/ZQ/1", "zanzibar-restricted"],
               {"member", "officer", "administrator"}),
        Secret(confidential, ["xylophonequill", "ксилофонперо", "wombatnote",
                              "infraredfig", "EXO/XQ/2", "xylo-confidential"],
               {"officer", "administrator"}),
        Secret(shared, ["marmaladeowl", "мармеладсова", "platypusnote", "cobaltpear",
                        "EXO/MO/3", "marmalade-shared"],
               {"member", "observer", "officer", "administrator"}),
    ]  # fmt: skip
    d = Data(world=world, secrets=secrets, public_doc=public)
    with django_capture_on_commit_callbacks(execute=True):
        d.procedures, d.positions = _positions_on_the_public_paper(world, public)
    make = accounts.account_create
    d.users = {
        "public": None,
        "reader": make(username="reader", password=PASSWORD, role="public").user,
        "observer": make(
            username="omega-delegate", password=PASSWORD, role="delegate", actor=world.observer
        ).user,
        "member": make(
            username="alpha-delegate", password=PASSWORD, role="delegate", actor=world.alpha
        ).user,
        "officer": make(username="officer", password=PASSWORD, role="officer").user,
    }
    d.samples = _samples(d)
    return d


# Who may see the states' positions in a procedure on a public paper, by its visibility:
# Beta objects (its statement's word), the observer comments (its own word, which its own
# delegate always sees).
POSITION_WORDS = {
    "public": ("heronverdict", "emuremark"),
    "members": ("pelicanverdict", "kiwiremark"),
    "officers": ("narwhalverdict", "dodoremark"),
}
POSITION_READERS = {
    "public": {"public", "reader", "observer", "member", "officer"},
    "members": {"member", "officer"},
    "officers": {"officer"},
}


def _positions_on_the_public_paper(world, public):
    """A silence procedure per visibility on the public paper, broken by Beta's objection
    and commented on by the observer, each statement with its own word."""
    src = [world.build.source]
    version = documents.version_create(document=public, date="2024-02-01")
    procedures, secrets = {}, []
    for visibility, (objection, comment) in POSITION_WORDS.items():
        procedure = decisions.procedure_open(
            version=version, body=world.body, kind="silence", opened_at=T0,
            deadline=T0 + WEEK, sources=src, positions_visibility=visibility,
        )  # fmt: skip
        decisions.position_add(
            procedure=procedure, actor=world.beta, kind="objection",
            stated_at=T0 + dt.timedelta(hours=1), statement=f"Beta: {objection}.",
        )  # fmt: skip
        decisions.position_add(
            procedure=procedure, actor=world.observer, kind="comment",
            stated_at=T0 + dt.timedelta(hours=2), statement=f"Omega: {comment}.",
        )  # fmt: skip
        procedures[visibility] = procedure
        readers = POSITION_READERS[visibility]
        secrets += [
            Secret(public, [objection], readers),
            Secret(public, [comment], readers | {"observer"}),
        ]
    return procedures, secrets


def _programme_links(world, secrets):
    """The public catalogue and road map, linking to the secret papers in every way they can."""
    src = [world.build.source]
    catalogue = documents.document_create(
        type="catalogue", symbol="EXO/CAT/1", key="catalogue", title_en="Catalogue", sources=src
    )
    documents.document_event_upsert(
        document=catalogue, kind="adopted", date="2021-01-01", sources=src
    )
    edition, _ = programme.edition_upsert(document=catalogue, sources=src)
    for paper in secrets:
        programme.edition_document_link(edition=edition, document=paper, sources=src)
    dimension, _ = programme.dimension_upsert(slug="military", name_en="Military", sources=src)
    area, _ = programme.area_upsert(
        edition=edition, number=1, dimension=dimension, title_en="Area", sources=src,
        added_by=secrets[0],
    )  # fmt: skip
    programme.coordinator_role_upsert(
        area=area, actor=world.alpha, role="coordinator", start="2021-01-01", sources=src,
        decided_by=secrets[1],
    )  # fmt: skip
    programme.review_upsert(date="2023-05-01", sources=src, documents=secrets)
    roadmap = documents.document_create(
        type="road_map", symbol="EXO/RM/1", key="road-map", title_en="Road map", sources=src
    )
    programme.cluster_upsert(
        roadmap=roadmap, number=1, title_en="Charter", sources=src, documents=secrets
    )


def _samples(d: Data) -> dict[str, list[tuple[str, Secret | None]]]:
    """Values for every route parameter: each secret record, and public ones beside."""
    w = d.world
    by_key = [(s.document.key, s) for s in d.secrets] + [(d.public_doc.key, None)]
    by_id = [(str(s.document.pk), s) for s in d.secrets] + [(str(d.public_doc.pk), None)]
    procedures = [(str(s.document.versions.get().procedures.get().pk), s) for s in d.secrets]
    procedures += [(str(p.pk), None) for p in d.procedures.values()]
    return {
        # documents, treaties, next steps: by key (or id)
        "key": [*by_key, (w.meeting.key, None)],
        "key_or_id": by_key,
        "document_key": by_key,
        "pk": by_id,
        "id": by_id,
        "object_id": by_id,
        "document_id": by_id,
        "procedure_id": procedures,
        "circulation_id": [
            (str(s.document.events.get(kind="circulated").pk), s) for s in d.secrets
        ],
        "number": [("1", None)],
        "language": [("en", None)],
        "slug": [(w.alpha.slug, None), (w.partner.slug, None)],
        "body_slug": [(w.body.slug, None)],
        "token_id": [("1", None)],
        # accounts: a delegate's account (the focal point's remove); a password link's user
        # (its token is the unsubscribe link's below)
        "account_id": [(str(d.users["member"].account.pk), None)],
        "uidb64": [("MQ", None)],
        "delivery_id": [("1", None)],  # a notice in an inbox (only its owner reads it)
        "file_id": [("1", None)],  # a drawn report (an internal one only its reader gets)
        "token": [("not-a-signed-token", None)],  # a mail's unsubscribe link
        "area_id": [(str(PriorityArea.objects.get().pk), None)],
        "app_label": [("documents", None)],
        "label": [("documents.document", None)],
        "url": [("documents/document/", None)],  # the admin's catch-all
        "content_type_id": [(str(ContentType.objects.get_for_model(Document).pk), None)],
        # the list and status tables as CSV and XLSX
        "table": [(name, None) for name in TABLES],
        **_record_samples(d),
    }


def _record_samples(d: Data) -> dict[str, list[tuple[str, Secret | None]]]:
    """The records API's ids, one name per kind ("document_event_id"): the first record
    of each kind, and the records that rest on each secret paper."""
    from secretariat.checklists.models import NextStep
    from secretariat.documents.models import DocumentRelation
    from secretariat.programme.models import EditionDocument
    from secretariat.records.kinds import kinds

    samples = {}
    for kind in kinds():
        first = kind.model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        samples[kind.param] = [(str(first or MISSING["int"]), None)]
    doc_ct = ContentType.objects.get_for_model(Document)
    for s in d.secrets:
        doc = s.document
        resting = {
            "document_version_id": doc.versions.get(),
            "document_event_id": doc.events.order_by("pk").first(),
            "document_relation_id": DocumentRelation.objects.filter(to_document=doc).first(),
            "edition_document_id": EditionDocument.objects.filter(document=doc).first(),
            "next_step_id": NextStep.objects.filter(subject_type=doc_ct, subject_id=doc.pk).first(),
            "treaty_id": getattr(doc, "treaty", None),
        }
        for param, record in resting.items():
            if record is not None:
                samples[param].append((str(record.pk), s))
    return samples


def _routes():
    """Every URL pattern: (name to reverse, parameter names, regex source)."""
    found = []

    def walk(patterns, namespaces, params, prefix):
        for p in patterns:
            names = list(p.pattern.regex.groupindex)
            text = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                ns = namespaces + ([p.namespace] if p.namespace else [])
                walk(p.url_patterns, ns, params + names, text)
            elif isinstance(p, URLPattern):
                found.append((":".join([*namespaces, p.name or ""]), params + names, text))

    walk(get_resolver().url_patterns, [], [], "")
    return found


def _client(d: Data, role: str) -> Client:
    client = Client(raise_request_exception=False)
    if d.users[role] is not None:
        client.force_login(d.users[role])
    return client


def _body(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    head = " ".join(f"{k}: {v}" for k, v in response.items())
    return head + "\n" + content.decode("utf-8", "replace")


def _signed_out(response) -> bool:
    """Whether the answer ended the session (the walk met the sign-out)."""
    cookie = response.cookies.get(settings.SESSION_COOKIE_NAME)
    return cookie is not None and not cookie.value


def _forbidden(d: Data, role: str) -> list[str]:
    hidden = [*d.secrets, *d.positions]
    return [w.lower() for s in hidden if role not in s.readers for w in s.words]


def _path(name: str, pattern: str, kwargs: dict) -> str:
    """The route's URL: reversed by name, or built from the pattern of an unnamed route."""
    if name.split(":")[-1]:
        return reverse(name, kwargs=kwargs or None)
    for param, value in kwargs.items():
        pattern = re.sub(rf"\(\?P<{param}>[^)]*\)|<(\w+:)?{param}>", str(value), pattern)
    return "/" + pattern.replace("^", "").replace("$", "")


def _urls(d: Data, name: str, params: list[str], pattern: str):
    """Every URL of the route with the samples, each with the secret it names (if any)."""
    if not params:
        yield _path(name, pattern, {}), None, {}
        return
    missing = [p for p in params if p not in d.samples]
    assert not missing, f"The walk has no sample for {missing} of route {name}: add one."
    choices = [[(v, s, p) for v, s in d.samples.get(p, [])] for p in params]
    combos = [[]]
    for options in choices:
        combos = [[*c, o] for c in combos for o in options]
    for combo in combos:
        kwargs = {p: v for v, _, p in combo}
        secret = next((s for _, s, _ in combo if s is not None), None)
        named = next((p for _, s, p in combo if s is not None), None)
        try:
            yield _path(name, pattern, kwargs), secret, {"_secret": named, **kwargs}
        except NoReverseMatch:
            continue


def _as_missing(url: str, kwargs: dict) -> str:
    """The same URL naming, instead of the secret record, one that does not exist."""
    value = str(kwargs[kwargs["_secret"]])
    replacement = MISSING["int"] if value.isdigit() else MISSING["str"]
    head, _, tail = url.rpartition(f"/{value}")
    return f"{head}/{replacement}{tail}"


ROLES = ["public", "reader", "observer", "member", "officer"]
WRITES = ("post", "patch", "put", "delete")


@pytest.mark.parametrize("role", ROLES)
def test_no_route_leaks_what_the_role_may_not_read(data, role):
    forbidden = _forbidden(data, role)
    client = _client(data, role)
    walked, problems = 0, []
    for name, params, pattern in _routes():
        if name.startswith("admin:") and role == "officer":
            continue  # officers read every level: nothing to leak to them
        for url, secret, kwargs in _urls(data, name, params, pattern):
            for method in ("get", *WRITES):
                if name.startswith("admin:") and method != "get":
                    continue  # the admin turns away everyone but the Secretariat at the door
                response = getattr(client, method)(url, {} if method == "get" else None)
                if role != "public" and _signed_out(response):
                    client.force_login(data.users[role])  # a walked sign-out must not stick
                walked += 1
                body = _body(response)
                if response.status_code >= 500:
                    problems.append(f"{method.upper()} {url}: {response.status_code}")
                    continue
                body = _echo_free(body)
                masked = _mask(body, _asked(kwargs))
                low = masked.lower()
                leaked = [w for w in forbidden if w in low]
                if leaked:
                    problems.append(f"{method.upper()} {url} as {role} shows {leaked}")
                if secret is not None and role not in secret.readers and method == "get":
                    other = client.get(_as_missing(url, kwargs))
                    same = other.status_code == response.status_code
                    if same and response.status_code >= 400:
                        # Both answers with both names blanked: what is left must not differ.
                        names = [str(kwargs[kwargs["_secret"]]), *MISSING.values()]
                        mine = _strip(_mask(body, names))
                        same = _strip(_mask(_echo_free(_body(other)), names)) == mine
                    if not same:
                        problems.append(
                            f"GET {url} as {role} answers {response.status_code} "
                            f"{_strip(masked)[-300:]!r}, unlike a record that does not exist: "
                            f"{other.status_code} {_strip(_body(other))[-300:]!r}"
                        )
    # Search-like routes (those whose answer a `q` changes): ask for the forbidden words.
    for name, params, pattern in _routes():
        if params or name.startswith("admin:"):
            continue
        url = _path(name, pattern, {})
        if not _reads_q(client, url):
            continue
        for word in forbidden:
            response = client.get(url, {"q": word})
            walked += 1
            if response.status_code >= 500:
                problems.append(f"GET {url}?q={word}: {response.status_code}")
            low = _without_echo(_body(response), word).lower()
            leaked = [w for w in forbidden if w in low]
            if leaked:
                problems.append(f"GET {url}?q={word} as {role} shows {leaked}")
    assert walked > 200, walked
    assert not problems, "\n".join(problems[:40])


TRIVIAL = {"1", "en"}
PROBE = "qprobeword"


def _reads_q(client: Client, url: str) -> bool:
    """Whether the route's answer depends on `q` (a search box, a filter by words)."""
    plain = _strip(_without_echo(_body(client.get(url)), PROBE))
    probed = _strip(_without_echo(_body(client.get(url, {"q": PROBE})), PROBE))
    return plain != probed


def _asked(kwargs: dict) -> list[str]:
    return [str(v) for k, v in kwargs.items() if k != "_secret" and str(v) not in TRIVIAL]


def _mask(text: str, values) -> str:
    """The answer with the values the request itself named blanked out (echoes, not leaks)."""
    for value in values:
        text = re.sub(rf"(?<![\w/.-]){re.escape(value)}(?![\w/-]|\.\w)", "«asked»", text)
    return text


def _without_echo(text: str, word: str) -> str:
    """The answer without the places that repeat the query back: the Location of a redirect
    (?next=...), a JSON "query" field, a search box's value."""
    text = re.sub(r"Location: \S+", "", text)
    text = re.sub(r"next=[^\"'&\s]*", "", text)  # a sign-in link coming back here
    text = text.replace(f'"query": "{word}"', "").replace(f'"query":"{word}"', "")
    return re.sub(r'value="[^"]*"', "", text)


def _echo_free(text: str) -> str:
    """The answer without the links back to the page asked for (the sign-in link's and
    the language switch's `next`): they repeat the URL the caller typed, not the record."""
    text = re.sub(r"next=[^\"'&\s]*", "next=«here»", text)
    text = re.sub(r'name="next" value="[^"]*"', "", text)
    return re.sub(r"Location: \S+", "Location: «here»", text)


def _strip(text: str) -> str:
    """Drop what differs between any two answers (dates, times, tokens, ids of requests)."""
    text = re.sub(r"\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)?", "«time»", text)
    text = re.sub(r"csrfmiddlewaretoken\" value=\"[^\"]+", "«csrf»", text)
    text = re.sub(r'"X-CSRFToken": "[^"]+"', "«csrf»", text)
    return re.sub(
        r"(Date|Expires|Set-Cookie|Content-Length|ETag|X-Request-ID): [^\n]*?(?= \w+:|\n)",
        "",
        text,
    )


def test_the_public_counts_only_what_it_may_read(data):
    """Lists count the readable records only: the restricted ones add nothing."""
    client = Client()
    listed = client.get("/api/v1/documents").json()
    keys = {item["key"] for item in listed["items"]}
    assert listed["count"] == len(keys)
    assert not keys & {s.document.key for s in data.secrets}
    member = _client(data, "member").get("/api/v1/documents").json()
    assert member["count"] == listed["count"] + 2  # the restricted and the shared one
    assert AnonymousUser().is_authenticated is False


@pytest.mark.parametrize("role", ROLES)
def test_who_objected_shows_only_to_whom_the_procedure_allows(data, role):
    """On the public paper's procedures every role reads that silence was broken and that
    one state objected; Beta's name and statement show beside it only where the
    procedure's visibility lets the role see them (the page and the API alike)."""
    client = _client(data, role)
    for visibility, procedure in data.procedures.items():
        sees = role in POSITION_READERS[visibility]
        objection, comment = POSITION_WORDS[visibility]
        page = client.get(f"/procedures/{procedure.pk}/")
        assert page.status_code == 200
        body = page.content.decode()
        assert "Silence was broken by an objection stated at" in body
        assert "1 objection." in body
        assert ("Beta" in body) == sees, (role, visibility)
        assert (objection in body) == sees, (role, visibility)
        assert (comment in body) == (sees or role == "observer"), (role, visibility)
        answer = client.get(f"/api/v1/procedures/{procedure.pk}").json()
        broken = answer["outcome"]["broken_by"]
        assert answer["outcome"]["objections"] == 1
        assert (broken["position"] is not None) == sees and ("Beta" in broken["detail"]) == sees
        shown = {p["actor"]["slug"] for p in answer["positions"]}
        assert ("beta" in shown) == sees and (objection in str(answer)) == sees
