"""The declared shape of every dataset file (data/README.md): its fields, their types and
which are required, checked before anything is saved.

Each file is validated as a whole with pydantic in strict mode, so a number, a boolean, a
list or a mapping where a name is expected is refused, never turned into text; unknown
fields are refused; dates are quoted partial dates that exist; keys and slugs match their
pattern; choices are the models' own. A refusal names the file, the line and the field
(`refusal`). What a single record cannot tell (a reference to another record, a status
that overlaps another, a lifecycle that moves backwards) stays with the loader and the
services.
"""

from typing import Any

from pydantic import TypeAdapter, ValidationError

from .refusals import refusal
from .shapes import (
    Actor,
    Body,
    Chairmanship,
    Checklist,
    Document,
    Figure,
    Head,
    Initiatives,
    Meeting,
    Organization,
    Programme,
    Source,
    Treaty,
)

FILES: dict[str, TypeAdapter] = {
    "sources.yaml": TypeAdapter(list[Source]),
    "organization.yaml": TypeAdapter(Organization),
    "actors.yaml": TypeAdapter(list[Actor]),
    "bodies.yaml": TypeAdapter(list[Body]),
    "meetings.yaml": TypeAdapter(list[Meeting]),
    "chairmanships.yaml": TypeAdapter(list[Chairmanship]),
    "heads.yaml": TypeAdapter(list[Head]),
    "documents.yaml": TypeAdapter(list[Document]),
    "treaties.yaml": TypeAdapter(list[Treaty]),
    "checklists.yaml": TypeAdapter(list[Checklist]),
    "programme.yaml": TypeAdapter(Programme),
    "initiatives.yaml": TypeAdapter(Initiatives),
    "figures.yaml": TypeAdapter(list[Figure]),
}
SECTIONED = {"programme.yaml", "initiatives.yaml"}  # mappings of sections, not of fields


def check(name: str, data: Any) -> None:
    """Refuse the file's first problem (file:line, field, reason) as a DatasetError."""
    adapter = FILES.get(name)
    if adapter is None or (isinstance(data, dict | list) and not data and name in SECTIONED):
        return
    try:
        adapter.validate_python(data)
    except ValidationError as exc:
        raise refusal(
            name, data, exc.errors(include_url=False), sectioned=name in SECTIONED
        ) from None
