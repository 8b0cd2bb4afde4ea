"""The two public faces (no login): «Помощь рядом» and the family's page."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ochag.access import ratelimit
from ochag.support import selectors
from ochag.support.forms import DirectoryForm, FamilyCodeForm
from ochag.support.services.family import family_page_open

# Wrong codes per hour from one address (and from everyone) before the page stops checking
# codes: a code has 31^12 values, so guessing one is hopeless within these limits.
FAMILY_CODE_LIMIT = ratelimit.Limit(
    scope="family-page", per_address=10, overall=500, window=dt.timedelta(hours=1)
)


@login_not_required
def help_directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None, municipalities=selectors.public_municipalities())
    query = selectors.DirectoryQuery()
    if form.is_valid():
        data = form.cleaned_data
        query = selectors.DirectoryQuery(
            municipality=data["municipality"],
            type_id=data["type"].pk if data["type"] else None,
            format=data["format"],
            free_only=data["free"],
            text=data["q"].strip(),
        )
    services = selectors.public_directory(query)
    return render(
        request,
        "support/help.html",
        {"form": form, "services": services[:200], "count": services.count()},
    )


@login_not_required
def family_page(request: HttpRequest) -> HttpResponse:
    """The code is posted, never put in a URL (it would stay in logs and browser history)."""
    form = FamilyCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if ratelimit.exhausted(request, FAMILY_CODE_LIMIT):
            form.add_error(None, _("Too many attempts. Please try again in an hour."))
        else:
            link = family_page_open(code=form.cleaned_data["code"])
            if link is not None:
                response = render(
                    request,
                    "support/family_page.html",
                    {"page": selectors.family_page(link), "expires_at": link.expires_at},
                )
                response["Cache-Control"] = "no-store"
                return response
            ratelimit.take(request, FAMILY_CODE_LIMIT)
            # The same words for a wrong, expired or revoked code.
            form.add_error(
                "code",
                _(
                    "This code does not open a page. Check it against your slip, or ask your "
                    "curator for a new one."
                ),
            )
    return render(request, "support/family_code.html", {"form": form})
