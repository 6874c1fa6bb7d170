"""The engine's gate: the YAML walk builds scalars only for what the checks look at,
and YAML and dotenv scalars come with the triggers their written text holds.

That is a speed-up and must never be more: every input here is linted twice,
once gated and once with every check shown every scalar (``whole=True``),
and the two results must be the same finding for finding.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from tests.conftest import SHARED
from tests.fakes import expand
from tests.test_properties import FUZZ, YAMLISH
from yamlsecretlint import catalog
from yamlsecretlint.engine import Linter, Settings
from yamlsecretlint.model import FileRef, FileResult

GATED = Linter(Settings())
WHOLE = Linter(Settings(), whole=True)
ROOT = Path(__file__).resolve().parent.parent

#: Where a gate could plausibly lose something: a trigger spelled by an escape, a
#: trigger folded across lines, PEM bodies in comments, pairs, Secrets, templates.
TRICKY = {
    "escaped.yaml": 'key_id: "\\x41KIA<fake:aws-access-key-id>"\nother: "<fake:aws-secret-access-key>"\n',
    "escaped-token.yaml": 'token: "<fake:github-pat>"\n',
    "folded.yaml": "headers:\n  - name: Authorization\n    value: >\n      <fake:basic-auth>\n",
    "comment-pem.yaml": "a: 1\n# -----BEGIN RSA PRIVATE KEY-----\n# <fake:pem-body>\n# -----END RSA PRIVATE KEY-----\n",
    "comment-pair.yaml": "a: 1\n# db_pw: <fake:password>\n#   DB_PASSWORD=<fake:password>\n",
    "comment-aws.yaml": "a: 1\n# <fake:aws-secret-access-key>\n# <fake:aws-access-key-id>\n",
    "secret.yaml": "apiVersion: v1\nkind: Secret\ndata:\n  password: <fake:base64-password>\n"
    "stringData:\n  token: <fake:password>\n",
    "env.yaml": "env:\n  - name: DB_PASSWORD\n    value: <fake:password>\n  - name: HOST\n    value: db\n",
    "helm.yaml": 'password: {{ .Values.password | default "<fake:password>" }}\n'
    "token: <fake:github-pat>\n{{- if .Values.x }}\nkey: {{ .Values.key }}\n{{- end }}\n",
    "flow.yaml": "{a: [x, {password: <fake:password>}], ? [k, v] : <fake:github-pat>}\n",
    "anchors.yaml": "base: &b\n  api_key: <fake:password>\nother: *b\nlist: [&c x, *c]\n",
    "multi.yaml": "kind: Secret\nstringData:\n  pw: <fake:password>\n---\n"
    "kind: ConfigMap\ndata:\n  pw: <fake:password>\n",
    "script.yaml": "run: |\n  echo start\n  export API_TOKEN=<fake:password>\n  curl -u user:<fake:password> x\n",
    "dsn.yaml": "url: postgres://app:<fake:password>@db.example.com/app\nconn: Server=x;Password=<fake:password>;\n",
    "long.yaml": "value: <fake:aws-secret-access-key>\nid: <fake:aws-access-key-id>\n",
    "escaped.env": 'CREDS="{\\"password\\":\\"<fake:password>\\"}"\nAPI_TOKEN=<fake:github-pat>\n'
    "# token: <fake:github-pat>\nnot a binding <fake:github-pat>\nKEY_ID='AKIA<fake:aws-access-key-id>'\n",
    "broken.yaml": "a: [1, 2\npassword: <fake:password>\n# token: <fake:github-pat>\n",
    "cfn.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  DbPassword:\n    Type: String\n"
    "    Default: <fake:password>\nResources:\n  S:\n    Properties:\n      P: '{{resolve:secretsmanager:"
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:SecretString:pw}}'\n",
    "io_config.yaml": "default:\n  KEY: \"{{ aws_secret_var('k') }}\"\n  OTHER: aws_secret_var('x')\n",
    # `=`, `://` and `{{` want a value only when a check's test confirms it (Check.confirms): each way of being read.
    "weak-triggers.yaml": "environment:\n  - DB_PASSWORD=<fake:password>\n  - MODE=prod\n"
    "  - --api-token=<fake:password>\n"
    "cmd: A=1;DB_PASSWORD=<fake:password>\njdbc: jdbc:mysql://db/app?user=app&PassWord=<fake:password>\n"
    "conn: Server=db;Pwd=<fake:password>\nnode: '>=18'\nintegrity: sha512-AbC+dEf==\n"
    'env: [{name: DB_PASSWORD, value: "x=<fake:password>"}, {value: a=<fake:password>, name: API_TOKEN}]\n'
    "url: https://u:<fake:password>@db.example.com/x\nsite: https://example.com/?a=b\nhelm: '{{ .Values.pw }}'\n"
    "mage: \"{{ aws_secret_var('db') }}\"\ncfn: '{{resolve:secretmanager:db}}'\nsub: '{{resolve:ssm:${P}}}'\n",
    "spicepod.yaml": "kind: Spicepod\nsecrets:\n  - from: env\n    name: env\ndatasets:\n  - params:\n"
    "      pg_pass: ${ env:PG_PASS }\n      pg_user: ${ nope:X }\n",
}


#: Made after the fakes are in: a trigger spelled by an escape, one split by folding.
SPELLED = {
    "escaped-token.yaml": lambda text: text.replace("ghp_", "\\u0067hp_", 1),
    "folded.yaml": lambda text: text.replace("Basic ", "Basic\n      ", 1),
}


def _same(ref: FileRef, text: str) -> None:
    gated, whole = GATED.lint_text(ref, text), WHOLE.lint_text(ref, text)
    assert gated == whole, _diff(gated, whole)


def _diff(gated: FileResult, whole: FileResult) -> str:
    missing = [f"{f.rule} {f.span} {f.key}" for f in whole.findings if f not in gated.findings]
    extra = [f"{f.rule} {f.span} {f.key}" for f in gated.findings if f not in whole.findings]
    return f"gated walk lost {missing}, added {extra}"


def _ref(name: str) -> FileRef:
    kind = "dotenv" if name.endswith(".env") or name.startswith(".env") else "yaml"
    return FileRef(Path(name), name, kind)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_inputs(name: str) -> None:
    text = expand(TRICKY[name])
    text = SPELLED.get(name, str)(text)
    assert WHOLE.lint_text(_ref(name), text).findings, "a case that finds nothing tests nothing"
    _same(_ref(name), text)


def test_rule_examples() -> None:
    for rule in catalog.load().values():
        for kind in ("must", "must-not"):
            for index, example in enumerate(rule.examples.get(kind, [])):
                _same(_ref(example["file"]), expand(example["text"], seed=index))


def test_bundled_examples() -> None:
    files = [p for p in sorted((ROOT / "examples").rglob("*")) if p.is_file()]
    assert files
    for path in files:
        _same(_ref(path.name), path.read_text(encoding="utf-8"))


@FUZZ
@given(YAMLISH)
def test_random_text(text: str) -> None:
    for name in ("x.yaml", "io_config.yaml", "spicepod.yaml", ".env"):
        _same(_ref(name), text)


@pytest.mark.parametrize("where", ["real", "wild"])
def test_corpora(where: str) -> None:
    corpus = SHARED / "corpus" / where
    if not corpus.is_dir():
        pytest.skip(f"corpus not present at {corpus} (a user's clone)")
    files = [p for p in sorted(corpus.rglob("*")) if p.is_file() and p.name not in ("MANIFEST.tsv", "SOURCES.md")]
    assert len(files) > 100
    for path in files:
        name = str(path.relative_to(corpus))
        ref = FileRef(path, name, "yaml" if path.suffix in (".yml", ".yaml") else "dotenv")
        _same(ref, path.read_text(encoding="utf-8", errors="replace"))


def test_a_trigger_is_weak_only_where_every_check_that_names_it_confirms_it() -> None:
    """A bit that any check names without a test (or that a needle holding it shares) stays strong."""
    from types import MappingProxyType

    from yamlsecretlint.check import Check
    from yamlsecretlint.engine import _interest
    from yamlsecretlint.policy import DEFAULT

    class Confirming(Check):
        hints = ("=",)
        confirms = MappingProxyType({"=": lambda value, policy: "pw" in value})

    class Plain(Check):
        triggers = ("a=b",)

    alone = _interest([Confirming()], DEFAULT)
    assert alone.marker is not None
    assert alone.weak == alone.marker.bits(["="])
    assert alone.confirm is not None
    assert alone.confirm("pw=1", alone.weak)
    assert not alone.confirm("v=1", alone.weak)
    assert not alone.confirm("pw=1", 0)
    shared = _interest([Confirming(), Plain()], DEFAULT)
    assert shared.weak == 0
    assert shared.confirm is None
