"""The one error of the publishing pipeline: a French message, shown without a traceback."""


class PublishError(Exception):
    """Publishing stopped; the live site was left as it was."""
