"""factory-boy factories for the domain models."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from qicollab.accounts.models import Person
from qicollab.collaborative.models import Theme, ThemePrinciple, Workstream
from qicollab.organisations.models import (
    Affiliation,
    Collaborative,
    CollaborativeMembership,
    CollaborativeRole,
    NationalProgramme,
    Organisation,
    Unit,
)
from qicollab.projects.models import Project

PASSWORD = "correct-horse-battery-staple"
_B36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.nhs.uk")
    full_name = factory.Faker("name", locale="en_GB")
    job_title = "Ward manager"

    @factory.post_generation
    def password(obj: Person, create: bool, extracted: str | None, **kwargs: object) -> None:
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Testshire Partnership NHS Trust {n}")
    slug = factory.Sequence(lambda n: f"testshire-{n}")
    org_type = "nhs_trust"
    # Trust-shaped codes R<digit><letter>: never one of the fixed codes tests give (RA1,
    # RB1, RFM…), however far a long run's sequence has wrapped (260 codes per wrap).
    ods_code = factory.Sequence(lambda n: "R" + _B36[n // 26 % 10] + _B36[10 + n % 26])
    region = "sw"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Ward {n}")
    slug = factory.Sequence(lambda n: f"ward-{n}")
    kind = "ward"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NationalProgramme

    name = factory.Sequence(lambda n: f"National programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")


class CollaborativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collaborative

    name = factory.Sequence(lambda n: f"Test collaborative {n}")
    slug = factory.Sequence(lambda n: f"collab-{n}")
    kind = "topic"
    is_public = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollaborativeMembership

    collaborative = factory.SubFactory(CollaborativeFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    joined_on = factory.LazyFunction(lambda: timezone.localdate().replace(year=2024))


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "staff"


class CollaborativeRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollaborativeRole

    person = factory.SubFactory(PersonFactory)
    collaborative = factory.SubFactory(CollaborativeFactory)
    role = "faculty"


class WorkstreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workstream

    collaborative = factory.SubFactory(CollaborativeFactory)
    name = factory.Sequence(lambda n: f"Workstream {n}")
    slug = factory.Sequence(lambda n: f"workstream-{n}")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    collaborative = factory.SubFactory(CollaborativeFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class ThemePrincipleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThemePrinciple

    theme = factory.SubFactory(ThemeFactory)
    text = factory.Sequence(lambda n: f"Principle {n}")


# --- capability: training records ---------------------------------------------------------

from qicollab.capability.models import Cohort, CohortSession, Course, Enrolment  # noqa: E402


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    collaborative = factory.SubFactory(CollaborativeFactory)
    title = factory.Sequence(lambda n: f"QI course {n}")
    slug = factory.Sequence(lambda n: f"qi-course-{n}")
    category = "qi"
    level = "bronze"


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    course = factory.SubFactory(CourseFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    starts_on = factory.LazyFunction(timezone.localdate)
    venue = "Education centre"


class CohortSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CohortSession

    cohort = factory.SubFactory(CohortFactory)
    held_on = factory.LazyAttribute(lambda o: o.cohort.starts_on)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)
    person = factory.SubFactory(PersonFactory)


def project_with_team(world: Any, *, title: str, sharing: str = "private", **kw: Any) -> Project:
    """A trust A project made through the services: staff_a its lead, partner_a a partner.

    The one project maker behind the ``make_project`` fixtures of the projects and measures
    tests (each keeps its own default title).
    """
    from qicollab.projects import services
    from qicollab.projects.models import TeamRole

    p = world.people
    project = services.project_create(
        actor=p["staff_a"],
        collaborative=world.collab,
        lead_organisation=kw.pop("lead_organisation", world.trust_a),
        title=title,
        sharing=sharing,
        **kw,
    )
    services.member_add(
        actor=p["staff_a"], project=project, person=p["partner_a"], role=TeamRole.PARTNER
    )
    return project
