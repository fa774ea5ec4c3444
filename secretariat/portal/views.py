"""Portal pages (the full portal comes with its own issue)."""

from django.shortcuts import render

from secretariat.registry.presenters import overview_dict
from secretariat.registry.selectors import overview_at


def home(request):
    return render(request, "portal/home.html", {"overview": overview_dict(overview_at())})
