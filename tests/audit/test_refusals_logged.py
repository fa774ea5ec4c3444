"""A refused write is logged at INFO, naming who tried, on which record and why; the
refusal still reaches the caller and nothing is written."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from secretariat.core.acting import acting_as
from secretariat.core.models import Source
from secretariat.records import services as records


def _refusals(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage() == "write refused"]


def test_a_write_the_policy_refuses_is_logged_with_who_and_why(team, build, caplog):
    source = Source.objects.get(pk=build.source.pk)
    source.title = "Rewritten by a reader"
    with (
        caplog.at_level(logging.INFO, logger="secretariat.records.services"),
        acting_as(team.reader, via="web"),
        pytest.raises(PermissionDenied),
    ):
        records.validated_save(source)
    (line,) = _refusals(caplog)
    assert line.levelno == logging.INFO
    assert (line.verb, line.record, line.record_id) == ("save", "core.source", source.pk)
    assert (line.refusal, line.user_id, line.via) == ("PermissionDenied", team.reader.pk, "web")
    assert "may not change" in line.reason
    assert Source.objects.get(pk=source.pk).title != "Rewritten by a reader"


def test_a_write_with_bad_values_is_logged_with_the_message(build, caplog):
    source = Source.objects.get(pk=build.source.pk)
    source.key = "Not A Key!"
    with (
        caplog.at_level(logging.INFO, logger="secretariat.records.services"),
        pytest.raises(ValidationError),
    ):
        records.validated_save(source)
    (line,) = _refusals(caplog)
    assert (line.refusal, line.via, line.user_id) == ("ValidationError", "system", None)
    assert "lowercase" in line.reason or "slug" in line.reason.lower()


def test_a_write_that_lands_logs_no_refusal(build, caplog):
    with caplog.at_level(logging.INFO, logger="secretariat.records.services"):
        records.source_upsert(key="fine", title="A fine source")
    assert _refusals(caplog) == []
