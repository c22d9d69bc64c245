from django.db import transaction
from django.utils import timezone

from regie.accounts.models import ApiToken, User
from regie.core.audit import log_action


@transaction.atomic
def api_token_create(*, user: User, name: str = "", actor: User | None = None) -> str:
    """Create a token for ``user`` and return the only copy of its secret."""
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash(key))
    log_action(actor=actor or user, action="api_token.create", target=token)
    return key


def api_token_authenticate(*, key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
