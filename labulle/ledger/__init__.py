"""The ledger of the digital Bulle pilot (see shared/spec/ledger.md).

Stages: ``db``/``migrations`` (storage), ``statements`` (bank files -> lines),
``importer`` + ``matching`` (lines -> conversions), ``operations`` (payments,
reconversions, reversals), ``verify`` (invariants + hash chain), ``reports`` and
``beancount_export`` (outputs), ``signups`` (pending participants), ``cli``.
"""
