"""Errors that end a run with exit status 2 and a one-line message.

Kept apart from the modules that raise them so that the command line can
catch them without importing those modules (and PyYAML) on every start.
"""


class UsageError(Exception):
    """A bad option or argument."""


class ConfigError(UsageError):
    """A configuration problem; the message names the file and the key."""


class PathError(UsageError):
    """A path named on the command line cannot be used."""


class CatalogError(UsageError):
    """The rule catalogue is missing or broken (a packaging problem)."""
