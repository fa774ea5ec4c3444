"""The CICA dataset's two kinds of note: a public note speaks to a reader about the
organization (no source key, no field name, nothing of how the dataset was built); what
is about the sources' reading, judgement calls and modelling is an editorial note. And the
Chairmanship's presentation is cited as a reader would cite it."""

from __future__ import annotations

import re

import pytest
import yaml
from django.apps import apps

from secretariat.core.models import Source, Sourced
from secretariat.documents.models import DocumentVersion

from ..conftest import CICA

SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")  # entry_into_force, dialogue_partner
SEED = re.compile(r"\bseeds?\b", re.IGNORECASE)
PRESENTATION = "cica-achievements-2020-2024"


def _yaml(name: str):
    return yaml.safe_load((CICA / name).read_text())


def source_keys() -> set[str]:
    return {s["key"] for s in _yaml("sources.yaml")}


def yaml_notes() -> list[tuple[str, str, str]]:
    """(file, where, text) of every note in the dataset's files, by its kind: the public
    `note` of every record (a variant's is editorial by nature, so left out) and the
    `editorial_note`."""
    found = []

    def walk(node, path, name):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("note", "editorial_note") and isinstance(value, str):
                    if not (key == "note" and "variants" in path):
                        found.append((key, f"{name}:{'/'.join(map(str, path))}", value))
                else:
                    walk(value, [*path, key], name)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, [*path, i], name)

    for path in sorted(CICA.glob("*.yaml")):
        walk(yaml.safe_load(path.read_text()), [], path.name)
    return found


def problems_of(text: str, keys: set[str]) -> list[str]:
    """What a public note must not say: a source key, a field name, "the seed"."""
    found = [f"field name '{m}'" for m in SNAKE.findall(text)]
    words = set(re.findall(r"[\w-]+", text))
    found += [f"source key '{k}'" for k in sorted(keys & words)]
    if SEED.search(text):
        found.append("'seed'")
    return found


def sentences(text: str) -> list[str]:
    """The sentences of a note long enough to be recognised elsewhere."""
    return [s.strip() for s in re.split(r"(?<=\.)\s+", text) if len(s.split()) >= 6]


def test_public_notes_of_the_dataset_speak_to_a_reader():
    """No public note in the YAML names a source key, a field or the seed."""
    keys = source_keys()
    bad = [
        f"{where}: {problems}"
        for kind, where, text in yaml_notes()
        if kind == "note" and (problems := problems_of(text, keys))
    ]
    assert not bad, "\n".join(bad)


def test_no_public_note_repeats_an_editorial_one():
    """No sentence of an editorial note is published as (part of) a public note."""
    notes = yaml_notes()
    editorial = {s for kind, _, text in notes if kind == "editorial_note" for s in sentences(text)}
    bad = [
        f"{where}: {s!r}"
        for kind, where, text in notes
        if kind == "note"
        for s in editorial
        if s in text
    ]
    assert not bad, "\n".join(bad)


def test_both_kinds_are_used():
    """The dataset's remarks on its own making are kept, as editorial notes."""
    kinds = [kind for kind, _, _ in yaml_notes()]
    assert kinds.count("editorial_note") > 150
    assert kinds.count("note") > 200


@pytest.mark.django_db
def test_public_notes_on_record_speak_to_a_reader(cica):
    """Loaded, no record's or source's public note (nor a version's) names a source key, a
    field or the seed."""
    keys = set(Source.objects.values_list("key", flat=True))
    notes = [(f"source {s.key}", s.note) for s in Source.objects.exclude(note="")]
    notes += [(f"version {v.pk}", v.note) for v in DocumentVersion.objects.exclude(note="")]
    for model in apps.get_models():
        if issubclass(model, Sourced):
            rows = model._default_manager.exclude(note="").values_list("pk", "note")
            notes += [(f"{model._meta.label} {pk}", note) for pk, note in rows]
    assert len(notes) > 200
    bad = [f"{where}: {problems}" for where, text in notes if (problems := problems_of(text, keys))]
    assert not bad, "\n".join(bad)


@pytest.mark.django_db
def test_the_presentation_is_cited_as_a_reader_would(cica):
    """The Chairmanship's presentation of 2024 is named by its title and its publisher, under
    a key that says what it is; its first key is gone."""
    source = Source.objects.get(key=PRESENTATION)
    assert source.title == (
        "CICA Achievements 2020-2024, presentation of the Chairmanship of Kazakhstan, 2024"
    )
    assert source.publisher == "CICA Chairmanship of Kazakhstan"
    assert str(source.published) == "2024-09"
    assert source.citations.count() > 100
    assert not Source.objects.filter(key__contains="seed").exists()
    old = [
        f"{path.name}: {line.strip()}"
        for path in sorted(CICA.glob("*.yaml"))
        for line in path.read_text().splitlines()
        if "seed-achievements-2020-2024" in line and not line.lstrip().startswith("formerly:")
    ]
    assert not old, "the presentation's first key is cited still:\n" + "\n".join(old)
