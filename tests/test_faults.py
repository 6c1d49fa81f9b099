"""Faults during a build: an output folder that cannot be written or is full, a plan deleted halfway, Ctrl+C, a crash
while writing. Whatever happens: no partial or temporary file is left, earlier outputs stay byte for byte, the user
reads what went wrong, and the exit code is not 0."""

from __future__ import annotations

import errno
import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import planforge.writing
from planforge.build import BuildRequest, Progress, build
from planforge.cli import app

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PLANFORGE = Path(sys.executable).parent / "planforge"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A working folder with plans/alpha.yaml (strategy) and plans/beta.yaml (30-60-90), built once into decks/."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "alpha.yaml").write_bytes((FIXTURES / "minimal_strategy.yaml").read_bytes())
    (tmp_path / "plans" / "beta.yaml").write_bytes((FIXTURES / "minimal_plan.yaml").read_bytes())
    result = invoke("build", "--format", "md,html")
    assert result.exit_code == 0, result.output
    return tmp_path


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def files(folder: Path) -> dict[str, bytes]:
    """Every file in `folder` (hidden ones too, such as temporary files and the manifest) with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def edit_plans(project: Path) -> None:
    """Change both plans so that the next build has everything to write."""
    for plan in (project / "plans").iterdir():
        text = plan.read_text(encoding="utf-8")
        assert "\ntitle: " in text
        plan.write_text(text.replace("\ntitle: ", "\ntitle: Revised ", 1), encoding="utf-8")


def assert_nothing_partial(folder: Path) -> None:
    assert not [name for name in files(folder) if name.endswith(".tmp")], "a temporary file was left behind"


def failing_write(error: BaseException, after_bytes: int = 100):
    """Return an `os.fdopen` whose files raise `error` once `after_bytes` have been written (a disk filling up)."""
    real_fdopen = os.fdopen

    class FailingFile(io.RawIOBase):
        def __init__(self, handle):
            self.handle, self.written = handle, 0

        def write(self, data):
            if self.written + len(data) > after_bytes:
                self.handle.write(bytes(data)[: after_bytes - self.written])
                self.handle.flush()
                raise error
            self.written += len(data)
            return self.handle.write(data)

        def fileno(self):
            return self.handle.fileno()

        def __exit__(self, *exc):
            self.handle.close()

    def fdopen(fd, mode="r", *args, **kwargs):
        return FailingFile(real_fdopen(fd, mode, *args, **kwargs)) if "w" in mode else real_fdopen(fd, mode, *args, **kwargs)

    return fdopen


# ---------------------------------------------------------------------------------------------------------------
# An output folder that cannot be written


@pytest.mark.parametrize("error, words", [
    (OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
    (OSError(errno.EDQUOT, "Disk quota exceeded"), "Disk quota exceeded"),
    (OSError(errno.EIO, "Input/output error"), "Input/output error"),
], ids=["full", "quota", "io-error"])
def test_a_full_disk_leaves_earlier_outputs_and_no_partial_files(project, monkeypatch, error, words):
    before = files(project / "decks")
    edit_plans(project)
    with monkeypatch.context() as patch:
        patch.setattr(planforge.writing.os, "fdopen", failing_write(error))
        result = invoke("build", "--format", "md,html")

    assert result.exit_code == 1
    assert f"cannot write: {words}" in result.output and "Traceback" not in result.output
    assert files(project / "decks") == before  # outputs and manifest byte for byte
    assert invoke("build", "--format", "md,html").exit_code == 0  # the next build finishes the job
    assert b"Revised" in (project / "decks" / "alpha.md").read_bytes()


def test_a_disk_that_fills_at_fsync_leaves_no_partial_file(project, monkeypatch):
    before = files(project / "decks")
    edit_plans(project)

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(planforge.writing.os, "fsync", full)

    result = invoke("build", "--format", "md,html")

    assert result.exit_code == 1 and "No space left on device" in result.output
    assert files(project / "decks") == before


@pytest.mark.parametrize("error", [
    PermissionError(errno.EACCES, "Permission denied"),
    OSError(errno.EROFS, "Read-only file system"),
], ids=["permission", "read-only-fs"])
def test_an_output_folder_that_refuses_new_files_fails_clearly(project, monkeypatch, error):
    before = files(project / "decks")
    edit_plans(project)

    def refuse(*args, **kwargs):
        raise error

    monkeypatch.setattr(planforge.writing.tempfile, "mkstemp", refuse)

    result = invoke("build", "--format", "md,html")

    assert result.exit_code == 1
    assert f"cannot write: {error.strerror}" in result.output and "Traceback" not in result.output
    assert files(project / "decks") == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders anyway")
def test_a_read_only_output_folder_fails_clearly(project):
    before = files(project / "decks")
    edit_plans(project)
    (project / "decks").chmod(0o555)
    try:
        result = invoke("build", "--format", "md,html")
    finally:
        (project / "decks").chmod(0o755)

    assert result.exit_code == 1
    assert "cannot write: Permission denied" in result.output and "Traceback" not in result.output
    assert files(project / "decks") == before


def test_an_output_folder_that_is_a_file_fails_clearly(project):
    (project / "elsewhere").write_text("not a folder")

    result = invoke("build", "--format", "md", "--out", "elsewhere")

    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "elsewhere" in result.output
    assert (project / "elsewhere").read_text() == "not a folder"


# ---------------------------------------------------------------------------------------------------------------
# Plans that change under the build, interruptions and crashes


class DeleteWhenLoading(Progress):
    """Deletes a plan after the build has found and hashed it, just before it is loaded."""

    def __init__(self, plan: Path):
        self.plan = plan

    def phase(self, name: str, total: int) -> None:
        if name == "load":
            self.plan.unlink()


def test_a_plan_deleted_after_it_was_read_builds_from_the_bytes_read(project):
    edit_plans(project)
    read = (project / "plans" / "beta.yaml").read_bytes()

    result = build(BuildRequest(formats=["md", "html"]), DeleteWhenLoading(project / "plans" / "beta.yaml"))

    assert not result.failed, [job.problems for job in result.jobs]
    assert b"Revised" in (project / "decks" / "beta.md").read_bytes()  # what was hashed is what was rendered
    assert b"Revised" in (project / "decks" / "alpha.md").read_bytes()
    assert_nothing_partial(project / "decks")
    (project / "plans" / "beta.yaml").write_bytes(read)
    assert invoke("build", "--check", "--format", "md,html").exit_code == 0


@pytest.mark.parametrize("error", [KeyboardInterrupt(), MemoryError(), RuntimeError("a bug")],
                         ids=["ctrl-c", "out-of-memory", "bug"])
def test_a_crash_halfway_through_writing_a_file_leaves_the_old_file_whole(project, monkeypatch, error):
    before = files(project / "decks")
    edit_plans(project)
    monkeypatch.setattr(planforge.writing.os, "fdopen", failing_write(error))

    result = invoke("build", "--format", "md,html")

    assert isinstance(result.exception, SystemExit), result.exception  # a message, not a traceback
    assert files(project / "decks") == before
    if isinstance(error, KeyboardInterrupt):
        assert result.exit_code == 130 and "interrupted" in result.output
    else:
        assert result.exit_code == 1
        assert f"internal error while writing its outputs: {type(error).__name__}" in result.output


def test_ctrl_c_while_rendering_leaves_earlier_outputs(project, monkeypatch):
    before = files(project / "decks")
    edit_plans(project)

    def interrupted(document, options):
        raise KeyboardInterrupt

    monkeypatch.setattr("planforge.render.html.render", interrupted)

    result = invoke("build", "--format", "md,html")

    assert result.exit_code == 130 and "interrupted" in result.output and "Traceback" not in result.output
    assert files(project / "decks") == before


def real_plans_project(folder: Path, copies: int) -> None:
    (folder / "plans").mkdir()
    for index in range(copies):
        for plan in sorted((ROOT / "plans").glob("*.yaml")):
            (folder / "plans" / f"{plan.stem}-{index}.yaml").write_bytes(plan.read_bytes())


def assert_outputs_whole(folder: Path) -> None:
    """Every output that exists is complete: decks are sound zips, documents end as they should."""
    for path in folder.iterdir():
        if path.suffix == ".pptx":
            with zipfile.ZipFile(path) as archive:
                assert archive.testzip() is None, path
        elif path.suffix == ".html":
            assert path.read_bytes().rstrip().endswith(b"</html>"), path
        elif path.suffix == ".md":
            path.read_bytes().decode("utf-8")


def test_a_build_removes_temporary_files_a_killed_build_left_and_no_others(project):
    decks = project / "decks"
    abandoned = decks / ".alpha.md.k3x9_q0a.tmp"  # as mkstemp names them
    in_flight = decks / ".beta.md.zz81ma0b.tmp"   # another build writing right now
    someone_elses = decks / ".alpha.md.notes.tmp"  # not a name write_atomic gives
    for path in (abandoned, in_flight, someone_elses):
        path.write_bytes(b"half a file")
    long_ago = time.time() - planforge.writing.ABANDONED_AFTER - 60
    for path in (abandoned, someone_elses):
        os.utime(path, (long_ago, long_ago))
    edit_plans(project)

    assert invoke("build", "--format", "md,html").exit_code == 0

    assert not abandoned.exists()
    assert in_flight.exists() and someone_elses.exists()


def test_ctrl_c_the_moment_a_temporary_file_is_made_waits_for_the_write(tmp_path, monkeypatch):
    real_mkstemp = planforge.writing.tempfile.mkstemp

    def mkstemp_then_ctrl_c(*args, **kwargs):
        made = real_mkstemp(*args, **kwargs)
        signal.raise_signal(signal.SIGINT)  # before write_atomic holds the file's name in any `try`
        return made

    monkeypatch.setattr(planforge.writing.tempfile, "mkstemp", mkstemp_then_ctrl_c)
    target = tmp_path / "deck.md"

    with pytest.raises(KeyboardInterrupt):
        planforge.writing.write_atomic(target, b"whole")

    assert target.read_bytes() == b"whole"
    assert_nothing_partial(tmp_path)


def ctrl_c_able() -> None:
    """In the child: take Ctrl+C the default way, even when this test runs where SIGINT is ignored (a background job)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["rendering", "writing"])
def test_a_real_ctrl_c_stops_the_build_and_leaves_only_whole_files(tmp_path, moment):
    real_plans_project(tmp_path, copies=15)  # 30 plans: seconds of loading and rendering on any machine
    out = tmp_path / "decks"
    process = subprocess.Popen([str(PLANFORGE), "build"], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, preexec_fn=ctrl_c_able)
    started = time.monotonic()
    while time.monotonic() < started + 120 and process.poll() is None:
        written = out.is_dir() and any(p.suffix in (".md", ".html", ".pptx") for p in out.iterdir())
        if (moment == "writing" and written) or (moment == "rendering" and time.monotonic() > started + 1):
            break
        time.sleep(0.002)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)

    assert "Traceback" not in stderr
    if moment == "rendering" or process.returncode != 0:  # writing is quick: it may be over before the signal
        assert process.returncode == 130 and "interrupted" in stderr, stderr
    if out.is_dir():
        assert_nothing_partial(out)
        assert_outputs_whole(out)
    rebuilt = subprocess.run([str(PLANFORGE), "build"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert_outputs_whole(out)
