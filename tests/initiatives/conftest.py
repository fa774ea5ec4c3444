"""A small world: states, an organization, a fund, a forum with meetings, an initiative."""

from types import SimpleNamespace

import pytest

from secretariat.initiatives import services


@pytest.fixture
def world(build):
    w = SimpleNamespace(build=build, src=[build.source])
    w.kz = build.actor("kazakhstan")
    build.status(w.kz, "member", "1999")
    w.cn = build.actor("china")
    build.status(w.cn, "member", "1999")
    w.ma = build.actor("morocco")
    build.status(w.ma, "applicant", "2023-05", applied_for="observer", outcome="pending")
    w.un = build.actor("un", kind="organization", name_en="United Nations")
    w.sco = build.actor("sco", kind="organization", name_en="SCO")
    build.status(w.sco, "partner", "2010")
    w.ttf = build.body("think-tank-forum", kind="institution", name_en="Think Tank Forum")
    w.fund = build.body("cica-fund", kind="institution", name_en="CICA Fund")
    w.soc = build.body("soc", kind="senior_officials_committee", name_en="SOC")
    for n in range(1, 4):
        build.meeting(
            f"ttf-{n}", w.ttf, ordinal=n, schedule=[{"kind": "held", "start": f"202{n}-06-01"}]
        )
    build.meeting("ttf-4", w.ttf, ordinal=4, schedule=[{"kind": "planned", "start": "2030-01"}])
    w.soc1 = build.meeting(
        "soc-1", w.soc, ordinal=1, schedule=[{"kind": "held", "start": "2022-10-12"}]
    )
    w.initiative, _ = services.initiative_upsert(
        slug="pnlu",
        title_en="Partner Network of Leading Universities",
        proposer_actor=w.kz,
        launched_at=w.soc1,
        sources=w.src,
    )
    return w


def event(w, kind, date, initiative=None, **kw):
    return services.initiative_event_upsert(
        initiative=initiative or w.initiative, kind=kind, date=date, sources=w.src, **kw
    )[0]
