"""No editorial note reaches the public: on the CICA dataset, every page and API route
(lists, details, downloads), every export and the public report in each format, read as
anyone reads them, carry no editorial note's text, nor a variant's note (why a value was
not preferred: editorial by nature). The administrators' full dump keeps them all.

Routes are found from the URL configuration, as in test_walk_every_route.py, so a new
route is walked without anyone remembering to add it; a route whose parameter has no
sample here fails the walk, asking for one.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import zipfile

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from secretariat.accounts.policy import SYSTEM
from secretariat.bodies.models import Body, Meeting
from secretariat.core.models import Source, Sourced, Variant
from secretariat.decisions.models import Procedure
from secretariat.documents.models import Document
from secretariat.exchange.tables import TABLES
from secretariat.initiatives.models import Initiative, Priorities
from secretariat.programme.models import PriorityArea
from secretariat.registry.models import Actor, Person
from secretariat.reports import pdf, pptx
from secretariat.reports.compose import report_build
from secretariat.reports.model import Audience
from secretariat.reports.period import period_for

pytestmark = pytest.mark.django_db
CHAIRMANSHIP = "kazakhstan-2020-2024"
SAMPLE_KINDS = {
    "actor_slug",
    "person_slug",
    "body_slug",
    "initiative_slug",
    "priorities_slug",
    "meeting_key",
    "document_key",
    "treaty_key",
    "source_key",
}
OWN_IDS = ("circulation_id", "account_id", "token_id", "delivery_id", "file_id", "status_id", "pk")
NOT_THE_RECORD = {"audit", "accounts", "search", "reports", "notices", "jobs", "exchange"}
WINDOW = 10  # words: a longer editorial note is looked for by every run of this many words
SKIPPED = ("admin:", "api-1.0.0:openapi")  # the Secretariat's own; the API's description


def flat(text: str) -> str:
    """Text without whitespace: layouts break lines and PDF extraction spaces glyphs."""
    return re.sub(r"\s+", "", text)


def editorial_texts() -> list[str]:
    """Every editorial note on record, and every variant's note."""
    from django.apps import apps

    texts = set(Source.objects.exclude(editorial_note="").values_list("editorial_note", flat=True))
    for model in apps.get_models():
        if issubclass(model, Sourced):
            rows = model._default_manager.exclude(editorial_note="")
            texts |= set(rows.values_list("editorial_note", flat=True))
    texts |= set(Variant.objects.exclude(note="").values_list("note", flat=True))
    return sorted(texts)


def public_corpus() -> str:
    """Every other text of the record (public notes, titles, statements...), flattened:
    where an editorial note repeats some of it (a quotation, a fact), those words prove
    nothing. The trail, the search index and the like, which copy the notes, are not it."""
    from django.apps import apps
    from django.db import models

    found = []
    for model in apps.get_models():
        config = model._meta.app_config
        if not config.name.startswith("secretariat.") or config.label in NOT_THE_RECORD:
            continue
        names = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
            and f.name != "editorial_note"
            and not (model is Variant and f.name == "note")
        ]
        for row in model._base_manager.values_list(*names) if names else ():
            found += [flat(value) for value in row if value]
    return "\x00".join(found)


def needles(texts: list[str], corpus: str) -> dict[str, str]:
    """What to look for (flattened) -> the note it comes from: a short note whole, a long
    one by each run of WINDOW words (a note cut, wrapped or partly shown is still seen),
    leaving out the words it shares with other texts on record."""
    found = {}
    for text in texts:
        words = text.split()
        runs = [text] if len(words) <= WINDOW else [
            " ".join(words[i : i + WINDOW]) for i in range(len(words) - WINDOW + 1)
        ]  # fmt: skip
        for run in runs:
            if flat(run) not in corpus:
                found[flat(run)] = text
    return found


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def readable(content: bytes, kind: str) -> str:
    """What a reader of the answer reads, whatever its format."""
    if content[:2] == b"PK":  # a workbook, a deck, or a zip of tables
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = archive.namelist()
        if any(n.startswith("xl/") for n in names):
            book = load_workbook(io.BytesIO(content), read_only=True)
            return "\n".join(
                str(cell) for sheet in book for row in sheet.iter_rows(values_only=True)
                for cell in row if cell is not None
            )  # fmt: skip
        if any(n.startswith("ppt/") for n in names):
            deck = Presentation(io.BytesIO(content))
            shown = [s.text_frame.text for slide in deck.slides for s in slide.shapes
                     if s.has_text_frame]  # fmt: skip
            notes = [slide.notes_slide.notes_text_frame.text for slide in deck.slides]
            return "\n".join(shown + notes)
        return "\n".join(readable(archive.read(n), n) for n in names)
    if content[:4] == b"%PDF":
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    text = content.decode("utf-8", "replace")
    if "json" in kind:
        try:
            return "\n".join(_strings(json.loads(text)))
        except ValueError:
            pass
    if "csv" in kind or kind.endswith(".csv"):
        return "\n".join(" ".join(row) for row in csv.reader(io.StringIO(text)))
    if "calendar" in kind:  # unfolded, unescaped
        text = re.sub(r"\r?\n[ \t]", "", text)
        text = text.replace("\\n", " ").replace("\\,", ",").replace("\\;", ";")
    return html.unescape(text)


def leaks(content: bytes, kind: str, looked_for: dict[str, str]) -> set[str]:
    text = flat(readable(content, kind))
    return {note for needle, note in looked_for.items() if needle in text}


def _routes():
    """Every URL pattern: (name to reverse, parameter names)."""
    found = []

    def walk(patterns, namespaces, params):
        for p in patterns:
            names = list(p.pattern.regex.groupindex)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, namespaces + ([p.namespace] if p.namespace else []),
                     params + names)  # fmt: skip
            elif isinstance(p, URLPattern) and p.name:
                found.append((":".join([*namespaces, p.name]), params + names))

    walk(get_resolver().url_patterns, [], [])
    return found


def _samples() -> dict[str, list]:
    """Values for each route parameter: every record of the kind the route names."""
    documents = list(Document.objects.values_list("key", flat=True))
    return {  # the kinds of SAMPLE_KINDS, and one list per other parameter
        "actor_slug": list(Actor.objects.values_list("slug", flat=True)),
        "person_slug": list(Person.objects.values_list("slug", flat=True)),
        "body_slug": list(Body.objects.values_list("slug", flat=True)),
        "initiative_slug": list(Initiative.objects.values_list("slug", flat=True)),
        "priorities_slug": list(Priorities.objects.values_list("slug", flat=True)),
        "meeting_key": list(Meeting.objects.values_list("key", flat=True)),
        "document_key": documents,
        "treaty_key": list(
            Document.objects.filter(treaty__isnull=False).values_list("key", flat=True)
        ),
        "source_key": list(
            Source.objects.exclude(note="", editorial_note="").values_list("key", flat=True)
        ),
        "area_id": list(PriorityArea.objects.values_list("pk", flat=True)),
        "procedure_id": list(Procedure.objects.values_list("pk", flat=True)) or [987654321],
        "number": [1],
        "language": ["en", "ru"],
        "table": list(TABLES),
        # The Secretariat's and the signed-in's own routes: the same answer for any value.
        **{name: [1] for name in OWN_IDS},
        "uidb64": ["MQ"],
        "token": ["not-a-signed-token"],
        "label": ["registry.actor"],
        "app_label": ["registry"],
        **_record_samples(),
    }


def _record_samples() -> dict[str, list]:
    """The records API's ids, one name per kind ("status_id"): the records carrying an
    editorial note (a few of each kind), else the first."""
    from secretariat.records.kinds import kinds

    samples = {}
    for kind in kinds():
        rows = kind.model._default_manager.order_by("pk")
        if any(f.name == "editorial_note" for f in kind.model._meta.fields):
            noted = list(rows.exclude(editorial_note="").values_list("pk", flat=True)[:5])
        else:
            noted = []
        samples[kind.param] = noted or list(rows.values_list("pk", flat=True)[:1]) or [1]
    return samples


SLUG_KINDS = ("person", "body", "initiative", "priorities")
KEY_KINDS = ("source", "meeting", "treaty")
NAMESPACE_KINDS = {"treaties": "treaty", "initiatives": "initiative", "bodies": "meeting"}


def _which(name: str, param: str) -> str:
    """The sample list a route's parameter takes (a slug is an actor's on /actors/...)."""
    namespace, _, short = name.rpartition(":")
    if param not in ("slug", "key"):
        return param
    kinds = SLUG_KINDS if param == "slug" else KEY_KINDS
    for kind in kinds:
        if kind in short:
            return f"{kind}_{param}"
    kind = NAMESPACE_KINDS.get(namespace)
    if kind is not None and f"{kind}_{param}" in SAMPLE_KINDS:
        return f"{kind}_{param}"
    return "actor_slug" if param == "slug" else "document_key"


def _urls(name: str, params: list[str], samples: dict):
    """Each URL of the route, one per record of its kind (the first parameter varies)."""
    if not params:
        yield reverse(name)
        return
    lists = [samples.get(_which(name, p)) for p in params]
    missing = [p for p, values in zip(params, lists, strict=True) if values is None]
    if missing:
        yield None  # the caller fails the walk, asking for a sample
        return
    rest = {p: values[0] for p, values in zip(params[1:], lists[1:], strict=True)}
    for first in lists[0]:
        kwargs = {params[0]: first, **rest}
        try:
            yield reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue


def _closed(response) -> bool:
    """An answer that is the same for every record: sign in first, not yours, no GET."""
    return response.status_code in (302, 401, 403, 405) or (
        response.status_code == 404 and b"sign-in" in response.content
    )


@pytest.fixture(scope="module")
def looked_for(cica, django_db_blocker):
    with django_db_blocker.unblock():
        texts, corpus = editorial_texts(), public_corpus()
    assert len(texts) > 100, len(texts)  # the dataset's editorial notes are on record
    found = needles(texts, corpus)
    assert len(set(found.values())) > 0.9 * len(texts)  # nearly all are looked for
    return found


def test_no_route_shows_an_editorial_note_to_the_public(cica, looked_for):
    """Every page, API answer and download, read by anyone, carries none of them."""
    client = Client(raise_request_exception=False)
    samples = _samples()
    walked, problems, unsampled = 0, [], []
    for name, params in _routes():
        if name.startswith(SKIPPED):
            continue
        for url in _urls(name, params, samples):
            if url is None:
                unsampled.append(f"{name} {params}")
                break
            response = client.get(url)
            walked += 1
            if response.status_code >= 500:
                problems.append(f"GET {url}: {response.status_code}")
                continue
            if getattr(response, "streaming", False):
                content = b"".join(response.streaming_content)
            else:
                content = response.content
            found = leaks(content, response.get("Content-Type", ""), looked_for)
            if found:
                problems.append(f"GET {url} shows {sorted(found)[:2]}")
            if _closed(response):
                break  # the same answer for every other record
    assert not unsampled, f"Add samples for: {unsampled}"
    assert walked > 600, walked
    assert not problems, "\n".join(problems[:30])


@pytest.mark.parametrize("fmt", ["page", "html", "md"])
@pytest.mark.parametrize(
    "period",
    [{"chairmanship": CHAIRMANSHIP}, {"start": "1992-01-01", "end": "2026-12-31"}],
    ids=["chairmanship", "whole-record"],
)
def test_the_public_report_shows_none(cica, looked_for, client, fmt, period):
    """The public report (the page, and its HTML and Markdown downloads), of a chairmanship
    and of the whole record, in English and in Russian."""
    for language in ("en", "ru"):
        response = client.get(
            "/reports/report/",
            {**period, "audience": "public", "language": language, "format": fmt},
        )
        assert response.status_code == 200, response.content[:300]
        assert b"CICA" in response.content or "СВМДА".encode() in response.content
        found = leaks(response.content, response["Content-Type"], looked_for)
        assert not found, sorted(found)[:3]


def test_the_public_report_as_pdf_and_deck_shows_none(cica, looked_for, django_db_blocker):
    """The public report drawn as PDF and as a deck (slides and speaker notes)."""
    with django_db_blocker.unblock():
        report = report_build(
            period=period_for(chairmanship=CHAIRMANSHIP),
            audience=Audience.PUBLIC,
            language="en",
            user=SYSTEM,
        )
        drawn = {"pdf": pdf.render(report), "pptx": pptx.render(report)}
    for fmt, content in drawn.items():
        text = readable(content, fmt)
        assert "Kazakhstan" in text, fmt
        found = leaks(content, fmt, looked_for)
        assert not found, (fmt, sorted(found)[:3])


def test_the_walk_would_see_a_leak(cica, looked_for):
    """The check itself finds an editorial note shown whole, wrapped, escaped or cut."""
    note = next(n for n in looked_for.values() if len(n.split()) > WINDOW + 5)
    words = note.split()
    wrapped = "<p>" + html.escape("\n".join(words[2:]), quote=True) + "</p>"
    assert leaks(wrapped.encode(), "text/html", looked_for) == {note}
    as_json = json.dumps({"items": [{"note": note}]}).encode()
    assert leaks(as_json, "application/json", looked_for) == {note}
    assert not leaks(b"<p>Nothing editorial here.</p>", "text/html", looked_for)


def test_the_full_dump_keeps_every_editorial_note(cica, django_db_blocker):
    """The administrators' dump is the whole record: editorial notes included."""
    from secretariat.exchange import dump

    with django_db_blocker.unblock():
        texts = editorial_texts()
        stream = io.BytesIO()
        dump.export(stream, with_files=False)
    data = stream.getvalue().decode()
    missing = [t for t in texts if json.dumps(t, ensure_ascii=False)[1:-1] not in data]
    assert not missing, missing[:3]
