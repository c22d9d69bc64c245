import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from regie.plans import models
from regie.registry.models import Pillar
from regie.registry.tests.factories import RegionFactory


class ActionFactory(DjangoModelFactory[models.Action]):
    class Meta:
        model = models.Action
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    pillar = factory.LazyFunction(lambda: Pillar.objects.get(code="OD-1"))
    title = factory.Sequence(lambda n: f"Actie {n}")
    year = 2020
    last_year = factory.LazyAttribute(lambda action: action.year)
    status_since = datetime.date(2020, 1, 6)

    @factory.post_generation
    def partner_organisations(obj: models.Action, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            obj.partner_organisations.set(extracted)


class GrantFactory(DjangoModelFactory[models.Grant]):
    class Meta:
        model = models.Grant
        django_get_or_create = ("region", "year")

    region = factory.SubFactory(RegionFactory)
    year = 2020
    amount = Decimal("75000.00")


class BudgetLineFactory(DjangoModelFactory[models.BudgetLine]):
    class Meta:
        model = models.BudgetLine

    grant = factory.SubFactory(GrantFactory)
    title = factory.Sequence(lambda n: f"Budgetlijn {n}")
    amount = Decimal("5000.00")


class ExpenseFactory(DjangoModelFactory[models.Expense]):
    class Meta:
        model = models.Expense

    grant = factory.SubFactory(GrantFactory)
    date = factory.LazyAttribute(lambda expense: datetime.date(expense.grant.year, 6, 1))
    amount = Decimal("100.00")
    supplier = factory.Sequence(lambda n: f"Leverancier {n}")
    description = "Zaalhuur"
    status = models.ExpenseStatus.PAID


class CarryOverFactory(DjangoModelFactory[models.CarryOver]):
    class Meta:
        model = models.CarryOver

    region = factory.SubFactory(RegionFactory)
    year = 2020
    amount = Decimal("1000.00")
    justification = "Uitgestelde acties door corona."
