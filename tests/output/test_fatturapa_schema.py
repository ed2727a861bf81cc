"""The shipped FatturaPA schema: loaded with no network, and installed with the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tui_billing.output.fatturapa_schema import (
    SCHEMA_FILE,
    XMLDSIG_FILE,
    fatturapa_schema,
    schema_folder,
)

ROOT = Path(__file__).resolve().parents[2]


def test_schema_loads_with_the_local_xmldsig_copy():
    schema = fatturapa_schema()
    assert isinstance(schema, etree.XMLSchema)
    assert fatturapa_schema() is schema  # built once


def test_without_the_resolver_the_import_does_not_resolve_offline():
    # The same parser without the resolver cannot fetch xmldsig (no network), so the
    # schema does not compile: the resolver is what makes validation work offline.
    parser = etree.XMLParser(no_network=True, load_dtd=False)
    document = etree.parse(str(schema_folder() / SCHEMA_FILE), parser)
    with pytest.raises(etree.XMLSchemaParseError):
        etree.XMLSchema(document)


def test_schema_files_are_the_official_copies():
    shared = Path("/work/shared/fatturapa")
    if not shared.exists():
        pytest.skip("no reference copy on this machine")
    for name in (SCHEMA_FILE, XMLDSIG_FILE):
        assert (schema_folder() / name).read_bytes() == (shared / name).read_bytes()


@pytest.mark.slow
def test_wheel_ships_the_schemas(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    folder = "tui_billing/output/schemas/fatturapa/"
    assert {folder + SCHEMA_FILE, folder + XMLDSIG_FILE, folder + "README.md"} <= names
