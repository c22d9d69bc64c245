from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "regie.clients"
    label = "clients"
    verbose_name = _("Clients")

    def ready(self) -> None:
        # Without the key no national number can be stored or read: refuse to start at all.
        if not settings.DEBUG and getattr(settings, "REGIE_INSZ_KEY", None) is None:
            raise ImproperlyConfigured(
                "REGIE_INSZ_KEY must be set when DEBUG is off: base64 of 32 random bytes, e.g. "
                "python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())'"
            )
