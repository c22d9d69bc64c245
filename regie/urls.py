from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from regie.api import api
from regie.registry import views as registry_views

urlpatterns = [
    path("", registry_views.home, name="home"),
    path("registry/", include("regie.registry.urls")),
    path("network/", include("regie.network.urls")),
    path("knowledge/", include("regie.network.knowledge_urls")),
    path("plans/", include("regie.plans.urls")),
    path("clients/", include("regie.clients.urls")),
    path("rounds/", include("regie.logistics.urls")),
    path("", include("regie.network.event_urls")),
    path("accounts/", include("regie.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico whatever the page links; the icon is a static SVG.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg")), name="favicon"),
]
