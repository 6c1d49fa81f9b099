"""Builds that overlap, fill the disk or are interrupted while writing: the manifest keeps every build's entries
(an advisory lock on the output folder), a plan's outputs always come from one version of it (all written to
temporary files, then renamed together), and a manifest entry never names another plan's outputs."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import planforge.writing
from planforge.cli import app

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PLANFORGE = Path(sys.executable).parent / "planforge"
ENV = {**os.environ, "CI": "1"}


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def start(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([str(PLANFORGE), *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=ENV)


def finish(process: subprocess.Popen, timeout: float = 60) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def make_project(folder: Path, names=("alpha", "beta")) -> Path:
    (folder / "plans").mkdir(parents=True)
    for name, fixture in zip(names, ("minimal_strategy.yaml", "minimal_plan.yaml")):
        (folder / "plans" / f"{name}.yaml").write_bytes((FIXTURES / fixture).read_bytes())
    return folder


def revise(plan: Path, words: str) -> None:
    """Put `words` at the start of the plan's title (each call replaces what the last one put there)."""
    original = plan.with_suffix(".orig")
    if not original.exists():
        original.write_bytes(plan.read_bytes())
    text = original.read_text(encoding="utf-8")
    assert "\ntitle: " in text
    plan.write_text(text.replace("\ntitle: ", f"\ntitle: {words} ", 1), encoding="utf-8")


# --- two builds at once -----------------------------------------------------------------------------------------


def test_two_builds_of_different_plans_into_one_folder_keep_both_entries(tmp_path):
    project = make_project(tmp_path)
    for round_number in range(4):
        for plan in ("alpha", "beta"):
            revise(project / "plans" / f"{plan}.yaml", f"Round {round_number}")
        builds = [start("build", f"plans/{plan}.yaml", "-f", "md", cwd=project) for plan in ("alpha", "beta")]
        for build in builds:
            code, out, err = finish(build)
            assert code == 0, (out, err)

        check = subprocess.run([str(PLANFORGE), "build", "--check", "-f", "md"], cwd=project, capture_output=True,
                               text=True, env=ENV, timeout=60)
        assert check.returncode == 0, f"round {round_number}: {check.stdout}{check.stderr}"
        entries = json.loads((project / "decks" / ".planforge-manifest.json").read_text())["plans"]
        assert sorted(entries) == ["alpha", "beta"]


def test_a_build_waits_for_the_one_writing_into_its_folder_and_says_so(tmp_path):
    project = make_project(tmp_path)
    (project / "decks").mkdir()
    holder = os.open(project / "decks", os.O_RDONLY)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)  # another build is writing
        build = start("build", "-f", "md", cwd=project)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and build.poll() is None and not (project / "decks" / "alpha.md").exists():
            time.sleep(0.2)
            if time.monotonic() > deadline - 25:  # given a few seconds to reach the lock
                break
        assert build.poll() is None, "the build did not wait for the lock"
        assert not (project / "decks" / "alpha.md").exists()
    finally:
        os.close(holder)  # released
    code, out, err = finish(build)
    assert code == 0, (out, err)
    assert "waiting for another planforge build to finish writing into decks/" in err
    assert (project / "decks" / "alpha.md").exists()
    assert sorted(os.listdir(project / "decks")) == [".planforge-manifest.json", "alpha.md", "beta.md"]  # no lock file


# --- all of a plan's outputs, or none -------------------------------------------------------------------------


def outputs(folder: Path, name: str) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob(f"{name}.*"))}


def assert_one_version(folder: Path, name: str, old: dict[str, bytes], marker: bytes) -> None:
    now = outputs(folder, name)
    renewed = {file for file, data in now.items() if data != old.get(file)}
    assert renewed in (set(), set(now)), f"{name}: only {sorted(renewed)} of {sorted(now)} were replaced"
    for file in renewed:
        if not file.endswith(".pptx"):
            assert marker in now[file]


def disk_budget(budget: int):
    """An `os.fdopen` whose files share `budget` bytes, then raise ENOSPC: a disk filling up during the build."""
    real_fdopen = os.fdopen
    left = [budget]

    class Filling:
        def __init__(self, handle):
            self.handle = handle

        def write(self, data):
            if len(data) > left[0]:
                self.handle.write(bytes(data)[: left[0]])
                left[0] = 0
                raise OSError(errno.ENOSPC, "No space left on device")
            left[0] -= len(data)
            return self.handle.write(data)

        def __getattr__(self, name):
            return getattr(self.handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

    def fdopen(fd, mode="r", *args, **kwargs):
        handle = real_fdopen(fd, mode, *args, **kwargs)
        return Filling(handle) if "w" in mode else handle

    return fdopen


def test_a_disk_full_midway_through_a_plan_leaves_all_its_outputs_from_one_version(tmp_path, monkeypatch):
    project = make_project(tmp_path)
    monkeypatch.chdir(project)
    assert invoke("build").exit_code == 0
    old = outputs(project / "decks", "alpha")
    revise(project / "plans" / "alpha.yaml", "Revised")
    small = sum(len(data) for name, data in old.items() if not name.endswith(".pptx"))
    with monkeypatch.context() as patch:
        patch.setattr(planforge.writing.os, "fdopen", disk_budget(small + 2_000))  # md and html fit, not the deck
        result = invoke("build", "plans/alpha.yaml")

    assert result.exit_code == 1 and "No space left on device" in result.output, result.output
    assert outputs(project / "decks", "alpha") == old
    assert not [name for name in os.listdir(project / "decks") if name.endswith(".tmp")]
    assert invoke("build", "plans/alpha.yaml").exit_code == 0
    assert_one_version(project / "decks", "alpha", old, b"Revised")


@pytest.fixture
def small_filesystem(tmp_path):
    """A real tmpfs mounted for the test (root only), removed afterwards."""
    mount = tmp_path / "fs"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_real_full_filesystem_leaves_every_plan_from_one_version(small_filesystem, tmp_path):
    project = make_project(tmp_path / "project")
    decks = small_filesystem / "decks"
    built = subprocess.run([str(PLANFORGE), "build", "--out", str(decks)], cwd=project, capture_output=True,
                           text=True, env=ENV, timeout=120)
    assert built.returncode == 0, built.stdout + built.stderr
    old = {name: outputs(decks, name) for name in ("alpha", "beta")}
    for plan in ("alpha", "beta"):
        revise(project / "plans" / f"{plan}.yaml", "Revised")
    # Leave room for the Markdown and HTML of a plan, but not its deck too.
    page_bytes = max(sum(len(d) for n, d in files.items() if not n.endswith(".pptx")) for files in old.values())
    free = shutil.disk_usage(small_filesystem).free
    with open(small_filesystem / "filler", "wb") as handle:
        handle.write(b"\0" * max(free - page_bytes - 12 * 4096, 0))

    result = subprocess.run([str(PLANFORGE), "build", "--out", str(decks)], cwd=project, capture_output=True,
                            text=True, env=ENV, timeout=120)

    assert result.returncode == 1 and "No space left on device" in result.stderr, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for name in ("alpha", "beta"):
        assert_one_version(decks, name, old[name], b"Revised")
    assert not [name for name in os.listdir(decks) if name.endswith(".tmp")]
    (small_filesystem / "filler").unlink()
    again = subprocess.run([str(PLANFORGE), "build", "--out", str(decks)], cwd=project, capture_output=True,
                           text=True, env=ENV, timeout=120)
    assert again.returncode == 0, again.stdout + again.stderr
    for name in ("alpha", "beta"):
        assert b"Revised" in (decks / f"{name}.md").read_bytes()


def test_ctrl_c_while_a_plans_first_output_is_written_still_writes_all_of_them(tmp_path, monkeypatch):
    project = make_project(tmp_path)
    monkeypatch.chdir(project)
    assert invoke("build", "-f", "md,html").exit_code == 0
    old = outputs(project / "decks", "alpha")
    revise(project / "plans" / "alpha.yaml", "Revised")
    real_fdopen = os.fdopen

    def interrupting(fd, mode="r", *args, **kwargs):
        if "w" in mode:
            os.kill(os.getpid(), signal.SIGINT)  # a real Ctrl+C, the moment the first output is being written
        return real_fdopen(fd, mode, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(planforge.writing.os, "fdopen", interrupting)
        result = invoke("build", "plans/alpha.yaml", "-f", "md,html")

    assert result.exit_code == 130, result.output
    assert_one_version(project / "decks", "alpha", old, b"Revised")


# --- manifest entries name their own plan's outputs alone ---------------------------------------------------


def test_a_manifest_entry_for_a_missing_plan_cannot_remove_a_live_plans_outputs(tmp_path, monkeypatch):
    project = make_project(tmp_path)
    monkeypatch.chdir(project)
    assert invoke("build", "-f", "md").exit_code == 0
    manifest_path = project / "decks" / ".planforge-manifest.json"
    manifest = json.loads(manifest_path.read_text())
    alpha = manifest["plans"]["alpha"]
    manifest["plans"]["ghost"] = {"hash": "0" * 64, "plan": "../plans/ghost.yaml", "outputs": dict(alpha["outputs"])}
    manifest_path.write_text(json.dumps(manifest))

    result = invoke("build", "-f", "md")

    assert result.exit_code == 0, result.output
    assert (project / "decks" / "alpha.md").exists()
    assert "ghost" not in json.loads(manifest_path.read_text())["plans"]
    assert invoke("build", "--check", "-f", "md").exit_code == 0


# --- Ctrl+C in watch ----------------------------------------------------------------------------------------------


def test_ctrl_c_while_watch_rebuilds_stops_watch(tmp_path, monkeypatch):
    project = make_project(tmp_path)
    monkeypatch.chdir(project)
    watched = []

    def interrupted(document, options):
        raise KeyboardInterrupt

    def changes(*paths, **kwargs):  # watchfiles: would wait for changes for ever
        watched.append(paths)
        return iter([{(1, str(project / "plans" / "alpha.yaml"))}])

    monkeypatch.setattr("planforge.render.markdown.render", interrupted)
    monkeypatch.setattr("watchfiles.watch", changes)

    result = invoke("watch", "-f", "md")

    assert result.exit_code == 130, result.output
    assert "interrupted" in result.output and "Traceback" not in result.output
    assert watched == [], "watch went on watching after Ctrl+C"
