"""`flask --app app backup` and `restore`: back up, lose and change things,
restore, and find every case, event, message, call, audit row and file again.

On SQLite always; on PostgreSQL when the tests run there (TEST_DATABASE_URL)
and pg_dump/pg_restore are installed (CI: Debian's postgresql package)."""
from __future__ import annotations

import shutil
import stat
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import select, update

from feedback.extensions import db
from feedback.models import Attachment, Case
from tests import city
from tests.factories import make_case


@contextmanager
def installation(kind: str, app, tmp_path: Path, twilio_base_url: str):
    """The test's own database when it is of this kind, else (SQLite) a second one."""
    dialect = app.extensions["sqlalchemy"].engine.dialect.name
    if dialect == kind:
        with nullcontext(app) as same:
            yield same
    elif kind == "sqlite":
        with city.sqlite_app(tmp_path / "second", twilio_base_url) as second:
            yield second
    else:
        pytest.skip("PostgreSQL: set TEST_DATABASE_URL")


@pytest.mark.org_data
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_restore_brings_back_every_case_event_and_file(kind, app, tmp_path, fake_twilio):
    if kind == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore are not installed")
    with installation(kind, app, tmp_path, fake_twilio.base_url) as served:
        city.build(served.test_client())
        counts, sample, files, codes = city.counts(), city.sample(), city.files(), city.codes()
        assert counts["attachments"] == 2 and "missing" not in files.values()
        runner = served.test_cli_runner()

        archive = tmp_path / "backups" / "city.tar.gz"
        made = runner.invoke(args=["backup", str(archive)])
        assert made.exit_code == 0, made.output
        assert stat.S_IMODE(archive.stat().st_mode) == 0o600
        assert runner.invoke(args=["backup", str(archive)]).exit_code != 0  # never overwritten

        _damage(files)
        assert city.counts() != counts and city.files() != files

        refused = runner.invoke(args=["restore", str(archive)])
        assert refused.exit_code != 0 and "--force" in refused.output
        restored = runner.invoke(args=["restore", str(archive), "--force"])
        assert restored.exit_code == 0, restored.output

        assert city.counts() == counts
        assert city.sample() == sample
        assert city.files() == files and city.codes() == codes
        assert make_case().id  # the service goes on writing after a restore


def _damage(files: dict[str, str]) -> None:
    """After the backup: a new case, a case changed, a file and its row lost."""
    make_case(description="Phản ánh gửi sau khi sao lưu, sẽ mất khi khôi phục bản sao lưu.")
    db.session.execute(update(Case).where(Case.id == select(Case.id).limit(1).scalar_subquery())
                       .values(description="Đã bị sửa nhầm"))
    lost = db.session.scalars(select(Attachment).limit(1)).one()
    (Path(current_app.config["UPLOAD_DIR"]) / lost.stored_name).unlink()
    db.session.delete(lost)
    db.session.commit()


def test_restore_refuses_what_is_not_a_backup(app, runner, tmp_path):
    import tarfile

    archive = tmp_path / "other.tar"
    with tarfile.open(archive, "w") as made:
        made.add(Path(__file__), arcname="manifest.json")
    result = runner.invoke(args=["restore", str(archive)])
    assert result.exit_code != 0 and "not a backup" in result.output
    assert runner.invoke(args=["restore", str(tmp_path / "none.tar")]).exit_code != 0


@pytest.mark.parametrize("command", ["backup", "restore", "export-all", "import-all"])
def test_a_bad_path_is_a_clear_message(runner, tmp_path, command):
    not_an_archive = tmp_path / "notes.txt"
    not_an_archive.write_text("xin chào")
    for path in ("x" * 5000, str(not_an_archive), "/proc/none/backup.tar"):
        result = runner.invoke(args=[command, path])
        assert result.exit_code == 1 and result.output.startswith("Error: "), (path, result.output)
