"""Work hooked before a commit (core.db.precommit) runs inside the transaction, once, just
before it commits; a rollback drops it; a hook that fails fails the commit."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from secretariat.core.db import precommit
from secretariat.core.models import Source
from secretariat.records.services import source_upsert

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_hook_writes_in_the_transaction_just_before_it_commits(monkeypatch):
    committed = []
    commit = connection._commit
    monkeypatch.setattr(connection, "_commit", lambda: committed.append(1) or commit())
    seen = []

    def hook():
        seen.append((len(committed), Source.objects.count()))
        source_upsert(key="written-by-the-hook", title="Written by the hook")  # a savepoint

    with transaction.atomic():
        source_upsert(key="first", title="First")
        precommit.before_commit(hook)
        precommit.before_commit(hook)  # the same hook twice: once
        with transaction.atomic():
            source_upsert(key="second", title="Second")
        assert seen == []
    assert seen == [(0, 2)]  # before the COMMIT, seeing the block's writes
    assert committed == [1]  # one commit carried the hook's write too
    assert set(Source.objects.values_list("key", flat=True)) == {
        "first", "second", "written-by-the-hook"
    }  # fmt: skip


def test_a_rollback_drops_the_hooks():
    seen = []
    with pytest.raises(RuntimeError), transaction.atomic():
        precommit.before_commit(lambda: seen.append("dropped"))
        raise RuntimeError
    with transaction.atomic():
        source_upsert(key="next", title="Next")
    assert seen == []


def test_a_failing_hook_fails_the_commit_and_nothing_is_saved():
    def broken():
        raise ValueError("the hook broke")

    with pytest.raises(ValueError, match="the hook broke"), transaction.atomic():
        source_upsert(key="lost", title="Lost")
        precommit.before_commit(broken)
    assert not Source.objects.filter(key="lost").exists()
    assert precommit.pending() == []
    source_upsert(key="after", title="After")  # the connection is usable again
    assert Source.objects.filter(key="after").exists()


def test_hooks_may_hook_more_and_use_on_commit():
    order = []

    def second():
        order.append("second")
        transaction.on_commit(lambda: order.append("after commit"))

    with transaction.atomic():
        precommit.before_commit(lambda: order.append("first") or precommit.before_commit(second))
    assert order == ["first", "second", "after commit"]


def test_outside_a_transaction_a_hook_runs_at_once():
    seen = []
    precommit.before_commit(lambda: seen.append(connection.get_autocommit()))
    assert seen == [True]
