"""What notify tells someone about one event, and how its texts are made (N-3, N-5).

A `Notice` carries a Chinese default text (`message`), an English one (`message_en`) and
structured `data`. Every text is a `Template`, a (zh, en) pair of `str.format` strings
with named placeholders, kept in one catalogue per side (`prompts/templates.py` for the
staff, `messages/templates.py` for the customer) and filled by `render`. Shared by both
sides; pure, no I/O.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

SNIPPET = 60

# A text in both languages: (Chinese, English).
Template = tuple[str, str]
# A value for a placeholder, already formatted ("801.50", "2026-11-30"): the same in
# both languages, or a (zh, en) pair such as a label or a rendered fragment.
Value = str | int | Template

# How a list reads in each language: 地址、手机 / address, mobile phone.
LIST_SEPARATOR: Template = ("、", ", ")


@dataclass(frozen=True)
class Notice:
    """What to tell someone about one event."""

    kind: str
    message: str
    message_en: str
    data: dict[str, Any] = field(default_factory=dict)
    # A window prompt pops up in the console instead of only counting as unread (N-3).
    window: bool = False


def placeholders(text: str) -> set[str]:
    """The names of the placeholders in one template text."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def render(template: Template, /, **values: Value) -> Template:
    """Both texts of `template` filled from `values`: a pair gives its Chinese side to the
    Chinese text and its English side to the English one. A placeholder without a value
    raises KeyError and a value that neither text uses raises ValueError, so a template
    and its caller cannot drift apart silently."""
    zh, en = template
    unused = values.keys() - placeholders(zh) - placeholders(en)
    if unused:
        raise ValueError(f"values not used by {template!r}: {sorted(unused)}")
    return (zh.format_map({k: v[0] if isinstance(v, tuple) else v for k, v in values.items()}),
            en.format_map({k: v[1] if isinstance(v, tuple) else v for k, v in values.items()}))


def join(items: Iterable[Template], *, unique: bool = False) -> Template:
    """A list of pairs as one pair of lists; `unique` drops repeats (per language)."""
    items = list(items)
    zh = [i[0] for i in items]
    en = [i[1] for i in items]
    if unique:
        zh, en = list(dict.fromkeys(zh)), list(dict.fromkeys(en))
    return LIST_SEPARATOR[0].join(zh), LIST_SEPARATOR[1].join(en)


def labels(names: Iterable[str], catalogue: Mapping[str, Template]) -> Template:
    """Field names as the reader's labels, in the order given, each once; a name without
    a label shows as it is (in English with spaces for underscores)."""
    return join(((catalogue[n] if n in catalogue else (n, n.replace("_", " "))) for n in names),
                unique=True)


def snippet(text: str, limit: int = SNIPPET) -> str:
    """Free text on one line, cut to `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
