"""ProgressivoInvio is never handed out twice: two OS processes taking progressives at once
get disjoint values, on SQLite and PostgreSQL; an export killed with SIGKILL leaves no
document marked exported without its file, and the next export finishes it under the same
file names."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from lxml import etree

from tests.support.einvoice_data import issue_documents
from tui_billing.domain.einvoice_states import progressive_text
from tui_billing.store.models import SdiFile, SdiProgressive

WORKER = """
import sys, time
from pathlib import Path
from tui_billing.store.database import open_database
from tui_billing.store.sdi_progressives import take_progressives
from tui_billing.store.transactions import write_transaction

target, go, ready, count = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
db = open_database(target)
ready.touch()
while not go.exists():
    time.sleep(0.002)
taken = []
for n in range(count):
    with write_transaction(db):
        first = take_progressives(db, "IT01234560017", 1 + n % 3)
        taken.extend(range(first, first + 1 + n % 3))
    time.sleep(0.002)
print(" ".join(map(str, taken)))
"""


def test_two_processes_never_get_the_same_progressive(db, db_target, tmp_path):
    go = tmp_path / "go"
    ready = [tmp_path / "ready-1", tmp_path / "ready-2"]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, db_target, str(go), str(flag), "60"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for flag in ready
    ]
    deadline = time.monotonic() + 60
    while not all(flag.exists() for flag in ready):
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs)
        time.sleep(0.01)
    go.touch()
    taken = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        taken.append([int(v) for v in out.split()])
    both = taken[0] + taken[1]
    assert sorted(both) == list(range(1, len(both) + 1))  # disjoint, none skipped
    assert SdiProgressive.get_by_id("IT01234560017").last_value == len(both)


def test_progressives_are_five_letters_or_digits():
    assert [progressive_text(v) for v in (1, 35, 36, 60_466_175)] == [
        "00001",
        "0000Z",
        "00010",
        "ZZZZZ",
    ]


def _export(target: str, hot: Path) -> subprocess.Popen:
    env = {**os.environ, "TUI_BILLING_CONFIG": os.devnull}
    env.pop("TUI_BILLING_CONFIG")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tui_billing",
            "--db",
            target,
            "--today",
            "2026-02-01",
            "einvoices",
            "export",
            str(hot),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def test_a_killed_export_marks_nothing_exported_without_its_file(cli, tmp_path):
    documents = 120
    issue_documents(cli, tmp_path, documents)
    hot = tmp_path / "hot"
    hot.mkdir()
    proc = _export(cli.target, hot)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        staged = [p for p in hot.iterdir() if p.is_dir() and any(p.iterdir())]
        if staged or any(p.suffix == ".xml" for p in hot.iterdir()):
            break
        time.sleep(0.001)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL  # killed mid-export, not finished

    def exported_without_file() -> list[str]:
        return [
            f.file_name
            for f in SdiFile.select().where(SdiFile.state == "exported")
            if not (hot / f.file_name).is_file()
        ]

    assert exported_without_file() == []
    assert cli("--today", "2026-02-01", "einvoices", "export", str(hot)).code == 0
    assert exported_without_file() == []
    rows = cli("einvoices", "--json").json()
    assert {r["state"] for r in rows} == {"exported"} and len(rows) == documents
    files = sorted(p.name for p in hot.iterdir())
    assert files == sorted(r["file_name"] for r in rows)  # one file each, no staging left
    for row in rows[:5]:
        data = (hot / row["file_name"]).read_bytes()
        assert etree.fromstring(data).findtext(".//DatiGeneraliDocumento/Numero") == row["number"]


def test_an_export_stopped_after_recording_is_finished_under_the_same_names(
    cli, tmp_path, monkeypatch
):
    from tui_billing.billing import einvoice_export

    issue_documents(cli, tmp_path, 3)
    hot, other = tmp_path / "hot", tmp_path / "other"
    hot.mkdir()
    other.mkdir()

    def stopped(db, file_ids):  # the process dies between its two commits
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(einvoice_export, "_mark_exported", stopped)
        assert cli("--today", "2026-02-01", "einvoices", "export", str(hot)).code == 130
    rows = cli("einvoices", "--json").json()
    assert {r["state"] for r in rows} == {"exporting"}  # never "exported" unconfirmed
    names = [r["file_name"] for r in rows]
    result = cli("--today", "2026-02-01", "einvoices", "export", str(other), "--json")
    assert result.code == 0, result
    assert [f["file_name"] for f in result.json()["files"]] == names  # same progressives
    assert result.json()["finished_interrupted"] == [r["number"] for r in rows]
    assert sorted(p.name for p in other.iterdir()) == sorted(names)
    assert {r["state"] for r in cli("einvoices", "--json").json()} == {"exported"}
