"""E-invoices on the command line, on both databases: one document's XML, the export to a
hot folder or a ZIP (all or nothing, never twice), SdI notifications moving the states,
and the listing that shows them."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from tests.support.einvoice_data import issue_documents
from tests.support.sdi_receipts import write_receipt

TODAY = "2026-02-01"


def _progressive(data: bytes) -> str:
    return etree.fromstring(data).findtext(".//DatiTrasmissione/ProgressivoInvio")


def _states(cli) -> dict[str, str]:
    return {row["number"]: row["state"] for row in cli("einvoices", "--json").json()}


@pytest.fixture
def issued(cli, tmp_path):
    issue_documents(cli, tmp_path, 3)
    return cli


def test_export_writes_every_pending_document_once(issued, tmp_path):
    cli = issued
    hot = tmp_path / "hot"
    hot.mkdir()
    result = cli("--today", TODAY, "einvoices", "export", str(hot), "--json")
    assert result.code == 0, result
    files = sorted(p.name for p in hot.iterdir())
    assert files == [
        "IT01234560017_00001.xml",
        "IT01234560017_00002.xml",
        "IT01234560017_00003.xml",
    ]
    assert [f["file_name"] for f in result.json()["files"]] == files
    assert [_progressive((hot / f).read_bytes()) for f in files] == ["00001", "00002", "00003"]
    assert set(_states(cli).values()) == {"exported"}

    again = cli("--today", TODAY, "einvoices", "export", str(hot), "--json")
    assert again.code == 0 and again.json()["exported"] == 0
    assert len(list(hot.iterdir())) == 3  # no staging folder left either


def test_export_to_a_zip_for_the_web_upload(issued, tmp_path):
    target = tmp_path / "upload.zip"
    result = issued("--today", TODAY, "einvoices", "export", str(target))
    assert result.code == 0, result
    with zipfile.ZipFile(target) as archive:
        names = sorted(archive.namelist())
        assert names == [f"IT01234560017_0000{n}.xml" for n in (1, 2, 3)]
        assert _progressive(archive.read(names[2])) == "00003"
    assert "3 e-invoices exported" in result.out
    before = target.read_bytes()
    again = issued("--today", TODAY, "einvoices", "export", str(target), "--json")
    assert again.code == 0 and again.json()["exported"] == 0  # nothing pending
    issue_documents(issued, tmp_path, 1, date="2026-02-28")  # one more document
    refused = issued("--today", "2026-03-01", "einvoices", "export", str(target))
    assert refused.code == 2 and "a ZIP is never replaced" in refused.err
    assert target.read_bytes() == before


def test_an_invalid_document_exports_nothing(issued, tmp_path):
    hot = tmp_path / "hot"
    hot.mkdir()
    # Dated 2026-01-01, after a "today" of 2025-12-31: SdI check 00403.
    result = issued("--today", "2025-12-31", "einvoices", "export", str(hot))
    assert result.code == 2
    assert "A/2026/0001" in result.err and "00403" in result.err
    assert "2 more invalid: A/2026/0002, A/2026/0003" in result.err
    assert "nothing exported" in result.err and len(result.err.strip().splitlines()) == 1
    assert list(hot.iterdir()) == []
    assert set(_states(issued).values()) == {"pending"}
    # Progressives taken by the refused export went back: the next one starts at 00001.
    assert issued("--today", TODAY, "einvoices", "export", str(hot)).code == 0
    assert (hot / "IT01234560017_00001.xml").exists()


def test_one_document_written_where_asked_and_by_default_here(issued, tmp_path, monkeypatch):
    cli = issued
    monkeypatch.chdir(tmp_path)
    result = cli("--today", TODAY, "einvoice", "A/2026/0002", "--json")
    assert result.code == 0, result
    assert result.json()["file_name"] == "IT01234560017_00001.xml"
    assert result.json()["exported"] is True
    assert (tmp_path / "IT01234560017_00001.xml").exists()
    assert _states(cli)["A/2026/0002"] == "exported"
    # Written again: the same file, no new progressive, state unchanged.
    other = tmp_path / "copy.xml"
    again = cli("--today", TODAY, "einvoice", "A/2026/0002", "-o", str(other))
    assert again.code == 0
    assert other.read_bytes() == (tmp_path / "IT01234560017_00001.xml").read_bytes()
    # The export takes the others, after it.
    hot = tmp_path / "hot"
    hot.mkdir()
    exported = cli("--today", TODAY, "einvoices", "export", str(hot), "--json").json()
    assert [f["file_name"] for f in exported["files"]] == [
        "IT01234560017_00002.xml",
        "IT01234560017_00003.xml",
    ]
    # Sent again on purpose (a file lost before sending): the same name, nothing new.
    again = cli(
        "--today", TODAY, "einvoices", "export", str(hot), "--again", "A/2026/0002", "--json"
    ).json()
    assert [f["file_name"] for f in again["files"]] == ["IT01234560017_00001.xml"]
    assert again["finished_interrupted"] == []
    assert _states(cli)["A/2026/0002"] == "exported"
    refused = cli("einvoice", "A/2026/0099")
    assert refused.code == 2 and "A/2026/0099" in refused.err


def test_receipts_move_the_states(issued, tmp_path):
    cli = issued
    hot = tmp_path / "hot"
    hot.mkdir()
    assert cli("--today", TODAY, "einvoices", "export", str(hot)).code == 0
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    paths = [
        write_receipt(inbox, "RC", "IT01234560017_00001.xml"),
        write_receipt(inbox, "MC", "IT01234560017_00002.xml"),
        write_receipt(inbox, "NS", "IT01234560017_00003.xml"),
    ]
    result = cli("einvoices", "receipts", *paths, "--json")
    assert result.code == 0, result
    assert result.json()["recorded"] == 3
    assert _states(cli) == {
        "A/2026/0001": "delivered",
        "A/2026/0002": "not_delivered",
        "A/2026/0003": "rejected",
    }
    rows = {r["number"]: r for r in cli("einvoices", "--json").json()}
    assert [e["code"] for e in rows["A/2026/0003"]["errors"]] == ["00423", "00417"]
    listing = cli("einvoices", "--status", "rejected")
    assert "rejected (00423, 00417)" in listing.out
    assert "A/2026/0003 rejected: 00423 2.2.1.11 <PrezzoTotale> non calcolato" in listing.out
    assert "A/2026/0001" not in listing.out

    # The same receipts again change nothing.
    twice = cli("einvoices", "receipts", *paths, "--json")
    assert twice.code == 0 and twice.json()["recorded"] == 0
    assert twice.json()["already_recorded"] == 3

    # The rejected one goes again with a new progressive; a delivered one is refused.
    again = cli(
        "--today", TODAY, "einvoices", "export", str(hot), "--again", "A/2026/0003", "--json"
    )
    assert again.code == 0, again
    assert [f["file_name"] for f in again.json()["files"]] == ["IT01234560017_00004.xml"]
    assert _states(cli)["A/2026/0003"] == "exported"
    assert _progressive((hot / "IT01234560017_00004.xml").read_bytes()) == "00004"
    refused = cli("--today", TODAY, "einvoices", "export", str(hot), "--again", "A/2026/0001")
    assert refused.code == 2 and "state delivered" in refused.err
    # A late copy of the old rejection leaves the document's new file as it is.
    assert cli("einvoices", "receipts", paths[2]).code == 0
    assert _states(cli)["A/2026/0003"] == "exported"


def test_outcomes_and_deadline_of_a_public_administration(issued, tmp_path):
    cli = issued
    hot = tmp_path / "hot"
    hot.mkdir()
    assert cli("--today", TODAY, "einvoices", "export", str(hot)).code == 0
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    paths = [
        write_receipt(inbox, "RC", "IT01234560017_00001.xml"),
        write_receipt(inbox, "NE", "IT01234560017_00001.xml", outcome="EC01"),
        write_receipt(inbox, "NE", "IT01234560017_00002.xml", outcome="EC02"),
        write_receipt(inbox, "DT", "IT01234560017_00003.xml"),
    ]
    # Read in any order: the outcome outweighs the delivery receipt.
    assert cli("einvoices", "receipts", *reversed(paths)).code == 0
    assert _states(cli) == {
        "A/2026/0001": "accepted",
        "A/2026/0002": "refused",
        "A/2026/0003": "deadline_passed",
    }
    assert [r["number"] for r in cli("einvoices", "--status", "refused", "--json").json()] == [
        "A/2026/0002"
    ]


def test_a_bad_receipt_records_nothing(issued, tmp_path):
    cli = issued
    hot = tmp_path / "hot"
    hot.mkdir()
    assert cli("--today", TODAY, "einvoices", "export", str(hot)).code == 0
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = write_receipt(inbox, "RC", "IT01234560017_00001.xml")
    junk = inbox / "IT01234560017_00002_RC_001.xml"
    junk.write_text("this is not XML")
    result = cli("einvoices", "receipts", good, str(junk))
    assert result.code == 2
    assert result.err.count("\n") == 1 and junk.name in result.err and "not XML" in result.err
    unknown = write_receipt(inbox, "RC", "IT01234560017_00099.xml")
    result = cli("einvoices", "receipts", good, unknown, "--json")
    assert result.code == 2 and "IT01234560017_00099.xml" in result.err
    assert "never exported" in result.json()["error"]
    assert set(_states(cli).values()) == {"exported"}


def test_an_unknown_state_and_an_unwritable_target_are_refused(issued, tmp_path):
    result = issued("einvoices", "--status", "lost")
    assert result.code == 2 and "--status" in result.err
    result = issued("--today", TODAY, "einvoices", "export", str(tmp_path / "no" / "such"))
    assert result.code == 2 and "nothing exported" in result.err
    assert set(_states(issued).values()) == {"pending"}
