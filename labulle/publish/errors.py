"""The one error of the publishing pipeline: a French message, shown without a traceback."""

from labulle.errors import LabulleError


class PublishError(LabulleError):
    """Publishing stopped; the live site was left as it was."""
