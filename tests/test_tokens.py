"""A token vendor is one file: its regex, keywords, examples and how the tests fake it, all in rules/tokens/."""

from __future__ import annotations

import random
import re

import pytest
import yaml

from tests.fakes import FAKES, token_specs
from yamlsecretlint.catalog import rules_dir

TOKEN_FILES = sorted((rules_dir() / "tokens").glob("*.yaml"))


@pytest.mark.parametrize("path", TOKEN_FILES, ids=[p.stem for p in TOKEN_FILES])
def test_every_fake_has_its_files_shape(path: object) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    regex = re.compile(data["regex"], re.IGNORECASE if data.get("ignore-case") else 0)
    assert data["fakes"], "a token file says how the tests fake it"
    for name in data["fakes"]:
        for seed in range(5):
            fake = FAKES[name](random.Random(seed))
            assert regex.search(fake), (name, "does not match the file's regex")
            assert any(k.lower() in fake.lower() for k in data["keywords"]), (name, "holds none of the keywords")


def test_every_fake_is_used_by_an_example() -> None:
    specs = token_specs()  # raises on a name defined twice
    examples = "\n".join(p.read_text(encoding="utf-8") for p in TOKEN_FILES)
    for name, (token, _) in specs.items():
        assert f"<fake:{name}>" in examples or name in ("jwt-io-sample", "supabase-anon-jwt"), (token, name)


def test_readme_vendor_recipe_is_a_valid_token_file() -> None:
    """The README's one-file recipe validates, and its fake has its own shape."""
    import json

    import jsonschema

    from tests.conftest import REPO
    from tests.fakes import from_spec

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(id: example-vendor-key\n.*?)```", readme, re.S)
    assert block is not None
    data = yaml.safe_load(block.group(1))
    schema = json.loads((REPO / "yamlsecretlint" / "schemas" / "token.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    fake = from_spec(data["fakes"]["example-vendor-key"])(random.Random(0))
    assert re.search(data["regex"], fake)
