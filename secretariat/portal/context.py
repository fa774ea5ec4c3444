"""What every page's layout needs: the as-of date and the navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from secretariat.core import as_of as dates

# (url name, label): the sections of the site, in the order of the menu.
SECTIONS = [
    ("portal:home", _("Overview")),
    ("registry:members", _("Members and partners")),
    ("bodies:meetings", _("Meetings")),
    ("documents:list", _("Documents")),
    ("decisions:procedures", _("Procedures")),
    ("treaties:list", _("Treaties")),
    ("programme:catalogue", _("CBMs")),
    ("programme:roadmap", _("Road map")),
    ("initiatives:board", _("Initiatives")),
    ("reports:index", _("Reports")),
    ("search:search", _("Search")),
]


def portal(request):
    # A page whose view did not read `at` refuses a bad one here, as it renders.
    at = dates.as_of(request)
    return {
        "at": at,
        "at_param": (request.GET.get("at") or "").strip(),
        "sections": SECTIONS,
    }
