"""The values a dataset holds: text, keys, partial dates, amounts, the models' own choices.

Custom errors carry a predicate ("must be a key ...") that `refusals` puts after the
field's name."""

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from pydantic import (
    Field,
    PlainValidator,
)
from pydantic_core import PydanticCustomError

from secretariat.bodies import models as bodies
from secretariat.checklists.models import NextStep
from secretariat.core.models import AccessLevel, slug_validator
from secretariat.core.partial_dates import PartialDate
from secretariat.documents import models as documents
from secretariat.figures.models import SUBJECT_MEASURES, Measure
from secretariat.initiatives import models as initiatives
from secretariat.programme import models as programme
from secretariat.registry import models as registry
from secretariat.treaties import models as treaties

from ..yamlfile import Items, UnquotedDate

MAX_COUNT = 2**31 - 1  # the database's integer
MAX_AMOUNT = Decimal(10) ** 12  # the contribution column holds 14 digits, 2 after the point
KEY = re.compile(slug_validator.regex.pattern)

# Custom errors carry a predicate ("must be a key ...") that `refusal` puts after the
# field's name; the types in WRONG_TYPE also say what was found instead.


def _text(value: object) -> str:
    if not isinstance(value, str) or isinstance(value, UnquotedDate):
        raise PydanticCustomError("string_type", "must be text")
    return value


def _key(value: object) -> str:
    if not isinstance(value, str) or isinstance(value, UnquotedDate):
        raise PydanticCustomError("key_type", "must be a key")
    if not KEY.match(value):
        raise PydanticCustomError(
            "key_pattern",
            "is '{value}', not a key: lowercase letters, digits and single dashes, "
            "e.g. 'saudi-arabia'",
            {"value": value},
        )
    return value


def _date(value: object) -> str:
    if not isinstance(value, str) or isinstance(value, UnquotedDate):
        raise PydanticCustomError(
            "date_type", 'must be a quoted date: "2021", "2021-06" or "2021-06-15"'
        )
    try:
        PartialDate.parse(value)
    except DjangoValidationError as exc:
        raise PydanticCustomError("date_value", " ".join(exc.messages)) from None
    return value


def _full_date(value: object) -> str:
    if not PartialDate.parse(_date(value)).is_exact:
        raise PydanticCustomError("full_date", "must be a full date (YYYY-MM-DD)")
    return value


def _choice(values: Iterable[str]):
    allowed = list(values)

    def check(value: object) -> str:
        if not isinstance(value, str) or isinstance(value, UnquotedDate):
            raise PydanticCustomError("string_type", "must be text")
        if value not in allowed:
            raise PydanticCustomError(
                "choice",
                "is '{value}'; it must be one of: {allowed}",
                {"value": value, "allowed": ", ".join(allowed)},
            )
        return value

    return Annotated[str, PlainValidator(check)]


def _amount(value: object) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("number_type", "must be a number")
    exact = Decimal(str(value))
    if not 0 <= exact < MAX_AMOUNT or exact.as_tuple().exponent < -2:
        raise PydanticCustomError(
            "amount", "must be an amount from 0 to {most}, with at most two decimals",
            {"most": f"{MAX_AMOUNT:,}"},
        )  # fmt: skip
    return value


def _year(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1000 <= value <= 9999:
        raise PydanticCustomError("year_type", "must be a year of four digits")
    return value


def variant_value(value: object) -> object:
    if isinstance(value, bool | UnquotedDate) or not isinstance(value, str | int | float):
        raise PydanticCustomError("variant_type", "must be text or a number (quote a date)")
    return value


def one_or_many(value: object) -> object:
    return Items([value]) if isinstance(value, str) else value


def all_or_actors(value: object) -> object:
    if value == "all":
        return None
    if isinstance(value, str):
        raise PydanticCustomError("from_type", "is 'all' or a list of actors")
    return value


def _never(reason: str):
    def refuse(value: object) -> None:
        raise PydanticCustomError("reason", reason)

    return Annotated[Any, PlainValidator(refuse)]


Text = Annotated[str, PlainValidator(_text)]
Key = Annotated[str, PlainValidator(_key)]
Keys = list[Key]
Date = Annotated[str, PlainValidator(_date)]
FullDate = Annotated[str, PlainValidator(_full_date)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]  # 0, 1, 2...: a figure's value
Number = Annotated[int, Field(ge=1, le=MAX_COUNT)]  # 1, 2, 3...: an ordinal, a position
Amount = Annotated[int | float, PlainValidator(_amount)]
Year = Annotated[int, PlainValidator(_year)]

# The models' own choices.
AccessChoice = _choice(AccessLevel.values)
MeasureChoice = _choice(Measure.values)
StepStatus = _choice(NextStep.Status.values)
TreatyMetric = _choice(SUBJECT_MEASURES["treaties.treaty"])
BodyKind = _choice(bodies.Body.Kind.values)
BodyEventKind = _choice(bodies.BodyEvent.Kind.values)
ParticipantRole = _choice(bodies.MeetingParticipant.Role.values)
ScheduleKind = _choice(bodies.MeetingSchedule.Kind.values)
ScheduleMode = _choice(bodies.MeetingSchedule.Mode.values)
DocumentType = _choice(documents.Document.Type.values)
DocumentEventKind = _choice(documents.DocumentEvent.Kind.values)
RelationKind = _choice(documents.DocumentRelation.Kind.values)
FundProjectStatus = _choice(initiatives.FundProject.Status.values)
InitiativeKind = _choice(initiatives.Initiative.Kind.values)
InitiativeEventKind = _choice(initiatives.InitiativeEvent.Kind.values)
PartnershipEventKind = _choice(initiatives.PartnershipEvent.Kind.values)
CbmEventKind = _choice(programme.CbmEvent.Kind.values)
CoordinatorRoleKind = _choice(programme.CoordinatorRole.Role.values)
TaskStatus = _choice(programme.Task.Status.values)
ActorKind = _choice(registry.Actor.Kind.values)
ChairmanshipKind = _choice(registry.Chairmanship.Kind.values)
HeadTitle = _choice(registry.SecretariatHead.Title.values)
StatusKind = _choice(registry.Status.Kind.values)
StatusOutcome = _choice(registry.Status.Outcome.values)
TreatyParties = _choice(treaties.Treaty.Parties.values)
TreatyActionKind = _choice(treaties.TreatyAction.Kind.values)
NotInAVariant = _never(
    "a variant's 'note' is editorial already (never shown to the public): write it as 'note'"
)
