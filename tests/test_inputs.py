"""Every input is read one safe way (planforge.inputs): regular files only, the size checked before a bounded read,
symlinks out of the project or the folder given refused. FIFOs, devices, sockets, dangling symlinks, sparse giants:
each gets one located message and exit 1, never a hang, a MemoryError or a traceback — in `build` (both the
launcher's no-op path and the full build), `build --check`, `validate` and `render`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planforge.build import BuildRequest, Progress, build

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PLANFORGE = Path(sys.executable).parent / "planforge"


def run(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run the real command; a hang fails the test (TimeoutExpired) instead of stalling the suite."""
    return subprocess.run([str(PLANFORGE), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "CI": "1", "COLUMNS": "200"})


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "alpha.yaml").write_bytes((FIXTURES / "minimal_strategy.yaml").read_bytes())
    return tmp_path


def assert_refused(result: subprocess.CompletedProcess, words: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr + result.stdout


# --- plans ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["build"], ["build", "--check"], ["validate"]])
def test_a_fifo_named_like_a_plan_is_refused_without_waiting_for_a_writer(project, command):
    os.mkfifo(project / "plans" / "x.yaml")

    result = run(*command, cwd=project, timeout=30)

    assert "plans/x.yaml: is a named pipe (FIFO), not a regular file" in result.stderr, result.stderr
    assert result.returncode == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [["build", "-f", "md"], ["validate"]])
def test_a_symlink_to_dev_zero_on_the_command_line_is_refused_unread(project, tmp_path_factory, command):
    outside = tmp_path_factory.mktemp("elsewhere") / "zero.yaml"  # named by the user: followed, but not read
    os.symlink("/dev/zero", outside)
    os.symlink("/dev/zero", project / "zero.yaml")  # inside the project: a symlink out of it

    assert_refused(run(*command, str(outside), cwd=project, timeout=30),
                   f"{outside}: is a character device, not a regular file")
    assert_refused(run(*command, "zero.yaml", cwd=project, timeout=30),
                   "zero.yaml: the plan is a symlink to /dev/zero, outside")


def test_a_sparse_4_gib_plan_is_refused_by_its_size_without_being_read(project):
    with open(project / "plans" / "huge.yaml", "wb") as handle:
        handle.truncate(4 * 1024**3)
    started = time.perf_counter()

    result = run("build", "-f", "md", cwd=project, timeout=60)

    assert_refused(result, f"plans/huge.yaml: file is {4 * 1024**3:,} bytes; a plan may be at most")
    assert time.perf_counter() - started < 20  # reading it took ~50 s; refusing it, start-up alone


def test_a_plan_symlinked_out_of_the_project_is_refused(project, tmp_path_factory):
    secret = tmp_path_factory.mktemp("elsewhere") / "secret.yaml"
    secret.write_bytes((FIXTURES / "minimal_strategy.yaml").read_bytes())
    os.symlink(secret, project / "plans" / "borrowed.yaml")

    for command in (["build", "-f", "md"], ["validate"]):
        result = run(*command, cwd=project)
        assert_refused(result, f"plans/borrowed.yaml: the plan is a symlink to {secret}, outside")
    assert not (project / "decks" / "borrowed.md").exists()


def test_a_dangling_plan_symlink_is_reported_not_skipped(project):
    os.symlink("gone.yaml", project / "plans" / "missing.yaml")

    assert_refused(run("build", "-f", "md", cwd=project), "plans/missing.yaml: the plan is a symlink to gone.yaml, "
                                                            "which does not exist")


def test_a_symlink_loop_in_plans_finds_each_plan_once(project):
    os.symlink(".", project / "plans" / "loop")
    (project / "plans" / "beta.yaml").write_text("kind: strategy\n", encoding="utf-8")  # one mistake

    result = run("validate", cwd=project)

    assert result.returncode == 1
    assert "1 valid, 1 invalid" in result.stdout, result.stdout


class EditWhileLoading(Progress):
    """Saves new text into a plan after the build has read and hashed it, just before it is loaded."""

    def __init__(self, plan: Path, text: str):
        self.plan, self.text = plan, text

    def phase(self, name: str, total: int) -> None:
        if name == "load":
            self.plan.write_text(self.text, encoding="utf-8")


def test_the_bytes_hashed_are_the_bytes_loaded(project, monkeypatch):
    monkeypatch.chdir(project)
    plan = project / "plans" / "alpha.yaml"
    original = plan.read_text(encoding="utf-8")
    saved = original.replace("\ntitle: ", "\ntitle: Saved during the build ", 1)

    result = build(BuildRequest(formats=["md"]), EditWhileLoading(plan, saved))

    assert not result.failed
    assert "Saved during the build" not in (project / "decks" / "alpha.md").read_text(encoding="utf-8")
    plan.write_text(original, encoding="utf-8")  # an undo: the text the outputs were built from
    assert run("build", "--check", "-f", "md", cwd=project).returncode == 0
    plan.write_text(saved, encoding="utf-8")
    assert run("build", "--check", "-f", "md", cwd=project).returncode == 1


# --- templates ----------------------------------------------------------------------------------------------------


def _socket(path: Path) -> socket.socket:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    return server


@pytest.mark.parametrize("kind, words", [
    ("dangling", "the template is a symlink to nowhere.j2, which does not exist"),
    ("socket", "is a socket, not a regular file"),
    ("fifo", "is a named pipe (FIFO), not a regular file"),
])
@pytest.mark.parametrize("command", [["build", "-f", "md"], ["build", "-f", "md", "--check"]])
def test_odd_files_in_the_templates_folder_are_messages(project, kind, words, command):
    folder = project / "templates" / "markdown"
    folder.mkdir(parents=True)
    target = folder / "odd.md.j2"
    server = None
    if kind == "dangling":
        os.symlink("nowhere.j2", target)
    elif kind == "socket":
        server = _socket(target)
    else:
        os.mkfifo(target)
    try:
        result = run(*command, cwd=project, timeout=30)
    finally:
        if server is not None:
            server.close()

    assert_refused(result, f"templates/markdown/odd.md.j2: {words}")


def test_a_template_symlinked_out_of_the_templates_folder_is_not_read(project, tmp_path_factory):
    secret = tmp_path_factory.mktemp("home") / "environ"
    secret.write_text("AWS_SECRET=hunter2\n", encoding="utf-8")
    brand = project / "brand" / "markdown"
    brand.mkdir(parents=True)
    (brand / "strategy.md.j2").write_text('{% include "markdown/leak.txt" %}\n', encoding="utf-8")
    os.symlink(secret, brand / "leak.txt")

    for command in (["render", "plans/alpha.yaml", "-f", "md", "-o", "-", "--templates", "brand"],
                    ["build", "-f", "md", "--templates", "brand"]):
        result = run(*command, cwd=project)
        assert_refused(result, f"the template is a symlink to {secret}, outside brand")
        assert "hunter2" not in result.stdout + result.stderr


def test_a_template_loader_reads_only_regular_files(project):
    brand = project / "brand" / "markdown"
    brand.mkdir(parents=True)
    (brand / "strategy.md.j2").write_text('{% include "markdown/pipe.j2" %}\n', encoding="utf-8")
    os.mkfifo(brand / "pipe.j2")

    result = run("render", "plans/alpha.yaml", "-f", "md", "-o", "-", "--templates", "brand", cwd=project, timeout=30)

    assert_refused(result, "brand/markdown/pipe.j2: is a named pipe (FIFO), not a regular file")


# --- the project's configuration ------------------------------------------------------------------------------


def test_a_project_config_symlinked_out_of_its_folder_is_refused(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "pyproject.toml"
    elsewhere.write_text("[tool.planforge.lint]\nignore = []\n", encoding="utf-8")
    os.symlink(elsewhere, project / "pyproject.toml")

    assert_refused(run("lint", cwd=project), "pyproject.toml: the project configuration is a symlink to")
