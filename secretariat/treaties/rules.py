"""What a treaty, a treaty action and a reported figure must be, checked before every save.

Model.clean() delegates here, so the admin, the services and the loader refuse the
same things with the same words. A state's actions are judged as a whole, in date
order, with the new one in its place: a signature entered after a ratification it
must precede is accepted, and a change that would leave another action without its
ground (a signature moved after the ratification) is refused. Only what is certainly
impossible is refused: with partial dates, "not certainly after" is enough.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError

from secretariat.core.partial_dates import Certainty, PartialDate, certainly_before
from secretariat.documents.models import Document
from secretariat.registry.models import Actor, Status
from secretariat.registry.selectors import statuses_at

from . import engine
from .models import Treaty, TreatyAction

TREATY_TYPES = (Document.Type.AGREEMENT, Document.Type.CONVENTION)
LABELS = dict(TreatyAction.Kind.choices)


def label(kind: str) -> str:
    return LABELS.get(kind, kind).split(" (")[0]


def _what(act: engine.Act, name: Callable[[engine.Act], str]) -> str:
    return f"{name(act)}'s {label(act.kind)} of {act.date.display()}"


def _precedes(a: engine.Act, b: engine.Act) -> bool:
    """a may come before (or on the day of) b: it is not certainly after it."""
    return a.date.earliest <= b.date.latest


def sequence_problems(
    acts: Iterable[engine.Act], name: Callable[[engine.Act], str]
) -> list[tuple[engine.Act, str]]:
    """Every action of one state that its other actions leave without ground, with why.

    Pure: the same set of actions gives the same answer in any order.
    """
    acts = engine.ordered(acts)
    problems: list[tuple[engine.Act, str]] = []
    for act in acts:
        if act.kind in engine.ONCE:
            other = next((a for a in acts if a.kind == act.kind and a is not act), None)
            if other is not None:
                problems.append(
                    (
                        act,
                        f"{name(act)} already has a {label(act.kind)} on record "
                        f"({other.date.display()}): a state makes it only once.",
                    )
                )
    signatures = [a for a in acts if a.kind == engine.SIGNATURE]
    withdrawals = [a for a in acts if a.kind == engine.SIGNATURE_WITHDRAWAL]
    consents = [a for a in acts if a.kind in engine.CONSENT]
    for act in acts:
        if act.kind in engine.AFTER_SIGNATURE:
            # With no signature on record at all the record is only incomplete (the
            # state signed on a day not given); a signature on record after it is wrong.
            if signatures and not any(_precedes(s, act) for s in signatures):
                problems.append(
                    (
                        act,
                        f"{_what(act, name)} follows no signature: ratification, "
                        "acceptance and approval follow a signature (a state "
                        "that has not signed accedes).",
                    )
                )
            elif any(certainly_before(w.date, act.date) for w in withdrawals):
                problems.append(
                    (
                        act,
                        f"{_what(act, name)} comes after {name(act)} withdrew its "
                        "signature: it may accede instead.",
                    )
                )
        elif act.kind == engine.SIGNATURE_WITHDRAWAL:
            if not any(_precedes(s, act) for s in signatures):
                problems.append(
                    (act, f"{_what(act, name)}: there is no signature before it to withdraw.")
                )
            party = next((c for c in consents if _precedes(c, act)), None)
            if party is not None:
                problems.append(
                    (
                        act,
                        f"{_what(act, name)} comes after {_what(party, name)}: "
                        "a party denounces the treaty instead.",
                    )
                )
        elif act.kind == engine.RESERVATION_WITHDRAWAL:
            if not any(a.kind == engine.RESERVATION and _precedes(a, act) for a in acts):
                problems.append(
                    (
                        act,
                        f"{_what(act, name)}: {name(act)} made no reservation "
                        "before it to withdraw.",
                    )
                )
        elif (
            act.kind == engine.DENUNCIATION
            and act.effective is not None
            and certainly_before(act.effective, act.date)
        ):
            problems.append(
                (
                    act,
                    f"{_what(act, name)} takes effect on "
                    f"{act.effective.display()}, before it was made.",
                )
            )
    # Instruments and denunciations alternate: a party cannot consent again, a
    # non-party cannot denounce.
    bound_by: engine.Act | None = None
    for act in acts:
        if act.kind in engine.CONSENT:
            if bound_by is not None:
                problems.append(
                    (
                        act,
                        f"{_what(act, name)}: {name(act)} is already a party by "
                        f"its {label(bound_by.kind)} of "
                        f"{bound_by.date.display()}.",
                    )
                )
            else:
                bound_by = act
        elif act.kind == engine.DENUNCIATION:
            if bound_by is None:
                problems.append(
                    (
                        act,
                        f"{_what(act, name)}: {name(act)} is not a party, and "
                        "only a party denounces a treaty.",
                    )
                )
            bound_by = None
    return problems


def _actor_name(act: engine.Act) -> str:
    return str(act.ref.actor) if act.ref is not None else str(act.actor)


def check_treaty(treaty: Treaty) -> None:
    """The document is an agreement or a convention; the rule names known instruments."""
    if treaty.document_id is not None and treaty.document.type not in TREATY_TYPES:
        raise ValidationError(
            {
                "document": f"{treaty.document.symbol} is a {treaty.document.get_type_display()}: "
                "a treaty is an agreement or a convention."
            }
        )
    kinds = treaty.eif_kinds
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        raise ValidationError({"eif_kinds": "List the instruments that count: [ratification]."})
    unknown = [k for k in kinds if k not in engine.CONSENT]
    if unknown:
        raise ValidationError(
            {
                "eif_kinds": f"Unknown instrument: {', '.join(unknown)}; use "
                f"{', '.join(engine.CONSENT)}."
            }
        )
    if treaty.eif_instruments is None and (kinds or treaty.eif_later_delay_days is not None):
        raise ValidationError(
            {"eif_instruments": "An entry-into-force rule needs the number of instruments."}
        )
    if treaty.pk is None:
        return
    actions = list(treaty.actions.select_related("actor"))
    opened = treaty.opened
    if opened is not None:
        early = next((a for a in actions if certainly_before(a.date, opened)), None)
        if early is not None:
            raise ValidationError(
                {
                    "opened": f"{early.actor}'s {label(early.kind)} is dated "
                    f"{early.date.display()}, before {opened.display()}: the treaty was open "
                    "for signature by then."
                }
            )
    if treaty.parties == Treaty.Parties.MEMBER_STATES:
        for action in actions:
            if action.kind in engine.CONSENT:
                _check_may_be_party(treaty, action.actor, action.kind, action.date)


def _check_may_be_party(treaty: Treaty, actor: Actor, kind: str, date: PartialDate) -> None:
    """Under parties=member_states, the state is (possibly) a member on the day it deposits."""
    held = Certainty.NO
    for day in sorted({date.earliest, date.latest}):
        for item in statuses_at(day, kind=Status.Kind.MEMBER):
            if item.status.actor_id == actor.pk and item.certainty is not Certainty.NO:
                held = item.certainty if held is Certainty.NO else held
    if held is Certainty.NO:
        raise ValidationError(
            f"{actor} was not a member state on {date.display()}: only member states may "
            f"become parties to {treaty.document.symbol}, so its {label(kind)} is refused."
        )


def check_action(action: TreatyAction) -> None:
    """Whether this action may stand among the state's other actions on the treaty."""
    if action.treaty_id is None or action.actor_id is None or action.date is None:
        return  # the fields refuse what is missing
    if action.kind not in TreatyAction.Kind.values:
        return  # the field's choices refuse it
    treaty, actor, date = action.treaty, action.actor, action.date
    if action.effective is not None and action.kind != TreatyAction.Kind.DENUNCIATION:
        raise ValidationError({"effective": "Only a denunciation has an effective date."})
    opened = treaty.opened
    if opened is not None and certainly_before(date, opened):
        raise ValidationError(
            {
                "date": f"{actor}'s {label(action.kind)} is dated {date.display()}, before the "
                f"treaty was opened for signature ({opened.display()})."
            }
        )
    if action.kind in (engine.SIGNATURE, *engine.CONSENT) and actor.kind != Actor.Kind.STATE:
        raise ValidationError(f"{actor} is not a state: only states sign and become parties.")
    if action.kind in engine.CONSENT and treaty.parties == Treaty.Parties.MEMBER_STATES:
        _check_may_be_party(treaty, actor, action.kind, date)
    others = TreatyAction.objects.filter(treaty=treaty, actor=actor).select_related("actor")
    if action.pk is not None:
        others = others.exclude(pk=action.pk)
    check_sequence([*(o.as_act() for o in others), action.as_act()], new=action)


def check_sequence(acts: list[engine.Act], *, new: TreatyAction | None) -> None:
    """Refuse the first problem of a state's actions; the new action's own if it has one."""
    problems = sequence_problems(acts, _actor_name)
    if not problems:
        return
    own = [message for act, message in problems if act.ref is new]
    if own or new is None:
        raise ValidationError((own or [problems[0][1]])[0])
    message = problems[0][1]
    raise ValidationError(f"With this {label(new.kind)} of {new.date.display()}: {message}")


def check_removal(action: TreatyAction) -> None:
    """Whether the action may be deleted without leaving another without its ground."""
    others = TreatyAction.objects.filter(treaty_id=action.treaty_id, actor_id=action.actor_id)
    problems = sequence_problems(
        [o.as_act() for o in others.exclude(pk=action.pk).select_related("actor")], _actor_name
    )
    if problems:
        raise ValidationError(
            f"Deleting {action.actor}'s {label(action.kind)} of {action.date.display()} would "
            f"leave the record inconsistent: {problems[0][1]}"
        )


def check_figure(treaty: Treaty, figure) -> None:
    """A figure reported about the treaty is dated no earlier than the treaty was opened."""
    if figure.as_of is None:
        return
    opened = treaty.opened
    if opened is not None and certainly_before(figure.as_of, opened):
        raise ValidationError(
            {
                "as_of": f"The figure is reported as of {figure.as_of.display()}, before the "
                f"treaty was opened for signature ({opened.display()})."
            }
        )
