"""Writing user-named files: atomically, never over the database, a FIFO, a device or a
folder, with a clear refusal for a name too long or a folder that does not exist."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from tui_billing.domain.errors import UserError
from tui_billing.output.safe_files import write_file
from tui_billing.store.database import open_database


@pytest.fixture
def open_db(tmp_path):
    db = open_database(str(tmp_path / "db.sqlite"))
    yield tmp_path / "db.sqlite"
    db.close()


def refused(target, message: str) -> str:
    with pytest.raises(UserError) as caught:
        write_file(target, b"new content")
    text = str(caught.value)
    assert message in text and "nothing written" in text and "\n" not in text, text
    return text


def test_a_new_file_is_written_and_a_regular_one_replaced(tmp_path, open_db):
    target = tmp_path / "out.pdf"
    assert write_file(target, b"first") == target
    assert target.read_bytes() == b"first"
    write_file(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_the_open_database_and_its_companions_are_refused(tmp_path, open_db):
    before = open_db.read_bytes()
    refused(open_db, "is the open database")
    for suffix in ("-wal", "-shm", "-journal", ".run-lock"):
        refused(Path(f"{open_db}{suffix}"), f"the open database's {suffix.lstrip('.')} file")
    link = tmp_path / "link.sqlite"
    link.symlink_to(open_db)
    refused(link, "is the open database")
    hard = tmp_path / "hard.sqlite"
    os.link(open_db, hard)
    refused(hard, "is the open database")
    other = tmp_path / "sub"
    other.mkdir()
    refused(other / ".." / "db.sqlite", "is the open database")
    assert open_db.read_bytes() == before
    assert not Path(f"{open_db}-journal").exists()


def test_what_is_not_a_regular_file_is_refused(tmp_path, open_db):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    refused(fifo, "is a FIFO (named pipe), not a regular file")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    refused("/dev/null", "is a character device, not a regular file")
    folder = tmp_path / "folder"
    folder.mkdir()
    refused(folder, "is a directory, not a regular file")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tmp_path / "sock"))
        refused(tmp_path / "sock", "is a socket, not a regular file")
    link = tmp_path / "to-fifo"
    link.symlink_to(fifo)
    refused(link, "is a FIFO")


def test_a_name_too_long_or_a_missing_folder_is_refused(tmp_path):
    text = refused(tmp_path / ("a" * 300 + ".pdf"), "the file name is 304 bytes long")
    assert "allows 255" in text and len(text) < 200
    refused(tmp_path / ("è" * 130), "the file name is 260 bytes long")
    refused(tmp_path / "nope" / "x.pdf", f"no such directory ({tmp_path / 'nope'})")
    dangling = tmp_path / "dangling.pdf"
    dangling.symlink_to(tmp_path / "gone" / "x.pdf")
    refused(dangling, "whose folder does not exist")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dangling.pdf"]


def test_a_link_to_a_regular_file_writes_that_file_and_keeps_the_link(tmp_path):
    real = tmp_path / "real.pdf"
    real.write_bytes(b"old")
    link = tmp_path / "link.pdf"
    link.symlink_to(real)
    write_file(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_modes_new_files_follow_the_umask_private_ones_are_0600_replaced_keep_theirs(tmp_path):
    old = os.umask(0o022)
    try:
        write_file(tmp_path / "plain.pdf", b"x")
        write_file(tmp_path / "export.json", b"x", private=True)
        kept = tmp_path / "kept.json"
        kept.write_bytes(b"old")
        kept.chmod(0o640)
        write_file(kept, b"new", private=True)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "plain.pdf").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "export.json").stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_bytes() == b"new"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(UserError, match="No space left on device: nothing written"):
        write_file(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]
