"""Pattern detectors defined as data in the rule catalogue.

Every rule with ``patterns:`` contributes its regexes here (YSL101, and each
provider file of YSL104 in ``rules/tokens/``). One combined keyword search
decides whether a scalar can match anything at all, so the common scalar
costs one regex scan whatever the number of patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from yamlsecretlint import lazyre
from yamlsecretlint.catalog import Pattern, Rule
from yamlsecretlint.check import Check, TriggeredCheck
from yamlsecretlint.checks.keys import is_secret_name
from yamlsecretlint.checks.validators import VALIDATORS
from yamlsecretlint.checks.values import is_dummy
from yamlsecretlint.model import Hit, Scalar
from yamlsecretlint.redact import preview
from yamlsecretlint.references import hint_for
from yamlsecretlint.sources.keypaths import last_key


class _Detector:
    __slots__ = ("allow", "keywords", "message", "pattern", "regex", "rule", "validate")

    def __init__(self, rule: Rule, pattern: Pattern) -> None:
        self.rule = rule.id
        self.pattern = pattern
        self.regex = lazyre.compile(pattern.regex, re.IGNORECASE if pattern.ignore_case else 0)
        # Matching keywords by case is eight times faster than re.IGNORECASE over the
        # whole alternation; an ignore-case pattern lists the spellings that occur.
        spellings = (str.lower, str.upper, str.capitalize) if pattern.ignore_case else ()
        self.keywords = tuple({k for k in pattern.keywords} | {f(k) for k in pattern.keywords for f in spellings})
        self.allow = lazyre.compile("|".join(f"(?:{a})" for a in rule.allow)) if rule.allow else None
        self.message = rule.message
        self.validate = VALIDATORS[pattern.validate] if pattern.validate else None


class PatternCheck(TriggeredCheck):
    def __init__(self, rules: list[Rule]) -> None:
        self._detectors = [_Detector(rule, pattern) for rule in rules for pattern in rule.patterns]
        # The engine calls this check only for a value that holds one of these (its prefilter).
        self.triggers = tuple(sorted({k for d in self._detectors for k in d.keywords}))
        # Hundreds of detectors share a few hundred keywords: the keywords a value holds pick its detectors.
        self._by_keyword: dict[str, list[int]] = {}
        for index, detector in enumerate(self._detectors):
            for keyword in detector.keywords:
                self._by_keyword.setdefault(keyword, []).append(index)

    def _scan(self, scalar: Scalar) -> Iterator[Hit]:
        value = scalar.value
        chosen = {i for keyword, indexes in self._by_keyword.items() if keyword in value for i in indexes}
        policy = self.context.policy
        for index in sorted(chosen):
            detector = self._detectors[index]
            if detector.pattern.secret_key and not is_secret_name(scalar.name or last_key(scalar.key), policy):
                continue
            for match in detector.regex.finditer(scalar.value):
                span = match.span("secret") if "secret" in detector.regex.groupindex else match.span()
                secret = scalar.value[span[0] : span[1]]
                if detector.allow is not None and detector.allow.search(secret):
                    continue
                if is_dummy(secret) or (detector.validate is not None and not detector.validate(match.group(), policy)):
                    continue
                message = detector.message.format(preview=preview(secret), what=detector.pattern.name)
                hint = hint_for(self.context.dialect, scalar)
                yield Hit(detector.rule, scalar, span[0], span[1], f"{message}; {hint}")


def make(rules: list[Rule]) -> list[Check]:
    with_patterns = [r for r in rules if r.patterns]
    return [PatternCheck(with_patterns)] if with_patterns else []
