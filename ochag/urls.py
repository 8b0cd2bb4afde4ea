"""Root URL configuration: each app mounts its own URLs under its prefix."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from ochag.api import api
from ochag.support.urls import public_urlpatterns as support_public

urlpatterns = [
    path("", include("ochag.core.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("account/", include("ochag.access.urls")),
    path("audit/", include("ochag.access.audit_urls")),
    path("calendar/", include("ochag.access.calendar_urls")),
    path("registry/", include("ochag.registry.urls")),
    path("signals/", include("ochag.signals.urls")),
    path("cases/", include("ochag.cases.urls")),
    path("support/", include("ochag.support.urls")),
    path("care/", include("ochag.care.urls")),
    path("databank/", include("ochag.databank.urls")),
    path("monitoring/", include("ochag.monitoring.urls")),
    # «Помощь рядом» and the family's page: public, no login.
    path("", include((support_public, "support"), namespace="help")),
    # The API authenticates per agency token itself, not with the staff session.
    path("api/", api.urls),
]

handler400 = "ochag.core.views.error_400"
handler403 = "ochag.core.views.error_403"
handler404 = "ochag.core.views.error_404"
handler500 = "ochag.core.views.error_500"
