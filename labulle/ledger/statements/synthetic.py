"""Writers of synthetic statements in the three formats (tests, samples, benchmark, demos).

They follow the same descriptions as the readers (shared/notes/bank-formats.md), so a
round trip proves both agree; real bank files remain the reference.
"""

import html
from dataclasses import dataclass
from datetime import date

from labulle.ledger.money import format_cents


@dataclass(frozen=True)
class Move:
    """One synthetic movement: ``cents`` > 0 is money in."""

    day: date
    cents: int
    label: str
    ref: str = ""
    payer: str = ""
    status: str = "BOOK"


def _cfonb_amount(cents: int) -> str:
    digits = f"{abs(cents):014d}"
    table = "{ABCDEFGHI" if cents >= 0 else "}JKLMNOPQR"
    return digits[:13] + table[int(digits[13])]


def _cfonb_common(code: str, bank: str, branch: str, account: str, op: str = "    ") -> str:
    return f"{code}{bank:>5}{op:4}{branch:>5}EUR2 {account:>11}"


def _ddmmyy(day: date) -> str:
    return day.strftime("%d%m%y")


def cfonb(
    bank: str,
    branch: str,
    account: str,
    opening: int,
    start: date,
    end: date,
    moves: list[Move],
    newline: str = "\r\n",
    error_cents: int = 0,
) -> str:
    """One CFONB 120 statement: 01, then 04 (+ 05 NPY/LCC) per movement, then 07.

    ``error_cents`` shifts the new balance, making a statement that does not add up.
    """
    records = [
        _cfonb_common("01", bank, branch, account)
        + f"  {_ddmmyy(start)}"
        + " " * 50
        + _cfonb_amount(opening)
        + " " * 16
    ]
    for move in moves:
        code = "05" if move.cents > 0 else "06"
        records.append(
            _cfonb_common("04", bank, branch, account, "0158") + f"{code}{_ddmmyy(move.day)}  "
            f"{_ddmmyy(move.day)}{move.label[:31]:<31}  00000000 {_cfonb_amount(move.cents)}"
            f"{move.ref[:16]:<16}"
        )
        for qualifier, info in (("NPY", move.payer), ("LCC", move.label)):
            if info:
                records.append(
                    _cfonb_common("05", bank, branch, account, "0158")
                    + f"{code}{_ddmmyy(move.day)}     {qualifier}{info[:70]:<70}  "
                )
    closing = opening + sum(m.cents for m in moves if m.status == "BOOK") + error_cents
    records.append(
        _cfonb_common("07", bank, branch, account)
        + f"  {_ddmmyy(end)}"
        + " " * 50
        + _cfonb_amount(closing)
        + " " * 16
    )
    assert all(len(r) == 120 for r in records), [len(r) for r in records]
    return newline.join(records) + newline


def nef_csv(
    iban: str, opening: int, moves: list[Move], newest_first: bool = False, error_cents: int = 0
) -> str:
    """La Nef's CSV export: metadata lines, an empty line, the header, one row per movement.

    ``error_cents`` shifts the last running balance (a file that does not add up).
    """
    rows, balance = [], opening
    for number, move in enumerate(moves, start=1):
        balance += move.cents + (error_cents if number == len(moves) else 0)
        day = move.day.strftime("%d/%m/%Y")
        rows.append(
            f'"{day}","{day}","{move.ref}","{format_cents(move.cents).replace(chr(0x202F), " ")}",'
            f'"{format_cents(balance).replace(chr(0x202F), " ")}","{move.label}"'
        )
    if newest_first:
        rows.reverse()
    first = moves[0].day.strftime("%d/%m/%Y") if moves else ""
    last = moves[-1].day.strftime("%d/%m/%Y") if moves else ""
    meta = [
        '"Compte courant","Association Poivre MLC"',
        f'"IBAN","{iban}"',
        f'"Période","du {first} au {last}"',
        f'"Solde au {last}","{format_cents(balance).replace(chr(0x202F), " ")}"',
        '"Exporté le","01/04/2025"',
        "",
        '"Date opération","Date Valeur","Référence","Montant","Solde","Libellé"',
    ]
    return "\r\n".join(meta + rows) + "\r\n"


def _camt_amount(cents: int) -> str:
    return f"{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _camt_balance(code: str, cents: int, day: date) -> str:
    """One ``<Bal>`` element (OPBD opening, CLBD closing)."""
    return (
        f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
        f'<Amt Ccy="EUR">{_camt_amount(cents)}</Amt>'
        f"<CdtDbtInd>{'CRDT' if cents >= 0 else 'DBIT'}</CdtDbtInd>"
        f"<Dt><Dt>{day.isoformat()}</Dt></Dt></Bal>"
    )


def _camt_entry(move: Move) -> str:
    """One ``<Ntry>`` element with its one transaction's party and remittance text."""
    ref = f"<AcctSvcrRef>{html.escape(move.ref)}</AcctSvcrRef>" if move.ref else ""
    party = "Dbtr" if move.cents > 0 else "Cdtr"
    return (
        f'<Ntry><Amt Ccy="EUR">{_camt_amount(move.cents)}</Amt>'
        f"<CdtDbtInd>{'CRDT' if move.cents > 0 else 'DBIT'}</CdtDbtInd>"
        f"<Sts>{move.status}</Sts><BookgDt><Dt>{move.day.isoformat()}</Dt></BookgDt>"
        f"<ValDt><Dt>{move.day.isoformat()}</Dt></ValDt>{ref}"
        "<BkTxCd><Domn><Cd>PMNT</Cd></Domn></BkTxCd>"
        "<NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>"
        f"<RltdPties><{party}><Nm>{html.escape(move.payer)}</Nm></{party}></RltdPties>"
        f"<RmtInf><Ustrd>{html.escape(move.label)}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
    )


def camt(
    iban: str,
    statement_id: str,
    seq: int,
    opening: int,
    start: date,
    end: date,
    moves: list[Move],
    error_cents: int = 0,
) -> str:
    """A camt.053.001.02 document with one statement (booked and other entries).

    ``error_cents`` shifts the closing balance (a statement that does not add up).
    """
    closing = opening + sum(m.cents for m in moves if m.status == "BOOK") + error_cents
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">\n'
        f"<BkToCstmrStmt><GrpHdr><MsgId>{statement_id}</MsgId>"
        f"<CreDtTm>{end.isoformat()}T20:00:00</CreDtTm></GrpHdr>\n"
        f"<Stmt><Id>{statement_id}</Id><ElctrncSeqNb>{seq}</ElctrncSeqNb>"
        f"<CreDtTm>{end.isoformat()}T20:00:00</CreDtTm>"
        f"<FrToDt><FrDtTm>{start.isoformat()}T00:00:00</FrDtTm>"
        f"<ToDtTm>{end.isoformat()}T23:59:59</ToDtTm></FrToDt>"
        f"<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>\n"
        + _camt_balance("OPBD", opening, start)
        + "\n"
        + _camt_balance("CLBD", closing, end)
        + "\n"
        + "\n".join(_camt_entry(move) for move in moves)
        + "\n</Stmt></BkToCstmrStmt></Document>\n"
    )
