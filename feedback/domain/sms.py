"""SMS text: GSM-7 or UCS-2, segments, and unaccented Vietnamese that fits one segment.

Any Vietnamese diacritic forces UCS-2 (70 characters a segment, 67 when split)
instead of GSM-7 (160/153). Automatic replies are written without accents, as is
local practice, so that they fit one segment and cost a third.
"""
from __future__ import annotations

import math
import unicodedata

SINGLE = 160
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")  # each takes two septets
_LETTERS = str.maketrans({"đ": "d", "Đ": "D"})


def unaccent(text: str) -> str:
    """'Đã tiếp nhận' -> 'Da tiep nhan': marks dropped, đ/Đ folded, case kept."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS))
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def septets(text: str) -> int:
    return sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)


def segments(text: str) -> int:
    if is_gsm7(text):
        length, single, multi = septets(text), 160, 153
    else:
        length, single, multi = len(text.encode("utf-16-le")) // 2, 70, 67
    return 1 if length <= single else math.ceil(length / multi)


def fit(text: str, limit: int = SINGLE) -> str:
    """Unaccented, GSM-7 only, cut on a word boundary to `limit` septets."""
    plain = "".join(ch if ch in GSM7_BASIC or ch in GSM7_EXTENDED else "?"
                    for ch in unaccent(" ".join(text.split())))
    if septets(plain) <= limit:
        return plain
    cut = plain[: limit - 3]
    while septets(cut) > limit - 3:
        cut = cut[:-1]
    return cut.rsplit(" ", 1)[0].rstrip(",;:") + "..."
