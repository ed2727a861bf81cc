"""An SDD run killed with SIGKILL at random moments, then run again: no invoice is ever
in two files, a file on disk is whole and valid or absent, and every file recorded can be
written again (--again) as it was; in the end every invoice is presented exactly once."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

from lxml import etree

from tests.support.collection_db import COMPANY, DEBTOR_IBAN, TODAY
from tui_billing.output.sdd_xml import sdd_schema

CUSTOMERS = 150
MONTHS = ("2026-01", "2026-02", "2026-03")


def _data() -> dict:
    return {
        "company": COMPANY,
        "customers": [
            {
                "code": f"C{i:03d}",
                "name": f"Cliente {i:03d}",
                "payment_method": "sepa_direct_debit",
                "payment_terms_days": 0,
            }
            for i in range(CUSTOMERS)
        ],
        "contracts": [
            {
                "code": f"K{i:03d}",
                "customer": f"C{i:03d}",
                "status": "active",
                "start_date": "2026-01-01",
                "frequency": "monthly",
                "lines": [
                    {
                        "description": "Canone",
                        "quantity": "1",
                        "unit_price": f"{10 + i}.00",
                        "vat_rate": "22.00",
                    }
                ],
            }
            for i in range(CUSTOMERS)
        ],
        "mandates": [
            {
                "reference": f"M-{i:03d}",
                "customer": f"C{i:03d}",
                "signed_on": "2025-12-01",
                "iban": DEBTOR_IBAN,
            }
            for i in range(CUSTOMERS)
        ],
    }


def _present(target: str, month: str, out: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tui_billing",
            "--db",
            target,
            "--today",
            TODAY,
            "collections",
            "sdd",
            "--due-from",
            f"{month}-01",
            "--due-to",
            f"{month}-28",
            "-o",
            out,
            "--json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _presented(cli) -> list[str]:
    return [c["invoice"] for c in cli("collections", "--json").json()["collections"]]


def test_kill_9_while_presenting_then_rerun_presents_each_invoice_once(cli, tmp_path):
    (tmp_path / "d.json").write_text(json.dumps(_data()))
    assert cli("--today", TODAY, "import", str(tmp_path / "d.json")).code == 0
    assert cli("run", "--date", "2026-03-01", "--status", "issued", "--no-email").code == 0
    rng = random.Random(int(os.environ.get("KILL_SEED", "20261207")))
    written = []
    for round_ in range(2):
        for month in MONTHS:
            out = str(tmp_path / f"{month}-{round_}.xml")
            proc = _present(cli.target, month, out)
            time.sleep(rng.uniform(0.3, 2.5))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
            written.append(out)
            presented = _presented(cli)
            assert len(presented) == len(set(presented))  # never twice, even right after
    for month in MONTHS:  # the reruns present whatever the killed runs did not
        out = str(tmp_path / f"{month}-final.xml")
        proc = _present(cli.target, month, out)
        code = proc.wait(timeout=120)
        assert code in (0, 2), proc.stderr.read()
        written.append(out)
    presented = _presented(cli)
    assert len(presented) == len(set(presented)) == CUSTOMERS * len(MONTHS)
    files = cli("collections", "--json").json()["files"]
    stored = {}
    for f in files:
        copy = tmp_path / f"again-{f['id']}.xml"
        assert cli("collections", "sdd", "--again", str(f["id"]), "-o", str(copy)).code == 0
        assert sdd_schema().validate(etree.parse(str(copy)))
        stored[copy.read_bytes()] = f["id"]
    for out in written:  # a file on disk is one of the recorded files, whole
        if os.path.exists(out):
            with open(out, "rb") as handle:
                assert handle.read() in stored
    leftovers = [n for n in os.listdir(tmp_path) if n.endswith(".part")]
    assert len(leftovers) <= len(MONTHS) * 2  # a killed write leaves at most its temp file
