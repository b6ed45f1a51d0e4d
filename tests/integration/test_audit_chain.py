"""The audit trail is tamper-evident: editing a stored entry is detected and the check points at it."""

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from motcua.adapters.sqlite_store import Database, SqliteUnitOfWorkFactory
from motcua.services.audit import AuditService

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def write_trail(uow_factory, subject="dossier:d1", n=4):
    with uow_factory() as uow:
        for i in range(n):
            uow.audit.append(subject, actor="official:x", action=f"step{i}", device="phone", at=NOW,
                             before={"status": "a"}, after={"status": "b"})
        uow.commit()


def test_an_untouched_trail_checks_out(tmp_path):
    factory = SqliteUnitOfWorkFactory(Database(tmp_path / "db.sqlite3"))
    write_trail(factory)
    report = AuditService(factory).check("dossier:d1")
    assert report.intact and report.entries == 4


def test_editing_an_entry_is_detected_at_that_entry(tmp_path):
    db = Database(tmp_path / "db.sqlite3")
    factory = SqliteUnitOfWorkFactory(db)
    write_trail(factory)
    db.connection().execute("UPDATE audit_log SET actor = 'official:someone-else' WHERE seq = 3")
    report = AuditService(factory).check("dossier:d1")
    assert report.broken_at == 3 and "changed" in report.problem


def test_deleting_an_entry_is_detected(tmp_path):
    db = Database(tmp_path / "db.sqlite3")
    factory = SqliteUnitOfWorkFactory(db)
    write_trail(factory)
    db.connection().execute("DELETE FROM audit_log WHERE seq = 2")
    assert AuditService(factory).check("dossier:d1").broken_at == 3


def test_rewriting_an_entry_with_a_fresh_hash_breaks_the_next_link(tmp_path):
    from motcua.adapters.audit_chain import entry_hash

    db = Database(tmp_path / "db.sqlite3")
    factory = SqliteUnitOfWorkFactory(db)
    write_trail(factory)
    with factory(readonly=True) as uow:
        second = uow.audit.entries("dossier:d1")[1]
    forged = entry_hash(subject=second.subject, seq=2, at=second.at, actor="official:forger", action=second.action,
                        device=second.device, before=second.before, after=second.after, prev_hash=second.prev_hash)
    db.connection().execute("UPDATE audit_log SET actor = 'official:forger', hash = ? WHERE seq = 2", (forged,))
    assert AuditService(factory).check("dossier:d1").broken_at == 3


def test_the_operator_command_reports_a_broken_chain(tmp_path):
    data = tmp_path / "var"
    db = Database(data / "motcua.sqlite3")
    write_trail(SqliteUnitOfWorkFactory(db))
    # This checkout's code (as pyproject's pythonpath gives pytest), not wherever the shared venv's editable
    # install happens to point.
    backend = Path(__file__).resolve().parents[2] / "backend"
    env = {"MOTCUA_DATA_DIR": str(data), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(backend)}
    ok = subprocess.run([sys.executable, "-m", "motcua", "verify-audit"], env=env, capture_output=True, text=True)
    assert ok.returncode == 0 and "0 broken" in ok.stdout
    db.connection().execute("UPDATE audit_log SET after = '{\"status\": \"x\"}' WHERE seq = 1")
    bad = subprocess.run([sys.executable, "-m", "motcua", "verify-audit"], env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and "BROKEN dossier:d1 at entry 1" in bad.stdout
