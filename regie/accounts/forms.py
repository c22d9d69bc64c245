from typing import Any

from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError

from regie.accounts import throttling
from regie.accounts.models import User
from regie.core.forms import StyledFormMixin


class LoginForm(StyledFormMixin, AuthenticationForm):
    def clean(self) -> dict[str, Any]:  # Any: Django's cleaned_data
        if throttling.address_blocked(self.request):
            raise ValidationError(throttling.ADDRESS_BLOCKED_MESSAGE, code="address_blocked")
        return super().clean()


class StyledPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    pass


class StyledPasswordResetForm(StyledFormMixin, PasswordResetForm):
    pass


class StyledSetPasswordForm(StyledFormMixin, SetPasswordForm[User]):
    pass
