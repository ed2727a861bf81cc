"""`pdf -o` and `export FILE` never replace the database, a FIFO or a device, and refuse a
name too long or a folder that does not exist: exit 2, one line, nothing written."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pypdf
import pytest

from tests.cli.test_invoice_commands import setup_data


@pytest.fixture
def issued(db, cli):
    a, b, _, _ = setup_data(db)
    assert cli("invoice", "--installments", f"{a.id},{b.id}", "--status", "issued").code == 0
    return cli


def refused(cli, *argv: str, message: str):
    result = cli(*argv)
    assert result.code == 2, result
    assert message in result.err and "nothing written" in result.err, result
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    return result


def test_pdf_and_export_refuse_the_open_database(issued, db_target, tmp_path):
    if db_target.startswith("postgresql"):
        pytest.skip("a PostgreSQL database has no file to protect")
    before = issued("export").out
    database = Path(db_target)
    size = database.stat().st_size
    for name in (db_target, f"{db_target}-wal", f"{db_target}-shm"):
        refused(issued, "pdf", "A/2024/0001", "-o", name, message="the open database")
        refused(issued, "export", name, message="the open database")
    link = tmp_path / "link.sqlite"
    link.symlink_to(database)
    refused(issued, "pdf", "A/2024/0001", "-o", str(link), message="is the open database")
    assert database.stat().st_size >= size
    assert database.read_bytes()[:16] == b"SQLite format 3\x00"
    assert issued("export").out == before


def test_fifos_devices_folders_long_names_and_missing_folders_are_refused(issued, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for argv in (("pdf", "A/2024/0001", "-o"), ("export",)):
        refused(issued, *argv, str(fifo), message="is a FIFO (named pipe), not a regular file")
        refused(issued, *argv, "/dev/null", message="is a character device")
        refused(
            issued,
            *argv,
            str(tmp_path / ("x" * 300 + ".pdf")),
            message="the file name is 304 bytes long",
        )
        refused(issued, *argv, str(tmp_path / "nope" / "out"), message="no such directory")
    refused(issued, "export", str(tmp_path), message="is a directory")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo"]


def test_pdf_and_export_write_through_a_temporary_file(issued, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"an older file")
    pdf.chmod(0o640)
    assert issued("pdf", "A/2024/0001", "-o", str(pdf)).code == 0
    assert "A/2024/0001" in pypdf.PdfReader(pdf).pages[0].extract_text()
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o640  # a replaced file keeps its mode
    export = tmp_path / "all.json"
    result = issued("export", str(export))
    assert result.code == 0 and f"Exported to {export}" in result.out
    assert json.loads(export.read_text()) == json.loads(issued("export").out)
    assert stat.S_IMODE(export.stat().st_mode) == 0o600  # the whole database: private
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "all.json"]
