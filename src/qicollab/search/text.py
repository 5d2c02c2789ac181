"""Words in and out of the index: what is stored, what a query may ask, how a match is shown.

Pure functions (no database), shared by both engines so they cannot disagree about what a
search string means.

>>> terms_of('falls "AND" ward* (NEAR) -x; DROP\\x00 TABLE')
['falls', 'and', 'ward', 'near', 'x', 'drop', 'table']
>>> str(highlight("<b>falls</b> \\ue000falls\\ue001 here"))
'&lt;b&gt;falls&lt;/b&gt; <mark>falls</mark> here'
"""

from __future__ import annotations

import re
from collections import Counter

from markupsafe import Markup, escape

#: Where the engines mark a matching word: private-use characters, stripped from every
#: document before it is indexed, so stored text can never forge a mark.
START, STOP = "\ue000", "\ue001"

#: Longest search string a page or the API accepts (a clear message beyond it).
MAX_QUERY_CHARS = 200
MAX_TERMS = 12
MAX_TERM_CHARS = 40

# Letters and digits only: every character either engine's query syntax gives a meaning
# to (quotes, *, -, ^, :, (), &, |, !, <->, NEAR, column filters) is a separator here.
WORD = re.compile(r"[^\W_]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001]")

# Common words that say nothing about a project's problem (for similar work only; the
# engines drop their own stop words from searches).
_STOP_WORDS = """
a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each few
for from further had has have having he her here hers him his how i if in into is it its
itself just more most my no nor not now of off on once only or other our ours out over
own same she should so some such than that the their theirs them then there these they
this those through to too under until up very was we were what when where which while
who whom why will with would you your yours per patients patient team teams project ward
wards staff using use used new test tested testing change changes idea ideas data
measure week weeks month months day days one two three
"""
_STOP = frozenset(_STOP_WORDS.split())


def clean(text: str) -> str:
    """Text as it may be indexed: no control characters and no highlight markers."""
    return _CONTROL.sub(" ", text or "")


def terms_of(text: str) -> list[str]:
    """The words of a search string, lower-cased, without any query syntax.

    At most :data:`MAX_TERMS` words of at most :data:`MAX_TERM_CHARS` characters each.
    """
    words = WORD.findall((text or "").lower())
    return [w[:MAX_TERM_CHARS] for w in words][:MAX_TERMS]


def key_terms(text: str, *, limit: int = MAX_TERMS) -> list[str]:
    """The most frequent meaningful words of a document (for similar work).

    >>> key_terms("Falls falls falls: reducing inpatient falls with a falls huddle", limit=3)
    ['falls', 'reducing', 'inpatient']
    """
    words = [
        w[:MAX_TERM_CHARS]
        for w in WORD.findall((text or "").lower())
        if len(w) > 2 and w not in _STOP and not w.isdigit()
    ]
    return [w for w, _ in Counter(words).most_common(limit)]


def highlight(snippet: str) -> Markup:
    """A snippet from an engine as safe HTML: everything escaped, then the marks added."""
    escaped = str(escape(snippet or ""))
    # Safe: the text was escaped on the line above; only the engine's markers become tags.
    return Markup(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S704
