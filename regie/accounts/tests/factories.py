import factory
from factory.django import DjangoModelFactory, Password

from regie.accounts.models import Role, User

PASSWORD = "regie-test-wachtwoord"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.VIEWER
    password = Password(PASSWORD)
