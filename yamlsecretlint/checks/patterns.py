"""Pattern detectors defined as data in the rule catalogue.

Every rule with ``patterns:`` contributes its regexes here. One combined
keyword search decides whether a scalar can match anything at all, so the
common scalar costs one regex scan whatever the number of rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from yamlsecretlint.catalog import Rule
from yamlsecretlint.model import Hit, Scalar
from yamlsecretlint.redact import preview


class _Detector:
    __slots__ = ("allow", "keywords", "message", "regex", "rule")

    def __init__(self, rule: Rule, regex: re.Pattern[str], keywords: tuple[str, ...]) -> None:
        self.rule = rule.id
        self.regex = regex
        self.keywords = keywords
        self.allow = re.compile("|".join(f"(?:{a})" for a in rule.allow)) if rule.allow else None
        self.message = rule.message


class PatternCheck:
    def __init__(self, rules: list[Rule]) -> None:
        self._detectors: list[_Detector] = []
        keywords: set[str] = set()
        for rule in rules:
            for pattern in rule.patterns:
                flags = re.IGNORECASE if pattern.ignore_case else 0
                lowered = tuple(k.lower() for k in pattern.keywords)
                self._detectors.append(_Detector(rule, re.compile(pattern.regex, flags), lowered))
                keywords.update(lowered)
        alternatives = "|".join(re.escape(k) for k in sorted(keywords, key=len, reverse=True))
        self._prefilter = re.compile(alternatives, re.IGNORECASE) if keywords else None

    def __call__(self, scalar: Scalar) -> Iterator[Hit]:
        if self._prefilter is None or self._prefilter.search(scalar.value) is None:
            return
        lowered = scalar.value.lower()
        for detector in self._detectors:
            if not any(k in lowered for k in detector.keywords):
                continue
            for match in detector.regex.finditer(scalar.value):
                span = match.span("secret") if "secret" in detector.regex.groupindex else match.span()
                secret = scalar.value[span[0] : span[1]]
                if detector.allow is not None and detector.allow.search(secret):
                    continue
                yield Hit(detector.rule, scalar, span[0], span[1], detector.message.format(preview=preview(secret)))


def make(rules: list[Rule]) -> PatternCheck:
    return PatternCheck([r for r in rules if r.patterns])
