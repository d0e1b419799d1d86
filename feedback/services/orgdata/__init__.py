"""The organisation data: loaded from its file into the database (`load`, by
`flask setup`), and kept per process until it changes (`current`)."""
from .cache import Snapshot, attach, changed, current
from .loader import ROUTING_KEY, OrgDataError, load, read

__all__ = ["ROUTING_KEY", "OrgDataError", "Snapshot", "attach", "changed", "current", "load", "read"]
