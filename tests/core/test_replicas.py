"""Reads go to a replica, except where they must see the primary: during and just after
a write, inside a transaction, and outside requests."""

import pytest
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from secretariat.core.replicas import PINNED, ReplicaMiddleware, ReplicaRouter
from secretariat.registry.models import Actor

ROUTER = ReplicaRouter()


@pytest.fixture
def two_replicas(settings):
    # Aliases only: the router never connects, it names where a query goes.
    settings.DATABASE_REPLICAS = ["replica1", "replica2"]
    settings.REPLICA_PIN_SECONDS = 10


def _serve(request):
    """What the router answered for a read made by the view, and the response."""
    seen = {}

    def view(request):
        seen["read"] = ROUTER.db_for_read(Actor)
        seen["write"] = ROUTER.db_for_write(Actor)
        return HttpResponse("ok")

    response = ReplicaMiddleware(view)(request)
    return seen, response


def test_a_safe_request_reads_from_a_replica_and_writes_to_the_primary(two_replicas):
    seen, response = _serve(RequestFactory().get("/members/"))
    assert seen["read"] in {"replica1", "replica2"}
    assert seen["write"] == DEFAULT_DB_ALIAS
    assert PINNED not in response.cookies


def test_a_write_reads_from_the_primary_and_pins_the_client(two_replicas):
    seen, response = _serve(RequestFactory().post("/api/v1/documents"))
    assert seen["read"] == DEFAULT_DB_ALIAS
    assert response.cookies[PINNED]["max-age"] == 10


def test_a_client_that_just_wrote_reads_its_own_write_from_the_primary(two_replicas):
    request = RequestFactory().get("/documents/")
    request.COOKIES[PINNED] = "1"
    seen, _ = _serve(request)
    assert seen["read"] == DEFAULT_DB_ALIAS


@pytest.mark.django_db
def test_reads_inside_a_transaction_see_the_primary(two_replicas):
    def view(request):
        with transaction.atomic():
            inside = ROUTER.db_for_read(Actor)
        return HttpResponse(inside)

    response = ReplicaMiddleware(view)(RequestFactory().get("/"))
    assert response.content.decode() == DEFAULT_DB_ALIAS


def test_outside_a_request_and_without_replicas_everything_is_the_primary(settings):
    assert ROUTER.db_for_read(Actor) == DEFAULT_DB_ALIAS
    seen, response = _serve(RequestFactory().post("/x"))
    assert seen["read"] == DEFAULT_DB_ALIAS
    assert PINNED not in response.cookies  # no replicas: nothing to pin a client away from


def test_only_the_primary_is_migrated(two_replicas):
    assert ROUTER.allow_migrate(DEFAULT_DB_ALIAS, "documents")
    assert not ROUTER.allow_migrate("replica1", "documents")
