"""Log lines as `key=value` pairs (readable) or one JSON object each (LOG_FORMAT=json).

Settings' LOGGING names these classes; the module imports nothing of Django's or ours,
as logging is configured before the apps load. A line's fields are its message and
whatever the caller passed as `extra`, plus the id of the request it was logged in.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from contextvars import ContextVar

# The id of the request being answered in this thread, for every line logged meanwhile
# (set by operations.middleware).
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
# The health answers (operations.views): asked every few seconds, they read nothing.
PROBES = frozenset({"/healthz", "/readyz"})

# A record's own attributes; any other is a field the caller passed in `extra`.
_STANDARD = {
    *vars(logging.LogRecord("", 0, "", 0, "", (), None)),
    "message", "asctime", "taskName", "request_id",
    "request",  # Django's request object (logger django.request): its id is the field
}  # fmt: skip


class RequestIdFilter(logging.Filter):
    """Stamps each record with the current request's id (None outside a request), or
    that of the request it names: Django logs a 4xx or 5xx answer (logger
    django.request) once the middlewares are done, with the request in `extra`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            named = getattr(getattr(record, "request", None), "request_id", None)
            record.request_id = named or request_id.get()
        return True


class ProbeFilter(logging.Filter):
    """Drops Django's own line for a health answer (logger django.request: /readyz
    answered 503): an orchestrator asks every few seconds, and the failing check has
    already logged what fails (operations.health)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(getattr(record, "request", None), "path", None) not in PROBES


def fields(record: logging.LogRecord) -> dict:
    """What a line says, in order: when, how grave, who logged it, the message, the
    request, then the caller's own fields."""
    when = dt.datetime.fromtimestamp(record.created, dt.UTC)
    out = {
        "time": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "level": record.levelname,
        "logger": record.name,
        "msg": record.getMessage(),
    }
    if (rid := getattr(record, "request_id", None)) is not None:
        out["request_id"] = rid
    out.update((k, v) for k, v in vars(record).items() if k not in _STANDARD)
    return out


class JsonFormatter(logging.Formatter):
    """One JSON object per line: what a log collector parses without a pattern."""

    def format(self, record: logging.LogRecord) -> str:
        out = fields(record)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            out["exc"] = record.exc_text
        return json.dumps(out, default=str, ensure_ascii=False)


class KeyValueFormatter(logging.Formatter):
    """`key=value` pairs on one line (logfmt), a traceback on the lines below it."""

    def format(self, record: logging.LogRecord) -> str:
        line = " ".join(f"{key}={_value(value)}" for key, value in fields(record).items())
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        elif record.exc_text:
            line += "\n" + record.exc_text
        return line


def _value(value) -> str:
    if value is None:
        return "-"
    text = str(value)
    if text and not any(c.isspace() or c in '"=\\' for c in text):
        return text
    return json.dumps(text, ensure_ascii=False)
