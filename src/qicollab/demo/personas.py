"""The demo accounts worth logging in as: one per kind of user, printed by ``demo_logins``."""

from __future__ import annotations

from dataclasses import dataclass

from qicollab.demo import content as c


@dataclass(frozen=True)
class Persona:
    key: str
    role: str  # what the person is, as the table shows it
    spec: c.PersonSpec

    @property
    def email(self) -> str:
        return self.spec.email

    @property
    def name(self) -> str:
        return self.spec.full_name


def _named(full_name: str) -> c.PersonSpec:
    return next(p for p in c.NAMED_PEOPLE if p.full_name == full_name)


PERSONAS: tuple[Persona, ...] = (
    Persona("national_admin", "National programme admin", _named("Imogen Larkmoor")),
    Persona("collab_lead", "Collaborative lead", _named("Rosalind Thistlecombe")),
    Persona("faculty", "Faculty member (clinical lead)", _named("Dr Tobias Fennelby")),
    Persona("pm_a", "Programme manager, Avonvale", _named("Priya Willowmere")),
    Persona("staff_a", "Project lead (staff), Avonvale", _named("Owen Brackenholt")),
    Persona("partner_a", "Lived-experience partner, Avonvale", _named("Mabel Cloverhythe")),
    Persona("viewer_a", "Viewer (read only), Avonvale", _named("Hugo Sorrelgate")),
    Persona("staff_b", "Staff at another trust, Brackenmoor", _named("Nia Heronsgill")),
)


def persona(key: str) -> Persona:
    """The persona with this key, e.g. ``persona("pm_a")``."""
    return next(p for p in PERSONAS if p.key == key)
