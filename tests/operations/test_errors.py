"""Error reporting is optional: off without SENTRY_DSN; with a DSN but no SDK installed,
the process refuses to start and says what to install, rather than lose every report."""

from __future__ import annotations

import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from secretariat.operations import errors


def test_no_dsn_no_reporting(settings):
    settings.SENTRY_DSN = ""
    assert errors.start_reporting() is False


def test_a_dsn_without_the_sdk_stops_the_start(settings, monkeypatch):
    settings.SENTRY_DSN = "https://key@errors.example.org/1"
    monkeypatch.setitem(sys.modules, "sentry_sdk", None)  # as if not installed
    with pytest.raises(ImproperlyConfigured, match=r"pip install 'secretariat\[sentry\]'"):
        errors.start_reporting()
