"""Answers declared once (core.answers): what `build` reads for each kind of field, and
that the dict it builds is what the schema declares."""

from __future__ import annotations

from types import SimpleNamespace as Obj
from typing import Annotated

import pytest
from ninja import Field
from pydantic import ValidationError

from secretariat.core.answers import Answer, From
from secretariat.core.partial_dates import PartialDate
from secretariat.core.schemas import PartialDateOut


class Ref(Answer):
    slug: str
    name: Annotated[str, From("name_en")]
    short: Annotated[str | None, From("short_en")] = None


class Item(Ref):
    inherited_from = "holder"
    since: Annotated[PartialDateOut, From("start")]
    place: Annotated[str | None, From("venue.city")] = None
    rank: Annotated[int, From(lambda item, *, offset: item.n + offset, context=True)]


class Group(Answer):
    lead: Ref | None = None
    items: list[Item]
    count: Annotated[int, From(lambda group: len(group.items))]


def actor(slug="kz", name="Kazakhstan", short=""):
    return Obj(slug=slug, name_en=name, short_en=short)


def item(n=1, venue=None):
    return Obj(holder=actor(), start=PartialDate.parse("2021-06"), venue=venue, n=n)


def test_attributes_paths_and_functions_are_read_and_blank_text_is_absent():
    built = Item.build(item(venue=Obj(city="Astana")), context={"offset": 10})
    assert built == {
        "slug": "kz",  # inherited: read from item.holder
        "name": "Kazakhstan",
        "short": None,  # "" is absent
        "since": {
            "value": "2021-06",
            "precision": "month",
            "earliest": PartialDate.parse("2021-06").earliest,
            "latest": PartialDate.parse("2021-06").latest,
            "display": "June 2021",
        },
        "place": "Astana",
        "rank": 11,
    }
    assert list(built) == list(Item.model_fields)  # the schema's order


def test_a_path_through_none_is_none():
    assert Item.build(item(venue=None), context={"offset": 0})["place"] is None


def test_nested_answers_and_lists_are_built_and_given_values_replace_getters():
    group = Obj(lead=None, items=[item(1), item(2)])
    built = Group.build(group, context={"offset": 0})
    assert built["lead"] is None and built["count"] == 2
    assert [i["rank"] for i in built["items"]] == [1, 2]  # the context travels down
    given = Group.build(group, context={"offset": 0}, lead=actor("cn", "China"), count=7)
    assert given["lead"] == {"slug": "cn", "name": "China", "short": None}
    assert given["count"] == 7


def test_a_dict_is_taken_as_an_answer_already_built():
    made = {"slug": "x", "name": "X", "short": None}
    assert Group.build(Obj(lead=made, items=[]))["lead"] is made


def test_what_is_built_is_what_the_schema_declares():
    built = Group.build(Obj(lead=actor(), items=[item()]), context={"offset": 3})
    assert Group.model_validate(built).model_dump() == built
    with pytest.raises(ValidationError):
        Group.model_validate({**built, "count": "many"})


def test_a_missing_attribute_is_an_error_not_a_silent_default():
    with pytest.raises(AttributeError):
        Ref.build(Obj(slug="kz"))


class Span(Answer):
    from_: Annotated[str, From("start")] = Field(alias="from")


def test_a_field_with_an_alias_is_answered_under_it():
    assert Span.build(Obj(start="2021")) == {"from": "2021"}
    assert Span.model_validate(Span.build(Obj(start="2021"))).from_ == "2021"
