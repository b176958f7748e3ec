"""ISO 20022 camt.053 (BankToCustomerStatement), parsed with defusedxml.

Only booked entries (``Sts`` = ``BOOK``) are kept. Key: the bank's ``AcctSvcrRef`` when
present (never ``EndToEndId`` alone), else a hash of the entry's XML + its occurrence.
"""

import hashlib
import xml.etree.ElementTree as ET

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from labulle.ledger.errors import StatementError
from labulle.ledger.money import parse_signed_decimal
from labulle.ledger.statements.model import BankLine, Statement


def _strip_namespaces(root: ET.Element) -> None:
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.split("}", 1)[1]


def _text(element: ET.Element | None, path: str) -> str:
    found = element.find(path) if element is not None else None
    return (found.text or "").strip() if found is not None and found.text else ""


def _date(element: ET.Element | None, path: str) -> str:
    """``…/Dt`` or the date part of ``…/DtTm``."""
    return _text(element, f"{path}/Dt") or _text(element, f"{path}/DtTm")[:10]


def _status(entry: ET.Element) -> str:
    return _text(entry, "Sts/Cd") or _text(entry, "Sts")


def _amount(element: ET.Element, where: str) -> int:
    node = element.find("Amt")
    if node is None or not node.text:
        raise ValueError(f"{where} : montant absent")
    if node.get("Ccy", "EUR") != "EUR":
        raise ValueError(f"{where} : devise « {node.get('Ccy')} » : seul l'euro est accepté")
    cents = parse_signed_decimal(node.text)
    return -cents if _text(element, "CdtDbtInd") == "DBIT" else cents


def _balance(stmt: ET.Element, codes: tuple[str, ...], where: str) -> tuple[int, str]:
    for bal in stmt.findall("Bal"):
        if _text(bal, "Tp/CdOrPrtry/Cd") in codes:
            return _amount(bal, where), _date(bal, "Dt")
    raise ValueError(f"{where} : solde {'/'.join(codes)} absent")


def _label(entry: ET.Element) -> str:
    parts = [_text(entry, "AddtlNtryInf")]
    for tx in entry.findall("NtryDtls/TxDtls"):
        for party in ("Dbtr", "Cdtr"):
            parts.append(
                _text(tx, f"RltdPties/{party}/Nm") or _text(tx, f"RltdPties/{party}/Pty/Nm")
            )
        parts.extend((u.text or "").strip() for u in tx.findall("RmtInf/Ustrd"))
        parts.append(_text(tx, "AddtlTxInf"))
    return " ".join(" ".join(p for p in parts if p).split())


def _reference(entry: ET.Element) -> str:
    return _text(entry, "AcctSvcrRef") or _text(entry, "NtryDtls/TxDtls/Refs/AcctSvcrRef")


def _statement(stmt: ET.Element, index: int) -> Statement:
    stmt_id = _text(stmt, "Id") or f"n°{index}"
    where = f"relevé {stmt_id}"
    account = _text(stmt, "Acct/Id/IBAN") or _text(stmt, "Acct/Id/Othr/Id")
    if not account:
        raise ValueError(f"{where} : compte (Acct/Id) absent")
    opening, opening_date = _balance(stmt, ("OPBD", "PRCD"), where)
    closing, closing_date = _balance(stmt, ("CLBD",), where)
    lines, seen = [], {}
    for number, entry in enumerate(stmt.findall("Ntry"), start=1):
        if _status(entry) != "BOOK":
            continue
        entry_where = f"{where}, écriture {number}"
        reference = _reference(entry)
        if reference:
            key = f"camt:{account}:ref:{reference}"
        else:
            digest = hashlib.sha256(ET.tostring(entry)).hexdigest()[:32]
            seen[digest] = seen.get(digest, 0) + 1
            key = f"camt:{account}:{digest}#{seen[digest]}"
        booking = _date(entry, "BookgDt")
        if not booking:
            raise ValueError(f"{entry_where} : date de comptabilisation absente")
        lines.append(
            BankLine(
                key,
                booking,
                _date(entry, "ValDt") or None,
                _amount(entry, entry_where),
                _label(entry),
                reference or None,
                None,
            )
        )
    if len({line.key for line in lines}) != len(lines):
        raise ValueError(f"{where} : deux écritures portent la même référence bancaire")
    total = sum(line.amount_cents for line in lines)
    if opening + total != closing:
        raise ValueError(
            f"{where} : le relevé ne s'additionne pas (ouverture {opening / 100:.2f} + "
            f"mouvements {total / 100:.2f} ≠ clôture {closing / 100:.2f}) ; relevé refusé en entier"
        )
    seq = _text(stmt, "ElctrncSeqNb")
    start = _text(stmt, "FrToDt/FrDtTm")[:10] or opening_date
    end = _text(stmt, "FrToDt/ToDtTm")[:10] or closing_date
    return Statement(
        "camt",
        account,
        start or end,
        end or start,
        opening,
        closing,
        lines,
        seq=int(seq) if seq.isdigit() else None,
    )


def parse(data: bytes, path: str) -> list[Statement]:
    try:
        root = DET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise StatementError(path, None, "XML refusé : DTD ou entités interdites") from None
    except ET.ParseError as error:
        raise StatementError(path, error.position[0], f"XML mal formé ({error})") from None
    _strip_namespaces(root)
    statements = root.findall(".//BkToCstmrStmt/Stmt")
    if not statements:
        raise StatementError(path, None, "aucun relevé (BkToCstmrStmt/Stmt) dans le fichier")
    try:
        return [_statement(stmt, i) for i, stmt in enumerate(statements, start=1)]
    except ValueError as error:
        raise StatementError(path, None, str(error)) from None
