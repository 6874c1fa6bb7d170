"""What every check is: begin a file, look at each scalar, finish the file."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple

from yamlsecretlint.model import FileKind, Hit, RefHit, Scalar
from yamlsecretlint.policy import DEFAULT, Policy


def wordset(text: str) -> frozenset[str]:
    """A set of words written as one string: long vocabularies stay readable."""
    return frozenset(text.split())


class Context(NamedTuple):
    path: str
    kind: FileKind
    #: mage, spice, compose, kubernetes, cloudformation, github, dotenv or yaml.
    dialect: str
    #: The whole text, for a check that can tell from it that it has nothing to do.
    text: str = ""
    #: The configuration's secret-keys and allowed-values.
    policy: Policy = DEFAULT


class Check:
    """A check sees every scalar of a file in order; file-level checks keep state.

    ``triggers``: substrings one of which a value must hold for the check to be
    called at all (None: every scalar). The engine tests them, so the common
    short value costs no call.

    A check with no triggers still sees only what it declares it looks at
    (the YAML walker builds no scalar for the rest): ``hints`` (substrings,
    None: every scalar), ``words`` (ASCII, any case, in a value with a blank), ``lengths`` (values
    and comments of exactly such a length), ``names`` (values filed under
    such names, commented-out lines with such keys), ``root_keys`` (everything
    under these top-level keys), and everything in a file for which
    ``sees_everything`` is true. Templates and raw lines always reach it. Its
    own gate in ``scalar()`` still decides.

    ``confirms`` makes a trigger or hint that many values hold (``=``) want a
    value only when a test of the value says the check's gate could read it:
    a YAML value, key or comment whose written text holds no other trigger is
    built only if one such test holds (a comment may still be wanted for its
    length or its commented-out key). Each test must hold for every value the check's
    own gate would not turn away (a superset is safe, a subset loses findings).

    Reference checks also put what they recognise in ``found``: the engine
    collects it after ``finish()``.
    """

    found: list[RefHit]
    triggers: tuple[str, ...] | None = None
    hints: tuple[str, ...] | None = None
    words: tuple[str, ...] = ()
    lengths: frozenset[int] = frozenset()
    #: (name, policy) -> whether values filed under that name are wanted.
    names: Callable[[str, Policy], bool] | None = None
    root_keys: frozenset[str] = frozenset()
    #: trigger or hint -> (value, policy) -> whether the check could read a value that holds it.
    confirms: Mapping[str, Callable[[str, Policy], bool]] = MappingProxyType({})
    #: The scalar roles the check looks at (None: every role): the engine calls it for no other,
    #: so a check that ignores keys costs no call on the half of a file's scalars that are keys.
    roles: frozenset[str] | None = None

    def applies(self, context: Context) -> bool:
        """False when nothing in this file can concern the check: it is then not shown its scalars."""
        return True

    def sees_everything(self, context: Context) -> bool:
        """True when this check must see every scalar of the file ``context`` names."""
        return self.triggers is None and self.hints is None

    def begin(self, context: Context) -> None:
        """Called before a file's first scalar; checks with file state reset it here."""
        self.context = context
        self.found = []

    def scalar(self, scalar: Scalar) -> Iterable[Hit]:
        """Hits on this scalar; a plain function returning () when there are none is fastest."""
        return ()

    def finish(self) -> Iterable[Hit]:
        return ()


class TriggeredCheck(Check):
    """A check whose ``triggers`` are its whole gate: the engine has already tested them."""

    def scalar(self, scalar: Scalar) -> Sequence[Hit]:
        return list(self._scan(scalar))

    def _scan(self, scalar: Scalar) -> Iterator[Hit]:
        raise NotImplementedError
