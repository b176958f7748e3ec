"""Exceptions of the ledger. Their messages are French: the treasurer reads them."""

from labulle.errors import LabulleError


class LedgerError(LabulleError):
    """A refusal: the command changes nothing and prints this one French sentence."""


class AmountError(LedgerError):
    """An amount that is not ``12,50`` or ``12.50``."""


class StatementError(LedgerError):
    """A bank statement that cannot be read or does not add up (message starts with path:line)."""

    def __init__(self, path: str, line: int | None, reason: str):
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where} : {reason}")
        self.path, self.line, self.reason = path, line, reason


_OS_REASONS = {
    "ENOSPC": "le disque est plein",
    "EDQUOT": "le quota de disque est atteint",
    "EFBIG": "le fichier dépasse la taille permise",
    "EACCES": "permission refusée",
    "EPERM": "opération interdite (fichier immuable ou protégé)",
    "EROFS": "le disque est en lecture seule",
    "ENOENT": "fichier ou dossier introuvable",
    "EISDIR": "c'est un dossier",
    "ENOTDIR": "un élément du chemin n'est pas un dossier",
    "ENAMETOOLONG": "nom de fichier trop long",
    "EIO": "erreur d'entrée-sortie du disque",
}


def os_reason(error: OSError) -> str | None:
    """French for a file-system failure (disk full, read-only…); None when it is unexpected."""
    import errno

    return _OS_REASONS.get(errno.errorcode.get(error.errno or 0, ""))


def file_error(error: OSError, action: str) -> "LedgerError | None":
    """``LedgerError`` « impossible d'<action> <file> : <reason> », or None when unexpected."""
    reason = os_reason(error)
    if reason is None or not error.filename:
        return None
    return LedgerError(f"impossible {action} {error.filename} : {reason}")


def write_error(error: BaseException, target: object) -> BaseException:
    """What to raise when writing ``target`` failed: a French refusal for a file-system
    cause (disk full, read-only…), else ``error`` itself."""
    reason = os_reason(error) if isinstance(error, OSError) else None
    if reason is None:
        return error
    return LedgerError(f"impossible d'écrire {target} : {reason} ; rien n'a été écrit")
