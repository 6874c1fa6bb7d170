"""References inside values (references/inline.py): what they are, and the defaults that are plaintext."""

from __future__ import annotations

import pytest

from yamlsecretlint.references.inline import references


@pytest.mark.parametrize(
    ("value", "default"),
    [
        ("${DB_PASSWORD:-s3cr3tValue}", "s3cr3tValue"),
        ("${DB_PASSWORD=s3cr3tValue}", "s3cr3tValue"),
        ("${DB_PWD:s3cr3t}", "s3cr3t"),
        ("{{ env_var('X', 's3cr3t') }}", "s3cr3t"),
        ("{{ lookup('env', 'X') | default('s3cr3t') }}", "s3cr3t"),
        ('{{ .Values.password | default "s3cr3t" }}', "s3cr3t"),
    ],
)
def test_defaults_of_references(value: str, default: str) -> None:
    refs = references(value)
    assert refs.found
    assert [value[d.start : d.end] for d in refs.defaults] == [default]


@pytest.mark.parametrize("value", ["${VAR:?required}", "${secrets:pg_pass}", "${ssm:/a/b}", "${VAR}"])
def test_not_defaults(value: str) -> None:
    assert references(value).defaults == []


def test_spice_store_reference_is_never_a_default() -> None:
    assert references("${vault:pg_pass}", spice=True).defaults == []
    assert references("${DB_PWD:s3cr3t}", spice=True).defaults == []
