"""The de-identification check of excellence reports: the deaths app's check, applied here.

Everything a report says is shared (with its recipients at least), so a patient identifier
in it is refused. The identifiers are found by :mod:`qicollab.deaths.deid` (NHS numbers,
dates of birth, full dates, postcodes, phone numbers, email addresses); a patient's name,
which that check can only find when it is given the name, is caught where it is written the
way patients are named in notes: a courtesy title and a surname ("Mrs Jones"), confirmed by
the same module's :func:`~qicollab.deaths.deid.check_reference`. The recipients' own names
are of course allowed.

>>> found = problems({"what_they_did": "Sat with Mrs Jones all night"}, allowed_names=[])
>>> found["what_they_did"][0].split(". ")[0]
"“Mrs Jones” looks like a patient's name"
>>> problems({"what_they_did": "Sat with the patient in bed 4 all night"}, allowed_names=[])
{}
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from qicollab.deaths import deid

# Courtesy titles, as patients are named; staff titles (Dr, Nurse, Prof) are not patients.
_TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+[A-Z][\w'\u2019\-]+")


def _patient_names(text: str, allowed: set[str]) -> list[str]:
    out = []
    for m in _TITLED.finditer(text):
        candidate = m.group(0)
        surname = candidate.split()[-1].lower()
        if surname in allowed:
            continue
        if any(f.kind == "person_name" for f in deid.check_reference(candidate)):
            out.append(candidate)
    return out


def problems(fields: Mapping[str, str], *, allowed_names: Iterable[str]) -> dict[str, list[str]]:
    """Field name -> why its text would identify a patient (empty when nothing does)."""
    allowed = {part.lower() for name in allowed_names for part in name.split()}
    out: dict[str, list[str]] = {}
    for name, text in fields.items():
        messages = [
            f.message
            for f in deid.check_text(text or "")
            # A recipient's name is not an identifier here.
            if not (f.kind == "name" and f.text.lower() in allowed)
        ]
        messages += [
            f"“{n}” looks like a patient's name. Use a role instead, like “the patient in bed 4”."
            for n in _patient_names(text or "", allowed)
        ]
        if messages:
            out[name] = list(dict.fromkeys(messages))
    return out
