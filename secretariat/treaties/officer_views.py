"""The officers' page of treaties: record a state's action on a treaty, from its page.

Thin: the form parses, treaties.services judges the action among the state's others and
saves it, `form_page` answers; the treaty's page then derives its status anew.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from secretariat.records.pages import (
    Action,
    actions_for,
    form_page,
    next_url,
    officer_page,
    officer_required,
)

from . import selectors, services
from .models import Treaty
from .officer_forms import TreatyActionForm


def _treaty_url(treaty: Treaty) -> str:
    return reverse("treaties:detail", kwargs={"key": treaty.document.key})


@actions_for("treaties.treaty")
def _treaty_actions(treaty: Treaty) -> list[Action]:
    url = reverse("treaties:action_new", kwargs={"key": treaty.document.key})
    return [Action(_("Record a treaty action"), url)]


@officer_required
@officer_page
def action_new(request, key: str):
    """A state's signature, instrument, statement or denunciation."""
    # No key is so long or holds a NUL (which PostgreSQL refuses in a query).
    ok = len(key) <= 200 and "\x00" not in key
    treaty = selectors.treaty_get(key, user=request.user) if ok else None
    if treaty is None:
        raise Http404(_("No such treaty."))
    form = TreatyActionForm(request.POST or None)

    def write(form):
        data = form.cleaned_data
        return services.treaty_action_add(
            treaty=treaty, actor=data["actor"], kind=data["kind"], date=data["date"],
            effective=data["effective"], domestic_act_en=data["domestic_act_en"],
            domestic_act_ru=data["domestic_act_ru"],
            domestic_act_date=data["domestic_act_date"], statement=data["statement"],
            sources=form.sources(),
        )  # fmt: skip

    return form_page(
        request, form, write=write, done=lambda _action: next_url(request, _treaty_url(treaty)),
        title=_("Record a treaty action: %(symbol)s") % {"symbol": treaty.document.symbol},
        intro=_("The action is judged with the state's other actions on the treaty (a "
                "ratification follows a signature; a party does not accede again); the status "
                "and entry into force are derived anew."),
        back=next_url(request, _treaty_url(treaty)),
        message=_("The action is on record."), submit=_("Record the action"),
    )  # fmt: skip
