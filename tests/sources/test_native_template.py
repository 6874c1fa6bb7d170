"""Template masking in C (sources/_template.c) against its Python reference.

``template.mask`` must give what ``template.mask_python`` gives — the masked
text, the tags and the filler's stretches — for the tricky inputs, the
corpora, hand-picked edges (openers that are not tags, unclosed kinds,
continuation lines, tags alone on their lines or opening a block, block
scalars above them, every line break) and generated text of every string
width. Where the extension is not built these tests skip and say so.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fakes import expand
from tests.helpers import texts_of
from tests.test_engine import SPELLED, TRICKY
from tests.test_properties import FUZZ, YAMLISH
from yamlsecretlint.sources import compiled, template

pytestmark = pytest.mark.skipif(compiled.TEMPLATE is None, reason="the C masking is not built here (no C compiler?)")

WIDTHS = ("", "é", "€", "\U0001f600")


def _same(text: str) -> None:
    for wide in WIDTHS:
        for variant in (text, f"{wide}{text}", text.replace(" ", f" {wide}"), text.replace("\n", "\r\n")):
            assert template.mask(variant) == template.mask_python(variant), variant


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_inputs(name: str) -> None:
    _same(SPELLED.get(name, str)(expand(TRICKY[name])))


EDGES = [
    "",
    "{",
    "{{",
    "x: {{}}",
    "a: {{:x}} {{ :resolve:ssm:p}} {{resolve:ssm:p}} {{\t resolve:x}} {{ resolv }}",
    "a: {{ x }\nb: {% y %\nc: {# z #\nd: {{ w }}",
    "a: {{ x }}}} {%%} {##}",
    "{{ a }}{{ b }}{% c %}{# d #}",
    "a:\n  {{- if .x }}\n  b: 1\n  {{- end }}\n",
    "a: |\n  {{ x }}\n  y\n",
    "a: >-\n\n   \n  {% if x %}\n  y\n",
    "a: |2 # note\n  {{ x }}\n",
    "a:| \n{{ x }}\n",
    'labels: {{- include "x" . | nindent 4 }}\n    app: y\n',
    "- labels: {{ x }}\n  - app: y\n",
    "- labels: {{ x }}\n- app: y\n",
    "# labels: {{ x }}\n    app: y\n",
    "labels: {{ x }}\n\n   \n",
    "labels: {{ x }}",
    "key: {{ a\n     b\n\t c }} tail\n",
    "key: {{ a\r\n   b\r   c }}\n",
    "{{ a\n\n}}",
    "x\r{{ y }}\r",
    "\ue000{{ x }}\ue001: {{ y }}\n  z: 1",
    "a: {{ \U0001f600 }}\n  b: é",
]


@pytest.mark.parametrize("text", EDGES)
def test_edges(text: str) -> None:
    _same(text)


def test_what_it_masks() -> None:
    """Not only equal to the reference: tags filled, a standalone tag blanked, a block header's tag commented."""
    masked = template.mask("a: {{ x }}\n{{- if y }}\nb: |\n  {% z %}\n  c\n")
    assert masked.text == "a: " + "\ue000" * 7 + "\n" + " " * 11 + "\nb: |\n  #" + " " * 6 + "\n  c\n"
    assert [t.text for t in masked.templates] == ["{{ x }}", "{{- if y }}", "{% z %}"]
    # The blanked `{{- if y }}` has no stretch of filler left; the commented one keeps its `#`.
    assert masked.segments == [(3, 10, 0), (30, 37, 2)]


@FUZZ
@given(YAMLISH)
def test_random_yaml(text: str) -> None:
    _same(text)


@FUZZ
@given(
    st.lists(
        st.sampled_from(
            [*"{}%#:-| >+0a\t\n\r\ue000\ue001é€\U0001f600\x1c\xa0", "resolve:", "{{", "}}", "{%", "%}", "key: ", "- "]
        ),
        max_size=40,
    ).map("".join)
)
def test_random_pieces(text: str) -> None:
    _same(text)


@pytest.mark.parametrize("where", ["repository", "real", "wild"])
def test_files(where: str) -> None:
    for path, text in texts_of(where, "tests"):
        assert template.mask(text) == template.mask_python(text), path
