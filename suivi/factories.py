"""factory_boy factories for tests about behaviour (the CIEC data is for tests about the CIEC).

Every factory writes through ``recording.change`` as a technical operation, so the
history rows it leaves name a change set, like everything else in the database.
Territories are reference data loaded once per test session: pass them by code.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from suivi.catalogue.models import Axis, Measure, Programme
from suivi.contributions.models import Role, RoleKind
from suivi.contributions.recording import change
from suivi.contributions.workflow import Status
from suivi.indicators.models import Indicator, Observation
from suivi.initiatives.models import Initiative
from suivi.sources.models import Origin
from suivi.territories.models import Territory


def recorded():
    """A recorded change for test set-up that writes models directly."""
    return change(None, Origin.SYSTEM, "Données de test")


class RecordedFactory(DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with change(None, Origin.SYSTEM, "Données de test"):
            return super()._create(model_class, *args, **kwargs)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"agent{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gouv.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password("mot-de-passe-de-test")


class ProgrammeFactory(RecordedFactory):
    class Meta:
        model = Programme

    slug = factory.Sequence(lambda n: f"programme-{n}")
    name = factory.Sequence(lambda n: f"Programme numéro {n}")
    short_name = factory.Sequence(lambda n: f"P{n}")


class AxisFactory(RecordedFactory):
    class Meta:
        model = Axis

    programme = factory.SubFactory(ProgrammeFactory)
    slug = factory.Sequence(lambda n: f"axe-{n}")
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Axe {n}")


class MeasureFactory(RecordedFactory):
    class Meta:
        model = Measure

    axis = factory.SubFactory(AxisFactory)
    programme = factory.SelfAttribute("axis.programme")
    slug = factory.Sequence(lambda n: f"mesure-{n}")
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Mesure numéro {n}")
    summary = "Une mesure de test."


class IndicatorFactory(RecordedFactory):
    class Meta:
        model = Indicator

    measure = factory.SubFactory(MeasureFactory)
    slug = factory.Sequence(lambda n: f"indicateur-{n}")
    name = factory.Sequence(lambda n: f"Indicateur {n}")
    unit = "jeunes"


class ObservationFactory(RecordedFactory):
    class Meta:
        model = Observation

    indicator = factory.SubFactory(IndicatorFactory)
    territory_id = "fr"
    date = datetime.date(2016, 12, 31)
    value = Decimal(100)
    status = Status.PUBLISHED


class InitiativeFactory(RecordedFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    slug = factory.Sequence(lambda n: f"initiative-{n}")
    title = factory.Sequence(lambda n: f"Initiative numéro {n}")
    body = "Une initiative de test."
    status = Status.PUBLISHED

    @factory.post_generation
    def measures(self, create, extracted, **kwargs):
        if create and extracted:
            with change(None, Origin.SYSTEM, "Données de test"):
                self.measures.set(extracted)

    @factory.post_generation
    def territories(self, create, extracted, **kwargs):
        if create and extracted:
            with change(None, Origin.SYSTEM, "Données de test"):
                self.territories.set(Territory.objects.filter(code__in=extracted))


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = Role
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    kind = RoleKind.CONTRIBUTOR
    programme = factory.SubFactory(ProgrammeFactory)

    @factory.post_generation
    def measures(self, create, extracted, **kwargs):
        if create and extracted:
            self.measures.set(extracted)

    @factory.post_generation
    def territories(self, create, extracted, **kwargs):
        if create and extracted:
            self.territories.set(Territory.objects.filter(code__in=extracted))
