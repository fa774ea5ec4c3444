"""The floor: each read's answer fetched by hand-written SQL on a bare connection.

The same rows as the API's answer (same filters, order, page size, and the joins that
give the same fields: bodies, meetings, actors, sources, events, versions...), fetched
with as few statements as a careful hand-written program would use, on a connection
kept open, rows decoded to tuples. What the floor does not do is the Python that derives
an answer from the rows (statuses as of a date, ordinals, a document's lifecycle status,
the treaty engine, a procedure's verdict) and the JSON: that, Django and the framework are
what "ours / floor" measures.

Every statement is written with named parameters (`:name`), as SQLite and Datasette take
them; for PostgreSQL they become `%(name)s`. Search is the exception: its SQL is already
hand-written raw SQL in secretariat/search/backends, so its floor replays those very
statements (captured by the probe) without Django.

Each floor function takes a Db and one parameter set and returns the keys to compare with
the API's answer.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import sqlite3

_NAMED = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")


class Db:
    """One connection (SQLite read-only, or PostgreSQL) and what the floor needs to know."""

    def __init__(self, target: dict, context: dict):
        self.vendor = target["vendor"]
        self.context = context
        self.today = context["today"]
        self.ct = context["content_types"]
        if self.vendor == "sqlite":
            self.conn = sqlite3.connect(
                f"file:{target['path']}?mode=ro", uri=True, check_same_thread=False
            )
        else:
            import psycopg

            self.conn = psycopg.connect(target["url"], autocommit=True)
        self._converted: dict[str, str] = {}

    def close(self) -> None:
        self.conn.close()

    def _sql(self, sql: str) -> str:
        if self.vendor == "sqlite":
            return sql
        if sql not in self._converted:
            self._converted[sql] = _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))
        return self._converted[sql]

    def all(self, sql: str, params: dict | None = None) -> list[tuple]:
        cursor = self.conn.cursor()
        try:
            cursor.execute(self._sql(sql), params or {})
            return cursor.fetchall()
        finally:
            cursor.close()

    def raw(self, sql: str, params: list, many: bool = False) -> tuple[list[tuple], list[str]]:
        """A statement as Django sends it (`%s` placeholders), with its column names."""
        if self.vendor == "sqlite":
            sql = sql.replace("%s", "?").replace("%%", "%")
        cursor = self.conn.cursor()
        try:
            if many:
                cursor.executemany(sql, params)
                return [], []
            cursor.execute(sql, params)
            rows = cursor.fetchall() if cursor.description else []
            names = [c[0] for c in cursor.description or ()]
            return rows, names
        finally:
            cursor.close()


def in_list(prefix: str, values) -> tuple[str, dict]:
    """`:p0, :p1, ...` and their values (a never-matching NULL for an empty list)."""
    values = list(values)
    if not values:
        return "NULL", {}
    names = {f"{prefix}{i}": v for i, v in enumerate(values)}
    return ", ".join(f":{n}" for n in names), names


# --- Partial dates, as secretariat.core.partial_dates writes them in SQL -----------------------


def _shift_back(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def bounds(name: str, day: str) -> dict:
    """Parameters of latest_lte for `day`: the day, and the month and year bounds."""
    d = dt.date.fromisoformat(day)
    after = d + dt.timedelta(days=1)
    return {
        f"{name}": day,
        f"{name}_m": _shift_back(after, 1).isoformat(),
        f"{name}_y": _shift_back(after, 12).isoformat(),
    }


def latest_lte(col: str, at: str) -> str:
    """The partial date `col` certainly falls on or before the day (parameters: bounds)."""
    return (
        f"(({col}_precision = 'day' AND {col}_date <= :{at}) "
        f"OR ({col}_precision = 'month' AND {col}_date <= :{at}_m) "
        f"OR ({col}_precision = 'year' AND {col}_date <= :{at}_y))"
    )


def holds(alias: str, at: str = "at") -> str:
    """The span [start, end) possibly holds on the day (q_holds_on)."""
    return (
        f"{alias}.start_date <= :{at} AND ({alias}.end_date IS NULL "
        f"OR NOT {latest_lte(alias + '.end', at)})"
    )


def certainly(alias: str, at: str = "at") -> str:
    return (
        f"{latest_lte(alias + '.start', at)} AND ({alias}.end_date IS NULL "
        f"OR {alias}.end_date > :{at})"
    )


def readable(alias: str, delegate: bool = False) -> str:
    """accounts.policy.documents_q: public, or past its embargo (a member's delegate also
    reads restricted documents)."""
    rule = f"{alias}.access = 'public' OR {alias}.public_from <= :today"
    if delegate:
        rule += f" OR {alias}.access = 'restricted'"
    return f"({rule})"


ACTOR = (
    "{a}.id, {a}.slug, {a}.kind, {a}.name_en, {a}.name_ru, {a}.short_name_en, {a}.iso2, {a}.iso3"
)
MEETING = "{m}.id, {m}.key, {m}.title_en, {m}.ordinal, {m}.formal, {b}.name_en"


def actor(a: str) -> str:
    return ACTOR.format(a=a)


def meeting(m: str, b: str) -> str:
    return MEETING.format(m=m, b=b)


def citations(db: Db, wanted: dict[str, list]) -> list[tuple]:
    """The sources of several records: {"app.model": [ids]}, one statement."""
    parts, params = [], {}
    for n, (model, ids) in enumerate(wanted.items()):
        if not ids:
            continue
        names, values = in_list(f"c{n}_", ids)
        params |= values | {f"ct{n}": db.ct[model]}
        parts.append(f"(c.content_type_id = :ct{n} AND c.object_id IN ({names}))")
    if not parts:
        return []
    return db.all(
        "SELECT c.content_type_id, c.object_id, c.locator, s.key, s.title, s.url, s.publisher, "
        "s.target_id, s.target_type_id FROM core_citation c "
        f"JOIN core_source s ON s.id = c.source_id WHERE {' OR '.join(parts)} ORDER BY c.id",
        params,
    )


def schedules(db: Db, meeting_ids) -> list[tuple]:
    ids = sorted({i for i in meeting_ids if i is not None})
    if not ids:
        return []
    names, params = in_list("m", ids)
    return db.all(
        "SELECT ms.id, ms.meeting_id, ms.kind, ms.start_date, ms.start_precision, ms.end_date, "
        "ms.end_precision, ms.city_en, ms.city_ru, ms.mode, ms.announced_date, "
        f"ms.announced_precision, {actor('c')} FROM bodies_meetingschedule ms "
        f"LEFT JOIN registry_actor c ON c.id = ms.country_id WHERE ms.meeting_id IN ({names}) "
        "ORDER BY ms.id",
        params,
    )


# --- Registry --------------------------------------------------------------------------------

ORDINAL_KINDS = ("member", "observer", "partner", "dialogue_partner")

STATUSES = (
    "SELECT s.id, s.kind, s.start_date, s.start_precision, s.end_date, s.end_precision, s.note, "
    f"s.applied_for, s.outcome, {actor('a')}, {meeting('m', 'mb')}, m.id "
    "FROM registry_status s JOIN registry_actor a ON a.id = s.actor_id "
    "LEFT JOIN bodies_meeting m ON m.id = s.decided_at_id "
    "LEFT JOIN bodies_body mb ON mb.id = m.body_id "
)


def _ordinal_rows(db: Db, kinds) -> list[tuple]:
    """What ordinals are computed from: the series, and every status numbered with them."""
    series = db.all("SELECT slug, label_en, actor_kind, status_kinds FROM registry_ordinalseries")
    names, params = in_list("k", kinds)
    rows = db.all(
        "SELECT s.id, s.kind, a.kind, s.start_date, s.start_precision, s.end_date, "
        "s.end_precision FROM registry_status s JOIN registry_actor a ON a.id = s.actor_id "
        f"WHERE s.kind IN ({names})",
        params,
    )
    return series + rows


def overview(db: Db, item: dict) -> list:
    at = bounds("at", item["at"])
    db.all("SELECT slug, name_en, short_name_en FROM core_organization ORDER BY id LIMIT 1")
    held = db.all(
        STATUSES + "WHERE s.kind IN ('member', 'observer', 'partner') AND " + holds("s")
        + " ORDER BY s.start_date, a.name_en, s.id",
        at,
    )  # fmt: skip
    _ordinal_rows(db, ORDINAL_KINDS)
    chairs = db.all(
        "SELECT c.id, c.kind, c.start_date, c.start_precision, c.end_date, c.end_precision, "
        f"c.decided_on_date, c.decided_on_precision, c.note, {actor('a')}, "
        f"{meeting('dm', 'dmb')}, {meeting('tm', 'tmb')} FROM registry_chairmanship c "
        "JOIN registry_actor a ON a.id = c.actor_id "
        "LEFT JOIN bodies_meeting dm ON dm.id = c.decided_at_id "
        "LEFT JOIN bodies_body dmb ON dmb.id = dm.body_id "
        "LEFT JOIN bodies_meeting tm ON tm.id = c.taken_over_at_id "
        "LEFT JOIN bodies_body tmb ON tmb.id = tm.body_id ORDER BY c.start_date"
    )
    heads = db.all(
        "SELECT h.id, h.title, h.start_date, h.start_precision, h.end_date, h.end_precision, "
        f"h.note, p.id, p.slug, p.name_en, p.name_ru, {actor('n')}, {meeting('m', 'mb')} "
        "FROM registry_secretariathead h JOIN registry_person p ON p.id = h.person_id "
        "LEFT JOIN registry_actor n ON n.id = p.nationality_id "
        "LEFT JOIN bodies_meeting m ON m.id = h.appointed_at_id "
        "LEFT JOIN bodies_body mb ON mb.id = m.body_id ORDER BY h.start_date"
    )
    citations(
        db,
        {
            "registry.status": [r[0] for r in held],
            "registry.chairmanship": [r[0] for r in chairs],
            "registry.secretariathead": [r[0] for r in heads],
        },
    )
    schedules(db, [r[-1] for r in held] + [r[19] for r in heads])
    return [r[10] for r in held if r[1] == "member"]


MEMBERS_PAGE = (
    STATUSES + "WHERE s.kind = 'member' AND {holds} ORDER BY s.start_date, a.name_en, s.id "
    "LIMIT :limit"
)


def members(db: Db, item: dict) -> list:
    at = bounds("at", item["at"])
    db.all(
        "SELECT COUNT(*), SUM(CASE WHEN " + certainly("s") + " THEN 0 ELSE 1 END) "
        "FROM registry_status s WHERE s.kind = 'member' AND " + holds("s"),
        at,
    )
    page = db.all(MEMBERS_PAGE.format(holds=holds("s")), at | {"limit": item["limit"]})
    _ordinal_rows(db, ORDINAL_KINDS)
    citations(db, {"registry.status": [r[0] for r in page]})
    schedules(db, [r[-1] for r in page])
    return [r[10] for r in page]


# --- Meetings --------------------------------------------------------------------------------

# bodies.MeetingDates, the read model of the first day held (else last planned for).
MEETINGS_PAGE = (
    "SELECT m.id, m.key, m.ordinal, m.title_en, m.title_ru, m.formal, m.note, "
    f"b.id, b.slug, b.kind, b.name_en, b.name_ru, {actor('ch')}, md.start AS effective_start "
    "FROM bodies_meeting m JOIN bodies_meetingdates md ON md.meeting_id = m.id "
    "JOIN bodies_body b ON b.id = m.body_id LEFT JOIN registry_actor ch ON ch.id = m.chair_id "
    "WHERE m.body_id = :body_id AND md.start >= :date_from AND md.start <= :date_to "
    "ORDER BY md.start, m.id LIMIT :limit"
)
MEETINGS_COUNT = (
    "SELECT COUNT(*) FROM bodies_meeting m JOIN bodies_meetingdates md ON md.meeting_id = m.id "
    "WHERE m.body_id = :body_id AND md.start >= :date_from AND md.start <= :date_to"
)


def meetings_params(item: dict) -> dict:
    return {
        "body_id": item["body_id"],
        "date_from": f"{item['year']}-01-01",
        "date_to": f"{item['year']}-12-31",
        "limit": item["limit"],
    }


def meetings(db: Db, item: dict) -> list:
    params = meetings_params(item)
    db.all(MEETINGS_COUNT, {k: v for k, v in params.items() if k != "limit"})
    page = db.all(MEETINGS_PAGE, params)
    schedules(db, [r[0] for r in page])
    citations(db, {"bodies.meeting": [r[0] for r in page]})
    return [r[1] for r in page]


# --- Documents -------------------------------------------------------------------------------

DOCUMENT = (
    "d.id, d.key, d.symbol, d.type, d.title_en, d.title_ru, d.access, d.public_from, d.note, "
    f"b.slug, b.kind, b.name_en, {meeting('m', 'mb')}"
)
DOCUMENT_JOINS = (
    "FROM documents_document d LEFT JOIN bodies_body b ON b.id = d.body_id "
    "LEFT JOIN bodies_meeting m ON m.id = d.meeting_id "
    "LEFT JOIN bodies_body mb ON mb.id = m.body_id "
)


def documents_page(item: dict) -> tuple[str, str, dict]:
    """The count and the page (two statements: the page walks the symbol index and stops
    at the limit, which a COUNT(*) OVER () beside it would prevent)."""
    where = [readable("d"), "d.type = :type"]
    params = {"type": item["type"], "limit": item["limit"]}
    if item.get("body_id"):
        where.append("d.body_id = :body_id")
        params["body_id"] = item["body_id"]
    count = f"SELECT COUNT(*) FROM documents_document d WHERE {' AND '.join(where)}"
    sql = (
        f"SELECT {DOCUMENT}, dd.first_day {DOCUMENT_JOINS}"
        "LEFT JOIN documents_documentdates dd ON dd.document_id = d.id "
        f"WHERE {' AND '.join(where)} ORDER BY d.symbol, d.id LIMIT :limit"
    )
    return count, sql, params


def documents(db: Db, item: dict) -> list:
    count, sql, params = documents_page(item)
    params |= {"today": db.today}
    db.all(count, {k: v for k, v in params.items() if k != "limit"})
    page = db.all(sql, params)
    names, ids = in_list("d", [r[0] for r in page])
    db.all(
        "SELECT id, document_id, kind, date_date, date_precision FROM documents_documentevent "
        f"WHERE document_id IN ({names})",
        ids,
    )
    schedules(db, [r[12] for r in page])
    citations(db, {"documents.document": [r[0] for r in page]})
    return [r[1] for r in page]


# rules.LOCKING_KINDS: an event of these kinds on a version locks it.
LOCKING = ", ".join(
    f"'{k}'"
    for k in ("circulated", "agreed", "adopted", "endorsed", "took_note", "signed", "ratified",
              "entered_into_force")
)  # fmt: skip


def document(db: Db, item: dict) -> list:
    found = db.all(
        f"SELECT {DOCUMENT} {DOCUMENT_JOINS} WHERE d.key = :key AND {readable('d')}",
        {"key": item["key"], "today": db.today},
    )
    if not found:
        return []
    doc = found[0][0]
    events = db.all(
        "SELECT e.id, e.kind, e.date_date, e.date_precision, e.deadline, e.note, v.number, "
        f"b.slug, b.kind, b.name_en, {meeting('m', 'mb')}, {actor('a')} "
        "FROM documents_documentevent e "
        "LEFT JOIN documents_documentversion v ON v.id = e.version_id "
        "LEFT JOIN bodies_body b ON b.id = e.body_id "
        "LEFT JOIN bodies_meeting m ON m.id = e.meeting_id "
        "LEFT JOIN bodies_body mb ON mb.id = m.body_id "
        "LEFT JOIN registry_actor a ON a.id = e.actor_id "
        "WHERE e.document_id = :doc ORDER BY e.date_date, e.id",
        {"doc": doc},
    )
    versions = db.all(
        "SELECT v.id, v.number, v.date_date, v.date_precision, v.note, "
        "(EXISTS (SELECT 1 FROM documents_documentevent le WHERE le.version_id = v.id "
        f"AND le.kind IN ({LOCKING})) "
        "OR EXISTS (SELECT 1 FROM decisions_procedure lp WHERE lp.version_id = v.id)) AS locked, "
        "t.language, t.media_type, t.size, t.sha256, t.file FROM documents_documentversion v "
        "LEFT JOIN documents_documenttext t ON t.version_id = v.id "
        "WHERE v.document_id = :doc ORDER BY v.number, t.id",
        {"doc": doc},
    )
    other = "o.id, o.key, o.symbol, o.type, o.title_en, o.access, o.public_from"
    relations = db.all(
        f"SELECT r.id, r.kind, r.note, 0 AS inverse, {other} FROM documents_documentrelation r "
        f"JOIN documents_document o ON o.id = r.to_document_id "
        f"WHERE r.from_document_id = :doc AND {readable('o')} UNION ALL "
        f"SELECT r.id, r.kind, r.note, 1 AS inverse, {other} FROM documents_documentrelation r "
        f"JOIN documents_document o ON o.id = r.from_document_id "
        f"WHERE r.to_document_id = :doc AND {readable('o')}",
        {"doc": doc, "today": db.today},
    )
    circulated = [r[0] for r in events if r[1] == "circulated"]
    if circulated:
        names, ids = in_list("e", circulated)
        db.all(
            f"SELECT r.documentevent_id, {actor('a')} FROM documents_documentevent_recipients r "
            f"JOIN registry_actor a ON a.id = r.actor_id WHERE r.documentevent_id IN ({names})",
            ids,
        )
        db.all(
            f"SELECT f.id, f.circulation_id, f.received_on, {actor('a')} FROM documents_feedback "
            f"f JOIN registry_actor a ON a.id = f.actor_id WHERE f.circulation_id IN ({names})",
            ids,
        )
        db.all(
            "SELECT s.id, s.start_date, s.start_precision, s.end_date, s.end_precision, "
            f"{actor('a')} FROM registry_status s JOIN registry_actor a ON a.id = s.actor_id "
            "WHERE s.kind = 'member'"
        )
    db.all(
        "SELECT v.id, v.field, v.value, v.note, s.key FROM core_variant v "
        "LEFT JOIN core_variant_sources vs ON vs.variant_id = v.id "
        "LEFT JOIN core_source s ON s.id = vs.source_id "
        "WHERE v.content_type_id = :ct AND v.object_id = :doc ORDER BY v.id",
        {"ct": db.ct["documents.document"], "doc": doc},
    )
    schedules(db, [found[0][12]] + [r[10] for r in events])
    citations(
        db,
        {
            "documents.document": [doc],
            "documents.documentevent": [r[0] for r in events],
            "documents.documentrelation": [r[0] for r in relations],
        },
    )
    numbers = sorted({r[1] for r in versions})
    shown = [r[0] for r in events if str(r[2]) <= item["at"]]
    return [f"v{n}" for n in numbers] + [f"e{i}" for i in shown]


# --- Treaties, procedures --------------------------------------------------------------------


def treaty(db: Db, item: dict) -> list:
    found = db.all(
        "SELECT t.id, t.depositary_en, t.depositary_ru, t.opened_date, t.opened_precision, "
        "t.opened_place_en, t.parties, t.eif_instruments, t.eif_kinds, t.eif_delay_days, "
        "t.eif_later_delay_days, t.eif_text, t.note, d.id, d.key, d.symbol, d.title_en, "
        f"d.access, {meeting('m', 'mb')} FROM treaties_treaty t "
        "JOIN documents_document d ON d.id = t.document_id "
        "LEFT JOIN bodies_meeting m ON m.id = t.opened_at_id "
        "LEFT JOIN bodies_body mb ON mb.id = m.body_id "
        f"WHERE d.key = :key AND {readable('d')}",
        {"key": item["key"], "today": db.today},
    )
    if not found:
        return []
    row = found[0]
    actions = db.all(
        "SELECT x.id, x.kind, x.date_date, x.date_precision, x.effective_date, "
        "x.effective_precision, x.domestic_act_en, x.domestic_act_date_date, "
        f"x.domestic_act_date_precision, x.statement, x.note, {actor('a')} "
        "FROM treaties_treatyaction x JOIN registry_actor a ON a.id = x.actor_id "
        "WHERE x.treaty_id = :t ORDER BY x.date_date, x.id",
        {"t": row[0]},
    )
    figures = db.all(
        "SELECT id, metric, as_of_date, as_of_precision, value, note FROM treaties_reportedfigure "
        "WHERE treaty_id = :t ORDER BY as_of_date, metric",
        {"t": row[0]},
    )
    steps = db.all(
        "SELECT n.id, n.position, n.title_en, n.status, n.due_date, n.due_precision, n.done_date, "
        f"n.done_precision, n.responsible_text_en, {actor('a')} FROM checklists_nextstep n "
        "LEFT JOIN registry_actor a ON a.id = n.responsible_id "
        "WHERE n.subject_type_id = :ct AND n.subject_id = :doc ORDER BY n.position",
        {"ct": db.ct["documents.document"], "doc": row[13]},
    )
    schedules(db, [row[18]])
    citations(
        db,
        {
            "treaties.treaty": [row[0]],
            "treaties.treatyaction": [r[0] for r in actions],
            "treaties.reportedfigure": [r[0] for r in figures],
            "checklists.nextstep": [r[0] for r in steps],
        },
    )
    return sorted({r[12] for r in actions})


def procedure(db: Db, item: dict) -> list:
    found = db.all(
        "SELECT p.id, p.kind, p.opened_at, p.deadline, p.note, v.id, v.number, d.id, d.key, "
        f"d.symbol, d.type, d.title_en, d.access, b.slug, b.kind, b.name_en, {meeting('m', 'mb')}, "
        "c.outcome, c.closed_at, c.recorded_at, c.adoption_refused "
        "FROM decisions_procedure p JOIN documents_documentversion v ON v.id = p.version_id "
        "JOIN documents_document d ON d.id = v.document_id JOIN bodies_body b ON b.id = p.body_id "
        "LEFT JOIN bodies_meeting m ON m.id = p.meeting_id "
        "LEFT JOIN bodies_body mb ON mb.id = m.body_id "
        "LEFT JOIN decisions_procedureclosing c ON c.procedure_id = p.id "
        f"WHERE p.id = :id AND {readable('d')}",
        {"id": item["id"], "today": db.today},
    )
    if not found:
        return []
    row = found[0]
    positions = db.all(
        f"SELECT x.id, x.kind, x.stated_at, x.statement, {actor('a')} FROM decisions_position x "
        "JOIN registry_actor a ON a.id = x.actor_id WHERE x.procedure_id = :p "
        "ORDER BY x.stated_at, x.id",
        {"p": row[0]},
    )
    day = str(row[2])[:10]
    db.all(
        "SELECT s.id, s.start_date, s.start_precision, s.end_date, s.end_precision, "
        f"{actor('a')} FROM registry_status s JOIN registry_actor a ON a.id = s.actor_id "
        "WHERE s.kind = 'member' AND " + holds("s") + " ORDER BY a.name_en",
        bounds("at", day),
    )
    schedules(db, [row[16]])
    citations(db, {"decisions.procedure": [row[0]]})
    return [r[0] for r in positions]


# --- Search ----------------------------------------------------------------------------------


def search(db: Db, item: dict, *, delegate: bool = False) -> list:
    """The search backend's own statements, as the probe captured them, replayed."""
    statements = db.context["search_statements"]["delegate" if delegate else "public"]
    ranked: list[int] = []
    keys: dict[int, str] = {}
    for sql, params, many in statements[item["q"]]:
        rows, names = db.raw(sql, params, many)
        if "ROW_NUMBER() OVER" in sql:
            ranked = [r[0] for r in rows]
        elif names[:2] == ["id", "kind"] and "key" in names:
            at = names.index("key")
            keys = {r[0]: r[at] for r in rows}
    return [keys.get(pk) for pk in ranked]


def search_delegate(db: Db, item: dict) -> list:
    return search(db, item, delegate=True)
