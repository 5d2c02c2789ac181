"""The demo's content: a fictional collaborative modelled on a real one.

The shape follows the South of England Mental Health Quality and Patient Safety Improvement
Collaborative (11 mental-health trusts, sponsored by two AHSNs, a multi-disciplinary faculty,
a programme manager per trust, four workstreams and two cross-cutting themes, running since
2009). Every organisation, place and person here is invented: names that read as made up,
``.example`` email domains (reserved, never delivered) and ODS codes in the unused "RZ"/"TZ"/"QZ"
ranges. The workstream and theme wording is the real collaborative's published text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from qicollab.accounts.models import LivedExperience, Profession
from qicollab.demo.loaders import load_specs
from qicollab.organisations.models import (
    AffiliationRole,
    CollaborativeKind,
    CollaborativeRoleKind,
    OrganisationType,
    Region,
)

D = dt.date


@dataclass(frozen=True)
class OrgSpec:
    slug: str
    name: str
    short_name: str
    org_type: str
    region: str
    ods_code: str = ""
    description: str = ""

    @property
    def domain(self) -> str:
        return f"{self.slug}.example"


@dataclass(frozen=True)
class PersonSpec:
    full_name: str
    org: str  # organisation slug
    role: str  # AffiliationRole
    job_title: str
    profession: str
    since: dt.date  # when their affiliation started
    lived_experience: str = ""
    is_staff: bool = False

    @property
    def email(self) -> str:
        return email_for(self.full_name, self.org)


@dataclass(frozen=True)
class MembershipSpec:
    org: str
    joined_on: dt.date
    left_on: dt.date | None = None
    programme_manager: str = ""  # full name of a PersonSpec at ``org``


@dataclass(frozen=True)
class CollaborativeSpec:
    slug: str
    name: str
    short_name: str
    kind: str
    region: str
    lead_organisation: str
    sponsors: tuple[str, ...]
    purpose: str
    started_on: dt.date
    members: tuple[MembershipSpec, ...]
    is_public: bool = True


@dataclass(frozen=True)
class RoleSpec:
    person: str  # full name
    role: str  # CollaborativeRoleKind
    title: str


@dataclass(frozen=True)
class WorkstreamSpec:
    slug: str
    name: str
    subtitle: str
    description: str
    goal_statement: str
    leads: tuple[str, ...]  # full names


@dataclass(frozen=True)
class ThemeSpec:
    slug: str
    name: str
    description: str
    principles: tuple[str, ...]


_TITLES = re.compile(r"^(Dr|Prof|Professor|Mr|Mrs|Ms|Mx)\.? ")


def email_for(full_name: str, org_slug: str) -> str:
    """``Dr Tobias Fennelby`` at ``carrowdown`` -> ``tobias.fennelby@carrowdown.example``."""
    name = _TITLES.sub("", full_name).lower()
    local = ".".join(re.sub(r"[^a-z-]", "", part) for part in name.split())
    return f"{local}@{org_slug}.example"


# --- Organisations --------------------------------------------------------------------

T, AHSN, NAT = OrganisationType.NHS_TRUST, OrganisationType.AHSN, OrganisationType.NATIONAL_BODY
SW, SE = Region.SOUTH_WEST, Region.SOUTH_EAST

NATIONAL_BODY = OrgSpec(
    "national-office",
    "National Patient Safety Improvement Office",
    "National PSI Office",
    NAT,
    Region.NATIONAL,
    description="Runs the national Patient Safety Collaborative programme with the AHSNs.",
)

LEAD_AHSN = OrgSpec(
    "southcliff-ahsn",
    "Southcliff Academic Health Science Network",
    "Southcliff AHSN",
    AHSN,
    SW,
    "QZ1",
    "Hosts the Southern Counties Mental Health Improvement Collaborative.",
)
SPONSOR_AHSN = OrgSpec(
    "westmoor-ahsn",
    "Westmoor Academic Health Science Network",
    "Westmoor AHSN",
    AHSN,
    SW,
    "QZ2",
    "Co-sponsors the mental health collaborative and provides improvement advisors.",
)


def _mh(slug: str, name: str, short: str, region: str, ods: str, area: str) -> OrgSpec:
    return OrgSpec(
        slug,
        name,
        short,
        T,
        region,
        ods,
        f"Provides mental health, learning disability and community services across {area}.",
    )


# The 11 current member trusts, then the one that left. Avonvale is "trust A" of the demo.
# fmt: off
MH_TRUSTS: tuple[OrgSpec, ...] = (
    _mh("avonvale", "Avonvale Partnership NHS Foundation Trust", "Avonvale", SW, "RZ1",
        "Avonvale and the Marl Hills"),
    _mh("brackenmoor", "Brackenmoor Health and Care NHS Trust", "Brackenmoor", SW, "RZ2",
        "Brackenmoor and the northern moorland towns"),
    _mh("carrowdown", "Carrowdown Mental Health NHS Foundation Trust", "Carrowdown", SW, "RZ3",
        "the Carrowdown peninsula"),
    _mh("dunmere-valley", "Dunmere Valley Partnership NHS Trust", "Dunmere Valley", SW, "RZ4",
        "the Dunmere valley and its market towns"),
    _mh("eastbrook-downs", "Eastbrook Downs Mental Health NHS Foundation Trust", "Eastbrook Downs",
        SE, "RZ5", "Eastbrook and the chalk downs"),
    _mh("fernwick-harrowcombe", "Fernwick and Harrowcombe Partnership NHS Trust",
        "Fernwick and Harrowcombe", SE, "RZ6", "Fernwick, Harrowcombe and the coastal villages"),
    _mh("glenhollow", "Glenhollow Community and Mental Health NHS Trust", "Glenhollow", SW, "RZ7",
        "Glenhollow and the western isles"),
    _mh("hartleigh-coast", "Hartleigh Coast NHS Foundation Trust", "Hartleigh Coast", SE, "RZ8",
        "the Hartleigh coast"),
    _mh("lowenford", "Lowenford Mental Health NHS Trust", "Lowenford", SE, "RZ9",
        "Lowenford city and the surrounding shire"),
    _mh("marlcombe", "Marlcombe Partnership NHS Foundation Trust", "Marlcombe", SW, "RZA",
        "Marlcombe and the southern dales"),
    _mh("silverbourne", "Silverbourne Mental Health NHS Foundation Trust", "Silverbourne", SE,
        "RZB", "Silverbourne and the river towns"),
)
FORMER_TRUST = _mh("westercombe", "Westercombe Healthcare NHS Trust", "Westercombe", SW, "RZC",
                   "Westercombe (its services passed to Avonvale in 2016)")

# Other regional Patient Safety Collaboratives, each with its host AHSN and a member or two.
NEY, MID, EOE, LON = (
    Region.NORTH_EAST_YORKSHIRE, Region.MIDLANDS, Region.EAST_OF_ENGLAND, Region.LONDON
)
OTHER_PSC_ORGS: tuple[OrgSpec, ...] = (
    OrgSpec("northfell-ahsn", "Northfell Academic Health Science Network", "Northfell AHSN",
            AHSN, NEY, "QZ4"),
    OrgSpec("northfell-teaching", "Northfell Teaching Hospitals NHS Foundation Trust",
            "Northfell Teaching", T, NEY, "TZ1"),
    OrgSpec("ravensgarth", "Ravensgarth Community Healthcare NHS Trust", "Ravensgarth", T, NEY,
            "TZ2"),
    OrgSpec("midshire-ahsn", "Midshire Academic Health Science Network", "Midshire AHSN", AHSN,
            MID, "QZ5"),
    OrgSpec("midshire-royal", "Midshire Royal Hospitals NHS Trust", "Midshire Royal", T, MID,
            "TZ3"),
    OrgSpec("eastmarsh-hin", "Eastmarsh Health Innovation Network", "Eastmarsh HIN", AHSN, EOE,
            "QZ6"),
    OrgSpec("fenholme", "Fenholme University Hospitals NHS Foundation Trust", "Fenholme", T, EOE,
            "TZ4"),
    OrgSpec("eastmarsh-ambulance", "Eastmarsh Ambulance Service NHS Trust",
            "Eastmarsh Ambulance", T, EOE, "TZ5"),
    OrgSpec("greywater-ahsn", "Greywater Health Partners", "Greywater AHSN", AHSN, LON, "QZ7"),
    OrgSpec("greywater-kingsholt", "Greywater and Kingsholt Hospitals NHS Trust",
            "Greywater and Kingsholt", T, LON, "TZ6"),
)
# fmt: on

ORGANISATIONS: tuple[OrgSpec, ...] = (
    NATIONAL_BODY,
    LEAD_AHSN,
    SPONSOR_AHSN,
    *MH_TRUSTS,
    FORMER_TRUST,
    *OTHER_PSC_ORGS,
)

# --- People ---------------------------------------------------------------------------

PM, STAFF, PARTNER, VIEWER = (
    AffiliationRole.PROGRAMME_MANAGER,
    AffiliationRole.STAFF,
    AffiliationRole.PARTNER,
    AffiliationRole.VIEWER,
)
P = Profession
LE = LivedExperience


def _person(role: str) -> Callable[..., PersonSpec]:
    def make(
        name: str,
        org: str,
        job_title: str,
        profession: str,
        since: dt.date,
        lived_experience: str = "",
        *,
        is_staff: bool = False,
    ) -> PersonSpec:
        return PersonSpec(name, org, role, job_title, profession, since, lived_experience, is_staff)

    return make


_pm, _staff, _partner, _viewer = map(_person, (PM, STAFF, PARTNER, VIEWER))

# The data tables below are kept one entry to a line or two, aligned for reading.
# fmt: off
NATIONAL_ADMINS: tuple[PersonSpec, ...] = (
    _staff("Imogen Larkmoor", NATIONAL_BODY.slug,
           "Head of the Patient Safety Collaborative programme", P.MANAGEMENT, D(2014, 10, 1),
           is_staff=True),
    _staff("Desmond Pennyroyal", NATIONAL_BODY.slug, "Programme analyst", P.QUALITY,
           D(2017, 5, 2)),
)

LEADS: tuple[PersonSpec, ...] = (
    _staff("Rosalind Thistlecombe", LEAD_AHSN.slug, "Mental health collaborative programme lead",
           P.QUALITY, D(2014, 6, 2)),
    _staff("Marcus Juniperdale", LEAD_AHSN.slug, "Associate director of patient safety",
           P.MANAGEMENT, D(2011, 9, 5)),
)

FACULTY: tuple[PersonSpec, ...] = (
    _staff("Dr Tobias Fennelby", "carrowdown", "Medical director", P.MEDICAL, D(2008, 3, 3)),
    _staff("Yusuf Alderwick", SPONSOR_AHSN.slug, "Improvement advisor", P.QUALITY, D(2015, 1, 5)),
    _staff("Cerys Kestrelmoor", LEAD_AHSN.slug, "Improvement advisor", P.QUALITY, D(2016, 4, 4)),
    _staff("Dr Ifeoma Tansyworth", "dunmere-valley", "Consultant pharmacist", P.PHARMACY,
           D(2012, 7, 2)),
    _staff("Grace Rowanbridge", "eastbrook-downs", "Nurse consultant, physical health",
           P.NURSING, D(2013, 2, 4)),
    _partner("Felix Yarrowcombe", "glenhollow", "Patient leader", P.LIVED_EXPERIENCE,
             D(2015, 9, 7), LE.PATIENT),
    _staff("Dr Harriet Quillfeather", SPONSOR_AHSN.slug,
           "Senior analyst, measurement for improvement", P.ACADEMIC, D(2018, 1, 8)),
)

PROGRAMME_MANAGERS: tuple[PersonSpec, ...] = (
    _pm("Priya Willowmere", "avonvale", "Quality improvement programme manager", P.QUALITY,
        D(2014, 4, 1)),
    _pm("Jonah Kestrelby", "brackenmoor", "Patient safety programme manager", P.NURSING,
        D(2012, 11, 5)),
    _pm("Leona Fernhallow", "carrowdown", "Head of quality improvement", P.QUALITY,
        D(2016, 3, 7)),
    _pm("Gareth Puddlecombe", "dunmere-valley", "QI programme manager", P.MANAGEMENT,
        D(2010, 6, 1)),
    _pm("Aisha Lindqvale", "eastbrook-downs", "Patient safety and quality lead", P.NURSING,
        D(2014, 4, 1)),
    _pm("Tomasz Wrenhollow", "fernwick-harrowcombe", "Quality improvement lead", P.AHP,
        D(2015, 8, 3)),
    _pm("Bronwen Sedgewater", "glenhollow", "Programme manager, quality and safety", P.QUALITY,
        D(2009, 4, 1)),
    _pm("Kieran Starlingford", "hartleigh-coast", "QI programme manager", P.MANAGEMENT,
        D(2014, 10, 1)),
    _pm("Esther Moonpenny", "lowenford", "Improvement programme manager", P.PSYCHOLOGY,
        D(2016, 4, 1)),
    _pm("Rafael Hollowell", "marlcombe", "Head of patient safety", P.NURSING, D(2011, 4, 1)),
    _pm("Joy Tidewhistle", "silverbourne", "Quality improvement programme manager", P.QUALITY,
        D(2019, 4, 1)),
    _pm("Neville Cragstone", "westercombe", "Clinical governance manager", P.MANAGEMENT,
        D(2009, 4, 1)),
)

# Patients, carers and family members who join as partners in improvement.
PARTNERS: tuple[PersonSpec, ...] = (
    _partner("Mabel Cloverhythe", "avonvale", "Carer partner", P.LIVED_EXPERIENCE,
             D(2017, 6, 5), LE.CARER),
    _partner("Dominic Thornapple", "brackenmoor", "Expert by experience", P.LIVED_EXPERIENCE,
             D(2018, 2, 5), LE.PATIENT),
    _partner("Ruth Larchwhistle", "carrowdown", "Family partner, learning from deaths",
             P.LIVED_EXPERIENCE, D(2018, 9, 3), LE.FAMILY),
    _partner("Samira Bluehaven", "eastbrook-downs", "Peer researcher", P.LIVED_EXPERIENCE,
             D(2019, 1, 7), LE.PATIENT),
    _partner("Colin Mistleby", "hartleigh-coast", "Carer representative", P.LIVED_EXPERIENCE,
             D(2016, 5, 2), LE.CARER),
    _partner("Adeola Sunnyvane", "lowenford", "Lived-experience partner", P.LIVED_EXPERIENCE,
             D(2020, 10, 5), LE.PATIENT),
    _partner("June Heatherlow", "marlcombe", "Family liaison volunteer", P.LIVED_EXPERIENCE,
             D(2017, 3, 6), LE.FAMILY),
    _partner("Pip Ottersley", "silverbourne", "Recovery college tutor", P.LIVED_EXPERIENCE,
             D(2021, 1, 4), LE.PATIENT),
)

VIEWERS: tuple[PersonSpec, ...] = (
    _viewer("Hugo Sorrelgate", "avonvale", "Non-executive director", P.MANAGEMENT, D(2020, 7, 1)),
    _viewer("Beatrix Wrenfield", "hartleigh-coast", "Public governor", P.OTHER, D(2022, 3, 1)),
)

# Named staff: the demo's "project lead at trust A" and "staff member at another trust".
NAMED_STAFF: tuple[PersonSpec, ...] = (
    _staff("Owen Brackenholt", "avonvale", "Ward manager, Larkspur ward", P.NURSING,
           D(2015, 11, 2)),
    _staff("Nia Heronsgill", "brackenmoor", "Clinical psychologist", P.PSYCHOLOGY, D(2019, 9, 2)),
)

OTHER_PSC_LEADS: tuple[PersonSpec, ...] = (
    _staff("Callum Brackenridge", "northfell-ahsn", "Patient safety collaborative lead", P.QUALITY,
           D(2014, 10, 1)),
    _staff("Anika Dovecote", "midshire-ahsn", "Patient safety collaborative lead", P.NURSING,
           D(2015, 3, 2)),
    _staff("Hamish Reedsworth", "eastmarsh-hin", "Head of patient safety", P.MEDICAL,
           D(2014, 10, 1)),
    _staff("Lola Quayleigh", "greywater-ahsn", "Patient safety programme director", P.MANAGEMENT,
           D(2016, 6, 6)),
)
# fmt: on

NAMED_PEOPLE: tuple[PersonSpec, ...] = (
    *NATIONAL_ADMINS,
    *LEADS,
    *FACULTY,
    *PROGRAMME_MANAGERS,
    *PARTNERS,
    *VIEWERS,
    *NAMED_STAFF,
    *OTHER_PSC_LEADS,
)

# Generated staff per current member trust (named staff above count towards it), for a
# collaborative of about 80 people in all.
STAFF_PER_TRUST = 4
STAFF_AT_TRUST_A = 5

# fmt: off
STAFF_ROLES: tuple[tuple[str, str], ...] = (
    (P.NURSING, "Ward manager"), (P.NURSING, "Charge nurse"),
    (P.NURSING, "Community mental health nurse"), (P.NURSING, "Matron, acute inpatient services"),
    (P.NURSING, "Crisis team nurse"), (P.MEDICAL, "Consultant psychiatrist"),
    (P.MEDICAL, "Specialty doctor"), (P.PSYCHOLOGY, "Clinical psychologist"),
    (P.PHARMACY, "Mental health pharmacist"), (P.PHARMACY, "Pharmacy technician"),
    (P.AHP, "Occupational therapist"), (P.AHP, "Physiotherapist"), (P.AHP, "Dietitian"),
    (P.SOCIAL_WORK, "Approved mental health professional"),
    (P.HEALTHCARE_SUPPORT, "Healthcare support worker"),
    (P.HEALTHCARE_SUPPORT, "Peer support worker"), (P.MANAGEMENT, "Service manager"),
    (P.QUALITY, "Quality improvement coach"), (P.QUALITY, "Patient safety lead"),
    (P.ACADEMIC, "Research fellow"),
)
# fmt: on

FIRST_NAMES: tuple[str, ...] = (
    "Amara", "Ben", "Chloe", "Dev", "Eleanor", "Farah", "George", "Hana", "Isaac", "Jasmine",
    "Kofi", "Lucy", "Mohammed", "Niamh", "Oliver", "Poppy", "Rhys", "Sofia", "Tariq", "Ursula",
    "Vikram", "Willow", "Yasmin", "Zac", "Aled", "Bethan", "Ciaran", "Dalia", "Efe", "Freya",
    "Gethin", "Hollie", "Ibrahim", "Jodie", "Kwame", "Leah", "Marek", "Nadia", "Osian", "Pearl",
    "Rosa", "Seren", "Theo", "Uma", "Vera", "Ayesha", "Bryony", "Delyth", "Emeka", "Fiona",
    "Gwen", "Harvey", "Ines", "Kezia", "Lottie", "Malik", "Noor", "Orla", "Piotr", "Ruby",
    "Sunil", "Tegan", "Zofia",
)  # fmt: skip

# Surnames made up for the demo, so no generated name belongs to a real clinician.
SURNAMES: tuple[str, ...] = (
    "Applewhistle", "Barleycombe", "Bellhollow", "Briarfield", "Buttonwick", "Candlemere",
    "Copperhythe", "Dapplewood", "Dewbury", "Elderwick", "Farrowdale", "Featherby", "Foxenhurst",
    "Gorseway", "Greenwhistle", "Harebell", "Hawthorncombe", "Honeyfield", "Ivyholt",
    "Kettlewick", "Lanternbury", "Lichenfold", "Lindenmoor", "Oakleaf", "Orchardine",
    "Pebblewick", "Pipersgate", "Primrosefield", "Quincewell", "Reedmarsh", "Ribbonwood",
    "Saffronby", "Sallowmere", "Silverthorn", "Sparrowhill", "Starwort", "Umberholt",
    "Velvetleaf", "Whistledown", "Willowbeck", "Zephyrine", "Moorcrest", "Tumblewick",
)  # fmt: skip

# --- Collaboratives -------------------------------------------------------------------

MH_COLLABORATIVE = CollaborativeSpec(
    slug="southern-counties-mh",
    name="Southern Counties Mental Health Quality and Patient Safety Improvement Collaborative",
    short_name="Southern Counties MH Collaborative",
    kind=CollaborativeKind.TOPIC,
    region=SW,
    lead_organisation=LEAD_AHSN.slug,
    sponsors=(LEAD_AHSN.slug, SPONSOR_AHSN.slug),
    purpose=(
        "Our aim is to make care safer by improving quality in mental healthcare. The "
        "collaborative brings people with lived experience and staff from 11 mental health "
        "trusts across the South of England together to find, test and share solutions to "
        "local problems, so that nobody has to reinvent the wheel. Sponsored by the Southcliff "
        "and Westmoor AHSNs, it has run since 2009 as a Breakthrough Series collaborative with "
        "three learning sessions a year."
    ),
    started_on=D(2009, 4, 1),
    members=(
        MembershipSpec("avonvale", D(2009, 4, 1), programme_manager="Priya Willowmere"),
        MembershipSpec("brackenmoor", D(2009, 4, 1), programme_manager="Jonah Kestrelby"),
        MembershipSpec("carrowdown", D(2009, 4, 1), programme_manager="Leona Fernhallow"),
        MembershipSpec("dunmere-valley", D(2009, 4, 1), programme_manager="Gareth Puddlecombe"),
        MembershipSpec("glenhollow", D(2009, 4, 1), programme_manager="Bronwen Sedgewater"),
        MembershipSpec("marlcombe", D(2011, 4, 1), programme_manager="Rafael Hollowell"),
        MembershipSpec("eastbrook-downs", D(2014, 4, 1), programme_manager="Aisha Lindqvale"),
        MembershipSpec(
            "fernwick-harrowcombe", D(2014, 4, 1), programme_manager="Tomasz Wrenhollow"
        ),
        MembershipSpec("hartleigh-coast", D(2014, 10, 1), programme_manager="Kieran Starlingford"),
        MembershipSpec("lowenford", D(2016, 4, 1), programme_manager="Esther Moonpenny"),
        MembershipSpec("silverbourne", D(2019, 4, 1), programme_manager="Joy Tidewhistle"),
        # A founding member whose services merged into Avonvale: kept to show history.
        MembershipSpec(
            "westercombe", D(2009, 4, 1), D(2016, 3, 31), programme_manager="Neville Cragstone"
        ),
    ),
)


def _psc(
    slug: str, name: str, region: str, ahsn: str, members: tuple[str, ...]
) -> CollaborativeSpec:
    return CollaborativeSpec(
        slug=slug,
        name=name,
        short_name=name.replace(" Patient Safety Collaborative", " PSC"),
        kind=CollaborativeKind.REGIONAL_PSC,
        region=region,
        lead_organisation=ahsn,
        sponsors=(ahsn,),
        purpose=(
            "Helps health and care organisations in the region build a culture of safety, "
            "continuous learning and improvement, and spread what works."
        ),
        started_on=D(2014, 10, 1),
        members=tuple(MembershipSpec(m, D(2014, 10, 1)) for m in members),
    )


# fmt: off
OTHER_PSCS: tuple[CollaborativeSpec, ...] = (
    _psc("northfell-psc", "Northfell Patient Safety Collaborative", NEY, "northfell-ahsn",
         ("northfell-teaching", "ravensgarth")),
    _psc("midshire-psc", "Midshire Patient Safety Collaborative", MID, "midshire-ahsn",
         ("midshire-royal",)),
    _psc("eastmarsh-psc", "Eastmarsh Patient Safety Collaborative", EOE, "eastmarsh-hin",
         ("fenholme", "eastmarsh-ambulance")),
    _psc("greywater-psc", "Greywater Patient Safety Collaborative", LON, "greywater-ahsn",
         ("greywater-kingsholt",)),
)
# fmt: on

COLLABORATIVES: tuple[CollaborativeSpec, ...] = (MH_COLLABORATIVE, *OTHER_PSCS)

PROGRAMME_SLUG = "national-psc-programme"
PROGRAMME_NAME = "National Patient Safety Collaborative Programme"
PROGRAMME_DESCRIPTION = (
    "The national programme of regional Patient Safety Collaboratives, led by the Academic "
    "Health Science Networks: practical quality improvement to identify safety priorities, "
    "develop solutions and build a culture of safety, continuous learning and improvement."
)

LEAD, FAC = CollaborativeRoleKind.LEAD, CollaborativeRoleKind.FACULTY

MH_ROLES: tuple[RoleSpec, ...] = (
    RoleSpec("Rosalind Thistlecombe", LEAD, "Programme lead"),
    RoleSpec("Marcus Juniperdale", LEAD, "Collaborative director"),
    RoleSpec("Dr Tobias Fennelby", FAC, "Clinical lead"),
    RoleSpec("Yusuf Alderwick", FAC, "Improvement advisor"),
    RoleSpec("Cerys Kestrelmoor", FAC, "Improvement advisor, building capability"),
    RoleSpec("Dr Ifeoma Tansyworth", FAC, "Medication workstream lead"),
    RoleSpec("Grace Rowanbridge", FAC, "Physical health workstream lead"),
    RoleSpec("Felix Yarrowcombe", FAC, "Patient leader"),
    RoleSpec("Dr Harriet Quillfeather", FAC, "Measurement for improvement advisor"),
)

OTHER_PSC_ROLES: dict[str, RoleSpec] = {
    "northfell-psc": RoleSpec("Callum Brackenridge", LEAD, "Collaborative lead"),
    "midshire-psc": RoleSpec("Anika Dovecote", LEAD, "Collaborative lead"),
    "eastmarsh-psc": RoleSpec("Hamish Reedsworth", LEAD, "Clinical lead"),
    "greywater-psc": RoleSpec("Lola Quayleigh", LEAD, "Programme director"),
}

# --- Workstreams and cross-cutting themes (the real collaborative's published wording) -----
# The wording is data: demo/data/workstreams.json and demo/data/themes.json.

WORKSTREAMS: tuple[WorkstreamSpec, ...] = load_specs(WorkstreamSpec, "workstreams.json")

THEMES: tuple[ThemeSpec, ...] = load_specs(ThemeSpec, "themes.json")
