"""Money as integer cents: parsing of ``12,50`` / ``12.50`` and French formatting."""

import re

from labulle.ledger.errors import AmountError

_AMOUNT = re.compile(r"(?P<units>\d{1,12})(?:[.,](?P<dec>\d{1,2}))?")


def parse_amount(text: str) -> int:
    """Return the positive amount ``text`` (``12``, ``12,5``, ``12,50``, ``12.50``) in cents.

    Anything else (``12,5,0``, ``abc``, ``-3``, ``0``, ``1 000``) raises ``AmountError``.
    """
    cleaned = text.strip()
    match = _AMOUNT.fullmatch(cleaned)
    if not match:
        raise AmountError(f"montant invalide « {text} » : écrivez par exemple 12,50 ou 12.50")
    cents = int(match["units"]) * 100 + int((match["dec"] or "0").ljust(2, "0"))
    if cents == 0:
        raise AmountError(f"montant invalide « {text} » : il doit être supérieur à zéro")
    return cents


_SIGNED = re.compile(r"([-+]?)(\d+)(?:[.,](\d{1,2}))?")


def parse_signed_decimal(text: str) -> int:
    """Parse a bank amount such as ``-1 234,56`` or ``1234.5`` (sign allowed) into cents."""
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    match = _SIGNED.fullmatch(cleaned)
    if not match:
        raise ValueError(f"montant illisible « {text} »")
    cents = int(match[2]) * 100 + int((match[3] or "0").ljust(2, "0"))
    return -cents if match[1] == "-" else cents


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
    match = re.fullmatch(r"(\d{1,2})(?:[.,](\d{1,2}))?", text.strip())
    if not match:
        raise AmountError(
            f"taux de commission invalide « {text} » : écrivez par exemple 2,0 (pour 2 %)"
        )
    bp = int(match[1]) * 100 + int((match[2] or "0").ljust(2, "0"))
    if bp > 5000:
        raise AmountError(f"taux de commission invalide « {text} » : au plus 50 %")
    return bp
