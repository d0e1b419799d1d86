"""`flask --app app export-all` and `import-all`: a city moved from SQLite to
another database (PostgreSQL when the tests run there, and SQLite always)
with every row of every table, the same ids, and every file."""
from __future__ import annotations

import json
import stat
import zipfile
from contextlib import contextmanager, nullcontext

import pytest

from tests import city
from tests.factories import make_case


@pytest.fixture
def exported(tmp_path, fake_twilio, app):
    """A SQLite city with demo data and files, exported; its picture."""
    with city.sqlite_app(tmp_path / "source", fake_twilio.base_url) as source:
        city.build(source.test_client())
        archive = tmp_path / "city.zip"
        result = source.test_cli_runner().invoke(args=["export-all", str(archive)])
        assert result.exit_code == 0, result.output
        picture = city.counts(), city.sample(), city.files()
    return (archive, *picture)


@contextmanager
def target(kind: str, app, tmp_path, twilio_base_url: str):
    """The test's own database, or a second SQLite one when the test's is PostgreSQL."""
    if kind == "test-database":
        with nullcontext(app) as same:
            yield same
    elif app.extensions["sqlalchemy"].engine.dialect.name == "sqlite":
        pytest.skip("the test database is SQLite already")
    else:
        with city.sqlite_app(tmp_path / "target", twilio_base_url) as second:
            yield second


@pytest.mark.org_data
@pytest.mark.parametrize("kind", ["test-database", "second-sqlite"])
def test_a_city_moves_with_every_row_and_file(kind, exported, app, tmp_path, fake_twilio):
    archive, counts, sample, files = exported
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert all(counts[table] for table in city.MUST_KEEP), counts
    with target(kind, app, tmp_path, fake_twilio.base_url) as moved:
        runner = moved.test_cli_runner()
        result = runner.invoke(args=["import-all", str(archive)])
        assert result.exit_code == 0, result.output

        assert city.counts() == counts
        assert city.sample() == sample
        assert city.files() == files
        assert make_case().id > max(row[0] for row in sample["cases"])  # ids go on after the import

        again = runner.invoke(args=["import-all", str(archive)])
        assert again.exit_code != 0 and "holds cases" in again.output


def test_the_archive_is_json_lines_per_table_with_the_files(exported):
    archive, counts, _, files = exported
    with zipfile.ZipFile(archive) as made:
        manifest = json.loads(made.read("manifest.json"))
        assert {t["name"]: t["rows"] for t in manifest["tables"]} == counts
        cases = made.read("tables/cases.jsonl").decode().splitlines()
        assert len(cases) == counts["cases"] and json.loads(cases[0])["id"]
        assert {f"uploads/{name}" for name in files} <= set(made.namelist())


def test_import_refuses_what_is_not_an_export(runner, tmp_path):
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as made:
        made.writestr("manifest.json", "{}")
    result = runner.invoke(args=["import-all", str(other)])
    assert result.exit_code != 0 and "not an export" in result.output
