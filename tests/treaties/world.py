"""A small organization and a convention open for signature on 8 June 2010.

The rule: the 3rd instrument of ratification, acceptance, approval or accession
brings it into force on the 30th day after its deposit; 30 days for later states.
"""

from __future__ import annotations

from secretariat.documents.services import document_upsert
from secretariat.treaties import services


class World:
    """Members alpha..epsilon since 2000, zeta a member from 2015, an outsider, a union."""

    def __init__(self, build):
        self.build = build
        b = build
        self.members = [
            b.actor(slug, name_en=slug.title()) for slug in ("alpha", "beta", "gamma", "delta")
        ]
        self.alpha, self.beta, self.gamma, self.delta = self.members
        self.epsilon = b.actor("epsilon", name_en="Epsilon")
        self.members.append(self.epsilon)
        for state in self.members:
            b.status(state, "member", "2000-01-01")
        self.zeta = b.actor("zeta", name_en="Zeta")
        b.status(self.zeta, "member", "2015-03-01")
        self.outsider = b.actor("outsider", name_en="Outsider")
        self.union = b.actor("union", kind="organization", name_en="Union")
        self.document = self.doc("convention-2010", "EXO/CONV/2010/1")
        self.treaty = self.make_treaty(self.document)

    def doc(self, key, symbol, *, type="convention", access="public"):
        document, _ = document_upsert(
            key=key, symbol=symbol, type=type, title_en=f"Convention {symbol}", access=access,
            sources=[self.build.source],
        )  # fmt: skip
        return document

    def make_treaty(self, document, **kw):
        values = {
            "depositary_en": "EXO Secretariat",
            "opened": "2010-06-08",
            "opened_place_en": "Istanbul",
            "parties": "member_states",
            "eif_instruments": 3,
            "eif_kinds": ["ratification", "acceptance", "approval", "accession"],
            "eif_delay_days": 30,
            "eif_later_delay_days": 30,
            "eif_text": "on the thirtieth day after the deposit of the third instrument",
        }
        treaty, _ = services.treaty_upsert(
            document=document, sources=[self.build.source], **{**values, **kw}
        )
        return treaty

    def act(self, actor, kind, date, treaty=None, **kw):
        action, _ = services.treaty_action_upsert(
            treaty=treaty or self.treaty, actor=actor, kind=kind, date=date,
            sources=[self.build.source], **kw,
        )  # fmt: skip
        return action

    def signed_and_ratified(self, actor, signed, ratified, treaty=None):
        self.act(actor, "signature", signed, treaty)
        return self.act(actor, "ratification", ratified, treaty)

    def figure(self, metric, as_of, value, treaty=None):
        figure, _ = services.reported_figure_upsert(
            treaty=treaty or self.treaty, metric=metric, as_of=as_of, value=value,
            sources=[self.build.source],
        )  # fmt: skip
        return figure
