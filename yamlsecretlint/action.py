"""The GitHub Action's step: ``python -m yamlsecretlint.action``.

Reads the action's inputs from ``INPUT_*`` (action.yml passes them), runs the
linter once — annotations on standard output, SARIF to a file — then writes
the ``findings``, ``sarif-file`` and ``exit-code`` outputs to
``$GITHUB_OUTPUT`` and a short Markdown table of findings to
``$GITHUB_STEP_SUMMARY``. Fails the step on findings unless
``fail-on-findings`` is false; a usage error (2) or an online check that
could not run (3) always fails it.

On ``pull_request`` (``history: auto``, not ``online``) it lints the pull
request's commits, ``--since`` the base commit the event names, after fetching
as much history as that needs (``actions/checkout`` fetches one commit): a
secret added in one commit and deleted in a later one is in the repository for
good, and the summary says so.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from yamlsecretlint.cli import main as cli_main

SUMMARY_ROWS = 50


def _truthy(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


def arguments(env: Mapping[str, str]) -> list[str]:
    argv = ["--format", "github", "--sarif-output", env.get("INPUT_SARIF_FILE") or "yamlsecretlint.sarif"]
    argv += history_arguments(env)
    if _truthy(env.get("INPUT_ONLINE", "")):
        argv.append("--online")
        if env.get("INPUT_AWS_REGION"):
            argv += ["--region", env["INPUT_AWS_REGION"]]
        if env.get("INPUT_PRINCIPAL_ARN"):
            argv += ["--principal-arn", env["INPUT_PRINCIPAL_ARN"]]
    argv += shlex.split(env.get("INPUT_ARGS", ""))
    argv += shlex.split(env.get("INPUT_PATHS", "") or ".")
    return argv


def history_arguments(env: Mapping[str, str]) -> list[str]:
    """``--since BASE`` for a pull request, with the base and the pull request's commits fetched."""
    if env.get("INPUT_HISTORY", "auto").strip().lower() != "auto" or _truthy(env.get("INPUT_ONLINE", "")):
        return []
    if env.get("GITHUB_EVENT_NAME") not in ("pull_request", "pull_request_target"):
        return []
    try:
        with open(env.get("GITHUB_EVENT_PATH", ""), encoding="utf-8") as fh:
            pull = json.load(fh)["pull_request"]
        base, commits = str(pull["base"]["sha"]), int(pull.get("commits", 0))
    except (OSError, ValueError, KeyError, TypeError):
        return []  # no event to read: the working tree, as on a push
    _fetch(base, commits)
    return ["--since", base]


def _fetch(base: str, commits: int) -> None:
    """Deepen a shallow checkout by the pull request's commits, and fetch the base itself if still missing.

    Failures are left to the linter, which names what is missing (exit 2), never reports it clean.
    """
    import subprocess

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        # git from PATH, fixed arguments: the runner's checkout.
        return subprocess.run(["git", *args], capture_output=True, text=True, check=False)  # noqa: S603, S607

    if git("rev-parse", "--is-shallow-repository").stdout.strip() == "true":
        git("fetch", "--quiet", "--no-tags", f"--deepen={max(commits, 1) + 1}", "origin")
    if git("cat-file", "-e", f"{base}^{{commit}}").returncode != 0:
        git("fetch", "--quiet", "--no-tags", "origin", base)


def _results(sarif_file: Path) -> list[dict[str, Any]]:
    try:
        log = json.loads(sarif_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    results: list[dict[str, Any]] = log["runs"][0].get("results", [])
    return [r for r in results if not r.get("suppressions")]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def summary(results: Sequence[dict[str, Any]], exit_code: int) -> str:
    if exit_code == 3:
        head = "**yamlsecretlint**: the online check could not run for some secrets (see the log)."
    elif exit_code == 2:
        head = "**yamlsecretlint**: usage or configuration error (see the log)."
    else:
        head = f"**yamlsecretlint**: {len(results)} finding{'s' if len(results) != 1 else ''}."
    lines = [head, ""]
    if results:
        lines += ["| Rule | File | Line | Message |", "|---|---|---|---|"]
        for result in results[:SUMMARY_ROWS]:
            location = result["locations"][0]["physicalLocation"]
            path = location["artifactLocation"]["uri"]
            line = location["region"]["startLine"]
            lines.append(f"| {result['ruleId']} | `{_cell(path)}` | {line} | {_cell(result['message']['text'])} |")
        if len(results) > SUMMARY_ROWS:
            lines.append(f"\n… and {len(results) - SUMMARY_ROWS} more in the SARIF file.")
        if any(result.get("properties", {}).get("removed") for result in results):
            lines.append(
                "\nA secret deleted in a later commit is still in the repository's history (and in every "
                "clone and fork): deleting the line does not un-leak it. Rotate it, then rewrite history if "
                "you must."
            )
    return "\n".join(lines) + "\n"


def _append(variable: str, text: str, env: Mapping[str, str]) -> None:
    target = env.get(variable)
    if target:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(text)


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    env = os.environ if env is None else env
    args = list(argv) if argv is not None else arguments(env)
    sarif_file = Path(args[args.index("--sarif-output") + 1]) if "--sarif-output" in args else None
    if sarif_file is not None:
        sarif_file.parent.mkdir(parents=True, exist_ok=True)
    exit_code = cli_main(args)
    results = _results(sarif_file) if sarif_file else []
    _append(
        "GITHUB_OUTPUT",
        f"findings={len(results)}\nsarif-file={sarif_file or ''}\nexit-code={exit_code}\n",
        env,
    )
    _append("GITHUB_STEP_SUMMARY", summary(results, exit_code), env)
    if exit_code == 1 and not _truthy(env.get("INPUT_FAIL_ON_FINDINGS", "true")):
        return 0
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
