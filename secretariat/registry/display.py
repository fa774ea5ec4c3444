"""How the app's records are shown on pages: labels and presenting helpers."""

from __future__ import annotations

from django.utils.translation import get_language, gettext_lazy, pgettext_lazy

from secretariat.bodies.display import present_meeting
from secretariat.core.partial_dates import Certainty

from .models import Chairmanship, SecretariatHead, Status
from .selectors import Ordinal, StatusAt

STATUS_FILTERS = [
    ("all", gettext_lazy("All standings")),
    (Status.Kind.MEMBER, gettext_lazy("Member States")),
    (Status.Kind.OBSERVER, gettext_lazy("Observers")),
    (Status.Kind.PARTNER, gettext_lazy("Partners")),
    (Status.Kind.APPLICANT, gettext_lazy("Applicants")),
    (Status.Kind.DIALOGUE_PARTNER, gettext_lazy("Dialogue partners")),
]
STATUS_LABELS = {
    Status.Kind.MEMBER: gettext_lazy("Member State"),
    Status.Kind.OBSERVER: gettext_lazy("Observer"),
    Status.Kind.PARTNER: gettext_lazy("Partner"),
    Status.Kind.APPLICANT: gettext_lazy("Applicant"),
    Status.Kind.DIALOGUE_PARTNER: gettext_lazy("Dialogue partner"),
}
OUTCOMES = {
    Status.Outcome.PENDING: gettext_lazy("pending"),
    Status.Outcome.GRANTED: gettext_lazy("granted"),
    Status.Outcome.WITHDRAWN: gettext_lazy("withdrawn"),
    Status.Outcome.REJECTED: gettext_lazy("rejected"),
}
# Nouns of ordinals ("28th Member State") without a Russian label in an OrdinalSeries.
ORDINAL_NOUNS = {
    "Member State": pgettext_lazy("ordinal noun", "Member State"),
    "Observer": pgettext_lazy("ordinal noun", "Observer"),
    "Partner Organization": pgettext_lazy("ordinal noun", "Partner Organization"),
    "Observer Organization": pgettext_lazy("ordinal noun", "Observer Organization"),
    "Partner State": pgettext_lazy("ordinal noun", "Partner State"),
    "Dialogue partner": pgettext_lazy("ordinal noun", "Dialogue partner"),
}
TERM_KINDS = {
    Chairmanship.Kind.TERM: gettext_lazy("term"),
    Chairmanship.Kind.EXTENSION: gettext_lazy("extension"),
    Chairmanship.Kind.RENEWAL: gettext_lazy("renewal"),
}
HEAD_TITLES = {
    SecretariatHead.Title.EXECUTIVE_DIRECTOR: gettext_lazy("Executive Director"),
    SecretariatHead.Title.SECRETARY_GENERAL: gettext_lazy("Secretary General"),
}
TREATY_ACTIONS = {
    "signature": gettext_lazy("signature"),
    "signature_withdrawal": gettext_lazy("withdrawal of signature"),
    "ratification": gettext_lazy("ratification"),
    "acceptance": gettext_lazy("acceptance"),
    "approval": gettext_lazy("approval"),
    "accession": gettext_lazy("accession"),
    "succession": gettext_lazy("succession"),
    "reservation": gettext_lazy("reservation"),
    "declaration": gettext_lazy("declaration"),
    "objection": gettext_lazy("objection"),
    "reservation_withdrawal": gettext_lazy("withdrawal of a reservation"),
    "denunciation": gettext_lazy("denunciation"),
}
CBM_ROLES = {
    "coordinator": gettext_lazy("coordinator"),
    "co_coordinator": gettext_lazy("co-coordinator"),
}
POSITIONS = {
    "support": gettext_lazy("support / no objection"),
    "objection": gettext_lazy("objection"),
    "withdrawal": gettext_lazy("withdrawal of an objection"),
    "reservation": gettext_lazy("joins consensus with a reservation"),
    "interpretative": gettext_lazy("joins consensus with an interpretative statement"),
    "comment": gettext_lazy("comment"),
}


def _lang() -> str:
    return (get_language() or "en")[:2]


def ordinal_label(ordinal: Ordinal | None, nouns: dict[str, str]) -> str:
    """ "28th Member State" in the page's language ("28-е государство-член"); a range when the
    record cannot tell the place. `nouns`: the organization's Russian nouns (ordinal_nouns)."""
    if ordinal is None:
        return ""
    if _lang() != "ru":
        return ordinal.label
    noun = nouns.get(ordinal.noun) or str(ORDINAL_NOUNS.get(ordinal.noun, ordinal.noun))
    first = noun.split()[0].split("-")[0].lower()
    # The ending agrees with the noun: государство -> 28-е, организация -> 6-я, else 10-й.
    ending = "-е" if first.endswith(("о", "е")) else "-я" if first.endswith(("а", "я")) else "-й"
    if ordinal.exact:
        return f"{ordinal.number}{ending} {noun}"
    return f"{ordinal.number}{ending}–{ordinal.upto}{ending} {noun}"


def status_row(item: StatusAt, nouns: dict[str, str]) -> dict:
    """What a table row shows of a status on a date."""
    status = item.status
    present_meeting(status.decided_at)
    return {
        "status": status,
        "actor": status.actor,
        "label": STATUS_LABELS.get(status.kind, status.kind),
        "ordinal": ordinal_label(item.ordinal, nouns),
        "certain": item.certainty is Certainty.YES,
        "holds": item.certainty is not Certainty.NO,
        "applied_for": STATUS_LABELS.get(status.applied_for, "") if status.applied_for else "",
        "outcome": OUTCOMES.get(status.outcome, "") if status.outcome else "",
    }
