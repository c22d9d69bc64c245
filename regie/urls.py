"""The URLconf: each app's pages as it registered them (``regie.core.plugins``), then Django's."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.utils.module_loading import import_string
from django.views.generic import RedirectView

from regie.api import api
from regie.core import plugins

urlpatterns = [
    path("", import_string(plugins.declared("home_view")), name="home"),
    *(
        path(mount.prefix, include(mount.module))
        for contribution in plugins.contributions()
        for mount in contribution.urls
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico whatever the page links; the icon is a static SVG.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg")), name="favicon"),
]
