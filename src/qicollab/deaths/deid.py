"""The de-identification check a learning summary must pass before it is shared (pure).

It blocks, in any text field: NHS numbers (10 digits, spaced or not, that pass the
modulus-11 check), dates of birth (a date after "born", "DOB", "date of birth" or
"birthday", even without a year) and any other full date (day, month and year: a date of
death or admission identifies a person as surely as a birthday), UK postcodes, UK phone
numbers, email addresses, and the names the team recorded against the case.

It is deliberately precise: months with years ("March 2024"), financial quarters, ages,
times, scores, ratios, ward numbers, partial postcodes ("BS8") and 10-digit numbers that
fail the NHS number check are not flagged, so people are not trained to ignore it.

>>> text = "Seen on 3 March 2024 by Dr Ash; call 07700 900123."
>>> [f.kind for f in check_text(text, names=["Ash"])]
['date', 'name', 'phone']
>>> check_text("In March 2024 the ward (bed 12) changed its NEWS2 escalation.")
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from qicollab.deaths.identifiers import is_valid_nhs_number

KIND_LABELS = {
    "nhs_number": "an NHS number",
    "dob": "a date of birth",
    "date": "a full date",
    "postcode": "a postcode",
    "phone": "a phone number",
    "email": "an email address",
    "name": "a name recorded in the case",
    "person_name": "a person's name",
}

ADVICE = {
    "nhs_number": "Remove it.",
    "dob": "Remove it; give the age band if it matters.",
    "date": "Give the month and year, or the time relative to events, like 'two days after "
    "admission'.",
    "postcode": "Remove it; name the kind of place instead, like 'at home'.",
    "phone": "Remove it.",
    "email": "Remove it.",
    "name": "Use a role instead, like 'the ward nurse' or 'his sister'.",
    "person_name": "Use your local case code instead, like LfD-2025-014.",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    start: int
    end: int
    field: str = ""

    @property
    def message(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{where}“{self.text}” looks like {KIND_LABELS[self.kind]}. {ADVICE[self.kind]}"


_NHS = re.compile(r"(?<![\d])(\d{3})[ \-]?(\d{3})[ \-]?(\d{4})(?![\d])")

_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ORD = r"(?:st|nd|rd|th)?"
_NUMERIC_DATE = re.compile(
    r"(?<![\d/.\-])(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/.\-]|\.\d)"
)
_ISO_DATE = re.compile(r"(?<![\d\-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d\-])")
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}}){_ORD}(?:\s+of)?\s+{_MONTH},?\s+(\d{{4}}|'\d{{2}})\b", re.IGNORECASE
)
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}}){_ORD},?\s+(\d{{4}})\b", re.IGNORECASE)
_DOB_CONTEXT = re.compile(
    r"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|born|birthday|birth\s+date)\b[\s:,\-]*(?:(?:on|in|was|is|of)\b[\s:]*){0,2}",
    re.IGNORECASE,
)
# What may follow a date-of-birth keyword: any date, with or without a year.
_DOB_VALUE = re.compile(
    rf"(\d{{1,2}}[/.\-]\d{{4}}|\d{{1,2}}[/.\-]\d{{1,2}}(?:[/.\-]\d{{2,4}})?|\d{{4}}-\d{{1,2}}-\d{{1,2}}"
    rf"|\d{{1,2}}{_ORD}(?:\s+of)?\s+{_MONTH}(?:,?\s+(?:\d{{4}}|'\d{{2}}))?"
    rf"|{_MONTH}\s+\d{{4}}|{_MONTH}\s+\d{{1,2}}{_ORD}(?:,?\s+\d{{4}})?)(?![\w/.\-]\d)",
    re.IGNORECASE,
)
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(GIR\s?0AA|[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPS-UW]|[A-HK-Y]\d[ABEHMNPRV-Y])"
    r"\s?\d[ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?<![\d+])(?:\+44\s?(?:\(0\)\s?)?\d|\(0\d{2,4}\)|0\d)[\d \-]{7,13}\d(?![\d])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "nurse"}


def _real(day: int, month: int, year: int | None = None) -> bool:
    try:
        date(year or 2000, month, day)
    except ValueError:
        return False
    return True


def _year(text: str) -> int:
    text = text.lstrip("'")
    return int(text) + (2000 if len(text) == 2 else 0)


def _month_number(name: str) -> int:
    return _MONTHS.index(name[:3].lower()) + 1


def _nhs_numbers(text: str) -> Iterable[Finding]:
    for m in _NHS.finditer(text):
        if is_valid_nhs_number("".join(m.groups())):
            yield Finding("nhs_number", m.group(0), m.start(), m.end())


def _dates(text: str) -> Iterable[Finding]:
    for m in _DOB_CONTEXT.finditer(text):
        value = _DOB_VALUE.match(text, m.end())
        if value:
            yield Finding("dob", text[m.start() : value.end()].strip(), m.start(), value.end())
    for m in _NUMERIC_DATE.finditer(text):
        a, b, year = int(m.group(1)), int(m.group(3)), _year(m.group(4))
        if _real(a, b, year) or _real(b, a, year):
            yield Finding("date", m.group(0), m.start(), m.end())
    for m in _ISO_DATE.finditer(text):
        if _real(int(m.group(3)), int(m.group(2)), int(m.group(1))):
            yield Finding("date", m.group(0), m.start(), m.end())
    for m in _DAY_MONTH_YEAR.finditer(text):
        if _real(int(m.group(1)), _month_number(m.group(2)), _year(m.group(3))):
            yield Finding("date", m.group(0), m.start(), m.end())
    for m in _MONTH_DAY_YEAR.finditer(text):
        if _real(int(m.group(2)), _month_number(m.group(1)), _year(m.group(3))):
            yield Finding("date", m.group(0), m.start(), m.end())


def _postcodes(text: str) -> Iterable[Finding]:
    for m in _POSTCODE.finditer(text):
        yield Finding("postcode", m.group(0), m.start(), m.end())


def _phones(text: str) -> Iterable[Finding]:
    for m in _PHONE.finditer(text):
        raw = m.group(0)
        digits = re.sub(r"\D", "", raw)
        if digits.startswith("44"):
            digits = "0" + digits[2:]
            if digits.startswith("00"):  # +44 (0)...
                digits = digits[1:]
        if len(digits) in (10, 11) and digits[1] in "1235789":
            yield Finding("phone", raw.strip(), m.start(), m.end())


def _emails(text: str) -> Iterable[Finding]:
    for m in _EMAIL.finditer(text):
        yield Finding("email", m.group(0), m.start(), m.end())


def _names(text: str, names: Iterable[str]) -> Iterable[Finding]:
    for name in names:
        parts = [p for p in re.split(r"[\s,]+", name.strip()) if p]
        if not parts:
            continue
        # The whole name, in any case and spacing.
        whole = r"\s+".join(re.escape(p) for p in parts)
        for m in re.finditer(rf"(?<!\w){whole}(?!\w)", text, re.IGNORECASE):
            yield Finding("name", m.group(0), m.start(), m.end())
        # Each part on its own, when written as a name (capitalised): "Will" the nurse is
        # found, "staff will review" is not.
        for part in parts:
            bare = part.strip(".'")
            if len(bare) < 2 or bare.lower() in _TITLES:
                continue
            for m in re.finditer(rf"(?<!\w){re.escape(bare)}(?!\w)", text, re.IGNORECASE):
                if m.group(0)[0].isupper():
                    yield Finding("name", m.group(0), m.start(), m.end())


def check_text(text: str, *, names: Iterable[str] = (), field: str = "") -> list[Finding]:
    """Every identifier found in ``text``, in order, overlapping finds reported once."""
    text = text or ""
    found = [
        *_nhs_numbers(text),
        *_dates(text),
        *_postcodes(text),
        *_phones(text),
        *_emails(text),
        *_names(text, list(names)),
    ]
    # Longest first at each position; drop finds inside one already kept (a date inside a
    # date of birth, a surname inside the full name).
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Finding] = []
    for f in found:
        if any(k.start <= f.start and f.end <= k.end for k in kept):
            continue
        kept.append(Finding(f.kind, f.text.rstrip(".,;:"), f.start, f.end, field))
    return kept


def check_fields(fields: Mapping[str, str], *, names: Iterable[str] = ()) -> list[Finding]:
    """Check several labelled fields (e.g. a learning summary's sections)."""
    names = list(names)
    out: list[Finding] = []
    for label, text in fields.items():
        out.extend(check_text(text, names=names, field=label))
    return out


# A word of letters (apostrophes and hyphens inside it, as in O'Brien or Smith-Jones).
_NAME_WORD = re.compile(r"^[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*\.?,?$")


def check_reference(reference: str, *, names: Iterable[str] = ()) -> list[Finding]:
    """Why a case reference would identify the person (``[]`` if it would not).

    A case reference is a local code. It gets the same checks as a shared summary (NHS
    numbers, dates, postcodes, phone numbers, emails, the names recorded against the case)
    and, because at first no names are recorded yet, it is also refused when it reads as a
    person's name: a title and a word ("Mrs Jones"), or two or more words of letters with
    no number in the whole reference ("John Smith", "Smith, J").

    >>> [f.kind for f in check_reference("Ada Lovelace")]
    ['person_name']
    >>> check_reference("LfD-RA1-25Q1-014"), check_reference("Mortality review 2025 7")
    ([], [])
    """
    text = (reference or "").strip()
    found = check_text(text, names=names)
    if found:
        return found
    words = text.split()
    titled = len(words) >= 2 and words[0].lower().rstrip(".") in _TITLES
    wordy = (
        len(words) >= 2
        and not any(ch.isdigit() for ch in text)
        and all(_NAME_WORD.match(w) for w in words)
    )
    if titled or wordy:
        return [Finding("person_name", text, 0, len(text))]
    return []


def reference_problem(reference: str, *, names: Iterable[str] = ()) -> str:
    """Why ``reference`` cannot be a case reference, as one message ("" if it can).

    The form and the service both ask, so the page and the API refuse alike.

    >>> reference_problem("Mrs Jones").split(". ")[1]
    "“Mrs Jones” looks like a person's name"
    """
    findings = check_reference(reference, names=names)
    if not findings:
        return ""
    return "A case reference must not contain anything that identifies the person. " + " ".join(
        dict.fromkeys(f.message for f in findings)
    )
