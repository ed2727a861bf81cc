"""SdI notifications about a given e-invoice file, as the SdI writes them."""

from __future__ import annotations

from pathlib import Path

from tests.output.test_sdi_notifications import DT, MC, NE, NS, RC

_SAMPLES = {
    "RC": (RC, b"IT01234567890_00001.xml"),
    "MC": (MC, b"IT01234567890_00002.xml"),
    "NS": (NS, b"IT01234567890_00003.xml"),
    "NE": (NE, b"IT01234567890_00004.xml"),
    "DT": (DT, b"IT01234567890_00005.xml"),
}


def receipt(kind: str, file_name: str, *, outcome: str = "EC01") -> bytes:
    """A notification of ``kind`` (RC, MC, NS, NE, DT) about ``file_name``; an NE says
    ``outcome`` (EC01 accepted, EC02 refused)."""
    data, sample_name = _SAMPLES[kind]
    data = data.replace(sample_name, file_name.encode())
    return data.replace(b"{esito}", outcome.encode()).replace(b"{why}", b"Esito")


def write_receipt(folder: Path, kind: str, file_name: str, *, outcome: str = "EC01") -> str:
    """The notification written in ``folder`` under the SdI's own naming; returns its path."""
    stem = file_name.removesuffix(".xml")
    path = folder / f"{stem}_{kind}_{outcome if kind == 'NE' else '001'}.xml"
    path.write_bytes(receipt(kind, file_name, outcome=outcome))
    return str(path)
