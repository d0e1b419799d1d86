"""Vietnamese enterprise tax codes (mã số thuế): 10 digits, or 13 for a branch.

The rules (province, sequence, check digit, branch) are python-stdnum's
`stdnum.vn.mst`; this keeps the form the rest of the code stores and shows:
'0100109106' or '0100109106-001'. Province 00 does not exist, and stdnum lets
it through, so it is refused here.
"""
from __future__ import annotations

from stdnum.vn import mst


def normalise(text: str) -> str | None:
    """'0100109106', '0100109106-001' or with spaces or dots; None when invalid."""
    if not mst.is_valid(text or ""):
        return None
    number = mst.compact(text)
    if number.startswith("00"):
        return None
    return mst.format(number)
