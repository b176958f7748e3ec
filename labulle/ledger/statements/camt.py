"""ISO 20022 camt.053 (BankToCustomerStatement), parsed with defusedxml.

Booked entries are kept: ``Sts`` = ``BOOK``, or no ``Sts`` at all (older versions: a
camt.053 is an end-of-day statement). ``PDNG`` / ``INFO`` entries and 0,00 € entries are set
aside and counted. Key: the bank's ``AcctSvcrRef`` when present (never ``EndToEndId``
alone), else a hash of the entry's XML + its occurrence. A booking ``DtTm`` is a date in
Paris (UTC and offsets converted; without offset it is local time).
"""

import hashlib
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from labulle.ledger import reserves
from labulle.ledger.dates import DateProblem, check_day, parse_iso
from labulle.ledger.errors import StatementError
from labulle.ledger.money import format_cents, parse_signed_decimal
from labulle.ledger.statements.model import ZERO, BankLine, Statement, check_label

PARIS = ZoneInfo("Europe/Paris")
SEQ_DIGITS = 18  # ElctrncSeqNb: Number, 18 digits at most (ISO 20022 schema)


def _strip_namespaces(root: ET.Element) -> None:
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.split("}", 1)[1]


def _text(element: ET.Element | None, path: str) -> str:
    found = element.find(path) if element is not None else None
    return (found.text or "").strip() if found is not None and found.text else ""


def paris_day(text: str) -> str:
    """``2014-01-04T23:00:00Z`` -> ``2014-01-05``: the day in Paris of an ISO date-time."""
    value = text.strip()
    try:
        moment = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    except ValueError:
        raise DateProblem(
            f"date et heure illisibles « {value[:40]} » (AAAA-MM-JJThh:mm:ss attendu)"
        ) from None
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(PARIS)
        except (OverflowError, ValueError):  # year 1 or 9999: out of the range anyway
            return check_day(moment.date())
    return check_day(moment.date())


def _date(element: ET.Element | None, path: str, where: str) -> str:
    """``…/Dt`` or the Paris day of ``…/DtTm``; ``""`` when neither is there."""
    try:
        if _text(element, f"{path}/Dt"):
            return parse_iso(_text(element, f"{path}/Dt"))
        if _text(element, f"{path}/DtTm"):
            return paris_day(_text(element, f"{path}/DtTm"))
    except DateProblem as problem:
        raise ValueError(f"{where} : {path} : {problem}") from None
    return ""


def _status(entry: ET.Element) -> str:
    return (_text(entry, "Sts/Cd") or _text(entry, "Sts") or "BOOK").upper()


def _amount(element: ET.Element, where: str) -> int:
    node = element.find("Amt")
    if node is None or not (node.text or "").strip():
        raise ValueError(f"{where} : montant absent")
    if node.get("Ccy", "EUR") != "EUR":
        raise ValueError(f"{where} : devise « {node.get('Ccy')} » : seul l'euro est accepté")
    text = node.text.strip()
    if text[:1] in "+-":
        raise ValueError(
            f"{where} : montant signé « {text[:40]} » : en camt le montant est toujours positif, "
            "son sens est donné par CdtDbtInd (CRDT ou DBIT)"
        )
    try:
        cents = parse_signed_decimal(text)
    except ValueError as error:
        raise ValueError(f"{where} : {error}") from None
    direction = _text(element, "CdtDbtInd")
    if direction not in ("CRDT", "DBIT") and cents:
        raise ValueError(
            f"{where} : sens « {direction[:20]} » illisible (CdtDbtInd : CRDT ou DBIT attendu)"
        )
    return -cents if direction == "DBIT" else cents


def _balance(stmt: ET.Element, codes: tuple[str, ...], where: str) -> tuple[int, str]:
    for code in codes:
        for bal in stmt.findall("Bal"):
            if _text(bal, "Tp/CdOrPrtry/Cd") == code:
                place = f"{where}, solde {code}"
                return _amount(bal, place), _date(bal, "Dt", place)
    raise ValueError(f"{where} : solde {' ou '.join(codes)} absent")


def _label(entry: ET.Element, where: str) -> str:
    parts = [_text(entry, "AddtlNtryInf")]
    for tx in entry.findall("NtryDtls/TxDtls"):
        for party in ("Dbtr", "Cdtr"):
            parts.append(
                _text(tx, f"RltdPties/{party}/Nm") or _text(tx, f"RltdPties/{party}/Pty/Nm")
            )
        parts.extend((u.text or "").strip() for u in tx.findall("RmtInf/Ustrd"))
        parts.append(_text(tx, "AddtlTxInf"))
    return check_label(" ".join(" ".join(p for p in parts if p).split()), where)


def _reference(entry: ET.Element) -> str:
    return _text(entry, "AcctSvcrRef") or _text(entry, "NtryDtls/TxDtls/Refs/AcctSvcrRef")


def _keys(entries: list[ET.Element], account: str) -> list[str]:
    """The bank's reference when it is unique in the statement, else hash + occurrence."""
    refs = Counter(_reference(entry) for entry in entries)
    seen: dict[str, int] = {}
    keys = []
    for entry in entries:
        reference = _reference(entry)
        if reference and refs[reference] == 1:
            keys.append(f"camt:{account}:ref:{reference}")
            continue
        digest = hashlib.sha256(ET.tostring(entry)).hexdigest()[:32]
        seen[digest] = seen.get(digest, 0) + 1
        prefix = f"ref:{reference}:" if reference else ""
        keys.append(f"camt:{account}:{prefix}{digest}#{seen[digest]}")
    return keys


def _seq(stmt: ET.Element, where: str) -> int | None:
    text = _text(stmt, "ElctrncSeqNb")
    if not text:
        return None
    if not (re.fullmatch(r"\d+", text) and len(text.lstrip("0")) <= SEQ_DIGITS):
        raise ValueError(
            f"{where} : numéro de séquence (ElctrncSeqNb) illisible « {text[:40]} » "
            f"({SEQ_DIGITS} chiffres au plus)"
        )
    return int(text)


class _Aside:
    """Entries kept out of the books: counted by reason, summed by status."""

    def __init__(self) -> None:
        self.reasons: Counter = Counter()
        self.sums: Counter = Counter()


def _booked(stmt: ET.Element, where: str, aside: _Aside) -> list[tuple[int, ET.Element, int]]:
    """(number, entry, cents) of the entries that enter the books; the others are counted."""
    kept = []
    for number, entry in enumerate(stmt.findall("Ntry"), start=1):
        cents = _amount(entry, f"{where}, écriture {number}")
        status = _status(entry)[:10]
        if status != "BOOK":
            aside.reasons[f"écriture(s) non comptabilisée(s) (statut {status})"] += 1
            aside.sums[status] += cents
        elif cents == 0:
            aside.reasons[ZERO] += 1
        else:
            kept.append((number, entry, cents))
    return kept


def _check_sums(where: str, opening: int, total: int, closing: int, aside: _Aside) -> None:
    if opening + total == closing:
        return
    fc = format_cents
    text = (
        f"{where} : le relevé ne s'additionne pas (ouverture {fc(opening)} + mouvements "
        f"comptabilisés {fc(total)} ≠ clôture {fc(closing)})"
    )
    if aside.sums:
        count = sum(n for reason, n in aside.reasons.items() if reason != ZERO)
        text += (
            f" ; {count} écriture(s) non comptabilisée(s) (statut {', '.join(aside.sums)}) "
            "ont été laissées de côté et ne sont pas comptées"
        )
        if opening + total + sum(aside.sums.values()) == closing:
            text += (
                " : avec elles le compte serait juste, la banque les a donc comptées dans le "
                "solde de clôture alors qu'elle ne les dit pas comptabilisées"
            )
    raise ValueError(text + " ; relevé refusé en entier")


def _line(key: str, entry: ET.Element, cents: int, where: str) -> BankLine:
    booking = _date(entry, "BookgDt", where)
    if not booking:
        raise ValueError(f"{where} : date de comptabilisation (BookgDt) absente")
    value = _date(entry, "ValDt", where) or None
    return BankLine(
        key, booking, value, cents, _label(entry, where), _reference(entry) or None, None
    )


def _statement(stmt: ET.Element, index: int) -> Statement:
    where = f"relevé {_text(stmt, 'Id')[:60] or f'n°{index}'}"
    iban, other = _text(stmt, "Acct/Id/IBAN"), _text(stmt, "Acct/Id/Othr/Id")
    account = iban or other
    if not account:
        raise ValueError(f"{where} : compte (Acct/Id) absent")
    identity = reserves.from_iban(iban) if iban else reserves.from_other(other)
    opening, opening_date = _balance(stmt, ("OPBD", "PRCD"), where)
    closing, closing_date = _balance(stmt, ("CLBD",), where)
    aside = _Aside()
    booked = _booked(stmt, where, aside)
    keys = _keys([entry for _number, entry, _cents in booked], account)
    lines = [
        _line(key, entry, cents, f"{where}, écriture {number}")
        for key, (number, entry, cents) in zip(keys, booked, strict=True)
    ]
    _check_sums(where, opening, sum(line.amount_cents for line in lines), closing, aside)
    start = _date(stmt, "FrToDt/FrDtTm", where) or opening_date
    end = _date(stmt, "FrToDt/ToDtTm", where) or closing_date
    statement = Statement(
        "camt",
        identity,
        start or end,
        end or start,
        opening,
        closing,
        lines,
        seq=_seq(stmt, where),
    )
    statement.aside.update(aside.reasons)
    return statement


_NOT_STATEMENTS = {
    "BkToCstmrAcctRpt": "relevé intrajournalier (camt.052), pas un relevé de fin de journée",
    "BkToCstmrDbtCdtNtfctn": "avis de débit-crédit (camt.054), pas un relevé de fin de journée",
}


def parse(data: bytes, path: str) -> list[Statement]:
    try:
        root = DET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise StatementError(path, None, "XML refusé : DTD ou entités interdites") from None
    except ET.ParseError as error:
        raise StatementError(path, error.position[0], f"XML mal formé ({error})") from None
    _strip_namespaces(root)
    for tag, reason in _NOT_STATEMENTS.items():
        if root.find(f".//{tag}") is not None or root.tag == tag:
            raise StatementError(path, None, f"{reason} : exportez le relevé camt.053")
    statements = root.findall(".//BkToCstmrStmt/Stmt")
    if not statements:
        raise StatementError(path, None, "aucun relevé (BkToCstmrStmt/Stmt) dans le fichier")
    try:
        return [_statement(stmt, i) for i, stmt in enumerate(statements, start=1)]
    except ValueError as error:
        raise StatementError(path, None, str(error)) from None
