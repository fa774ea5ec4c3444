"""`secretariat treaty-status`: the table as text or JSON; clear errors on bad input."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("treaty_status", *args, stdout=out)
    return out.getvalue()


def test_the_table_as_text(world):
    world.signed_and_ratified(world.alpha, "2010-06-08", "2011-01-10")
    world.act(world.beta, "accession", "2011")
    world.act(world.gamma, "signature", "2010-06-08")
    world.figure("signed_and_ratified", "2011-06", 10)
    text = run("convention-2010", "--at", "2011-07-01")
    lines = text.splitlines()
    assert lines[0] == "EXO/CONV/2010/1 Convention EXO/CONV/2010/1"
    assert lines[1] == "As of 2011-07-01: Not in force."
    assert lines[2].startswith("Participant  Signature")
    assert lines[3].split("  ")[0] == "Alpha"
    assert "2011 a" in lines[4]
    assert "parties: 1 (1 uncertain)" in text
    assert "instruments still required: 2 (1 uncertain)" in text
    assert "Reported signed and ratified (DIFFERS): The source counts 10 as of June 2011" in text


def test_the_table_as_json(world):
    world.act(world.alpha, "accession", "2011-01-10")
    data = json.loads(run("convention-2010", "--at", "2012-01-01", "--json"))
    assert data["table"][0]["participant"]["slug"] == "alpha"
    assert data["table"][0]["marker"] == "a"
    assert data["at"] == "2012-01-01"


@pytest.mark.parametrize(
    "args, message",
    [
        (["no-such-treaty"], "No treaty for document 'no-such-treaty'."),
        (
            ["convention-2010", "--at", "2024-02-30"],
            "--at “2024-02-30” is not a day of the calendar",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(world, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
