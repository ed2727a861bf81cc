"""The FatturaPA 1.2.3 XML schema, loaded once from the package with no network.

The official schema imports the W3C xmldsig schema from its absolute address; an lxml
resolver answers that address (and any other ``xmldsig-core-schema.xsd``) with the copy
shipped in ``tui_billing/output/schemas/fatturapa/``, on a parser that refuses the network.
"""

from __future__ import annotations

import threading
from importlib import resources
from pathlib import Path

from lxml import etree

from tui_billing.domain.i18n import _

SCHEMA_FILE = "Schema_del_file_xml_FatturaPA_v1.2.3.xsd"
XMLDSIG_FILE = "xmldsig-core-schema.xsd"
XMLDSIG_URL = "http://www.w3.org/TR/2002/REC-xmldsig-core-20020212/xmldsig-core-schema.xsd"


def schema_folder() -> Path:
    """The folder of the shipped schema files."""
    return Path(str(resources.files("tui_billing.output.schemas.fatturapa")))


class _LocalSchemas(etree.Resolver):
    """Resolve the xmldsig import to the shipped copy; anything else stays unresolved."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self._folder = folder

    def resolve(self, system_url, public_id, context):
        if system_url and (
            system_url in (XMLDSIG_URL, XMLDSIG_FILE) or system_url.endswith("/" + XMLDSIG_FILE)
        ):
            return self.resolve_filename(str(self._folder / XMLDSIG_FILE), context)
        return None


_per_thread = threading.local()
_compiling = threading.Lock()  # libxml2 does not compile schemas in two threads at once


def fatturapa_schema() -> etree.XMLSchema:
    """The compiled FatturaPA 1.2.3 schema, built on first use in each thread (an lxml
    validator keeps its error log, so threads do not share one)."""
    schema = getattr(_per_thread, "schema", None)
    if schema is None:
        with _compiling:
            schema = _per_thread.schema = _compile()
    return schema


def _compile() -> etree.XMLSchema:
    folder = schema_folder()
    parser = etree.XMLParser(no_network=True, load_dtd=False)
    parser.resolvers.add(_LocalSchemas(folder))
    document = etree.parse(str(folder / SCHEMA_FILE), parser)
    # The import also names the shipped copy's own path, so a thread whose parse does not
    # reach the resolver (libxml2's loader is shared by the threads) still finds it locally.
    for element in document.getroot().iter("{http://www.w3.org/2001/XMLSchema}import"):
        if element.get("schemaLocation") == XMLDSIG_URL:
            element.set("schemaLocation", (folder / XMLDSIG_FILE).as_uri())
    return etree.XMLSchema(document)


def schema_errors(root: etree._Element) -> list[str]:
    """The schema's complaints about ``root`` (empty when valid), one line each, each
    naming the element by its path."""
    schema = fatturapa_schema()
    if schema.validate(root):
        return []
    return [
        f"{error.path or _('line {line}').format(line=error.line)}: {error.message}"
        for error in schema.error_log
    ]


__all__ = ["XMLDSIG_URL", "fatturapa_schema", "schema_errors", "schema_folder"]
