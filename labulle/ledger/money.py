"""Money as integer cents: parsing of ``12,50`` / ``12.50`` and French formatting."""

import re

from labulle.ledger.errors import AmountError

_AMOUNT = re.compile(r"(?P<units>[0-9]+)(?:[.,](?P<dec>[0-9]{1,2}))?")
MAX_CENTS = 100_000_000
"""The largest amount one command accepts (1 000 000,00): beyond, a typing mistake."""


def parse_amount(text: str) -> int:
    """Return the positive amount ``text`` (``12``, ``12,5``, ``12,50``, ``12.50``) in cents.

    Only the digits 0 to 9 count (``١٠`` and ``５`` are refused, like ``12,5,0``, ``abc``,
    ``-3``, ``0``, ``1 000``); at most ``MAX_CENTS``. Anything else raises ``AmountError``.
    """
    cleaned = text.strip()
    shown = cleaned if len(cleaned) <= 40 else cleaned[:40] + "…"
    if any(char.isdigit() and not char.isascii() for char in cleaned):
        raise AmountError(
            f"montant invalide « {shown} » : écrivez-le avec les chiffres 0 à 9, "
            "par exemple 12,50 ou 12.50"
        )
    match = _AMOUNT.fullmatch(cleaned)
    if not match:
        raise AmountError(f"montant invalide « {shown} » : écrivez par exemple 12,50 ou 12.50")
    units = match["units"].lstrip("0")
    if len(units) > len(str(MAX_CENTS // 100)):
        raise AmountError(f"montant invalide « {shown} » : au plus {format_cents(MAX_CENTS)}")
    cents = int(units or "0") * 100 + int((match["dec"] or "0").ljust(2, "0"))
    if cents == 0:
        raise AmountError(f"montant invalide « {shown} » : il doit être supérieur à zéro")
    if cents > MAX_CENTS:
        raise AmountError(f"montant invalide « {shown} » : au plus {format_cents(MAX_CENTS)}")
    return cents


BANK_UNITS_MAX = 13
"""Digits before the decimal point of a bank amount (ISO 20022: 18 digits, 5 decimals)."""


def parse_signed_decimal(text: str) -> int:
    """Parse a bank amount such as ``-1 234,56``, ``1234.5`` or ``8.850`` into cents.

    Decimals beyond the second must be zeros (a fraction of a cent is refused), and an
    amount has at most BANK_UNITS_MAX digits of euros; ValueError says which rule failed.
    """
    # String methods rather than a regular expression: a statement has two amounts a line.
    cleaned = text.strip()
    if not cleaned.isascii() or " " in cleaned:
        cleaned = cleaned.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    body = cleaned[1:] if cleaned[:1] in ("-", "+") else cleaned
    units, point, decimals = body.replace(",", ".", 1).partition(".")
    if not (units + decimals).isascii() or not units.isdigit() or (
        point and not decimals.isdigit()
    ):
        raise ValueError(f"montant illisible « {text.strip()[:40]} »")
    units = units.lstrip("0")
    if len(units) > BANK_UNITS_MAX:
        raise ValueError(
            f"montant « {text.strip()[:40]} » trop grand ({BANK_UNITS_MAX} chiffres avant la "
            "virgule au plus)"
        )
    if decimals[2:].strip("0"):
        raise ValueError(
            f"montant « {text.strip()[:40]} » avec une fraction de centime (au-delà de deux "
            "décimales, seuls des zéros sont admis)"
        )
    cents = int(units or "0") * 100 + int(decimals[:2].ljust(2, "0"))
    return -cents if cleaned[:1] == "-" else cents


def format_cents(cents: int, unit: str = "") -> str:
    """``123456`` -> ``1 234,56`` (narrow no-break space between thousands), plus ``unit``."""
    sign = "-" if cents < 0 else ""
    units, dec = divmod(abs(cents), 100)
    grouped = f"{units:,}".replace(",", "\u202f")
    text = f"{sign}{grouped},{dec:02d}"
    return f"{text} {unit}" if unit else text


def plain_decimal(cents: int) -> str:
    """``-1250`` -> ``-12.50`` (machine formats: beancount, JSON strings)."""
    sign = "-" if cents < 0 else ""
    units, dec = divmod(abs(cents), 100)
    return f"{sign}{units}.{dec:02d}"


def fee_for(gross_cents: int, fee_bp: int) -> int:
    """Fee in cents on ``gross_cents`` at ``fee_bp`` basis points, rounded half up.

    The payout is ``gross - fee``, so fee + payout always equals the gross: no cent is
    created or lost by rounding.
    """
    return (gross_cents * fee_bp + 5000) // 10000


def parse_fee_percent(text: str) -> int:
    """``2,0`` / ``2.5`` / ``0`` (percent) -> basis points (200, 250, 0)."""
    match = re.fullmatch(r"([0-9]{1,2})(?:[.,]([0-9]{1,2}))?", text.strip())
    if not match:
        raise AmountError(
            f"taux de commission invalide « {text.strip()[:40]} » : écrivez par exemple 2,0 "
            "(pour 2 %)"
        )
    bp = int(match[1]) * 100 + int((match[2] or "0").ljust(2, "0"))
    if bp > 5000:
        raise AmountError(f"taux de commission invalide « {text} » : au plus 50 %")
    return bp
