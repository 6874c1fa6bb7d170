"""Positions and key paths from the YAML source, construct by construct."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes import aws_access_key_id
from tests.helpers import lint_text, positions, scalars

K = aws_access_key_id()
END = len(K)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        pytest.param(f"a:\n  b: {K}\n", 2, 6, id="plain"),
        pytest.param(f"steps:\n  - run: |\n      echo one\n      export K={K}\n", 4, 16, id="literal-block"),
        pytest.param(f"note: >-\n  first line\n  key {K} here\n", 3, 7, id="folded-block"),
        pytest.param(f"creds: {{id: {K}, region: x}}\n", 1, 13, id="flow-mapping"),
        pytest.param(f'keys: [a, "{K}"]\n', 1, 12, id="flow-sequence"),
        pytest.param(f"a: 1\n---\nb: {K}\n", 3, 4, id="second-document"),
        pytest.param(f'"my key": {K}\n', 1, 11, id="quoted-key"),
        pytest.param(f"'{K}': x\n", 1, 2, id="key-itself"),
        pytest.param(f"a: 1\r\nb: {K}\r\n", 2, 4, id="crlf"),
        pytest.param(f'k: "a\\tb {K}"\n', 1, 10, id="escape-before"),
        pytest.param(f"k: first\n  {K} second\n", 2, 3, id="multi-line-plain"),
        pytest.param(f'k: "é—é {K}"\n', 1, 9, id="non-ascii-before"),
        pytest.param(f"{{% if prod %}}\nkey: {K}\n{{% endif %}}\n", 2, 6, id="jinja-tag-lines"),
        pytest.param(f"a: {{{{ env_var('X') }}}}-{K}\n", 1, 23, id="jinja-inline"),
        pytest.param(f"a: \"{{{{ env_var('A', '{K}') }}}}\"\n", 1, 22, id="inside-jinja-default"),
        pytest.param(f"a: 1\n# {{{{ env_var('A', '{K}') }}}}\n", 2, 20, id="jinja-in-comment"),
    ],
)
def test_position_of_match(tmp_path: Path, text: str, line: int, column: int) -> None:
    findings = lint_text(tmp_path, "f.yaml", text)
    assert positions(findings) == [(line, column, line, column + END)]


def test_bom_is_not_a_column(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, "f.yaml", b"\xef\xbb\xbfk: " + K.encode() + b"\n")
    assert positions(findings) == [(1, 4, 1, 4 + END)]


def test_anchor_reported_once_where_written(tmp_path: Path) -> None:
    text = f"base: &creds\n  key: {K}\nprod:\n  <<: *creds\nother: *creds\nlist: [*creds, *creds]\n"
    findings = lint_text(tmp_path, "f.yaml", text)
    assert positions(findings) == [(2, 8, 2, 8 + END)]
    assert [f.key for f in findings] == ["base.key"]


def test_same_value_twice_is_two_findings(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, "f.yaml", f"a: '{K}'\nb: \"{K}\"\n")
    assert positions(findings) == [(1, 5, 1, 5 + END), (2, 5, 2, 5 + END)]


def test_second_occurrence_in_one_scalar(tmp_path: Path) -> None:
    other = aws_access_key_id()
    findings = lint_text(tmp_path, "f.yaml", f'k: "{other} \\u0041 {K}"\n')
    assert positions(findings) == [(1, 5, 1, 5 + END), (1, 33, 1, 33 + END)]


def test_key_paths() -> None:
    text = "a:\n  b: [x, {c: y}]\n  'd.e': z\n  f g: w\nlist:\n  - name: n\n    value: v\n"
    got = {(s.key, s.value) for s in scalars(text) if s.role == "value"}
    assert got == {
        ("a.b[0]", "x"),
        ("a.b[1].c", "y"),
        ('a["d.e"]', "z"),
        ('a["f g"]', "w"),
        ("list[0].name", "n"),
        ("list[0].value", "v"),
    }


def test_keys_are_scalars_with_their_own_path() -> None:
    keys = [(s.key, s.value) for s in scalars("a:\n  b: 1\n") if s.role == "key"]
    assert keys == [("a", "a"), ("a.b", "b")]


def test_documents_are_numbered() -> None:
    docs = [(s.value, s.doc) for s in scalars("a: x\n---\nb: y\n---\n...\n") if s.role == "value"]
    assert docs == [("x", 0), ("y", 1), ("", 2)]


def test_unquoted_mage_expression_keeps_its_text() -> None:
    text = "default:\n  KEY: {{ aws_secret_var('API_KEY') }}\n  # {{ env_var('C') }}\n"
    got = [(s.key, s.value, s.role) for s in scalars(text) if s.role != "key"]
    assert got == [
        ("default.KEY", "{{ aws_secret_var('API_KEY') }}", "value"),
        ("", "{{ env_var('C') }}", "comment"),
    ]


def test_comments_outside_scalars_only() -> None:
    text = "a: 1 # one\n# two: x\nb: 'not # a comment'\nc: |\n  # block content\n  x\nd: [1, # three\n  2]\n"
    assert [s.value for s in scalars(text) if s.role == "comment"] == ["one", "two: x", "three"]


def test_tags_and_filed_names() -> None:
    text = "p: !Ref DbPassword\nb: !!binary aGk=\nenv:\n  - name: DB_PASSWORD\n    value: v\nq: !!str plain\n"
    got = {(s.key, s.tag, s.name) for s in scalars(text) if s.role == "value"}
    assert got == {
        ("p", "!Ref", "p"),
        ("b", "!!binary", "b"),
        ("env[0].name", "", "name"),
        ("env[0].value", "", "DB_PASSWORD"),
        ("q", "", "q"),
    }


def test_adjacent_tags_are_restored_separately() -> None:
    [value] = [s.value for s in scalars("k: {{ a }}{{ b }}-{% if x %}y{% endif %}\n") if s.role == "value"]
    assert value == "{{ a }}{{ b }}-{% if x %}y{% endif %}"


def test_multi_line_tag_keeps_lines() -> None:
    text = "a: {{ json_value(\n     aws_secret_var('db'), 'password') }}\nb: 2\n"
    got = {s.key: s.value for s in scalars(text) if s.role == "value"}
    assert got["a"] == "{{ json_value( aws_secret_var('db'), 'password') }}"
    assert got["b"] == "2"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param("a: 1\nb: [1, 2\nc: 3\n", 3, id="unclosed-flow"),
        pytest.param("a:\n\tb: 1\n", 2, id="tab-indent"),
        pytest.param("a: 'open\n", 2, id="unterminated-quote"),
        pytest.param("a: 1\n b: 2\n", 2, id="bad-indent"),
        pytest.param("a: *nope\n", 1, id="undefined-alias"),
        pytest.param("a: \x01\n", 1, id="control-character"),
    ],
)
def test_syntax_error_position(tmp_path: Path, text: str, line: int) -> None:
    findings = lint_text(tmp_path, "f.yaml", text)
    [error] = [f for f in findings if f.rule == "YSL901"]
    assert error.span.line == line
    assert error.message.startswith("YAML")


def test_broken_file_is_scanned_line_by_line(tmp_path: Path) -> None:
    text = f"first: ok\n---\nsecond:\n  aws: {K}\n  bad: [\n"
    findings = lint_text(tmp_path, "f.yaml", text)
    assert [f.rule for f in findings] == ["YSL101", "YSL901"]
    assert positions(findings) == [(4, 8, 4, 8 + END)]
    assert findings[0].key == "second.aws"  # the parsed part of the broken document keeps its key path


def test_deep_nesting_is_an_error_not_a_crash(tmp_path: Path) -> None:
    # libyaml's composer recurses in C; this depth crashed the interpreter before the guard.
    findings = lint_text(tmp_path, "f.yaml", "[" * 100_000 + "]" * 100_000)
    assert [f.rule for f in findings] == ["YSL901"]


def test_alias_bomb_is_linear(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    lines.append(f"secret: {K}")
    findings = lint_text(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    assert positions(findings) == [(11, 9, 11, 9 + END)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            'metadata:\n  labels: {{- include "labels" . | nindent 4 }}\n    app: x\n  name: y\n',
            id="helm-nindent-block",
        ),
        pytest.param("Options:{{range $k, $v := .Opts}}\n  {{$k}}: {{$v}}{{end}}\nnext: 1\n", id="go-range-block"),
        pytest.param("env:{{range .Vars}}\n- name: {{.}}{{end}}\n", id="go-range-sequence"),
        pytest.param(
            "cmd:\n  - |\n    {{- if .Values.x }}\n    chown {{ .Values.user }} /data\n    {{- end }}\n",
            id="tag-leads-block-scalar",
        ),
    ],
)
def test_go_templates_parse(text: str) -> None:
    from yamlsecretlint.sources.yaml import YamlSource

    source = YamlSource(text)
    list(source.scalars())
    assert source.errors == []


def test_mage_value_is_kept_when_followed_by_a_sibling() -> None:
    text = "default:\n  API_KEY: {{ aws_secret_var('k') }}\n  HOST: {{ env_var('H') }}\n"
    got = {s.key: s.value for s in scalars(text) if s.role == "value"}
    assert got == {"default.API_KEY": "{{ aws_secret_var('k') }}", "default.HOST": "{{ env_var('H') }}"}


def test_a_document_masking_breaks_is_read_as_written_and_the_others_stay_masked() -> None:
    """Only the document being parsed is held back: the raw fallback takes over from the one that fails."""
    from yamlsecretlint.sources.yaml import YamlSource

    text = "name: {{ env_var('A') }}\n---\n- {{ a\n- }}\n"
    source = YamlSource(text)
    found = [(s.key, s.value, s.doc) for s in source.scalars() if s.role == "value"]
    assert source.errors == []
    assert source.masked is None  # the text as written won from the second document on
    assert found[0] == ("name", "{{ env_var('A') }}", 0)  # masked: unquoted, the tag is still one value
    assert [doc for _, _, doc in found] == [0] + [1] * (len(found) - 1)
    assert len([f for f in found if f[2] == 0]) == 1  # the first document is not read twice


@pytest.mark.parametrize("walker", ["python", "native"])
def test_weak_marks_want_a_value_only_when_confirmed(walker: str) -> None:
    """`=`, `://`, `${` and `{{` are in most version ranges, hashes, URLs and templates: a value whose
    only triggers they are (or such a comment) is built only when a check's test (Check.confirms)
    says the check could read it; a value it confirms keeps its marks."""
    from yamlsecretlint.engine import Linter, Settings
    from yamlsecretlint.sources import native
    from yamlsecretlint.sources.yaml import YamlSource

    if walker == "native" and native.WALKER is None:
        pytest.skip("the C walker is not built here")
    gate = Linter(Settings()).interest
    assert gate.weak
    assert gate.confirm is not None
    text = "node: '>=18'\nflags: [--level=3, DB_PASSWORD=x, A=1;TOKEN=y]\nconn: Server=db;Pwd=z\nurl: a://b?c=d\n"
    text += "dsn: a://u:p@b\nhelm: '{{ .Values.x }}'\nmage: \"{{ env_var('X') }}\"\ncfn: '{{resolve:ssm:p}}'\n"
    saved = native.WALKER
    native.WALKER = native.WALKER if walker == "native" else None
    try:
        text += "# see https://example.com/?a=b\n# postgres://u:p@h/db\n# DB_PASSWORD=x\n# {{ .Values.x }}\n"
        every = list(YamlSource(text).scalars(gate))
        built = {s.value: s.marks for s in every if s.role == "value"}
        comments = {s.value for s in every if s.role == "comment"}
    finally:
        native.WALKER = saved
    assert not {">=18", "--level=3", "a://b?c=d", "{{ .Values.x }}"} & set(built)
    assert {"DB_PASSWORD=x", "A=1;TOKEN=y", "Server=db;Pwd=z", "a://u:p@b", "{{ env_var('X') }}"} <= set(built)
    assert "{{resolve:ssm:p}}" in built
    assert comments == {"postgres://u:p@h/db", "DB_PASSWORD=x"}
    assert all(marks & gate.weak for marks in built.values())
