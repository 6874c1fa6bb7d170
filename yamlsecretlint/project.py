"""What only the whole set of linted files can tell, between the files' references and the findings stage.

An ExternalSecret's store (and the service account whose role it assumes) is
often declared in another file of the run: each file's lint says what it
declares (``kubernetes.declared``), and ``kubernetes.resolve`` fills the
references in. A store found in none of them is YSL210, once per store in
the run, at the first reference through it: a GitOps repository whose stores
come from a chart has one store behind dozens of ExternalSecrets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from yamlsecretlint import redact
from yamlsecretlint.catalog import Rule
from yamlsecretlint.engine import new_finding
from yamlsecretlint.model import Declared, Finding, LocatedReference
from yamlsecretlint.references import kubernetes


def settle(
    references: list[LocatedReference], declared: Iterable[Declared], rules: Mapping[str, Rule]
) -> tuple[list[LocatedReference], list[Finding]]:
    """The references with what other files say filled in, and the findings only the whole run can make."""
    resolved = kubernetes.resolve(references, declared)
    return resolved, list(_stores_not_found(resolved, rules))


def _stores_not_found(references: list[LocatedReference], rules: Mapping[str, Rule]) -> Iterable[Finding]:
    through: dict[str, list[LocatedReference]] = {}
    for found in references:
        if found.reference.provider == kubernetes.UNRESOLVED:
            through.setdefault(found.reference.store, []).append(found)
    for store, located in through.items():
        first = located[0]
        kind, _, name = store.partition("/")
        files = len({found.path for found in located})
        message = (
            f"the {kind} '{redact.name(name)}' that {len(located)} reference(s) in {files} file(s) read through "
            "is not among the linted files: which service, region and role it reads with is unknown, so they "
            "are listed but --online cannot check them; lint the store's manifest in the same run"
        )
        yield new_finding(rules["YSL210"], first.path, first.span, first.key, message, store)
