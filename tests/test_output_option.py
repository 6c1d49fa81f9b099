"""`-o FILE` (render, schema, import) replaces only regular files: a device, FIFO or `/dev/stdout` is written to as a
stream and stays what it is, a symlink is followed and stays a symlink, and a missing folder is an error with a hint."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NOTES = Path(__file__).resolve().parent / "notes"
PLANFORGE = Path(sys.executable).parent / "planforge"

COMMANDS = {
    "render": ["render", "plans/a.yaml", "-f", "md", "-o"],
    "schema": ["schema", "-o"],
    "import": ["import", str(sorted(NOTES.glob("*.md"))[0]), "--force", "-o"],
}


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(PLANFORGE), *args], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "CI": "1"})


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "a.yaml").write_bytes((FIXTURES / "minimal_strategy.yaml").read_bytes())
    return tmp_path


@pytest.mark.parametrize("command", COMMANDS)
def test_dev_null_is_written_to_not_replaced(project, command):
    result = run(*COMMANDS[command], "/dev/null", cwd=project)

    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_symlink_is_followed_and_stays_a_symlink(project, command):
    (project / "real.out").write_text("old")
    os.symlink("real.out", project / "link.out")

    result = run(*COMMANDS[command], "link.out", cwd=project)

    assert result.returncode == 0, result.stderr
    assert os.path.islink(project / "link.out")
    assert (project / "real.out").read_text() != "old"


@pytest.mark.parametrize("command", COMMANDS)
def test_a_fifo_is_written_to_as_a_stream(project, command):
    os.mkfifo(project / "pipe")
    received = []
    reader = threading.Thread(target=lambda: received.append((project / "pipe").read_bytes()), daemon=True)
    reader.start()

    result = run(*COMMANDS[command], "pipe", cwd=project)
    reader.join(30)

    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(project / "pipe").st_mode)
    assert received and len(received[0]) > 100


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_folder_is_an_error_with_a_hint_and_not_created(project, command):
    result = run(*COMMANDS[command], "missing/out.txt", cwd=project)

    assert result.returncode == 1
    assert "missing/out.txt: the folder missing does not exist" in result.stderr
    assert "mkdir -p missing" in result.stderr and "Traceback" not in result.stderr
    assert not (project / "missing").exists()


def test_dev_stdout_streams_to_the_caller(project):
    result = run("render", "plans/a.yaml", "-f", "md", "-o", "/dev/stdout", cwd=project)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("#")
