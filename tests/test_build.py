"""`planforge build`, `watch` and `new`: incremental, deterministic, isolated, parallel; and the fast launcher."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import types
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planforge import render
from planforge.build import BuildRequest, build
from planforge.cli import app
from planforge.freshness import MANIFEST_NAME, RENDERING_INPUTS
from planforge.launch import cli_checksum, parse_build, render_help
from planforge.loading import load_plan
from planforge.starters import starter_text

REPO = Path(__file__).resolve().parent.parent
HEAVY = {"pydantic", "jinja2", "pptx", "typer", "rich", "ruamel", "watchfiles"}


# ---------------------------------------------------------------------------------------------------------------
# Helpers


def fake_renderer(name: str, suffix: str, fail_on: str | None = None) -> types.ModuleType:
    """A renderer that writes the plan's kind, title and the id of the process that rendered it."""
    module = types.ModuleType(name)

    def render_document(document, options) -> bytes:
        from planforge.errors import Problem, TemplateError

        if fail_on and fail_on in document.title:
            raise TemplateError([Problem("fake/template.j2", 7, 3, f"cannot render {document.title!r}")])
        return f"{suffix}\n{document.kind}\n{document.title}\npid={os.getpid()}\n".encode()

    module.render = render_document
    return module


@pytest.fixture
def fake_formats(monkeypatch):
    """Replace the registry with two fast fake formats (one fails for titles containing BOOM).

    The fingerprint of planforge's own rendering code is pinned too: these tests are about the build, and must not
    see a teammate's edit to a renderer as a change of inputs halfway through.
    """
    monkeypatch.setattr("planforge.freshness.package_digest", lambda: "pinned for the test")
    modules = {".txt": fake_renderer("planforge_test_txt", ".txt"),
               ".log": fake_renderer("planforge_test_log", ".log", fail_on="BOOM")}
    for module in modules.values():
        monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(render, "RENDERERS", {suffix[1:]: render.Format(module.__name__, suffix)
                                              for suffix, module in modules.items()})
    return list(render.RENDERERS)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A working folder holding plans/alpha.yaml (strategy) and plans/beta.yaml (30-60-90)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plans").mkdir()
    write_plan(tmp_path / "plans/alpha.yaml", "strategy", "Alpha strategy")
    write_plan(tmp_path / "plans/beta.yaml", "30-60-90", "Beta plan")
    return tmp_path


def write_plan(path: Path, kind: str, title: str) -> None:
    path.write_text(starter_text(kind, title, "../schema/planforge.schema.json"), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """Return (inode, mtime in ns, bytes) of every file in `folder`."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(folder.iterdir())}


def statuses(result) -> dict[str, str]:
    return {job.name: job.status for job in result.jobs}


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def available_formats() -> list[str]:
    """The real renderers that are installed and load (not those that run another program, such as pdf)."""
    names = []
    for name in [name for name, fmt in render.RENDERERS.items() if fmt.needs is None]:
        try:
            module = render.renderer(name)
        except ImportError:
            continue
        if hasattr(module, "render"):
            names.append(name)
    return names


# ---------------------------------------------------------------------------------------------------------------
# Incremental


def test_second_build_writes_nothing(project, fake_formats):
    first = build(BuildRequest())
    assert statuses(first) == {"alpha": "built", "beta": "built"}
    before = snapshot(project / "decks")
    assert set(before) == {"alpha.txt", "alpha.log", "beta.txt", "beta.log", MANIFEST_NAME}

    second = build(BuildRequest())

    assert statuses(second) == {"alpha": "up to date", "beta": "up to date"}
    assert snapshot(project / "decks") == before


def test_editing_one_plan_rebuilds_only_that_plan(project, fake_formats):
    build(BuildRequest())
    before = snapshot(project / "decks")
    write_plan(project / "plans/alpha.yaml", "strategy", "Alpha strategy, revised")

    result = build(BuildRequest())

    assert statuses(result) == {"alpha": "built", "beta": "up to date"}
    after = snapshot(project / "decks")
    assert after["beta.txt"] == before["beta.txt"] and after["beta.log"] == before["beta.log"]
    assert b"Alpha strategy, revised" in after["alpha.txt"][2]


def test_template_change_rebuilds_every_plan(project, fake_formats):
    (project / "templates").mkdir()
    (project / "templates/extra.j2").write_text("one")
    build(BuildRequest(), workers=1)
    (project / "templates/extra.j2").write_text("two")

    result = build(BuildRequest(), workers=1)

    # The fake renderers ignore templates, so the outputs come out the same and are left alone.
    assert statuses(result) == {"alpha": "unchanged", "beta": "unchanged"}
    assert build(BuildRequest(check=True)).stale == []


def test_force_rebuilds_but_leaves_identical_files_alone(project, fake_formats, monkeypatch):
    build(BuildRequest())
    before = snapshot(project / "decks")
    monkeypatch.setattr("os.getpid", lambda: 4242)  # both builds in-process would otherwise differ by pid

    result = build(BuildRequest(force=True), workers=1)

    assert set(statuses(result).values()) == {"built"}
    result = build(BuildRequest(force=True), workers=1)
    assert set(statuses(result).values()) == {"unchanged"}
    assert snapshot(project / "decks")["alpha.txt"][2].endswith(b"pid=4242\n")
    assert before.keys() == snapshot(project / "decks").keys()


def test_format_option_takes_repeats_and_commas(project, fake_formats):
    assert invoke("build", "--format", "txt").exit_code == 0
    assert sorted(p.name for p in (project / "decks").iterdir()) == [MANIFEST_NAME, "alpha.txt", "beta.txt"]
    assert invoke("build", "--format", "log,txt", "--out", "other").exit_code == 0
    assert sorted(p.name for p in (project / "other").iterdir()) == [
        MANIFEST_NAME, "alpha.log", "alpha.txt", "beta.log", "beta.txt"]
    result = invoke("build", "--format", "pdf")
    assert result.exit_code == 1 and "unknown format 'pdf'" in result.output


def test_a_changed_output_is_rebuilt(project, fake_formats):
    build(BuildRequest())
    (project / "decks/beta.txt").write_text("edited by hand")
    (project / "decks/alpha.log").unlink()

    check = build(BuildRequest(check=True))
    assert {(job.name, path.name, reason) for job in check.stale for path, reason in job.stale} == {
        ("alpha", "alpha.log", "missing"), ("beta", "beta.txt", "changed since it was built")}

    result = build(BuildRequest())
    assert statuses(result) == {"alpha": "built", "beta": "built"}
    assert (project / "decks/beta.txt").read_text().startswith(".txt\n30-60-90\nBeta plan")


def test_the_rendering_code_digest_follows_every_change(tmp_path):
    from planforge.freshness import package_digest

    (tmp_path / "render").mkdir()
    (tmp_path / "templates").mkdir()
    (tmp_path / "render/deck.py").write_text("WIDTH = 10\n")
    (tmp_path / "templates/page.j2").write_text("{{ title }}")
    (tmp_path / "cli.py").write_text("not rendering code")
    first = package_digest(tmp_path)
    assert (tmp_path / "__pycache__/rendering-digest.txt").is_file()
    assert package_digest(tmp_path) == first
    (tmp_path / "cli.py").write_text("changed, but it does not render")
    assert package_digest(tmp_path) == first
    (tmp_path / "render/deck.py").write_text("WIDTH = 12\n")  # same size, new content, a moment later
    os.utime(tmp_path / "render/deck.py", ns=(0, (tmp_path / "render/deck.py").stat().st_mtime_ns + 10**9))
    second = package_digest(tmp_path)
    assert second != first
    (tmp_path / "__pycache__/rendering-digest.txt").write_text("garbage")
    assert package_digest(tmp_path) == second
    (tmp_path / "templates/page.j2").unlink()
    assert package_digest(tmp_path) not in (first, second)


def test_build_finds_the_plans_validate_finds(tmp_path):
    from planforge.loading import discover as loading_discover
    from planforge.paths import discover

    for name in ["b/z.yaml", "b/a.yml", "a-b.yaml", "a/c.yaml", ".git/x.yaml", "b/.hidden.yaml", "notes.md",
                 ".venv/lib/site.yaml"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("kind: strategy\n")
    paths = [tmp_path, tmp_path / "b/z.yaml", tmp_path / "missing.yaml"]
    assert discover(paths) == loading_discover(paths)
    assert [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])] == [
        "a/c.yaml", "a-b.yaml", "b/a.yml", "b/z.yaml"]


# ---------------------------------------------------------------------------------------------------------------
# --check


def test_check_fails_after_an_edit_and_passes_after_a_build(project, fake_formats):
    assert invoke("build").exit_code == 0
    assert invoke("build", "--check").exit_code == 0
    write_plan(project / "plans/beta.yaml", "30-60-90", "Beta plan, second draft")
    before = snapshot(project / "decks")

    result = invoke("build", "--check")

    assert result.exit_code == 1
    assert "decks/beta.txt: inputs changed" in result.output and "decks/beta.log: inputs changed" in result.output
    assert "alpha" not in result.output.replace("Alpha", "")
    assert snapshot(project / "decks") == before  # --check writes nothing
    assert invoke("build").exit_code == 0
    result = invoke("build", "--check")
    assert result.exit_code == 0, result.output


def test_check_on_a_fresh_folder_lists_missing_outputs(project, fake_formats):
    result = invoke("build", "--check")
    assert result.exit_code == 1
    assert "decks/alpha.txt: not built yet" in result.output
    assert not (project / "decks").exists()


# ---------------------------------------------------------------------------------------------------------------
# Deleted plans


def test_the_outputs_of_a_deleted_plan_fail_check_and_are_removed_by_build(project, fake_formats):
    assert invoke("build").exit_code == 0
    (project / "plans/beta.yaml").unlink()
    before = snapshot(project / "decks")

    checked = invoke("build", "--check")

    assert checked.exit_code == 1
    assert "decks/beta.txt: left over from plans/beta.yaml, which no longer exists" in checked.output
    assert "decks/beta.log" in checked.output and "alpha" not in checked.output.replace("Alpha", "")
    assert "outputs of 1 deleted plan(s) left over; run `planforge build`" in checked.output
    assert snapshot(project / "decks") == before  # --check writes nothing

    built = build(BuildRequest())

    assert statuses(built) == {"alpha": "up to date", "beta": "removed"} and not built.failed
    assert sorted(p.name for p in (project / "decks").iterdir()) == [MANIFEST_NAME, "alpha.log", "alpha.txt"]
    assert "beta" not in (project / "decks" / MANIFEST_NAME).read_text()
    assert snapshot(project / "decks")["alpha.txt"] == before["alpha.txt"]
    assert invoke("build", "--check").exit_code == 0


def test_a_deleted_plans_output_that_cannot_be_removed_fails_clearly(project, fake_formats):
    assert invoke("build").exit_code == 0
    (project / "plans/beta.yaml").unlink()
    (project / "decks/beta.txt").unlink()
    (project / "decks/beta.txt").mkdir()  # something else took its name

    result = invoke("build")

    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "decks/beta.txt: cannot remove this output of a deleted plan" in result.output
    assert not (project / "decks/beta.log").exists()


def test_the_launcher_does_not_call_a_folder_with_a_deleted_plans_outputs_up_to_date(project, fake_formats):
    from planforge.launch import answer_up_to_date

    assert invoke("build").exit_code == 0
    assert answer_up_to_date(parse_build([]))
    (project / "plans/beta.yaml").unlink()
    assert not answer_up_to_date(parse_build([]))


def test_a_moved_plan_keeps_its_outputs(project, fake_formats):
    assert invoke("build").exit_code == 0
    (project / "plans/team").mkdir()
    (project / "plans/beta.yaml").rename(project / "plans/team/beta.yaml")

    assert invoke("build", "plans/alpha.yaml").exit_code == 0  # plans/ was not searched: beta may have moved
    assert (project / "decks/beta.txt").exists()

    result = build(BuildRequest())

    assert statuses(result) == {"alpha": "up to date", "beta": "up to date"} and not result.failed
    assert '"plan": "../plans/team/beta.yaml"' in (project / "decks" / MANIFEST_NAME).read_text()
    assert invoke("build", "plans/alpha.yaml").exit_code == 0
    assert (project / "decks/beta.txt").exists() and invoke("build", "--check").exit_code == 0


def test_building_some_plans_leaves_the_outputs_of_the_others(project, fake_formats):
    assert invoke("build").exit_code == 0
    write_plan(project / "plans/alpha.yaml", "strategy", "Alpha, revised")

    result = build(BuildRequest(paths=[project / "plans/alpha.yaml"]))

    assert statuses(result) == {"alpha": "built"}
    assert (project / "decks/beta.txt").exists() and invoke("build", "--check").exit_code == 0


def test_an_edited_output_of_a_deleted_plan_is_kept_and_reported(project, fake_formats):
    assert invoke("build").exit_code == 0
    (project / "plans/beta.yaml").unlink()
    (project / "decks/beta.txt").write_text("my own notes\n")

    failed = invoke("build")

    assert failed.exit_code == 1
    assert "decks/beta.txt: left over from plans/beta.yaml, which no longer exists, but changed" in failed.output
    assert (project / "decks/beta.txt").read_text() == "my own notes\n"
    assert not (project / "decks/beta.log").exists()  # still as built: removed
    (project / "decks/beta.txt").unlink()
    assert invoke("build").exit_code == 0
    assert "beta" not in (project / "decks" / MANIFEST_NAME).read_text()


@pytest.mark.parametrize("entry", [
    {"hash": "x", "outputs": ["gone.txt"], "plan": "../plans/gone.yaml"},
    {"hash": "x", "outputs": {"gone.txt": 5}, "plan": "../plans/gone.yaml"},
    {"hash": "x", "outputs": {"gone\u0000.txt": "x"}, "plan": "../plans/gone.yaml"},
    {"hash": "x", "outputs": {"gone.txt": "x"}, "plan": "../plans/\u0000gone.yaml"},
    {"hash": "x", "outputs": {"gone.txt": "x"}, "plan": 7},
    {"hash": "x", "outputs": {"gone.txt": "x"}, "plan": "../plans/other-name.yaml"},
    "not an entry",
], ids=["outputs-list", "hash-number", "nul-output", "nul-plan", "plan-number", "plan-of-another-name", "string"])
def test_a_damaged_manifest_entry_is_dropped_and_removes_nothing(project, fake_formats, entry):
    import json

    assert invoke("build").exit_code == 0
    manifest = project / "decks" / MANIFEST_NAME
    data = json.loads(manifest.read_text())
    data["plans"]["gone"] = entry
    manifest.write_text(json.dumps(data))
    (project / "decks/gone.txt").write_text("someone's file\n")

    for args in (["build", "--check"], ["build"], ["build", "--check"]):
        result = invoke(*args)
        assert result.exit_code == 0 and "Traceback" not in result.output, (args, result.output)

    assert (project / "decks/gone.txt").read_text() == "someone's file\n"
    assert "gone" not in manifest.read_text()


# ---------------------------------------------------------------------------------------------------------------
# Deterministic


def test_two_builds_in_separate_folders_give_identical_outputs(tmp_path, monkeypatch):
    monkeypatch.setattr("planforge.freshness.package_digest", lambda: "pinned: teammates may be saving renderers")
    formats = available_formats()
    assert {"md", "html"} <= set(formats)
    plans = {"strategy.yaml": "strategy", "first-90-days.yaml": "30-60-90"}
    digests = []
    for clone in ("one", "two"):
        folder = tmp_path / clone
        (folder / "plans").mkdir(parents=True)
        for name, kind in plans.items():
            write_plan(folder / "plans" / name, kind, f"Starter {kind}")
        monkeypatch.chdir(folder)
        result = build(BuildRequest(formats=formats))
        assert not result.failed, [p for job in result.jobs for p in job.problems] + result.problems
        digests.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (folder / "decks").iterdir()})
    assert digests[0] == digests[1]
    assert len(digests[0]) == len(plans) * len(formats) + 1


def test_everything_rendering_uses_is_in_the_content_hash(tmp_path):
    """A planforge module that loading or rendering imports must be hashed, or changing it would not rebuild."""
    plans = [tmp_path / "strategy.yaml", tmp_path / "plan.yaml"]
    write_plan(plans[0], "strategy", "Strategy")
    write_plan(plans[1], "30-60-90", "Plan")
    code = f"""
import sys
from planforge.render import RENDERERS, RenderOptions, renderer
from planforge.loading import load_plan
before = set(sys.modules)
for plan in {[str(p) for p in plans]!r}:
    document = load_plan(plan).document
    for name in {available_formats()!r}:
        renderer(name).render(document, RenderOptions())
print("\\n".join(sorted(m.__file__ for m in sys.modules.values() if m.__name__.startswith("planforge"))))
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    package = REPO / "src/planforge"
    hashed = [package / part for part in RENDERING_INPUTS]
    outside = [f for f in run.stdout.split() if Path(f).name != "errors.py"
               and not any(Path(f) == h or h in Path(f).parents for h in hashed)]
    assert outside == [], "add these to freshness.RENDERING_INPUTS"
    assert plans


# ---------------------------------------------------------------------------------------------------------------
# Atomic and isolated


def test_a_broken_plan_fails_with_its_location_and_keeps_its_outputs(project, fake_formats):
    assert invoke("build").exit_code == 0
    before = snapshot(project / "decks")
    manifest = (project / "decks" / MANIFEST_NAME).read_text()
    beta = project / "plans/beta.yaml"
    lines = beta.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("    start_day: 1"))
    lines[start] = "    start_day: one"
    beta.write_text("\n".join(lines) + "\n")
    write_plan(project / "plans/alpha.yaml", "strategy", "Alpha strategy, revised")

    result = invoke("build")

    assert result.exit_code == 1
    assert f"plans/beta.yaml:{start + 1}:16" in result.output
    after = snapshot(project / "decks")
    assert after["beta.txt"] == before["beta.txt"] and after["beta.log"] == before["beta.log"]
    assert b"revised" in after["alpha.txt"][2]  # the other plan still built
    new_manifest = (project / "decks" / MANIFEST_NAME).read_text()
    assert new_manifest != manifest
    beta_entry = lambda text: text[text.index('"beta"'):]  # noqa: E731
    assert beta_entry(new_manifest) == beta_entry(manifest)  # only plans that fully succeeded are recorded


def test_in_github_actions_a_broken_plan_is_annotated_on_its_line(project, fake_formats, monkeypatch):
    beta = project / "plans/beta.yaml"
    lines = beta.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("    start_day: 1"))
    lines[start] = "    start_day: one"
    beta.write_text("\n".join(lines) + "\n")

    annotations = lambda output: [line for line in output.splitlines() if line.startswith("::")]  # noqa: E731
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert annotations(invoke("build").output) == []
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = invoke("build")

    assert result.exit_code == 1
    [line] = annotations(result.output)
    assert line.startswith(f"::error file=plans/beta.yaml,line={start + 1},col=16,title=planforge::")
    assert "whole number" in line and "\n" not in line


def test_a_plan_failing_in_one_format_writes_none_of_its_outputs(project, fake_formats):
    build(BuildRequest())
    before = snapshot(project / "decks")
    write_plan(project / "plans/beta.yaml", "30-60-90", "Beta BOOM")

    result = invoke("build")

    assert result.exit_code == 1
    assert "fake/template.j2:7:3: cannot render 'Beta BOOM'" in result.output
    after = snapshot(project / "decks")
    assert after["beta.txt"] == before["beta.txt"]  # rendered fine, yet not written: the plan failed
    assert "failed" in result.output
    assert invoke("build", "--check").exit_code == 1


def test_output_names_that_leave_the_output_folder_are_refused(project, fake_formats, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "target.txt"
    outside.write_text("precious")
    (project / "decks").mkdir()
    (project / "decks/alpha.txt").symlink_to(outside)
    write_plan(project / "plans/.hidden.yaml", "strategy", "Hidden")  # skipped in a folder, refused when named

    result = invoke("build", "plans", "plans/.hidden.yaml")

    assert result.exit_code == 1
    assert "points outside decks" in result.output
    assert "plan name `.hidden` cannot name an output file" in result.output
    assert outside.read_text() == "precious"
    assert (project / "decks/beta.txt").exists()  # the plans that are fine still build


def test_a_symlinked_manifest_pointing_outside_is_refused(project, fake_formats, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "manifest.json"
    outside.write_text("{}")
    (project / "decks").mkdir()
    (project / "decks" / MANIFEST_NAME).symlink_to(outside)

    result = invoke("build")

    assert result.exit_code == 1 and "points outside decks" in result.output
    assert outside.read_text() == "{}"


def test_two_plans_with_one_name_are_refused(project, fake_formats):
    (project / "plans/more").mkdir()
    write_plan(project / "plans/more/alpha.yaml", "strategy", "Another alpha")
    result = invoke("build")
    assert result.exit_code == 1
    assert "plans/more/alpha.yaml: writes the same outputs as plans/alpha.yaml" in result.output


# ---------------------------------------------------------------------------------------------------------------
# Parallel


def test_several_plans_build_in_parallel_worker_processes(project, fake_formats):
    for index in range(6):
        write_plan(project / f"plans/extra-{index}.yaml", "30-60-90", f"Extra plan {index}")

    result = build(BuildRequest(), workers=2)

    assert set(statuses(result).values()) == {"built"} and len(result.jobs) == 8
    pids = {line for p in (project / "decks").glob("*.txt") for line in p.read_text().splitlines() if "pid=" in line}
    assert pids and f"pid={os.getpid()}" not in pids
    assert build(BuildRequest(check=True)).stale == []


def test_renders_start_heaviest_first_and_plans_finish_in_order(project, fake_formats, monkeypatch, capsys):
    started = []
    monkeypatch.setattr(render.RENDERERS["log"], "weight", 5.0)
    for name in ("txt", "log"):
        module = sys.modules[render.RENDERERS[name].module]
        monkeypatch.setattr(module, "render", lambda document, options, name=name, inner=module.render: (
            started.append((document.title, name)) or inner(document, options)))
    sizes = {title: (project / f"plans/{stem}.yaml").stat().st_size
             for stem, title in (("alpha", "Alpha strategy"), ("beta", "Beta plan"))}
    biggest = max(sizes, key=sizes.get)

    monkeypatch.setenv("CI", "1")
    from planforge.progress import progress_for_output
    result = build(BuildRequest(), progress=progress_for_output(), workers=1)

    assert started[:2] == [(biggest, "log"), (min(sizes, key=sizes.get), "log")]
    assert sorted(started) == sorted((title, name) for title in sizes for name in ("txt", "log"))
    assert [job.name for job in result.jobs] == ["alpha", "beta"]
    lines = [line.split()[1] for line in capsys.readouterr().out.splitlines() if line.strip().startswith("built")]
    assert lines == ["plans/alpha.yaml", "plans/beta.yaml"]


def test_a_single_stale_plan_builds_in_process(project, fake_formats):
    build(BuildRequest())
    write_plan(project / "plans/beta.yaml", "30-60-90", "Beta, once more")
    build(BuildRequest())
    assert f"pid={os.getpid()}" in (project / "decks/beta.txt").read_text()


# ---------------------------------------------------------------------------------------------------------------
# The launcher: fast answers, same command line


@pytest.mark.parametrize("argv", [
    [],
    ["plans/a.yaml", "more"],
    ["--format", "md", "-f", "html,pptx", "--out", "site"],
    ["--format=md", "--out=site", "--check"],
    ["-o", "x", "--force", "--templates", "tpl", "--deck-template", "company.pptx", "--", "--odd-name.yaml"],
])
def test_launcher_reads_build_arguments_like_typer(argv, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    seen = []
    monkeypatch.setattr("planforge.cli.run_build", lambda request: seen.append(request) or 0)
    assert invoke("build", *argv).exit_code == 0
    assert BuildRequest(**parse_build(argv)) == seen[0]


@pytest.mark.parametrize("argv", [["--help"], ["--ghost"], ["--out"], ["-x"]])
def test_launcher_hands_what_it_does_not_know_to_typer(argv):
    assert parse_build(argv) is None


def test_up_to_date_build_imports_nothing_heavy(project):
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    # The rendering-code digest is pinned so that a teammate saving a renderer in between cannot make it stale.
    code = ("import sys, planforge.freshness as f; f.package_digest = lambda package=None: 'pinned'; "
            "from planforge.launch import main; sys.argv = ['planforge', 'build', '-f', 'md'] + sys.argv[1:]; "
            "main(); print(sorted({m.split('.')[0] for m in sys.modules} & %r))" % HEAVY)
    runs = [subprocess.run([sys.executable, "-c", code, *extra], capture_output=True, text=True, env=env, cwd=project)
            for extra in ([], [], ["--check"])]
    assert [run.returncode for run in runs] == [0, 0, 0], runs[0].stderr
    assert "built" in runs[0].stdout
    assert runs[1].stdout.splitlines() == ["2 plans up to date in decks/ (nothing to build)", "[]"]
    assert runs[2].stdout.splitlines() == ["2 plans up to date in decks/ (nothing to build)", "[]"]


def test_launcher_builds_without_typer_and_keeps_renderers_out_of_the_main_process(project):
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    code = ("import sys; from planforge.launch import main; sys.argv = ['planforge', 'build']; code = main(); "
            "print(code, sorted({m.split('.')[0] for m in sys.modules} & %r))" % HEAVY)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=project)
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in (project / "decks").glob("[!.]*")) == [
        f"{stem}.{suffix}" for stem in ("alpha", "beta") for suffix in ("html", "md", "pptx")]
    code, imported = run.stdout.splitlines()[-1].split(" ", 1)
    assert code == "0" and "typer" not in imported
    if (os.cpu_count() or 1) >= 2:
        # Plans were loaded and rendered in worker processes, and the documents came back pickled: the main process
        # never paid for Pydantic, Jinja or python-pptx, which would have competed with the workers for the cores.
        assert imported == "['rich']"


def test_a_renderer_that_cannot_be_imported_fails_each_plan_with_a_hint(project, fake_formats, monkeypatch):
    monkeypatch.setitem(render.RENDERERS, "odt", render.Format("planforge_test_missing_module", ".odt"))

    result = build(BuildRequest(formats=["txt", "odt"]), workers=1)

    assert statuses(result) == {"alpha": "failed", "beta": "failed"}
    problems = [problem for job in result.jobs for problem in job.problems]
    assert [problem.message for problem in problems] == [
        "the odt renderer cannot be loaded: No module named 'planforge_test_missing_module'"] * 2
    assert all("installation" in problem.hint for problem in problems)
    assert not (project / "decks/alpha.txt").exists()


def test_ctrl_c_before_the_build_takes_it_exits_130_without_a_traceback(monkeypatch, capsys):
    import planforge.launch

    def interrupted(values):
        raise KeyboardInterrupt

    monkeypatch.setattr(planforge.launch, "run_build", interrupted)
    monkeypatch.setattr(sys, "argv", ["planforge", "build"])
    assert planforge.launch.main() == 130
    assert capsys.readouterr().err == "interrupted\n"


def test_help_is_typer_help_answered_from_a_cache(tmp_path):
    cache = REPO / "src/planforge/__pycache__" / f"help-{cli_checksum()}.txt"
    cache.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    code = ("import sys; from planforge.launch import main; sys.argv = ['planforge', '--help']; main(); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & %r))" % HEAVY)
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
            for _ in range(2)]
    help_text = render_help()
    assert "Usage: planforge [OPTIONS] COMMAND" in help_text and "build" in help_text
    assert runs[0].stdout.startswith(help_text) and runs[1].stdout.startswith(help_text)
    assert runs[1].stdout[len(help_text):] == "[]\n"  # the second answer came from the cache, without Typer
    assert cache.read_text() == help_text


# ---------------------------------------------------------------------------------------------------------------
# planforge new


@pytest.mark.parametrize("kind, expected", [("strategy", "strategy"), ("30-60-90", "30-60-90"), ("plan", "30-60-90")])
def test_new_writes_a_commented_plan_that_validates(kind, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema/planforge.schema.json").write_text("{}")

    result = invoke("new", kind, "q3-growth")

    assert result.exit_code == 0, result.output
    path = tmp_path / "plans/q3-growth.yaml"
    text = path.read_text()
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schema/planforge.schema.json"
    assert text.count("\n#") >= 3
    document = load_plan(path).document
    assert document.kind == expected and document.title == "Q3 growth"


def test_new_refuses_to_overwrite(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("new", "strategy", "mine", "--dir", "elsewhere").exit_code == 0
    original = (tmp_path / "elsewhere/mine.yaml").read_bytes()
    result = invoke("new", "30-60-90", "mine.yaml", "--dir", "elsewhere")
    assert result.exit_code == 1 and "already exists" in result.output
    assert (tmp_path / "elsewhere/mine.yaml").read_bytes() == original
    assert invoke("new", "roadmap", "x").exit_code == 1
    assert invoke("new", "strategy", "../escape").exit_code == 1


# ---------------------------------------------------------------------------------------------------------------
# planforge watch


def test_watch_rebuilds_a_plan_when_it_changes(project, fake_formats):
    from planforge.watch import watch

    stop = threading.Event()
    calls: list[list[str]] = []
    rebuilt = threading.Event()

    def rebuild(changes: list[str]) -> None:
        calls.append(changes)
        result = build(BuildRequest(), workers=1)
        assert not result.failed
        if changes:
            rebuilt.set()

    thread = threading.Thread(target=watch, args=(BuildRequest(), rebuild, stop), daemon=True)
    thread.start()
    try:
        for _ in range(100):
            if (project / "decks/beta.txt").exists():
                break
            threading.Event().wait(0.05)
        for attempt in range(20):  # the watcher starts after the first build returns: edit until it notices
            write_plan(project / "plans/beta.yaml", "30-60-90", f"Beta, watched {attempt}")
            if rebuilt.wait(1):
                break
        assert rebuilt.is_set(), calls
    finally:
        stop.set()
        thread.join(10)
    assert any(path.endswith("beta.yaml") for path in calls[-1])
    assert "Beta, watched" in (project / "decks/beta.txt").read_text()


def test_a_change_to_the_project_settings_rebuilds_its_plans(project, fake_formats):
    # The project's default language and layouts change what a plan loads to, so its outputs go stale with them.
    (project / "planforge.toml").write_text('lang = "en-CA"\n', encoding="utf-8")
    assert invoke("build").exit_code == 0
    assert invoke("build", "--check").exit_code == 0
    (project / "planforge.toml").write_text('lang = "fr-CA"\n', encoding="utf-8")
    checked = invoke("build", "--check")
    assert checked.exit_code == 1 and "2 of 2 plan(s) out of date" in checked.output
    assert invoke("build").exit_code == 0 and invoke("build", "--check").exit_code == 0


def test_a_plans_hash_is_the_same_in_every_clone(tmp_path):
    # The manifest is committed: a plan's hash must not depend on the folder the project was cloned into.
    from planforge.freshness import plan_digest

    digests = []
    for clone in ("one", "two/deeper"):
        folder = tmp_path / clone
        (folder / "plans").mkdir(parents=True)
        (folder / "pyproject.toml").write_text('[tool.planforge]\nlang = "en-CA"\n', encoding="utf-8")
        plan = folder / "plans" / "q.yaml"
        plan.write_bytes(b"kind: strategy\n")
        digests.append(plan_digest("environment", plan, plan.read_bytes()))
    assert digests[0] == digests[1]


def test_a_warning_only_one_plan_gave_names_that_plan(tmp_path):
    from planforge.build import BuildResult, PlanJob

    alpha = PlanJob(Path("plans/alpha.yaml"), status="built",
                    warnings=["brand.pptx: the font 'X' is not installed", "title shortened to fit the slide: Grow…"])
    beta = PlanJob(Path("plans/beta.yaml"), status="built", warnings=["brand.pptx: the font 'X' is not installed"])
    idle = PlanJob(Path("plans/gamma.yaml"))  # up to date: rendered nothing
    result = BuildResult(BuildRequest(), [alpha, beta, idle], [])

    assert result.warnings == ["brand.pptx: the font 'X' is not installed",  # once for both plans, as before
                               "plans/alpha.yaml: title shortened to fit the slide: Grow…"]
    # A build of one plan says its warnings as they are.
    assert BuildResult(BuildRequest(), [alpha, idle], []).warnings == alpha.warnings
