"""References written inside a value, as the plaintext checks see them.

:func:`references` finds the references inside a value — shell and compose
``${VAR}``, Spice's and Serverless's ``${store:key}``, Jinja and Go-template
tags, GitHub expressions and the other template syntaxes — and the literal
defaults some of them carry (``${DB_PASSWORD:-s3cr3t}``,
``{{ env_var('X', 's3cr3t') }}``, Helm ``default "s3cr3t"``), which *are*
plaintext. A value that is only references is not a credential.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from yamlsecretlint import lazyre
from yamlsecretlint.check import wordset
from yamlsecretlint.sources.template import paired

#: `${VAR:-x}`, `${VAR-x}` (shell and compose: x when VAR is unset), Spring's `${a.b-c:x}`. A `-` is
#: the shell's operator after an upper-case variable name only: Spring's names are kebab-case.
_SHELL = lazyre.compile(
    r"\$\{(?P<name>[A-Z_][A-Z0-9_]*(?=[-=])|[A-Za-z_][\w.-]*)(?:(?P<op>:?[-=]|:(?![-=?+]))(?P<default>[^{}]*))?[^{}]*\}"
)
_JINJA_OPEN = lazyre.compile(r"\{[{%]")
_JINJA_CLOSE = {"{{": "}}", "{%": "%}"}
_JINJA_DEFAULTS = lazyre.compile(
    r"""env_var\(\s*(?P<q1>['"])[^'"]*(?P=q1)\s*,\s*(?:default\s*=\s*)?(?P<q2>['"])(?P<d1>[^'"]*)(?P=q2)"""
    r"""|default\(\s*(?P<q3>['"])(?P<d2>[^'"]*)(?P=q3)"""
    r"""|\bdefault\s+"(?P<d3>[^"]*)\""""
)
#: Serverless's fallback, `${env:DB_PASSWORD, 's3cr3t'}` / `${ssm:/a, "x"}`: a literal the deploy uses.
_FALLBACK = lazyre.compile(r"""\$\{[^{},]*,\s*(?P<q>['"])(?P<d>[^'"{}]*)(?P=q)\s*\}""")
_OTHER_REFERENCE = lazyre.compile(
    r"""\$\{\{(?:(?!\}\}|\$\{\{).)*\}\}  # GitHub Actions expression (tempered: linear when unclosed)
    |(?<![A-Za-z0-9$])\$[A-Za-z_][A-Za-z0-9_]*  # $VAR, not the `$` inside `Sup3r$ecret` or `pa$$w0rd`
    |\$\([A-Za-z_][\w.-]*\)      # Kubernetes $(VAR)
    |\#\{[^}]+\}                 # #{var} (Octopus, Ruby)
    |\(\([\w./ -]+\)\)           # ((var)) Concourse
    |<%.*?%>                     # ERB
    |%\([\w.]+\)s                # %(name)s
    |%[a-z][\w.]*%              # %kernel.project_dir% (Symfony parameters)
    |@[A-Za-z_][\w.]*@           # @maven.filter@
    |__[A-Z][A-Z0-9_]*__         # __TOKEN__ replacement
    """,
    re.X,
)
#: ``${a:b}`` is Spice's or Serverless's store:key, not a Spring default, for these names.
_STORE_NAMES = wordset(
    """
    secrets env ssm self opt file cf s3 sls aws keyring kubernetes k8s vault param params sops
    """
)


class Default(NamedTuple):
    start: int
    end: int


class References(NamedTuple):
    found: bool
    defaults: list[Default]


def references(value: str, *, spice: bool = False) -> References:
    """The references in ``value`` and the literal defaults they carry."""
    found = False
    defaults: list[Default] = []
    if "${" in value:
        for match in _SHELL.finditer(value):
            found = True
            name, op = match.group("name"), match.group("op")
            if op is None or spice or (op == ":" and name.split(".")[0].lower() in _STORE_NAMES):
                continue
            if match.group("default"):
                defaults.append(Default(*match.span("default")))
        if "," in value and not spice:
            defaults.extend(Default(*m.span("d")) for m in _FALLBACK.finditer(value) if m.group("d"))
    if "{{" in value or "{%" in value:
        for begin, end in paired(value, _JINJA_OPEN, _JINJA_CLOSE):
            found = True
            for inner in _JINJA_DEFAULTS.finditer(value, begin, end):
                group = next(g for g in ("d1", "d2", "d3") if inner.group(g) is not None)
                if inner.group(group):
                    start = inner.start(group)
                    defaults.append(Default(start, start + len(inner.group(group))))
    if not found and ("$" in value or "#{" in value or "((" in value or "<%" in value or "%" in value or "@" in value):
        found = _OTHER_REFERENCE.search(value) is not None
    if not found and "__" in value:
        found = _OTHER_REFERENCE.search(value) is not None
    return References(found, defaults)
