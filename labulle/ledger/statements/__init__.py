"""Bank statement readers: bytes -> ``Statement`` objects, format detected from the content."""

from labulle.ledger.statements.detect import read_statements
from labulle.ledger.statements.model import BankLine, Statement

__all__ = ["BankLine", "Statement", "read_statements"]
