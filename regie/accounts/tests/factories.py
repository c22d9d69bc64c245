import factory
from factory.django import DjangoModelFactory, Password

from regie.accounts.models import User
from regie.core.permissions import Role

PASSWORD = "regie-test-wachtwoord"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.VIEWER
    password = Password(PASSWORD)
