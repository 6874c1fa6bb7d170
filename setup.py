"""The optional C extensions; everything else about the package is in pyproject.toml.

The walker is built where libyaml's headers (``yaml.h``) and a C compiler are
found, as PyYAML builds its own extension, the trigger scan and the template
masking wherever a C compiler is; elsewhere the install goes on without them and the sources use
their Python references (same results, slower).
"""

from __future__ import annotations

import sys

from setuptools import Extension, find_packages, setup
from setuptools.command.build_ext import build_ext


class OptionalBuildExt(build_ext):
    """A failed compile is said once and skipped, never fatal."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # any build failure leaves the pure-Python walker
            self._skip(exc)

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:
            self._skip(exc)

    @staticmethod
    def _skip(exc: Exception) -> None:
        print(f"yamlsecretlint: a C extension not built ({exc}); its Python reference is used", file=sys.stderr)


setup(
    # The rule catalogue (rules/, mapped in pyproject.toml) is a package of data in the wheel.
    packages=[*find_packages(include=["yamlsecretlint", "yamlsecretlint.*"]), "yamlsecretlint.rules"],
    ext_modules=[
        Extension(
            "yamlsecretlint.sources._walker",
            ["yamlsecretlint/sources/_walker.c"],
            libraries=["yaml"],
            optional=True,
        ),
        Extension("yamlsecretlint.sources._marks", ["yamlsecretlint/sources/_marks.c"], optional=True),
        Extension("yamlsecretlint.sources._template", ["yamlsecretlint/sources/_template.c"], optional=True),
    ],
    cmdclass={"build_ext": OptionalBuildExt},
)
