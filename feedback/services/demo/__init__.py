"""Demo data at city scale: `flask --app app demo --cases N`.

Cases a real year or two could have produced, written with bulk inserts so a
million take minutes: every kind, channel, hotline, unit, field and ward;
every state the lifecycle reaches, with the events it would have written
(answers drafted, sometimes sent back, approved, published; ratings; a few
rejected, merged, handed over; late answers and overdue open cases); two
years of receipts with deadlines from the legal clocks and the holiday
calendar; public records for what was published; then the scorecards are
rebuilt from it all. Nothing is texted: demo reporters have made-up numbers.

`maker` makes the rows in memory, `load` inserts them.
"""
from .load import generate

__all__ = ["generate"]
