"""The one root of the project's refusals: a French message for the webmaster and an exit code.

Every error the site side raises on purpose (bad data, a letter that cannot be written, a
publication stopped…) derives from `LabulleError`, and so does the ledger's `LedgerError`. The
command guard (labulle.commands.guard) prints such an error's message alone and exits with its
`exit_code`; any other exception is a bug: one French sentence, the traceback in the error log,
exit 3.
"""

from __future__ import annotations


class LabulleError(Exception):
    """A refusal: `str(error)` is the French message, `exit_code` the command's exit status."""

    exit_code: int = 1

    def __init__(self, *args: object, exit_code: int | None = None):
        super().__init__(*args)
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(LabulleError):
    """A command called with a missing, unknown or malformed option (exit status 2)."""

    exit_code = 2
