import hashlib
import secrets
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regie.core.permissions import Role


class RegieUserManager(UserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: object
    ) -> "User":
        """``createsuperuser`` makes a technical administrator, the role with no binding."""
        extra.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    """A person who logs in. The role and its binding decide what they see (``visible_to``)."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("The regie area this user works in."),
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("Partners and counsellors work for one organisation."),
    )
    person = models.OneToOneField(
        "registry.Person",
        verbose_name=_("person in the registry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
        help_text=_("Links follow-ups and meetings of this person to the account."),
    )
    municipality = models.ForeignKey(
        "registry.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("Viewers see the aggregates of one municipality."),
    )

    objects: ClassVar[RegieUserManager] = RegieUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.COORDINATOR) | Q(region__isnull=False),
                name="coordinator_has_region",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.PARTNER) | Q(organisation__isnull=False),
                name="partner_has_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.COUNSELLOR) | Q(organisation__isnull=False),
                name="counsellor_has_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.VIEWER) | Q(municipality__isnull=False),
                name="viewer_has_municipality",
            ),
        ]


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored; the token itself is shown once."""

    PREFIX = "regie_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} – {self.name or self.pk}"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def generate_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)
