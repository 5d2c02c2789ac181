"""Text that cannot be stored: NUL characters and lone surrogates (pure: no Django).

PostgreSQL refuses a NUL character (U+0000) in text, openpyxl refuses it in a workbook,
and a lone surrogate (half of a UTF-16 pair, U+D800 to U+DFFF) cannot be encoded as UTF-8
at all, so either would fail far from where it was typed: as a server error on saving, or
on every later export. Input is checked once, where it arrives (the forms, imports and the
API), with a message that says what to do.

>>> text_problem("Ward closed")
>>> print(text_problem("Ward\\x00closed"))  # doctest: +NORMALIZE_WHITESPACE
This text contains a null character (U+0000), which cannot be saved. It usually comes
from text copied out of another program: delete it, or type the text again.
>>> print(text_problem("caf\\udce9", what="The note"))  # doctest: +NORMALIZE_WHITESPACE
The note contains an invalid character (U+DCE9, half of a character pair), which cannot
be saved. It usually comes from text copied out of another program: delete it, or type
the text again.
"""

from __future__ import annotations

__all__ = ["text_problem"]

_ADVICE = (
    "It usually comes from text copied out of another program: delete it, or type the text again."
)


def text_problem(text: str, *, what: str = "This text") -> str | None:
    """Why ``text`` cannot be stored (a sentence starting with ``what``); ``None`` if it can."""
    if "\x00" in text:
        return f"{what} contains a null character (U+0000), which cannot be saved. {_ADVICE}"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(text[exc.start])
        return (
            f"{what} contains an invalid character (U+{code:04X}, half of a character pair), "
            f"which cannot be saved. {_ADVICE}"
        )
    return None
