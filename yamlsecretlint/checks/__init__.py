"""Checks: what turns scalars into hits (the plaintext rules; the dialects' are in references/).

Each check module has ``make(rules) -> list[Check]`` (empty when its rules
are not selected); yamlsecretlint/registry.py lists them all.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping

from yamlsecretlint.check import Check, Context
from yamlsecretlint.model import Hit

__all__ = ["Check", "Context", "resolve_overlaps"]


def resolve_overlaps(hits: list[Hit], generality: Mapping[str, int]) -> list[Hit]:
    """Hits that no more specific hit of the same category overlaps, in their order.

    When hits of several rules of one category cover the same text, the most specific
    one is kept (``generality``, from the rule files: a GitHub token under
    ``github_token:`` is YSL104, not also YSL106). Categories never beat each other:
    a syntax finding on a value never hides the plaintext finding on it.

    Linear in the number of hits but for a sort: hits are grouped by scalar and
    category, and each group is swept rank by rank against the union of the
    spans of the better-ranked ones.
    """
    if len(hits) < 2:
        return hits
    groups: dict[tuple[int, str, bool], list[int]] = {}
    for index, hit in enumerate(hits):
        groups.setdefault((hit.scalar.start, hit.scalar.role, hit.rule.startswith("YSL1")), []).append(index)
    beaten: set[int] = set()
    for members in groups.values():
        if len(members) > 1:
            beaten.update(_beaten(hits, members, generality))
    return [hit for index, hit in enumerate(hits) if index not in beaten]


def _beaten(hits: list[Hit], members: list[int], generality: Mapping[str, int]) -> list[int]:
    by_rank: dict[tuple[int, str], list[int]] = {}
    for index in members:
        hit = hits[index]
        by_rank.setdefault((generality.get(hit.rule, 0), hit.rule), []).append(index)
    if len(by_rank) < 2:
        return []
    # Disjoint, sorted spans covered by the hits of better ranks so far.
    starts: list[int] = []
    ends: list[int] = []
    out = []
    for rank in sorted(by_rank):
        ranked = by_rank[rank]
        for index in ranked:
            hit = hits[index]
            at = bisect_right(starts, hit.end - 1) - 1
            if at >= 0 and ends[at] > hit.start:
                out.append(index)
        starts, ends = _union(starts, ends, [(hits[i].start, hits[i].end) for i in ranked])
    return out


def _union(starts: list[int], ends: list[int], spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    merged: list[list[int]] = []
    for start, end in sorted([*zip(starts, ends, strict=True), *spans]):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [m[0] for m in merged], [m[1] for m in merged]
