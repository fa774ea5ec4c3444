"""URL map: the admin, the API under /api/v1/, and the portal pages."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from .api import api
from .operations import views as operations

urlpatterns = [
    # For load balancers and orchestrators: the process is up; it can serve (docs/deploy.md).
    path("healthz", operations.healthz, name="healthz"),
    path("readyz", operations.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    # Browsers ask for it whatever the page says.
    path("favicon.ico", RedirectView.as_view(url=static("portal/favicon.svg"), permanent=True)),
    path("api/v1/", api.urls),
    path("search/", include("secretariat.search.urls")),
    path("accounts/", include("secretariat.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("history/", include("secretariat.audit.urls")),
    path("notices/", include("secretariat.notices.urls")),
    path("reports/", include("secretariat.reports.urls")),
    path("", include("secretariat.exchange.urls")),
    # The portal's pages, each app's own: members and actors, bodies and meetings,
    # documents, procedures, treaties, the programme, initiatives and relations.
    path("", include("secretariat.registry.urls")),
    path("", include("secretariat.bodies.urls")),
    path("", include("secretariat.documents.urls")),
    path("", include("secretariat.decisions.urls")),
    path("", include("secretariat.treaties.urls")),
    path("", include("secretariat.programme.urls")),
    path("", include("secretariat.initiatives.urls")),
    path("", include("secretariat.portal.urls")),
]

# A busy database met outside a view (in a middleware) is a 503 too (core.busy).
handler500 = "secretariat.core.busy.server_error"
# A body too large (413) and a bad `?at=` (400) said in words, not a bare "Bad Request".
handler400 = "secretariat.portal.errors.bad_request"
