"""The hooks other repositories use from .pre-commit-hooks.yaml: each runs as pre-commit would run it on this one."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
HOOKS = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
PLANFORGE = str(Path(sys.executable).parent / "planforge")


def staged_files(hook: dict) -> list[str]:
    """The tracked files of this repository that the hook's `files` pattern selects, as pre-commit passes them."""
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return [name for name in tracked if re.search(hook.get("files", ""), name)]


GATES = [hook for hook in HOOKS if hook["id"] != "planforge-lint"]


@pytest.mark.parametrize("hook", GATES, ids=[hook["id"] for hook in GATES])
def test_hook_passes_on_this_repository(hook):
    assert hook["language"] == "python" and hook["entry"].split()[0] == "planforge"
    files = staged_files(hook)
    assert "plans/30-60-90-day-plan.yaml" in files
    command = [PLANFORGE, *shlex.split(hook["entry"])[1:]]
    if hook.get("pass_filenames", True):
        command += [name for name in files if name.startswith("plans/")]

    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def run_hook(hook_id: str, *files: str) -> subprocess.CompletedProcess:
    [hook] = [hook for hook in HOOKS if hook["id"] == hook_id]
    return subprocess.run([PLANFORGE, *shlex.split(hook["entry"])[1:], *files], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_lint_hook_blocks_a_plan_with_placeholders_and_shows_each():
    result = run_hook("planforge-lint", "plans/lrp-brainstorming.yaml")
    assert result.returncode == 1
    assert result.stdout.count("PF101") == 18


def test_lint_hook_lets_a_clean_plan_through_and_still_shows_its_warnings():
    [hook] = [hook for hook in HOOKS if hook["id"] == "planforge-lint"]
    assert hook["verbose"] is True  # pre-commit hides a passing hook's output otherwise
    result = run_hook("planforge-lint", "tests/fixtures/minimal_plan.yaml")
    assert result.returncode == 0
    assert "PF105" in result.stdout
