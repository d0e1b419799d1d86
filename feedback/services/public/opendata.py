"""Open data: the published results as CSV, JSON and Atom, with the same
filters as /results. Rows are read in keyset batches and streamed, so an
export of every result never holds them all in memory."""
from __future__ import annotations

import csv
import io
import json
from typing import Iterator

from ...domain.calendar import LOCAL_TZ
from ...extensions import db
from ...models import PublicRecord
from .results import ResultFilters, older_than, query

BATCH = 1000
FIELDS = ("code", "url", "kind", "reporter_type", "channel", "hotline", "category", "procedure",
          "unit", "ward", "received_at", "answered_at", "published_at", "due_on", "on_time",
          "working_days", "summary", "answer", "reporter_words", "conclusion_only")


def records(f: ResultFilters, limit: int | None = None) -> Iterator[PublicRecord]:
    """Every matching record, newest first, read a batch at a time."""
    last, served = None, 0
    while True:
        batch_query = query(f).limit(BATCH)
        if last is not None:
            batch_query = batch_query.where(older_than(last))
        batch = list(db.session.scalars(batch_query).unique())
        for record in batch:
            if limit is not None and served >= limit:
                return
            served += 1
            yield record
        if len(batch) < BATCH:
            return
        last = batch[-1]


def _local(moment) -> str:
    return moment.astimezone(LOCAL_TZ).isoformat() if moment else ""


def row(record: PublicRecord, base_url: str) -> dict:
    """One result as open data: codes and names, local times with their offset."""
    code = lambda obj: obj.code if obj is not None else ""  # noqa: E731
    return {
        "code": record.code, "url": f"{base_url}/results/{record.code}", "kind": record.kind,
        "reporter_type": record.reporter_type, "channel": record.channel,
        "hotline": code(record.hotline), "category": code(record.category),
        "procedure": code(record.procedure), "unit": code(record.unit), "ward": code(record.ward),
        "received_at": _local(record.received_at), "answered_at": _local(record.answered_at),
        "published_at": _local(record.published_at),
        "due_on": record.due_on.isoformat() if record.due_on else "",
        "on_time": record.on_time, "working_days": record.working_days,
        "summary": record.summary, "answer": record.answer,
        "reporter_words": record.description or "", "conclusion_only": record.conclusion_only,
    }


def csv_lines(f: ResultFilters, base_url: str) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS)
    buffer.write("\ufeff")  # so that spreadsheets read the Vietnamese as UTF-8
    writer.writeheader()
    for number, record in enumerate(records(f), start=1):
        values = row(record, base_url)
        values["on_time"] = int(values["on_time"])
        values["conclusion_only"] = int(values["conclusion_only"])
        writer.writerow(values)
        if number % 200 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate(0)
    yield buffer.getvalue()


def json_chunks(f: ResultFilters, base_url: str) -> Iterator[str]:
    yield '{"fields": ' + json.dumps(FIELDS) + ', "results": ['
    for number, record in enumerate(records(f)):
        yield ("," if number else "") + json.dumps(row(record, base_url), ensure_ascii=False)
    yield "]}"
