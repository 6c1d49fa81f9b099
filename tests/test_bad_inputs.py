"""The bad-input corpus: each file in tests/bad/ is one mistake, and its header says what planforge reports.

Header lines at the top of a file, one per expected problem, in file order:

    # expect: LINE:COLUMN message fragment | hint fragment

The hint part is optional. `# problems: N` says how many problems there are when only the first few are listed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planforge.cli import app
from planforge.errors import PlanError
from planforge.loading import MAX_BYTES, load_plan

BAD = Path(__file__).parent / "bad"
CORPUS = sorted(BAD.glob("*.yaml"))
EXPECT = re.compile(r"# expect: (\d+):(\d+) (.+?)(?: \| (.+))?$")
COUNT = re.compile(r"# problems: (\d+)$")


@dataclass(frozen=True)
class Expected:
    """One problem a corpus file must produce."""

    line: int
    column: int
    message: str
    hint: str | None = None


# A file that must be truly empty cannot carry its own header.
NO_HEADER = {"empty.yaml": ([Expected(1, 1, "file is empty", "kind: strategy")], 1)}


def expectations(path: Path) -> tuple[list[Expected], int]:
    """Return the problems a corpus file's header expects, and how many problems there are in all."""
    if path.name in NO_HEADER:
        return NO_HEADER[path.name]
    expected, count = [], None
    # Headers are ASCII; the rest of a file may be anything (NUL bytes, Latin-1), so read bytes.
    for raw in path.read_bytes().split(b"\n"):
        line = raw.decode("utf-8", errors="replace")
        if match := EXPECT.match(line):
            expected.append(Expected(int(match[1]), int(match[2]), match[3], match[4]))
        elif match := COUNT.match(line):
            count = int(match[1])
        else:
            break
    return expected, len(expected) if count is None else count


def test_the_corpus_covers_many_mistakes_and_every_file_says_what_it_expects():
    assert len(CORPUS) >= 30
    headerless = [p.name for p in CORPUS if not expectations(p)[0]]
    assert headerless == [], "every corpus file needs a `# expect:` header"


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_loading_reports_each_expected_problem_at_its_place(path: Path):
    expected, count = expectations(path)
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    problems = caught.value.problems
    got = "\n".join(str(p) for p in problems)
    assert len(problems) == count, got
    for want, problem in zip(expected, problems):
        assert (problem.line, problem.column) == (want.line, want.column), got
        assert want.message in problem.message, got
        if want.hint:
            assert want.hint in problem.hint, got
    for problem in problems:
        assert Path(problem.path) == path
        assert problem.hint, f"no hint for: {problem}"


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_validate_command_exits_1_with_the_location_and_no_traceback(path: Path):
    expected, _ = expectations(path)
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert f"{path}:{expected[0].line}:{expected[0].column}: " in result.output
    assert "Traceback" not in result.output


def test_the_real_command_reports_the_whole_corpus_on_stderr_without_a_traceback():
    result = subprocess.run(
        [sys.executable, "-m", "planforge", "validate", str(BAD)], capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    for path in CORPUS:
        first = expectations(path)[0][0]
        assert f"{path}:{first.line}:{first.column}: " in result.stderr
    assert f"0 valid, {len(CORPUS)} invalid" in result.stdout


def _too_large(folder: Path) -> Path:
    """Write a plan just over the size cap: valid YAML, so only its size is wrong."""
    path = folder / "too_large.yaml"
    line = "# padding to make the file too large for a plan\n"
    body = "kind: strategy\ntitle: Big\n"
    path.write_text(body + line * ((MAX_BYTES - len(body)) // len(line) + 1), encoding="utf-8")
    assert path.stat().st_size > MAX_BYTES
    return path


def test_too_large_is_refused_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = _too_large(tmp_path)

    def no_parsing(*args, **kwargs):
        raise AssertionError("a file over the size cap must not be parsed")

    monkeypatch.setattr("planforge.loading.parse_yaml", no_parsing)
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (None, None)
    assert f"file is {path.stat().st_size:,} bytes; a plan may be at most {MAX_BYTES:,} bytes" in problem.message
    assert "split the plan" in problem.hint


def test_validate_command_refuses_too_large_with_exit_1(tmp_path: Path):
    path = _too_large(tmp_path)
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}: file is " in result.output
    assert "Traceback" not in result.output
