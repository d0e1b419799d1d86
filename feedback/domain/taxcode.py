"""Vietnamese enterprise tax codes (mã số thuế): 10 digits, or 13 for a branch.

The tenth digit is a check digit over the first nine with weights
31, 29, 23, 19, 17, 13, 7, 5, 3: N10 = 10 - (sum mod 11).
"""
from __future__ import annotations

import re

_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_SHAPE = re.compile(r"^(\d{10})(?:-?(\d{3}))?$")


def normalise(text: str) -> str | None:
    """'0100109106', '0100109106-001' or with spaces; None when invalid."""
    match = _SHAPE.match(re.sub(r"\s+", "", text or ""))
    if not match:
        return None
    main, branch = match.groups()
    total = sum(int(d) * w for d, w in zip(main[:9], _WEIGHTS))
    if 10 - total % 11 != int(main[9]):
        return None
    if branch == "000":
        return None
    return f"{main}-{branch}" if branch else main
