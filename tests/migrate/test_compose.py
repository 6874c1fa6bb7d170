"""migrate for compose: ${VAR} in the file, the value in a .env git ignores — no AWS involved."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from tests.conftest import run_subprocess, write
from tests.fakes import expand_with_values
from tests.history.conftest import GIT_ENV, Repo

COMPOSE = (
    "services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: <fake:password>\n"
    '      POSTGRES_USER: app\n  api:\n    image: api\n    environment:\n      - "API_TOKEN=<fake:token>"\n'
)


def test_compose_round_trip(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    text, values = expand_with_values(COMPOSE, seed=21)
    write(repo.root, "docker-compose.yml", text)
    write(repo.root, ".env.example", "LOG_LEVEL=\n")
    plan = run_subprocess("migrate", cwd=repo.root, env=GIT_ENV)
    assert plan.code == 1, plan.err
    assert "+      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}" in plan.out
    assert "Values to move to .env (git-ignored):" in plan.out
    run = run_subprocess("migrate", "--apply", cwd=repo.root, env=GIT_ENV)  # no AWS credentials needed
    assert run.code == 0, run.err
    assert "moved 2 value(s) to .env files git ignores" in run.err
    compose = (repo.root / "docker-compose.yml").read_text()
    assert "POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}" in compose
    assert "- API_TOKEN=${API_TOKEN}" in compose
    env = repo.root / ".env"
    assert env.read_text() == f"POSTGRES_PASSWORD='{values[0]}'\nAPI_TOKEN='{values[1]}'\n"
    assert stat.S_IMODE(os.stat(env).st_mode) == 0o600
    assert (repo.root / ".env.example").read_text() == "LOG_LEVEL=\nPOSTGRES_PASSWORD=\nAPI_TOKEN=\n"
    assert (repo.root / ".gitignore").read_text() == ".env\n"
    assert repo.git("check-ignore", ".env") == ".env"
    relint = run_subprocess("--format", "json", ".", cwd=repo.root, env=GIT_ENV)  # .env is ignored now
    assert json.loads(relint.out)["findings"] == [], relint.out
    for value in values:
        assert value not in plan.out + plan.err + run.out + run.err + relint.out
    # A re-run has nothing left to move; a .env that sets a variable otherwise is never overwritten.
    assert run_subprocess("migrate", "--apply", cwd=repo.root, env=GIT_ENV).code == 0
    write(repo.root, "docker-compose.yml", text)
    env.write_text("POSTGRES_PASSWORD='other'\n")
    refused = run_subprocess("migrate", "--apply", cwd=repo.root, env=GIT_ENV)
    assert refused.code == 3
    assert "not migrated POSTGRES_PASSWORD: .env sets it to another value already" in refused.err
    assert (repo.root / "docker-compose.yml").read_text() == text
