"""The ``yamlsecretlint`` command (console script and ``python -m``).

Kept apart from the CLI so that it can set up the interpreter before the CLI's
imports: a run allocates many long-lived objects (modules, compiled rules) and
few reference cycles, and the collector's default thresholds would sweep them
over and over before the first file is read (6-7 ms of a one-file hook run).
"""

import gc


def tune() -> None:
    gc.set_threshold(100_000, 50, 100)


def main() -> None:
    tune()
    from yamlsecretlint.cli import run

    run()
