"""Exceptions of the ledger. Their messages are French: the treasurer reads them."""


class LedgerError(Exception):
    """A refusal: the command changes nothing and prints this one French sentence."""


class AmountError(LedgerError):
    """An amount that is not ``12,50`` or ``12.50``."""


class StatementError(LedgerError):
    """A bank statement that cannot be read or does not add up (message starts with path:line)."""

    def __init__(self, path: str, line: int | None, reason: str):
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where} : {reason}")
        self.path, self.line, self.reason = path, line, reason
