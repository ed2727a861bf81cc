"""SdI notifications read into plain records; bad or hostile files refused naming the file."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tui_billing.domain.errors import UserError
from tui_billing.output.sdi_notifications import SdiError, read_sdi_notification

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<?xml-stylesheet type="text/xsl" href="{kind}_v1.0.xsl"?>\n'
    '<types:{root} xmlns:types="http://www.fatturapa.gov.it/sdi/messaggi/v1.0"'
    ' xmlns:ds="http://www.w3.org/2000/09/xmldsig#" versione="1.0">\n'
)


def message(kind: str, root: str, body: str) -> bytes:
    return (HEAD.format(kind=kind, root=root) + body + f"</types:{root}>").encode()


RC = message(
    "RC",
    "RicevutaConsegna",
    """
  <IdentificativoSdI>111</IdentificativoSdI>
  <NomeFile>IT01234567890_00001.xml</NomeFile>
  <DataOraRicezione>2026-04-01T10:00:00Z</DataOraRicezione>
  <DataOraConsegna>2026-04-01T10:05:00Z</DataOraConsegna>
  <Destinatario><Codice>ABC1234</Codice><Descrizione>Bianchi</Descrizione></Destinatario>
  <MessageId>123456</MessageId>
""",
)

MC = message(
    "MC",
    "NotificaMancataConsegna",
    """
  <IdentificativoSdI>112</IdentificativoSdI>
  <NomeFile>IT01234567890_00002.xml</NomeFile>
  <DataOraRicezione>2026-04-02T09:00:00+02:00</DataOraRicezione>
  <Descrizione>Casella PEC piena</Descrizione>
  <MessageId>123457</MessageId>
""",
)

NS = message(
    "NS",
    "NotificaScarto",
    """
  <IdentificativoSdI>113</IdentificativoSdI>
  <NomeFile>IT01234567890_00003.xml</NomeFile>
  <DataOraRicezione>2026-04-03T12:00:00</DataOraRicezione>
  <ListaErrori>
    <Errore>
      <Codice>00423</Codice>
      <Descrizione>2.2.1.11 &lt;PrezzoTotale&gt; non calcolato secondo le regole</Descrizione>
      <Suggerimento>Verificare quantita e prezzo unitario</Suggerimento>
    </Errore>
    <Errore>
      <Codice>00417</Codice>
      <Descrizione>1.4.1.1 IdFiscaleIVA e 1.4.1.2 CodiceFiscale non valorizzati</Descrizione>
    </Errore>
  </ListaErrori>
  <MessageId>123458</MessageId>
  <Note>Note</Note>
""",
)

NE = message(
    "NE",
    "NotificaEsito",
    """
  <IdentificativoSdI>114</IdentificativoSdI>
  <NomeFile>IT01234567890_00004.xml</NomeFile>
  <EsitoCommittente>
    <IdentificativoSdI>114</IdentificativoSdI>
    <RiferimentoFattura><NumeroFattura>A/2026/0013</NumeroFattura></RiferimentoFattura>
    <Esito>{esito}</Esito>
    <Descrizione>{why}</Descrizione>
    <MessageIdCommittente>999</MessageIdCommittente>
  </EsitoCommittente>
  <MessageId>123459</MessageId>
""",
)

DT = message(
    "DT",
    "NotificaDecorrenzaTermini",
    """
  <IdentificativoSdI>115</IdentificativoSdI>
  <NomeFile>IT01234567890_00005.xml</NomeFile>
  <Descrizione>Decorsi 15 giorni</Descrizione>
  <MessageId>123460</MessageId>
""",
)


def test_delivery_receipt():
    note = read_sdi_notification(RC, "IT01234567890_00001_RC_001.xml")
    assert (note.kind, note.file_name, note.sdi_id) == ("RC", "IT01234567890_00001.xml", "111")
    assert note.date == datetime(2026, 4, 1, 10, 5, tzinfo=UTC)
    assert note.errors == () and note.outcome is None and note.message_id == "123456"


def test_not_delivered():
    note = read_sdi_notification(MC, "mc.xml")
    assert (note.kind, note.file_name, note.description) == (
        "MC",
        "IT01234567890_00002.xml",
        "Casella PEC piena",
    )
    assert note.date is not None and note.date.utcoffset().total_seconds() == 7200


def test_rejection_with_its_errors():
    note = read_sdi_notification(NS, "ns.xml")
    assert note.kind == "NS" and note.file_name == "IT01234567890_00003.xml"
    assert note.date == datetime(2026, 4, 3, 12, 0)
    assert note.errors == (
        SdiError(
            "00423",
            "2.2.1.11 <PrezzoTotale> non calcolato secondo le regole",
            "Verificare quantita e prezzo unitario",
        ),
        SdiError("00417", "1.4.1.1 IdFiscaleIVA e 1.4.1.2 CodiceFiscale non valorizzati"),
    )


@pytest.mark.parametrize("esito", ["EC01", "EC02"])
def test_outcome_of_a_public_administration(esito):
    data = NE.replace(b"{esito}", esito.encode()).replace(b"{why}", b"Manca il CIG")
    note = read_sdi_notification(data, "ne.xml")
    assert (note.kind, note.outcome, note.description) == ("NE", esito, "Manca il CIG")
    assert note.file_name == "IT01234567890_00004.xml" and note.date is None


def test_outcome_other_than_ec01_ec02_is_refused():
    data = NE.replace(b"{esito}", b"EC09").replace(b"{why}", b"x")
    with pytest.raises(UserError, match=r"^ne.xml: NotificaEsito with Esito 'EC09'"):
        read_sdi_notification(data, "ne.xml")


def test_deadline_passed():
    note = read_sdi_notification(DT, "dt.xml")
    assert (note.kind, note.file_name, note.description) == (
        "DT",
        "IT01234567890_00005.xml",
        "Decorsi 15 giorni",
    )


def test_version_1_1_namespace_is_read_too():
    data = MC.replace(b"messaggi/v1.0", b"messaggi/v1.1")
    assert read_sdi_notification(data, "mc.xml").kind == "MC"


@pytest.mark.parametrize(
    "data, error",
    [
        (b"not xml at all", "^x.xml: not XML"),
        (b"", "^x.xml: not XML"),
        (
            b"<FatturaElettronica/>",
            r"^x.xml: not an SdI notification \(root element FatturaElettronica\)",
        ),
        (
            b'<t:RicevutaConsegna xmlns:t="http://www.fatturapa.gov.it/sdi/messaggi/v1.0">'
            b"<IdentificativoSdI>1</IdentificativoSdI></t:RicevutaConsegna>",
            "^x.xml: RicevutaConsegna without NomeFile",
        ),
        (
            RC.replace(b"2026-04-01T10:05:00Z", b"yesterday"),
            "^x.xml: DataOraConsegna 'yesterday' is not a date and time",
        ),
    ],
)
def test_bad_files_are_refused_naming_the_file(data, error):
    with pytest.raises(UserError, match=error):
        read_sdi_notification(data, "x.xml")


def test_entity_expansion_is_refused(tmp_path):
    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b"<RicevutaConsegna><NomeFile>&lol3;</NomeFile></RicevutaConsegna>"
    )
    with pytest.raises(UserError, match="^x.xml: has a DOCTYPE"):
        read_sdi_notification(laughs, "x.xml")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    xxe = (
        f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
        f"<RicevutaConsegna><NomeFile>&x;</NomeFile></RicevutaConsegna>"
    ).encode()
    with pytest.raises(UserError, match="DOCTYPE") as caught:
        read_sdi_notification(xxe, "x.xml")
    assert "TOPSECRET" not in str(caught.value)
