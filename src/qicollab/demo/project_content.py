"""The demo's QI projects: fourteen invented projects across the 11 member trusts.

Written to read like the work of a mental-health improvement collaborative: restrictive
practice, missed doses, physical health checks, falls, deterioration, lithium and clozapine
monitoring, follow-up after discharge, safety huddles, sexual safety, QI capability and
learning from deaths with families. Every person is a demo person (``demo.content``);
every number is generated (``demo.measures``). Times are in months before the current
month, so the demo stays current: ``start=26`` began 26 months ago, ``end=-6`` is planned
to end in six months.
"""

from __future__ import annotations

from dataclasses import dataclass

from qicollab.demo import content as c
from qicollab.demo.measures import BundleSpec, MeasureSpec


def who(full_name: str, org: str = "") -> str:
    """The email of a demo person: a named person by name, or generated staff at ``org``."""
    if not org:
        return next(p.email for p in c.NAMED_PEOPLE if p.full_name == full_name)
    return c.email_for(full_name, org)


@dataclass(frozen=True)
class CycleSpec:
    """One PDSA cycle of a ramp; ``start`` in months before the current month."""

    title: str
    scale: str
    start: float
    days: int
    decision: str  # adopt | adapt | abandon, or "" while the cycle is under way
    prediction: str
    result: str
    learning: str
    next_steps: str = ""
    purpose: str = "test"
    studies: tuple[str, ...] = ()  # names of the measures its Study looked at


@dataclass(frozen=True)
class IdeaSpec:
    text: str
    description: str
    secondaries: tuple[int, ...]  # indexes into ProjectSpec.secondaries
    cycles: tuple[CycleSpec, ...] = ()


@dataclass(frozen=True)
class AimSpec:
    direction: str
    measure_text: str
    population: str
    setting: str
    baseline: str
    target: str
    unit: str
    months_ahead: int  # the target date: the end of the month this many months ahead


@dataclass(frozen=True)
class ProjectSpec:
    slug: str
    title: str
    summary: str
    lead_org: str
    workstream: str
    themes: tuple[str, ...]
    tags: tuple[str, ...]
    status: str
    sharing: str
    start: int
    end: int | None  # months ago (ended) or negative (planned end ahead)
    team: tuple[tuple[str, str], ...]  # (email, role)
    coproduction: tuple[tuple[str, str, str, str], ...]  # stage, level, what, who
    aim: AimSpec
    primaries: tuple[str, ...] = ()
    secondaries: tuple[tuple[str, tuple[int, ...]], ...] = ()
    ideas: tuple[IdeaSpec, ...] = ()
    final_score: float = 1.0
    faculty_ratings: bool = False
    measures: tuple[MeasureSpec, ...] = ()
    bundle: BundleSpec | None = None
    partners: tuple[str, ...] = ()
    stop_reason: str = ""
    barriers: tuple[str, ...] = ()


PFCC, CLS = "person-and-family-centred-care", "continuous-learning-and-safety"
MED, PHYS, SAFE, LEAD = "medication", "physical-health", "safe-and-reliable-care", "leadership"
L, S, M, CO, P = "lead", "sponsor", "member", "coach", "partner"

OWEN = who("Owen Brackenholt")
PRIYA = who("Priya Willowmere")
MABEL = who("Mabel Cloverhythe")
NIA = who("Nia Heronsgill")
FELIX = who("Felix Yarrowcombe")
TOBIAS = who("Dr Tobias Fennelby")
YUSUF = who("Yusuf Alderwick")
CERYS = who("Cerys Kestrelmoor")
HARRIET = who("Dr Harriet Quillfeather")
IFEOMA = who("Dr Ifeoma Tansyworth")
GRACE = who("Grace Rowanbridge")

RESTRAINT = "Restrictive practice incidents per 1,000 occupied bed days"
HUDDLES = "Shifts that start with a safety huddle"

# --- Avonvale: reducing restrictive practice on Larkspur ward (the persona's project) ------

LARKSPUR = ProjectSpec(
    slug="larkspur-restrictive-practice",
    title="Reducing restrictive practice on Larkspur ward",
    summary=(
        "Larkspur is a 20-bed adult acute ward. When the project began it had one of the "
        "highest rates of physical restraint in the trust, and patients told us in community "
        "meetings that the ward felt tense at handover and at night. Working with patients and "
        "carers, the ward "
        "team is testing Safewards interventions, safety huddles and post-incident debriefs to "
        "make restraint a last resort."
    ),
    lead_org="avonvale",
    workstream=SAFE,
    themes=(PFCC, CLS),
    tags=("restrictive practice", "Safewards", "inpatient", "safety huddles"),
    status="active",
    sharing="collaborative",
    start=26,
    end=-6,
    team=(
        (OWEN, L),
        (PRIYA, S),
        (who("Kwame Silverthorn", "avonvale"), M),
        (who("Theo Pipersgate", "avonvale"), M),
        (who("Fiona Bellhollow", "avonvale"), M),
        (CERYS, CO),
        (MABEL, P),
        (FELIX, P),
    ),
    coproduction=(
        (
            "aim",
            "co_designed",
            "Six members of the ward community meeting and two carers chose the aim with us: "
            "'fewer restraints' mattered less to them than 'feeling safe without being held'.",
            "Ward community meeting; Mabel Cloverhythe (carer partner)",
        ),
        (
            "measures",
            "involved",
            "Patients added a measure of their own: whether they feel safe on the ward, asked "
            "each week at the community meeting.",
            "Ward community meeting",
        ),
        (
            "changes",
            "co_designed",
            "The calm-down boxes were filled by patients; the 'know each other' board was "
            "designed with them.",
            "Felix Yarrowcombe (patient leader), ward community meeting",
        ),
        (
            "testing",
            "involved",
            "Patients fed back on each debrief test; Mabel observed two handovers.",
            "Mabel Cloverhythe",
        ),
        (
            "spread",
            "consulted",
            "Patients and carers will present the project at the next learning session.",
            "Mabel Cloverhythe, Felix Yarrowcombe",
        ),
    ),
    aim=AimSpec(
        "reduce",
        "restrictive practice incidents per 1,000 occupied bed days",
        "adult inpatients",
        "Larkspur ward",
        "45",
        "22",
        "per 1,000 bed days",
        6,
    ),
    primaries=(
        "A calm, predictable ward environment",
        "Staff skilled and confident in de-escalation",
        "Learning from every incident",
        "Patients as partners in their own safety",
    ),
    secondaries=(
        ("Shared understanding of risk at the start of every shift", (0, 2)),
        ("Fewer flashpoints at handover, mealtimes and night", (0,)),
        ("De-escalation skills practised, not just taught", (1,)),
        ("Debriefs for patients and staff after every restraint", (1, 2)),
        ("Patients know staff and know what to expect", (0, 3)),
        ("Patients' own calming strategies known and used", (1, 3)),
    ),
    ideas=(
        IdeaSpec(
            "Ten-minute safety huddle at the start of every shift",
            "Who is unsettled, what has helped them, who will check in with them first.",
            (0, 1),
            (
                CycleSpec(
                    "Safety huddle on one early shift",
                    "1 shift, 1 nurse in charge",
                    21,
                    3,
                    "adapt",
                    "The huddle will take under 10 minutes and staff will name at least one "
                    "patient to check in with.",
                    "It took 18 minutes: the team went through every patient's history.",
                    "A huddle needs a script and a timer. Only talk about patients who are "
                    "unsettled or new.",
                    "Test a three-question script on the early shift for a week.",
                    studies=(HUDDLES,),
                ),
                CycleSpec(
                    "Three-question huddle script on early shifts",
                    "Early shifts for 1 week",
                    20,
                    7,
                    "adapt",
                    "Huddles will take under 10 minutes on at least 5 of 7 days.",
                    "6 of 7 huddles took under 10 minutes; night staff asked for one too.",
                    "The script works. Nights feel left out: handover at 21:00 is the flashpoint.",
                    "Add the night shift and the late shift.",
                    studies=(HUDDLES,),
                ),
                CycleSpec(
                    "Huddles on all three shifts",
                    "All shifts for 4 weeks",
                    19,
                    28,
                    "adopt",
                    "At least 80% of shifts will start with a huddle.",
                    "86% of shifts had a huddle; incidents at handover fell from 9 to 3.",
                    "Huddles are now part of how the ward works. The board in the office "
                    "reminds the nurse in charge.",
                    "Adopt. Add the huddle to the shift coordinator's checklist.",
                    "implement",
                    (HUDDLES, RESTRAINT),
                ),
            ),
        ),
        IdeaSpec(
            "Calm-down boxes chosen by patients",
            "Sensory items each patient chose on admission, kept in the lounge.",
            (5,),
            (
                CycleSpec(
                    "Calm-down box for two patients",
                    "2 patients for 1 week",
                    18,
                    7,
                    "adapt",
                    "Both patients will use the box at least once when distressed.",
                    "One patient used it three times; the other said it was 'for children'.",
                    "Let people choose what goes in; adults want music and weighted blankets, "
                    "not stress balls.",
                    "Ask the community meeting what should be in the boxes.",
                ),
                CycleSpec(
                    "Boxes filled with the community meeting's choices",
                    "Whole ward for 2 weeks",
                    17,
                    14,
                    "adopt",
                    "Staff will offer the box before PRN medication at least half the time.",
                    "Offered first in 11 of 17 episodes of distress; two restraints avoided.",
                    "Offering the box first gives a pause that helps de-escalation.",
                    "Adopt and add to the admission checklist.",
                    "implement",
                    (RESTRAINT,),
                ),
            ),
        ),
        IdeaSpec(
            "Post-incident debrief within 24 hours",
            "A structured debrief for the patient and for staff after every restraint.",
            (3,),
            (
                CycleSpec(
                    "Debrief form after one incident",
                    "1 incident",
                    12,
                    2,
                    "adapt",
                    "The debrief will take 15 minutes and find one thing to do differently.",
                    "It took 40 minutes and felt like an investigation.",
                    "Keep it short and separate the patient's debrief from the staff debrief.",
                    "Test a two-part debrief with a peer support worker for the patient.",
                ),
                CycleSpec(
                    "Two-part debrief with a peer support worker",
                    "All incidents for 2 weeks",
                    11,
                    14,
                    "adapt",
                    "Every restraint will have a patient debrief within 24 hours.",
                    "5 of 7 had one; two patients were discharged first.",
                    "Offer the debrief before discharge or by phone afterwards.",
                    "Extend to phone debriefs after discharge.",
                ),
                CycleSpec(
                    "Debriefs including after discharge",
                    "All incidents for 6 weeks",
                    9,
                    42,
                    "adopt",
                    "At least 90% of restraints will have both debriefs.",
                    "19 of 20 had both; three changes to care plans came from patients.",
                    "Patients' debriefs changed care plans: the learning goes into the huddle.",
                    "Adopt. Report debrief learning at the weekly ward round.",
                    "implement",
                    (RESTRAINT,),
                ),
            ),
        ),
        IdeaSpec(
            "'Know each other' board",
            "Photos and one thing about each member of staff, chosen by patients.",
            (4,),
            (
                CycleSpec(
                    "Know each other board in the lounge",
                    "1 ward for 2 weeks",
                    8,
                    14,
                    "adapt",
                    "Half of patients asked will say they know the name of their named nurse.",
                    "7 of 12 knew their named nurse's name (3 of 12 before).",
                    "Night staff were missing from the board; agency staff were not on it.",
                    "Add night and regular agency staff.",
                ),
                CycleSpec(
                    "Board with night and agency staff",
                    "1 ward for 4 weeks",
                    6,
                    28,
                    "adopt",
                    "Two thirds of patients will know their named nurse.",
                    "10 of 13 did; patients said nights felt less frightening.",
                    "Small, visible and cheap. Worth spreading to Foxglove ward.",
                    "Adopt; offer to Foxglove ward.",
                    "implement",
                ),
            ),
        ),
        IdeaSpec(
            "Mutual expectations agreed at the community meeting",
            "Ward rules rewritten with patients as what we can expect of each other.",
            (1, 4),
            (
                CycleSpec(
                    "Mutual expectations poster",
                    "1 community meeting",
                    3,
                    7,
                    "abandon",
                    "Patients will refer to the poster when disagreements start.",
                    "Nobody referred to it; patients said it read like rules in new words.",
                    "A poster does not change conversations. Try the expectations in the "
                    "admission welcome instead.",
                    "Abandon the poster; plan a welcome conversation test.",
                ),
                CycleSpec(
                    "Expectations in the admission welcome",
                    "New admissions for 2 weeks",
                    1,
                    14,
                    "",
                    "New patients will say they know what to expect of staff at 72 hours.",
                    "",
                    "",
                ),
            ),
        ),
    ),
    final_score=3.5,
    faculty_ratings=True,
    measures=(
        MeasureSpec(
            RESTRAINT,
            "outcome",
            "rate",
            "u",
            45,
            ((16, 32), (9, 20)),
            denominator=560,
            rate_multiplier=1000,
            unit="occupied bed days",
            target=22,
            numerator_definition="Incidents of physical restraint, seclusion or rapid "
            "tranquillisation on Larkspur ward reported on the incident system.",
            denominator_definition="Occupied bed days on Larkspur ward in the month (bed "
            "management system, midnight census).",
            inclusions="All restrictive interventions, however short.",
            exclusions="Holds for personal care agreed in a care plan.",
            data_source="Incident reporting system and bed management system, monthly",
            main=True,
            freeze=9,
            owner=OWEN,
            rebase=((16, "Safety huddles and calm-down boxes adopted"),),
            seed="|1",
            exclude=(
                11,
                "Ward half closed for three weeks for anti-ligature works: too few bed days "
                "to compare.",
            ),
            notes=(
                (19, "Huddles on every shift"),
                (9, "Debriefs adopted"),
                (11, "Anti-ligature works"),
            ),
        ),
        MeasureSpec(
            HUDDLES,
            "process",
            "percentage",
            "p",
            8,
            ((19, 86), (12, 93)),
            frequency="weekly",
            months=24,
            denominator=21,
            direction="increase",
            target=95,
            unit="%",
            numerator_definition="Shifts where the nurse in charge ticked 'huddle held' on the "
            "shift coordinator's sheet.",
            denominator_definition="Shifts in the week (three a day).",
            data_source="Shift coordinator's sheet, counted every Monday",
            freeze=16,
            owner=who("Kwame Silverthorn", "avonvale"),
        ),
        MeasureSpec(
            "Minutes of restraint per incident",
            "outcome",
            "measurement",
            "i",
            14,
            ((9, 8),),
            noise=2.4,
            unit="minutes",
            target=6,
            numerator_definition="Mean duration of the month's restraints, from the incident "
            "records' start and end times.",
            data_source="Incident reporting system",
            freeze=18,
            owner=OWEN,
        ),
        MeasureSpec(
            "Rapid tranquillisation administrations",
            "balancing",
            "count",
            "c",
            6,
            months=30,
            direction="decrease",
            unit="administrations",
            numerator_definition="Doses of intramuscular rapid tranquillisation given on the "
            "ward in the month. Balancing: fewer holds must not mean more sedation.",
            data_source="Electronic prescribing and medicines administration",
            owner=who("Fiona Bellhollow", "avonvale"),
        ),
        MeasureSpec(
            "Patients who feel safe on the ward",
            "outcome",
            "measurement",
            "run",
            58,
            ((3, 70),),
            months=7,
            noise=5,
            direction="increase",
            unit="%",
            decimals=0,
            numerator_definition="Percentage of patients at the weekly community meeting who "
            "answer 'yes' to 'Do you feel safe on the ward?' (averaged over the month).",
            data_source="Community meeting, asked by a peer support worker",
            owner=MABEL,
            notes=((3, "Question asked by a peer worker from now on"),),
        ),
    ),
    barriers=(
        "Two band 6 vacancies meant huddles were missed on some night shifts.",
        "The incident system does not record restraint length reliably; we check it by hand.",
    ),
)

# --- Avonvale: missed doses (care bundle) ---------------------------------------------------

OMISSIONS = ProjectSpec(
    slug="avonvale-missed-doses",
    title="Fewer missed doses of critical medicines",
    summary=(
        "An audit of Avonvale's acute wards found that 1 in 8 doses of critical medicines "
        "(clozapine, insulin, anticoagulants, antiepileptics) were omitted without a recorded "
        "reason. The pharmacy team and ward nurses are testing a missed-doses care bundle on "
        "Larkspur and Foxglove wards."
    ),
    lead_org="avonvale",
    workstream=MED,
    themes=(CLS,),
    tags=("medicines safety", "missed doses", "care bundle", "inpatient"),
    status="active",
    sharing="organisation",
    start=24,
    end=-9,
    team=(
        (who("Fiona Bellhollow", "avonvale"), L),
        (who("Uma Primrosefield", "avonvale"), S),
        (OWEN, M),
        (who("Kwame Silverthorn", "avonvale"), M),
        (IFEOMA, CO),
    ),
    coproduction=(
        (
            "aim",
            "consulted",
            "Patients on clozapine told us what a missed dose means for them.",
            "Larkspur community meeting",
        ),
        (
            "changes",
            "involved",
            "Patients suggested the 'my medicines' card they keep by the bed.",
            "Mabel Cloverhythe (carer partner)",
        ),
    ),
    aim=AimSpec(
        "reduce",
        "doses of critical medicines omitted without a recorded reason",
        "adult inpatients prescribed critical medicines",
        "Larkspur and Foxglove wards",
        "12",
        "3",
        "%",
        9,
    ),
    primaries=(
        "Critical medicines are in stock on the ward",
        "Nurses know which doses are time-critical",
        "Omissions are noticed and acted on the same day",
    ),
    secondaries=(
        ("Ward stock lists match what patients are prescribed", (0,)),
        ("Critical medicines flagged on the chart", (1,)),
        ("Pharmacy checks omissions every weekday", (2,)),
        ("Handover includes doses that were missed", (1, 2)),
    ),
    ideas=(
        IdeaSpec(
            "Missed-doses care bundle",
            "Five steps checked for every patient on a critical medicine.",
            (0, 1, 2, 3),
            (
                CycleSpec(
                    "Bundle audit on one ward for a week",
                    "Larkspur ward, 1 week",
                    18,
                    7,
                    "adapt",
                    "All five elements can be audited from the chart in 5 minutes.",
                    "It took 12 minutes; the stock check needs the pharmacy technician.",
                    "Split the audit: nurse checks four elements, the technician checks stock.",
                    "Test the split audit on both wards.",
                ),
                CycleSpec(
                    "Split audit on both wards",
                    "2 wards, 4 weeks",
                    16,
                    28,
                    "adopt",
                    "At least 60% of audited patients will have all five elements met.",
                    "52% had all five; the handover element was the one most often missed.",
                    "Adopt the audit; the handover element needs its own test.",
                    "Adopt the bundle audit monthly; test a handover prompt.",
                    "implement",
                ),
            ),
        ),
        IdeaSpec(
            "Missed doses in the handover",
            "A line on the handover sheet for doses missed in the last shift.",
            (3,),
            (
                CycleSpec(
                    "Handover prompt on Larkspur",
                    "1 ward, 2 weeks",
                    13,
                    14,
                    "adopt",
                    "Missed doses will be handed over in 9 of 10 handovers.",
                    "Handed over in 26 of 28 handovers.",
                    "The prompt works when it is on the sheet, not in a separate form.",
                    "Adopt on both wards.",
                    "implement",
                ),
            ),
        ),
    ),
    final_score=3.5,
    faculty_ratings=True,
    measures=(
        MeasureSpec(
            "Doses of critical medicines omitted without a reason",
            "outcome",
            "percentage",
            "p",
            12,
            ((16, 7), (12, 4)),
            months=28,
            denominator=260,
            target=3,
            unit="%",
            numerator_definition="Doses of critical medicines not given and with no reason code "
            "on the electronic chart.",
            denominator_definition="Doses of critical medicines due in the audit week.",
            data_source="Electronic prescribing, first full week of each month",
            main=True,
            freeze=12,
            owner=who("Fiona Bellhollow", "avonvale"),
        ),
        MeasureSpec(
            "Minutes taken by the morning medicines round",
            "balancing",
            "measurement",
            "i",
            62,
            noise=5,
            months=24,
            direction="decrease",
            unit="minutes",
            numerator_definition="Average length of the 08:00 medicines round on the audit "
            "days. Balancing: the bundle must not make the round longer.",
            data_source="Timed by the nurse in charge",
            owner=OWEN,
        ),
    ),
    bundle=BundleSpec(
        "Missed-doses care bundle",
        "Every patient prescribed a critical medicine on Larkspur or Foxglove ward.",
        (
            "Critical medicine in stock on the ward",
            "Critical medicine flagged on the chart",
            "Dose given within 2 hours of the prescribed time",
            "Any omission has a reason code",
            "Missed doses handed over at the next handover",
        ),
        ((24, 0.86), (16, 0.93), (12, 0.975), (5, 0.99)),
        audits_per_month=20,
        not_applicable={4: 0.3},
        prefix="MD",
        auditor=who("Fiona Bellhollow", "avonvale"),
    ),
)

# --- Brackenmoor: physical health checks within 24 hours -----------------------------------

PHYS_CHECK = "Admissions with a physical health check within 24 hours"

BRACKENMOOR = ProjectSpec(
    slug="brackenmoor-physical-health-24h",
    title="Physical health checks within 24 hours of admission",
    summary=(
        "People with severe mental illness die 15 to 20 years earlier than others. At "
        "Brackenmoor only half of admissions had a full physical health check (observations "
        "with NEWS2, bloods, ECG and the Lester tool) within 24 hours. The team is making the "
        "check part of every admission on the three adult wards."
    ),
    lead_org="brackenmoor",
    workstream=PHYS,
    themes=(PFCC,),
    tags=("physical health", "NEWS2", "Lester tool", "admission"),
    status="active",
    sharing="collaborative",
    start=25,
    end=-3,
    team=(
        (who("Theo Moorcrest", "brackenmoor"), L),
        (who("Jonah Kestrelby"), S),
        (NIA, M),
        (who("Niamh Sparrowhill", "brackenmoor"), M),
        (GRACE, CO),
        (who("Dominic Thornapple"), P),
    ),
    coproduction=(
        (
            "aim",
            "involved",
            "Dominic told the team how long he waited for an ECG after admission.",
            "Dominic Thornapple",
        ),
        (
            "changes",
            "co_designed",
            "The 'your first day' leaflet explaining the checks was written with patients.",
            "Dominic Thornapple; recovery college students",
        ),
        ("testing", "consulted", "Patients were asked about each test of the leaflet.", ""),
    ),
    aim=AimSpec(
        "increase",
        "admissions with a complete physical health check within 24 hours",
        "adults admitted to acute wards",
        "Heather, Gorse and Bracken wards",
        "52",
        "90",
        "%",
        3,
    ),
    primaries=(
        "Checks are part of the admission routine",
        "Equipment and skills on every ward",
        "Patients understand and agree to the checks",
    ),
    secondaries=(
        ("An admission checklist with the physical health check on it", (0,)),
        ("ECG machine and phlebotomy available out of hours", (1,)),
        ("Healthcare support workers trained in ECGs", (1,)),
        ("Patients told why the checks matter", (2,)),
    ),
    ideas=(
        IdeaSpec(
            "Admission checklist with the check built in",
            "",
            (0,),
            (
                CycleSpec(
                    "Checklist on Heather ward",
                    "1 ward, 2 weeks",
                    20,
                    14,
                    "adapt",
                    "8 of 10 admissions will have the check within 24 hours.",
                    "6 of 11 did; night admissions were missed.",
                    "The night team needs the checklist in the admission pack.",
                    "Put the checklist in the admission pack.",
                    studies=(PHYS_CHECK,),
                ),
                CycleSpec(
                    "Checklist in the admission pack, all wards",
                    "3 wards, 6 weeks",
                    18,
                    42,
                    "adopt",
                    "75% of admissions will have the check within 24 hours.",
                    "78% did.",
                    "The pack works across shifts.",
                    "Adopt and audit monthly.",
                    "implement",
                    (PHYS_CHECK,),
                ),
            ),
        ),
        IdeaSpec(
            "Healthcare support workers trained to record ECGs",
            "",
            (1, 2),
            (
                CycleSpec(
                    "Two HCAs trained in ECGs",
                    "2 staff, 1 month",
                    11,
                    30,
                    "adopt",
                    "ECGs out of hours will be done the same night.",
                    "14 of 16 night admissions had an ECG before morning.",
                    "Training HCAs removes the wait for the junior doctor.",
                    "Train HCAs on every ward.",
                    "implement",
                    (PHYS_CHECK,),
                ),
            ),
        ),
        IdeaSpec(
            "'Your first day' leaflet",
            "",
            (3,),
            (
                CycleSpec(
                    "Leaflet given at admission",
                    "10 admissions",
                    9,
                    21,
                    "adapt",
                    "Fewer patients will decline bloods.",
                    "Declines fell from 4 of 10 to 2 of 10; some could not read the leaflet.",
                    "An easy-read version is needed.",
                    "Test an easy-read version.",
                    studies=("Patients declining bloods at admission",),
                ),
                CycleSpec(
                    "Easy-read leaflet with a conversation",
                    "All admissions, 4 weeks",
                    8,
                    28,
                    "adopt",
                    "Fewer than 2 in 10 will decline bloods.",
                    "3 of 31 declined.",
                    "Explaining why, in plain words, is what helps.",
                    "Adopt on all wards.",
                    "implement",
                    ("Patients declining bloods at admission",),
                ),
            ),
        ),
    ),
    final_score=4.0,
    faculty_ratings=True,
    measures=(
        MeasureSpec(
            PHYS_CHECK,
            "outcome",
            "percentage",
            "p",
            52,
            ((18, 76), (11, 89)),
            denominator=38,
            direction="increase",
            target=90,
            unit="%",
            numerator_definition="Admissions with observations and NEWS2, bloods, ECG and a "
            "Lester tool assessment all recorded within 24 hours of admission.",
            denominator_definition="Admissions to the three adult acute wards in the month.",
            exclusions="Transfers in from another ward of the trust (checked on first admission).",
            data_source="Electronic patient record report, monthly",
            main=True,
            freeze=7,
            owner=who("Theo Moorcrest", "brackenmoor"),
            rebase=((18, "Admission pack checklist adopted on all wards"),),
        ),
        MeasureSpec(
            "Patients declining bloods at admission",
            "process",
            "percentage",
            "p",
            30,
            ((8, 15),),
            months=24,
            denominator=38,
            direction="decrease",
            unit="%",
            numerator_definition="Admissions where the patient declined bloods in the first 24 "
            "hours.",
            denominator_definition="Admissions to the three adult acute wards.",
            data_source="Electronic patient record",
            freeze=15,
            owner=NIA,
        ),
        MeasureSpec(
            "Nursing minutes spent on admission paperwork",
            "balancing",
            "measurement",
            "run",
            95,
            noise=8,
            months=26,
            direction="decrease",
            unit="minutes",
            decimals=0,
            numerator_definition="Median minutes per admission, self-reported by the "
            "admitting nurse on one week a month.",
            data_source="Admitting nurses' timesheet, first week of each month",
            owner=who("Niamh Sparrowhill", "brackenmoor"),
        ),
    ),
    barriers=("The ECG machine on Gorse ward was out of service for three weeks.",),
)

# --- Carrowdown: follow-up within 72 hours of discharge -------------------------------------

FOLLOW_UP = "Discharges followed up within 72 hours"

CARROWDOWN = ProjectSpec(
    slug="carrowdown-72-hour-follow-up",
    title="Follow-up within 72 hours of discharge",
    summary=(
        "The days after leaving hospital carry the highest risk of suicide. Reviews of deaths "
        "at Carrowdown found follow-up calls booked but not made because discharge summaries "
        "arrived late. The team is making the 72-hour follow-up part of discharge itself."
    ),
    lead_org="carrowdown",
    workstream=SAFE,
    themes=(PFCC, CLS),
    tags=("discharge", "suicide prevention", "follow-up", "learning from deaths"),
    status="active",
    sharing="collaborative",
    start=22,
    end=-4,
    team=(
        (who("Emeka Silverthorn", "carrowdown"), L),
        (who("Leona Fernhallow"), S),
        (who("Poppy Pebblewick", "carrowdown"), M),
        (who("Theo Quincewell", "carrowdown"), M),
        (TOBIAS, CO),
        (who("Ruth Larchwhistle"), P),
    ),
    coproduction=(
        (
            "aim",
            "co_designed",
            "Ruth, whose brother died after discharge, shaped the aim with the team.",
            "Ruth Larchwhistle (family partner)",
        ),
        ("measures", "consulted", "Families reviewed the definition of 'followed up'.", ""),
        (
            "changes",
            "co_designed",
            "The 'before you go' conversation was designed with people recently discharged.",
            "Ruth Larchwhistle; service user forum",
        ),
        ("testing", "involved", "Two peer workers made some of the calls.", ""),
    ),
    aim=AimSpec(
        "increase",
        "discharges followed up in person or by phone within 72 hours",
        "adults discharged from acute wards",
        "Carrowdown's four acute wards",
        "68",
        "95",
        "%",
        4,
    ),
    primaries=("Follow-up is arranged before the person leaves", "Community teams know at once"),
    secondaries=(
        ("The follow-up appointment booked before discharge", (0,)),
        ("Discharge summaries sent electronically the same day", (1,)),
        ("The person knows who will call and when", (0,)),
    ),
    ideas=(
        IdeaSpec(
            "Book the follow-up before the person leaves",
            "",
            (0, 2),
            (
                CycleSpec(
                    "Booked follow-up on one ward",
                    "Rowan ward, 2 weeks",
                    16,
                    14,
                    "adapt",
                    "9 of 10 discharges will leave with a booked follow-up time.",
                    "7 of 9 did; weekend discharges were missed.",
                    "The weekend team needs access to the community diary.",
                    "Give weekend nurses diary access.",
                    studies=(FOLLOW_UP,),
                ),
                CycleSpec(
                    "Booked follow-up on all wards with weekend access",
                    "4 wards, 6 weeks",
                    14,
                    42,
                    "adopt",
                    "90% of discharges will have a booked follow-up.",
                    "93% did; follow-up within 72 hours rose to 88%.",
                    "Booking before discharge is the change that matters.",
                    "Adopt on all wards.",
                    "implement",
                    (FOLLOW_UP,),
                ),
            ),
        ),
        IdeaSpec(
            "Same-day electronic discharge summary",
            "",
            (1,),
            (
                CycleSpec(
                    "Electronic summaries to one community team",
                    "1 team, 4 weeks",
                    9,
                    28,
                    "adopt",
                    "Summaries will arrive on the day of discharge.",
                    "31 of 33 arrived the same day.",
                    "Works; needs the community team's inbox checked daily.",
                    "Adopt for all community teams.",
                    "implement",
                    (FOLLOW_UP,),
                ),
            ),
        ),
    ),
    final_score=4.0,
    faculty_ratings=True,
    measures=(
        MeasureSpec(
            FOLLOW_UP,
            "outcome",
            "percentage",
            "p",
            68,
            ((14, 87), (9, 94)),
            frequency="weekly",
            months=26,
            denominator=14,
            direction="increase",
            target=95,
            unit="%",
            numerator_definition="Discharges with a face-to-face or phone contact by the "
            "community team within 72 hours.",
            denominator_definition="Discharges from the acute wards in the week.",
            exclusions="Discharges to prison, to another hospital or out of area.",
            data_source="Electronic patient record, weekly report",
            main=True,
            freeze=26,
            owner=who("Emeka Silverthorn", "carrowdown"),
        ),
        MeasureSpec(
            "Emergency readmissions within 30 days",
            "balancing",
            "count",
            "c",
            7,
            months=26,
            direction="decrease",
            unit="readmissions",
            numerator_definition="Emergency readmissions within 30 days of discharge.",
            data_source="Bed management system",
            owner=who("Poppy Pebblewick", "carrowdown"),
        ),
    ),
)

# --- Dunmere Valley: falls with harm on older adult wards ----------------------------------

FALLS_GAP = "Days between falls with moderate or severe harm"

DUNMERE = ProjectSpec(
    slug="dunmere-falls-with-harm",
    title="Preventing falls with harm on older adult wards",
    summary=(
        "Falls are the most common patient safety incident on Dunmere's two older adult wards, "
        "and a fall with a fractured hip changes a life. The team is testing a multifactorial "
        "falls assessment, lying and standing blood pressure and 'bay tagging'."
    ),
    lead_org="dunmere-valley",
    workstream=PHYS,
    themes=(CLS,),
    tags=("falls", "older adults", "inpatient"),
    status="active",
    sharing="collaborative",
    start=28,
    end=-6,
    team=(
        (who("Noor Honeyfield", "dunmere-valley"), L),
        (who("Gareth Puddlecombe"), S),
        (who("Tegan Starwort", "dunmere-valley"), M),
        (who("Lottie Ivyholt", "dunmere-valley"), M),
        (GRACE, CO),
    ),
    coproduction=(
        ("aim", "consulted", "Relatives were asked what a fall meant for them.", "Carers' group"),
        ("changes", "involved", "Carers suggested the familiar-footwear campaign.", ""),
    ),
    aim=AimSpec(
        "increase",
        "days between falls with moderate or severe harm",
        "older adult inpatients",
        "Willow and Aspen wards",
        "30",
        "120",
        "days",
        6,
    ),
    primaries=("Every patient's falls risk is known", "Safe environment and supervision"),
    secondaries=(
        ("Multifactorial falls assessment within 24 hours", (0,)),
        ("Lying and standing blood pressure recorded", (0,)),
        ("Someone always present in bays of high-risk patients", (1,)),
        ("Well-fitting footwear and glasses within reach", (1,)),
    ),
    ideas=(
        IdeaSpec(
            "Multifactorial falls assessment on admission",
            "",
            (0, 1),
            (
                CycleSpec(
                    "Falls assessment on Willow ward",
                    "5 admissions",
                    22,
                    14,
                    "adapt",
                    "All 5 will have the assessment within 24 hours.",
                    "3 of 5; lying and standing BP was the step missed.",
                    "Add lying and standing BP to the observation chart.",
                    "Test on both wards.",
                ),
                CycleSpec(
                    "Assessment with lying and standing BP, both wards",
                    "2 wards, 6 weeks",
                    20,
                    42,
                    "adopt",
                    "80% of admissions assessed within 24 hours.",
                    "84% assessed.",
                    "Adopt; assessment now prompted by the record.",
                    "Adopt.",
                    "implement",
                ),
            ),
        ),
        IdeaSpec(
            "Bay tagging",
            "A member of staff always present in the bay of high-risk patients.",
            (2,),
            (
                CycleSpec(
                    "Bay tagging on day shifts",
                    "1 bay, 2 weeks",
                    15,
                    14,
                    "adopt",
                    "No unwitnessed falls in the tagged bay.",
                    "No unwitnessed falls; staff found it workable with a handover tag.",
                    "Works on days; nights need a different rota.",
                    "Adopt on days and nights.",
                    "implement",
                    (FALLS_GAP,),
                ),
            ),
        ),
    ),
    final_score=4.0,
    faculty_ratings=False,
    measures=(
        MeasureSpec(
            FALLS_GAP,
            "outcome",
            "days_between",
            "g",
            28,
            ((15, 110),),
            months=36,
            direction="increase",
            target=120,
            unit="days",
            numerator_definition="Days from one fall with moderate or severe harm on Willow or "
            "Aspen ward to the next (one point per fall).",
            inclusions="Falls reported on the incident system and graded moderate or severe.",
            data_source="Incident reporting system",
            main=True,
            freeze=12,
            owner=who("Tegan Starwort", "dunmere-valley"),
            notes=((15, "Bay tagging adopted"),),
            seed="|4",
        ),
        MeasureSpec(
            "Falls per 1,000 occupied bed days",
            "outcome",
            "rate",
            "u",
            11,
            ((19, 7.5),),
            denominator=1050,
            rate_multiplier=1000,
            unit="occupied bed days",
            numerator_definition="All falls reported on the two wards, whatever the harm.",
            denominator_definition="Occupied bed days on the two wards.",
            data_source="Incident reporting system and bed management system",
            freeze=10,
            owner=who("Tegan Starwort", "dunmere-valley"),
        ),
        MeasureSpec(
            "Falls assessment completed within 24 hours",
            "process",
            "percentage",
            "p",
            41,
            ((20, 83),),
            denominator=16,
            direction="increase",
            target=90,
            unit="%",
            numerator_definition="Admissions with a multifactorial falls assessment, including "
            "lying and standing blood pressure, within 24 hours.",
            denominator_definition="Admissions to Willow and Aspen wards.",
            data_source="Electronic patient record",
            freeze=10,
            owner=who("Noor Honeyfield", "dunmere-valley"),
        ),
    ),
)

# --- Eastbrook Downs: responding to deterioration -------------------------------------------

ESCALATION = "Minutes from a NEWS2 of 5 or more to medical review"

EASTBROOK = ProjectSpec(
    slug="eastbrook-deterioration-response",
    title="Responding to physical deterioration on mental health wards",
    summary=(
        "When a patient's NEWS2 score reaches 5 or more they need a doctor's review within the "
        "hour. On Eastbrook's wards it took more than two hours on average, often overnight. "
        "The team is testing a structured escalation call (SBAR) and a deterioration huddle."
    ),
    lead_org="eastbrook-downs",
    workstream=PHYS,
    themes=(CLS,),
    tags=("NEWS2", "deterioration", "SBAR", "inpatient"),
    status="active",
    sharing="collaborative",
    start=20,
    end=-4,
    team=(
        (who("Noor Bellhollow", "eastbrook-downs"), L),
        (who("Aisha Lindqvale"), S),
        (who("Amara Sallowmere", "eastbrook-downs"), M),
        (who("Dalia Pipersgate", "eastbrook-downs"), M),
        (GRACE, CO),
        (who("Samira Bluehaven"), P),
    ),
    coproduction=(
        ("aim", "informed", "The aim was shared at the patient safety forum.", ""),
        (
            "measures",
            "involved",
            "Samira helped design the patient-experience questions.",
            "Samira Bluehaven (peer researcher)",
        ),
        ("testing", "involved", "Samira interviewed patients after escalations.", ""),
    ),
    aim=AimSpec(
        "reduce",
        "minutes from a NEWS2 of 5 or more to medical review",
        "inpatients whose physical health deteriorates",
        "Eastbrook's five adult and older adult wards",
        "135",
        "60",
        "minutes",
        4,
    ),
    primaries=("Deterioration is recognised", "Escalation is clear and heard"),
    secondaries=(
        ("NEWS2 recorded at the right frequency", (0,)),
        ("A structured call to the doctor (SBAR)", (1,)),
        ("Night doctors know which wards have a sick patient", (1,)),
    ),
    ideas=(
        IdeaSpec(
            "SBAR escalation call",
            "",
            (1,),
            (
                CycleSpec(
                    "SBAR prompt card by the phone",
                    "1 ward, 2 weeks",
                    13,
                    14,
                    "adopt",
                    "Calls will be shorter and doctors will come sooner.",
                    "Median time to review fell from 140 to 95 minutes.",
                    "Structured calls get a response.",
                    "Adopt across wards.",
                    "implement",
                    (ESCALATION,),
                ),
            ),
        ),
        IdeaSpec(
            "Evening deterioration huddle with the on-call doctor",
            "",
            (0, 2),
            (
                CycleSpec(
                    "Evening huddle by phone",
                    "5 wards, 2 weeks",
                    7,
                    14,
                    "adapt",
                    "The on-call doctor will know every patient with NEWS2 of 3 or more.",
                    "Worked on 9 of 14 nights; bleep interruptions.",
                    "Move the huddle to 20:30, after the handover.",
                    "Test at 20:30.",
                ),
                CycleSpec(
                    "Huddle at 20:30",
                    "5 wards, 4 weeks",
                    5,
                    28,
                    "adopt",
                    "12 of 14 nights will have the huddle.",
                    "26 of 28 nights.",
                    "The timing matters.",
                    "Adopt.",
                    "implement",
                    (ESCALATION,),
                ),
            ),
        ),
    ),
    final_score=3.5,
    faculty_ratings=True,
    measures=(
        MeasureSpec(
            ESCALATION,
            "outcome",
            "measurement",
            "i",
            135,
            ((13, 92), (5, 58)),
            months=28,
            noise=14,
            unit="minutes",
            target=60,
            decimals=0,
            numerator_definition="Median minutes from the first NEWS2 of 5 or more to a "
            "documented medical review, for the month's escalations.",
            data_source="Electronic observations system",
            main=True,
            freeze=12,
            owner=who("Noor Bellhollow", "eastbrook-downs"),
            notes=((13, "SBAR card by every phone"),),
        ),
        MeasureSpec(
            "Escalations made by SBAR",
            "process",
            "percentage",
            "p",
            20,
            ((13, 78),),
            months=24,
            denominator=24,
            direction="increase",
            target=90,
            unit="%",
            numerator_definition="Escalations of NEWS2 of 5 or more documented as an SBAR call.",
            denominator_definition="Escalations of NEWS2 of 5 or more.",
            data_source="Notes audit",
            freeze=10,
            owner=who("Amara Sallowmere", "eastbrook-downs"),
        ),
    ),
)

# --- Fernwick and Harrowcombe: lithium monitoring (sustaining) ------------------------------

FERNWICK = ProjectSpec(
    slug="fernwick-lithium-monitoring",
    title="Safer lithium monitoring in the community",
    summary=(
        "Lithium needs a blood level every three months, and kidney and thyroid tests every "
        "six. Fewer than two thirds of Fernwick's community patients on lithium were up to "
        "date. A shared register with GPs and text reminders brought it above 90%; the team "
        "is now checking that the gains hold."
    ),
    lead_org="fernwick-harrowcombe",
    workstream=MED,
    themes=(PFCC,),
    tags=("lithium", "high-risk medicines", "community", "primary care"),
    status="sustaining",
    sharing="collaborative",
    start=30,
    end=-2,
    team=(
        (who("Willow Primrosefield", "fernwick-harrowcombe"), L),
        (who("Tomasz Wrenhollow"), S),
        (who("Rosa Oakleaf", "fernwick-harrowcombe"), M),
        (IFEOMA, CO),
    ),
    coproduction=(
        ("changes", "involved", "Patients chose the wording and timing of reminders.", ""),
        ("spread", "consulted", "The patient leaflet was reviewed by the service user group.", ""),
    ),
    aim=AimSpec(
        "increase",
        "people on lithium with a blood level in the last 3 months",
        "adults prescribed lithium",
        "Fernwick's community mental health teams",
        "63",
        "95",
        "%",
        2,
    ),
    primaries=("Everyone on lithium is known", "Tests happen on time"),
    secondaries=(
        ("A register shared with GP practices", (0,)),
        ("Reminders before each test is due", (1,)),
    ),
    ideas=(
        IdeaSpec(
            "Shared lithium register",
            "",
            (0,),
            (
                CycleSpec(
                    "Register with two GP practices",
                    "2 practices",
                    24,
                    30,
                    "adopt",
                    "We will find people missing from our list.",
                    "Found 9 people on lithium unknown to the team.",
                    "The register must be shared both ways.",
                    "Extend to all practices.",
                    "implement",
                ),
            ),
        ),
        IdeaSpec(
            "Text reminder two weeks before a test is due",
            "",
            (1,),
            (
                CycleSpec(
                    "Text reminders for one team",
                    "1 team, 2 months",
                    19,
                    60,
                    "adopt",
                    "More tests done on time.",
                    "On-time tests rose from 66% to 85% in the team.",
                    "People like a reminder; a few asked for a letter instead.",
                    "Adopt for all teams, letters on request.",
                    "implement",
                ),
            ),
        ),
    ),
    final_score=4.5,
    faculty_ratings=True,
    measures=(
        MeasureSpec(
            "People on lithium with a level in the last 3 months",
            "outcome",
            "percentage",
            "p",
            63,
            ((22, 80), (17, 93)),
            months=32,
            denominator=140,
            direction="increase",
            target=95,
            unit="%",
            numerator_definition="People on lithium with a serum lithium level in the 3 months "
            "before the end of the month.",
            denominator_definition="People on the lithium register at the end of the month.",
            data_source="Shared lithium register",
            main=True,
            freeze=10,
            owner=who("Willow Primrosefield", "fernwick-harrowcombe"),
            rebase=((17, "Text reminders adopted for all teams"),),
        ),
    ),
)

# --- Glenhollow: clozapine monitoring (completed) -------------------------------------------

GLENHOLLOW = ProjectSpec(
    slug="glenhollow-clozapine-monitoring",
    title="Complete physical health monitoring for people on clozapine",
    summary=(
        "Clozapine works when other antipsychotics have not, but it needs careful monitoring "
        "of weight, blood sugar, lipids and bowel habit. The clinic made a one-stop annual "
        "check the norm. The project met its aim and the clinic now runs it as usual care."
    ),
    lead_org="glenhollow",
    workstream=MED,
    themes=(PFCC,),
    tags=("clozapine", "physical health", "high-risk medicines"),
    status="completed",
    sharing="collaborative",
    start=30,
    end=4,
    team=(
        (who("Efe Lanternbury", "glenhollow"), L),
        (who("Bronwen Sedgewater"), S),
        (who("Kofi Pipersgate", "glenhollow"), M),
        (who("Yasmin Oakleaf", "glenhollow"), CO),
        (FELIX, P),
    ),
    coproduction=(
        ("aim", "co_designed", "Felix co-wrote the aim with the clinic team.", "Felix Yarrowcombe"),
        ("changes", "co_led", "The one-stop clinic was co-led by a peer support worker.", ""),
        ("spread", "involved", "Patients presented the results at a learning session.", ""),
    ),
    aim=AimSpec(
        "increase",
        "people on clozapine with a complete annual physical health check",
        "adults on clozapine",
        "Glenhollow's clozapine clinic",
        "48",
        "90",
        "%",
        -4,
    ),
    primaries=("One visit for every check",),
    secondaries=(("Bloods, weight, ECG and bowel screen on the same day", (0,)),),
    ideas=(
        IdeaSpec(
            "One-stop clozapine clinic",
            "",
            (0,),
            (
                CycleSpec(
                    "One-stop clinic morning",
                    "1 morning, 6 patients",
                    24,
                    1,
                    "adapt",
                    "All 6 will have every check.",
                    "5 of 6; the ECG machine was shared with another clinic.",
                    "Book the ECG machine for clinic mornings.",
                    "Repeat with the machine booked.",
                ),
                CycleSpec(
                    "One-stop clinic every week",
                    "All clinic patients, 3 months",
                    21,
                    90,
                    "adopt",
                    "80% complete checks.",
                    "87% complete.",
                    "The clinic is now usual care.",
                    "Adopt.",
                    "implement",
                ),
            ),
        ),
    ),
    final_score=5.0,
    faculty_ratings=True,
    measures=(
        MeasureSpec(
            "People on clozapine with a complete annual check",
            "outcome",
            "percentage",
            "p",
            48,
            ((21, 86), (12, 93)),
            months=30,
            denominator=70,
            direction="increase",
            target=90,
            unit="%",
            numerator_definition="People on clozapine with weight, glucose or HbA1c, lipids, "
            "ECG and a bowel screen in the last 12 months.",
            denominator_definition="People registered with the clozapine clinic.",
            data_source="Clozapine clinic register",
            main=True,
            freeze=9,
            owner=who("Efe Lanternbury", "glenhollow"),
            rebase=((21, "One-stop clinic adopted"),),
        ),
    ),
)

# --- Hartleigh Coast: safety huddles and speaking up ----------------------------------------

HARTLEIGH = ProjectSpec(
    slug="hartleigh-safety-huddles",
    title="Safety huddles across adult acute wards",
    summary=(
        "A safety culture survey showed that staff on Hartleigh's acute wards did not feel "
        "able to raise concerns. Daily safety huddles, with a 'what went well' question taken "
        "from Learning from Excellence, are being spread ward by ward."
    ),
    lead_org="hartleigh-coast",
    workstream=SAFE,
    themes=(CLS,),
    tags=("safety huddles", "safety culture", "Learning from Excellence"),
    status="active",
    sharing="collaborative",
    start=18,
    end=-6,
    team=(
        (who("Marek Dewbury", "hartleigh-coast"), L),
        (who("Kieran Starlingford"), S),
        (who("Sunil Copperhythe", "hartleigh-coast"), M),
        (who("Zofia Bellhollow", "hartleigh-coast"), M),
        (YUSUF, CO),
        (who("Colin Mistleby"), P),
    ),
    coproduction=(
        ("changes", "involved", "Colin joined huddles as a carer observer.", "Colin Mistleby"),
    ),
    aim=AimSpec(
        "increase",
        "staff who agree they feel safe to speak up about concerns",
        "ward staff",
        "Hartleigh's four adult acute wards",
        "54",
        "75",
        "%",
        6,
    ),
    primaries=("Teams talk about safety every day", "Good practice is noticed"),
    secondaries=(
        ("A daily huddle at the same time and place", (0,)),
        ("Excellence reported as well as incidents", (1,)),
    ),
    ideas=(
        IdeaSpec(
            "Daily 10-minute safety huddle",
            "",
            (0,),
            (
                CycleSpec(
                    "Huddle on Beacon ward",
                    "1 ward, 2 weeks",
                    14,
                    14,
                    "adopt",
                    "Huddles on 8 of 10 weekdays.",
                    "9 of 10.",
                    "Ready to spread.",
                    "Spread to a second ward.",
                    "implement",
                ),
                CycleSpec(
                    "Huddles on all four wards",
                    "4 wards, 2 months",
                    10,
                    60,
                    "adopt",
                    "Huddles on 80% of weekdays on every ward.",
                    "86% overall.",
                    "Embedded.",
                    "Adopt.",
                    "implement",
                ),
            ),
        ),
        IdeaSpec(
            "'What went well today?' in every huddle",
            "",
            (1,),
            (
                CycleSpec(
                    "Excellence question in the huddle",
                    "2 wards, 4 weeks",
                    6,
                    28,
                    "adapt",
                    "Staff will report at least 5 examples of excellence a week.",
                    "3 a week; staff were shy at first.",
                    "Model it: the ward manager starts.",
                    "Repeat with the manager going first.",
                ),
            ),
        ),
    ),
    final_score=3.0,
    faculty_ratings=False,
    measures=(
        MeasureSpec(
            "Staff who feel safe to speak up",
            "outcome",
            "measurement",
            "run",
            54,
            ((10, 62), (5, 68)),
            months=26,
            noise=3,
            direction="increase",
            target=75,
            unit="%",
            decimals=0,
            numerator_definition="Percentage agreeing with 'I feel safe to speak up about "
            "anything that concerns me' in the monthly pulse survey.",
            data_source="Monthly pulse survey, about 60 responses",
            main=True,
            freeze=14,
            owner=who("Marek Dewbury", "hartleigh-coast"),
        ),
        MeasureSpec(
            "Weekdays with a safety huddle",
            "process",
            "percentage",
            "p",
            35,
            ((14, 70), (10, 88)),
            months=20,
            denominator=84,
            direction="increase",
            target=90,
            unit="%",
            numerator_definition="Ward weekdays with a huddle logged.",
            denominator_definition="Ward weekdays (four wards).",
            data_source="Huddle log",
            freeze=6,
            owner=who("Sunil Copperhythe", "hartleigh-coast"),
        ),
        MeasureSpec(
            "Staff sickness absence",
            "balancing",
            "measurement",
            "i",
            5.6,
            months=24,
            noise=0.5,
            direction="decrease",
            unit="%",
            numerator_definition="Sickness absence rate on the four wards, from the workforce "
            "system. Balancing: huddles must not add to pressure on staff.",
            data_source="Workforce system",
            seed="|1",
            owner=who("Sunil Copperhythe", "hartleigh-coast"),
        ),
    ),
)

# --- Lowenford: sexual safety (stopped) -----------------------------------------------------

LOWENFORD = ProjectSpec(
    slug="lowenford-sexual-safety",
    title="Sexual safety on mixed-sex wards",
    summary=(
        "Patients on Lowenford's two mixed-sex wards reported feeling unsafe at night. The team "
        "began testing a women-only lounge and sexual safety conversations on admission."
    ),
    lead_org="lowenford",
    workstream=SAFE,
    themes=(PFCC,),
    tags=("sexual safety", "inpatient"),
    status="stopped",
    sharing="collaborative",
    start=16,
    end=9,
    stop_reason=(
        "The trust reconfigured its acute beds: both wards became single-sex in the spring, "
        "so the problem the project tackled no longer exists in this form. The sexual safety "
        "conversation on admission was kept, and the learning was passed to the trust's "
        "sexual safety lead."
    ),
    team=(
        (who("Freya Ivyholt", "lowenford"), L),
        (who("Esther Moonpenny"), S),
        (who("Delyth Applewhistle", "lowenford"), M),
        (CERYS, CO),
        (who("Adeola Sunnyvane"), P),
    ),
    coproduction=(
        (
            "aim",
            "co_designed",
            "Women on the wards described when and where they felt unsafe.",
            "Adeola Sunnyvane; women's group",
        ),
        ("changes", "involved", "The lounge was furnished with patients' choices.", ""),
    ),
    aim=AimSpec(
        "reduce",
        "reported sexual safety incidents",
        "inpatients",
        "Lowenford's two mixed-sex acute wards",
        "4",
        "1",
        "incidents a month",
        -9,
    ),
    primaries=("Safe spaces", "Open conversations about sexual safety"),
    secondaries=(("A women-only lounge", (0,)), ("Sexual safety asked about on admission", (1,))),
    ideas=(
        IdeaSpec(
            "Women-only lounge",
            "",
            (0,),
            (
                CycleSpec(
                    "Women-only lounge in the evenings",
                    "1 ward, 2 weeks",
                    12,
                    14,
                    "adapt",
                    "Women will use the lounge most evenings.",
                    "Used on 6 of 14 evenings; it was locked at night.",
                    "The lounge must be open when women feel least safe.",
                    "Keep it open until midnight.",
                ),
            ),
        ),
        IdeaSpec(
            "Sexual safety conversation on admission",
            "",
            (1,),
            (
                CycleSpec(
                    "Admission conversation",
                    "10 admissions",
                    11,
                    21,
                    "adopt",
                    "Most patients will say the conversation helped.",
                    "8 of 10 said so.",
                    "Keep it whatever happens to the wards.",
                    "Adopt.",
                    "implement",
                ),
            ),
        ),
    ),
    final_score=2.5,
    measures=(
        MeasureSpec(
            "Sexual safety incidents reported",
            "outcome",
            "count",
            "run",
            4,
            months=17,
            until=9,
            direction="decrease",
            target=1,
            unit="incidents",
            numerator_definition="Sexual safety incidents reported on the two wards.",
            data_source="Incident reporting system",
            main=True,
            owner=who("Freya Ivyholt", "lowenford"),
        ),
    ),
)

# --- Marlcombe: QI capability (leadership workstream) ---------------------------------------

MARLCOMBE = ProjectSpec(
    slug="marlcombe-qi-coaching-network",
    title="A QI coaching network for ward teams",
    summary=(
        "Marlcombe wanted improvement to be part of every ward's work, not a specialist's. "
        "Staff who reached the Live level of the 3 L's became coaches for their colleagues, "
        "and the number of staff learning QI each month has stayed higher since."
    ),
    lead_org="marlcombe",
    workstream=LEAD,
    themes=(CLS,),
    tags=("QI capability", "3 L's", "coaching"),
    status="sustaining",
    sharing="collaborative",
    start=27,
    end=-3,
    team=(
        (who("Kofi Reedmarsh", "marlcombe"), L),
        (who("Rafael Hollowell"), S),
        (who("Nadia Applewhistle", "marlcombe"), M),
        (CERYS, CO),
        (who("June Heatherlow"), P),
    ),
    coproduction=(
        ("changes", "involved", "Patients and carers joined the coaching sessions.", ""),
        ("spread", "co_designed", "June co-delivers the 'Learn' session for new staff.", ""),
    ),
    aim=AimSpec(
        "increase",
        "staff completing QI training at the Learn or Live level each month",
        "clinical staff",
        "Marlcombe's inpatient and community services",
        "6",
        "15",
        "staff a month",
        3,
    ),
    primaries=("Learning QI close to work", "Time and support to practise"),
    secondaries=(
        ("Coaches on every ward", (0, 1)),
        ("Short sessions at handover time", (0,)),
    ),
    ideas=(
        IdeaSpec(
            "Ward QI coaches",
            "",
            (0,),
            (
                CycleSpec(
                    "Two ward coaches",
                    "2 wards, 3 months",
                    21,
                    90,
                    "adopt",
                    "More staff on those wards will start Learn.",
                    "11 staff started, against 3 in the previous quarter.",
                    "Coaching spreads by example.",
                    "Recruit coaches for every ward.",
                    "implement",
                ),
            ),
        ),
    ),
    final_score=4.5,
    faculty_ratings=True,
    measures=(
        MeasureSpec(
            "Staff completing QI training",
            "outcome",
            "count",
            "run",
            6,
            ((20, 13),),
            months=30,
            direction="increase",
            target=15,
            unit="staff",
            numerator_definition="Staff completing the Learn or Live level of the 3 L's in the "
            "month.",
            data_source="Learning management system",
            main=True,
            freeze=10,
            owner=who("Kofi Reedmarsh", "marlcombe"),
        ),
    ),
)

# --- Silverbourne: carers in discharge planning (an idea) -----------------------------------

SILVERBOURNE = ProjectSpec(
    slug="silverbourne-carers-in-discharge",
    title="Involving carers in discharge planning",
    summary=(
        "Carers tell us they often hear about a discharge on the day. The team is scoping a "
        "project to involve carers in planning discharge from the first week of admission."
    ),
    lead_org="silverbourne",
    workstream=SAFE,
    themes=(PFCC,),
    tags=("carers", "discharge", "Triangle of Care"),
    status="idea",
    sharing="private",
    start=1,
    end=None,
    team=(
        (who("Ciaran Sparrowhill", "silverbourne"), L),
        (who("Joy Tidewhistle"), S),
        (who("Pip Ottersley"), P),
    ),
    coproduction=(
        ("aim", "co_designed", "The carers' forum is drafting the aim with us.", "Pip Ottersley"),
    ),
    aim=AimSpec(
        "increase",
        "discharges where the carer was involved in planning",
        "adults with a named carer",
        "Silverbourne's acute wards",
        "30",
        "80",
        "%",
        12,
    ),
    primaries=("Carers known and contacted early",),
    final_score=0.5,
)

# --- Eastbrook Downs with Brackenmoor: high-dose antipsychotics -----------------------------

HIGH_DOSE = ProjectSpec(
    slug="high-dose-antipsychotic-review",
    title="Reviewing high-dose and combined antipsychotic prescribing",
    summary=(
        "High-dose and combined antipsychotics are sometimes needed but carry risks. Two "
        "trusts are testing a shared review template, completed with the person, at every "
        "ward round where a high dose is continued."
    ),
    lead_org="eastbrook-downs",
    partners=("brackenmoor",),
    workstream=MED,
    themes=(PFCC,),
    tags=("antipsychotics", "high-dose", "prescribing", "STOMP"),
    status="active",
    sharing="organisation",
    start=15,
    end=-9,
    team=(
        (who("Nadia Featherby", "eastbrook-downs"), L),
        (who("Aisha Lindqvale"), S),
        (who("Ciaran Lindenmoor", "brackenmoor"), M),
        (IFEOMA, CO),
        (who("Samira Bluehaven"), P),
    ),
    coproduction=(
        ("measures", "involved", "Patients asked that 'discussed with me' be measured.", ""),
        ("changes", "co_designed", "The review template was written with patients.", ""),
    ),
    aim=AimSpec(
        "increase",
        "people on high-dose antipsychotics with a documented review discussed with them",
        "adult inpatients",
        "Eastbrook and Brackenmoor acute wards",
        "35",
        "85",
        "%",
        9,
    ),
    primaries=("Every high dose is reviewed", "The person is part of the decision"),
    secondaries=(
        ("A review template in the ward round", (0,)),
        ("Pharmacist flags high doses weekly", (0,)),
        ("The review is discussed with the person", (1,)),
    ),
    ideas=(
        IdeaSpec(
            "High-dose review template",
            "",
            (0, 2),
            (
                CycleSpec(
                    "Template at one ward round",
                    "1 ward round",
                    11,
                    7,
                    "adapt",
                    "All high-dose patients will be reviewed.",
                    "4 of 6; the template was too long.",
                    "Cut it to one page.",
                    "Test the one-page template.",
                ),
                CycleSpec(
                    "One-page template on two wards",
                    "2 wards, 6 weeks",
                    9,
                    42,
                    "adopt",
                    "75% reviewed and discussed.",
                    "79%.",
                    "Works across both trusts.",
                    "Adopt.",
                    "implement",
                ),
            ),
        ),
        IdeaSpec("Weekly pharmacist flag", "", (1,)),
    ),
    final_score=3.0,
    measures=(
        MeasureSpec(
            "High-dose antipsychotic reviews discussed with the person",
            "process",
            "percentage",
            "p",
            35,
            ((9, 78),),
            months=24,
            denominator=22,
            direction="increase",
            target=85,
            unit="%",
            numerator_definition="People on high-dose or combined antipsychotics with a "
            "documented review, discussed with them, in the month.",
            denominator_definition="People on high-dose or combined antipsychotics on the wards.",
            data_source="Pharmacy audit",
            main=True,
            freeze=12,
            owner=who("Nadia Featherby", "eastbrook-downs"),
        ),
    ),
)

# --- Marlcombe with Avonvale: families in learning from deaths (public) ---------------------

FAMILIES = ProjectSpec(
    slug="families-in-learning-from-deaths",
    title="Involving families in learning from deaths",
    summary=(
        "Families often know things about a death that no record holds. Marlcombe and "
        "Avonvale are testing how to invite bereaved families into reviews, with a family "
        "liaison volunteer, so that every family is offered the chance to take part."
    ),
    lead_org="marlcombe",
    partners=("avonvale",),
    workstream=SAFE,
    themes=(PFCC, CLS),
    tags=("learning from deaths", "families", "duty of candour"),
    status="active",
    sharing="public",
    start=14,
    end=-10,
    team=(
        (who("Vikram Dapplewood", "marlcombe"), L),
        (who("Rafael Hollowell"), S),
        (who("Uma Primrosefield", "avonvale"), M),
        (YUSUF, CO),
        (who("June Heatherlow"), P),
        (MABEL, P),
    ),
    coproduction=(
        (
            "aim",
            "co_led",
            "The aim was set by June and two other bereaved relatives.",
            "June Heatherlow",
        ),
        ("measures", "co_designed", "Families chose how to ask about their experience.", ""),
        ("changes", "co_designed", "The invitation letter was rewritten by families.", ""),
        ("testing", "involved", "June made the first contact in the tests.", ""),
    ),
    aim=AimSpec(
        "increase",
        "bereaved families offered involvement in the review of their relative's death",
        "families of patients who died",
        "Marlcombe and Avonvale",
        "40",
        "95",
        "%",
        10,
    ),
    primaries=("Every family is contacted", "Families are heard in the review"),
    secondaries=(
        ("A family liaison volunteer makes the first contact", (0,)),
        ("Families' questions go into the review's terms", (1,)),
    ),
    ideas=(
        IdeaSpec(
            "Family liaison volunteer",
            "",
            (0,),
            (
                CycleSpec(
                    "Volunteer contact for two families",
                    "2 families",
                    8,
                    30,
                    "adapt",
                    "Both families will take up the offer.",
                    "One did; the other wanted a letter first.",
                    "Offer a letter and a call.",
                    "Test letter then call.",
                ),
                CycleSpec(
                    "Letter then a call from the volunteer",
                    "All deaths reviewed for 3 months",
                    6,
                    90,
                    "adopt",
                    "Most families will be offered involvement within 2 weeks.",
                    "17 of 19 offered.",
                    "Families valued hearing from someone with lived experience.",
                    "Adopt in both trusts.",
                    "implement",
                ),
            ),
        ),
    ),
    final_score=3.0,
    measures=(
        MeasureSpec(
            "Families offered involvement in the review",
            "process",
            "percentage",
            "p",
            40,
            ((6, 86),),
            months=24,
            denominator=12,
            direction="increase",
            target=95,
            unit="%",
            numerator_definition="Deaths reviewed where the family was offered involvement "
            "within 2 weeks of the decision to review.",
            denominator_definition="Deaths reviewed in the month.",
            data_source="Mortality review database",
            main=True,
            freeze=15,
            owner=who("Vikram Dapplewood", "marlcombe"),
        ),
        MeasureSpec(
            "Families' rating of their involvement",
            "outcome",
            "measurement",
            "run",
            6.8,
            ((3, 7.9),),
            months=6,
            noise=0.5,
            direction="increase",
            unit="score out of 10",
            numerator_definition="Average rating (0 to 10) from families who took part, asked "
            "by the volunteer six weeks after the review.",
            data_source="Family feedback call",
            owner=who("June Heatherlow"),
        ),
    ),
)

PROJECTS: tuple[ProjectSpec, ...] = (
    LARKSPUR,
    OMISSIONS,
    BRACKENMOOR,
    CARROWDOWN,
    DUNMERE,
    EASTBROOK,
    FERNWICK,
    GLENHOLLOW,
    HARTLEIGH,
    LOWENFORD,
    MARLCOMBE,
    SILVERBOURNE,
    HIGH_DOSE,
    FAMILIES,
)
