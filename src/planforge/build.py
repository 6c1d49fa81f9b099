"""`planforge build`: plans → Markdown, HTML and decks, skipping plans whose outputs are already current.

Phases, in order: discover → load all → render → write. The order is the guarantee users rely on:
- discover first: every plan is named, hashed and given its output paths before any work, so output names that
  collide or escape the output folder are refused before anything is read, and current plans are skipped without
  importing Pydantic, Jinja or python-pptx (that is what keeps a no-op build fast);
- load all before rendering: validation is cheap and rendering is not, so every plan's mistakes are reported in one
  run, and renderers only ever see valid documents;
- render every format of a plan before writing any: a plan that fails in any format leaves all of its previous
  outputs untouched, and only plans that fully succeeded are recorded in the manifest;
- remove last: the outputs of plans whose file is gone from the folders built are removed once everything else is
  written (and only when they are still as built), so the output folder holds the outputs of existing plans alone.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from planforge.errors import PlanforgeError, Problem
from planforge.inputs import MAX_PLAN_BYTES, InputRefused, read_bytes, refusal
from planforge.freshness import Manifest, environment_digest, plan_digest, sha256_bytes, sha256_file, split_formats
from planforge.paths import DEFAULT_OUT, DEFAULT_PLANS, default_templates, discover, output_path, plan_name
from planforge import render as registry
from planforge.render import RenderOptions
from planforge.writing import folder_lock, remove_abandoned, write_atomic, write_together


@dataclass
class BuildRequest:
    """What to build: plan paths (default plans/), formats (default all), output folder, templates, and whether to
    rebuild everything or only check."""

    paths: list[Path] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    out: Path = Path(DEFAULT_OUT)
    templates_dir: Path | None = None
    deck_template: Path | None = None
    force: bool = False
    check: bool = False
    deck_layouts: tuple[tuple[str, str], ...] = ()
    """`--layout ROLE=NAME`: the company template's layout for a slide role."""
    font_dirs: tuple[Path, ...] = ()
    """`--font-dir`: folders of font files a company template's fonts are measured with."""
    keep_external_links: bool = False
    """`--keep-external-links`: keep the deck template's external relationships (removed with a warning)."""

    def __post_init__(self) -> None:
        self.paths = [Path(p) for p in self.paths] or [Path(DEFAULT_PLANS)]
        self.formats = list(self.formats)
        self.out = Path(self.out)
        templates_dir = default_templates(self.templates_dir)
        self.templates_dir = Path(templates_dir) if templates_dir is not None else None
        self.deck_template = Path(self.deck_template) if self.deck_template is not None else None


@dataclass
class PlanJob:
    """One plan through the build: where it is, its hash, its outputs, and how it went."""

    plan: Path
    digest: str = ""
    outputs: dict[str, Path] = field(default_factory=dict)
    stale: list[tuple[Path, str]] = field(default_factory=list)
    status: str = "up to date"
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    source: bytes | None = None
    """The plan's bytes as read once when it was hashed; loaded from these, then dropped."""
    document: object = None
    rendered: dict[str, bytes] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    """What rendering it warned about (PlanforgeWarning messages)."""
    topic_titles: int = 0
    """How many slides of its deck show a made-up topic title instead of an action title from the plan."""
    deleted: bool = False
    """The plan file is gone: its outputs, left in the output folder, are to be removed."""

    @property
    def name(self) -> str:
        """The name the plan's outputs get."""
        return plan_name(self.plan)

    @property
    def failed(self) -> bool:
        return bool(self.problems)


@dataclass
class BuildResult:
    """What a build did to each plan."""

    request: BuildRequest
    jobs: list[PlanJob]
    problems: list[Problem]
    """Problems that belong to no single plan (e.g. no plans found, an unwritable manifest)."""

    @property
    def failed(self) -> bool:
        return bool(self.problems) or any(job.failed for job in self.jobs)

    @property
    def warnings(self) -> list[str]:
        """Every warning of the build once, in the order first given (a template's, once for all its plans); when
        several plans were rendered, one that only one plan gave names that plan ("plans/q3.yaml: title …")."""
        said: dict[str, list[PlanJob]] = {}
        for job in self.jobs:
            for message in dict.fromkeys(job.warnings):
                said.setdefault(message, []).append(job)
        several = sum(1 for job in self.jobs if job.status in ("built", "unchanged", "failed")) > 1
        return [f"{jobs[0].plan}: {message}" if several and len(jobs) == 1 else message
                for message, jobs in said.items()]

    @property
    def topic_titles(self) -> int:
        """Slides with made-up topic titles in the decks this build rendered."""
        return sum(job.topic_titles for job in self.jobs)

    @property
    def stale(self) -> list[PlanJob]:
        return [job for job in self.jobs if job.stale]


class Progress:
    """Receives build events; the default says nothing."""

    def phase(self, name: str, total: int) -> None:
        """A phase begins that will handle `total` plans."""

    def advance(self, job: PlanJob, phase: str) -> None:
        """`job` finished `phase` (successfully or not: see `job.problems`)."""

    def waiting(self, out: Path) -> None:
        """Another build is writing into the output folder `out`; this one waits for it to finish."""

    def close(self) -> None:
        """The build is over (also after an error)."""


# ---------------------------------------------------------------------------------------------------------------
# The build


def build(request: BuildRequest, progress: Progress | None = None, workers: int | None = None) -> BuildResult:
    """Build (or with `request.check`, only inspect) the plans of `request`; never raises for a plan's mistakes."""
    progress = progress or Progress()
    try:
        formats = split_formats(request.formats, list(registry.RENDERERS), registry.default_formats())
        jobs, manifest = discover_phase(request, formats)
    except PlanforgeError as error:
        return BuildResult(request, [], error.problems)
    todo = [job for job in jobs if not job.failed and not job.deleted and (job.stale or request.force)]
    deleted = [job for job in jobs if job.deleted]
    for job in jobs:
        if job not in todo:
            job.source = None
    if request.check or not (todo or deleted or manifest.changed()):
        return BuildResult(request, jobs, [])
    if todo:
        registry.require_tools(formats)  # a missing LibreOffice stops the build here, before anything is written
        options = RenderOptions(templates_dir=request.templates_dir, deck_template=request.deck_template,
                                deck_layouts=tuple(request.deck_layouts), layouts_source="--layout",
                                font_dirs=tuple(Path(d) for d in request.font_dirs),
                                keep_external_links=request.keep_external_links)
        with Workers(len(todo), workers) as pool:
            load_phase(todo, pool, progress)
            render_phase([job for job in todo if not job.failed], formats, options, pool, progress)
    # Writing, removing and saving the manifest happen under the output folder's lock, on the manifest as it is
    # then: two builds into one folder (watch and a terminal, two editors) each keep the other's entries.
    try:
        with folder_lock(request.out, lambda: progress.waiting(request.out)):
            manifest.refresh()
            if todo:
                write_phase(todo, manifest, progress)
            remove_phase(deleted, manifest)
            problems = save_manifest(manifest)
    except PlanforgeError as error:
        return BuildResult(request, jobs, error.problems)
    return BuildResult(request, jobs, problems)


def deck_options(request: BuildRequest) -> tuple[str, ...]:
    """The command line's layout choices and font folders (with their fonts' names and sizes), for the hash."""
    parts = [f"layout {role}={name}" for role, name in request.deck_layouts]
    if request.keep_external_links:
        parts.append("keep external links")
    for folder in request.font_dirs:
        files = sorted(p for p in Path(folder).rglob("*") if p.is_file()) if Path(folder).is_dir() else []
        parts += [f"font {folder}"] + [f"{p.relative_to(folder)} {p.stat().st_size}" for p in files[:1000]]
    return tuple(parts)


def discover_phase(request: BuildRequest, formats: list[str]) -> tuple[list[PlanJob], Manifest]:
    """Find the plans, name their outputs, hash their inputs and mark which are stale."""
    files = discover(request.paths)
    if not files:
        raise PlanforgeError([Problem(", ".join(map(str, request.paths)), None, None, "no plan files found",
                                      "give .yaml plan files or folders that hold them")])
    suffixes = {name: registry.suffix(name) for name in formats}
    manifest = Manifest(request.out)
    environment = environment_digest(request.templates_dir, request.deck_template, formats, deck_options(request))
    jobs = [PlanJob(file) for file in files]
    first_by_name: dict[str, PlanJob] = {}
    for job in jobs:
        try:
            job.outputs = {name: output_path(request.out, job.plan, suffix) for name, suffix in suffixes.items()}
            # One read: the bytes hashed here are the bytes loaded, so a save in between cannot record one text's
            # hash with outputs of another.
            job.source = read_bytes(job.plan, MAX_PLAN_BYTES, what="plan", root=os.getcwd())
            job.digest = plan_digest(environment, job.plan, job.source)
        except PlanforgeError as error:
            job.problems = error.problems
        except InputRefused as refused:
            if refused.message == "no such file":
                refused.message, refused.hint = ("no such plan file or folder",
                                                 "check the path; without paths, planforge builds the plans in plans/")
            job.problems = refusal(refused, PlanforgeError).problems
        if job.name in first_by_name:
            other = first_by_name[job.name]
            job.problems.append(Problem(job.plan, None, None, f"writes the same outputs as {other.plan}",
                                        "plans in different folders need different file names"))
        first_by_name.setdefault(job.name, job)
        if job.failed:
            job.status = "failed"
            continue
        job.stale = manifest.stale_outputs(job.name, job.digest, list(job.outputs.values()))
        manifest.track(job.name, job.plan)
        if job.stale:
            job.status = "stale"
    for name, plan, outputs in manifest.orphans({job.name for job in jobs}, request.paths):
        if not outputs:  # removed by hand already: only the record is left to drop
            manifest.forget(name)
            continue
        shown = Path(os.path.normpath(os.path.join(request.out, plan)))
        jobs.append(PlanJob(shown, digest="", outputs={Path(path).name: Path(path) for path in outputs},
                            stale=[(Path(path), f"left over from {shown}, which no longer exists") for path in outputs],
                            status="plan deleted", deleted=True))
    return jobs, manifest


def load_phase(jobs: list[PlanJob], pool: Workers, progress: Progress) -> None:
    """Load and validate every plan (in parallel when there are several), collecting their problems."""
    progress.phase("load", len(jobs))
    for job, (document, problems, seconds) in zip(jobs, pool.map(load_one, [(job.plan, job.source) for job in jobs])):
        job.document, job.problems, job.seconds = document, problems, job.seconds + seconds
        job.source = None
        if job.failed:
            job.status = "failed"
        progress.advance(job, "load")


def render_phase(jobs: list[PlanJob], formats: list[str], options, pool: Workers, progress: Progress) -> None:
    """Render every format of every loaded plan in memory, the heaviest renders first."""
    progress.phase("render", len(jobs))
    # Longest first: the workers then finish together, instead of one rendering the biggest deck while the others
    # wait (a deck takes several times as long as a page; a bigger plan, longer).
    tasks = sorted(((number, name) for number in range(len(jobs)) for name in formats),
                   key=lambda task: render_weight(jobs[task[0]], task[1]), reverse=True)
    results = pool.map(render_one, [(jobs[number].plan, jobs[number].document, name, options)
                                    for number, name in tasks])
    outcomes: dict[tuple[int, str], tuple] = {}
    done = 0
    for task, outcome in zip(tasks, results):
        outcomes[task] = outcome
        # Plans are finished in their own order, each once all its formats are in, so what is shown stays in order.
        while done < len(jobs) and all((done, name) in outcomes for name in formats):
            _finish_render(jobs[done], [outcomes[done, name] for name in formats], formats)
            progress.advance(jobs[done], "render")
            done += 1


def render_weight(job: PlanJob, name: str) -> float:
    """How long rendering the plan to a format should take, relatively: the renderer's weight times the plan's size."""
    try:
        size = os.path.getsize(job.plan)
    except OSError:  # the plan went away after loading; its document is still here to render
        size = 0
    return registry.RENDERERS[name].weight * size


def _finish_render(job: PlanJob, outcomes: list[tuple], formats: list[str]) -> None:
    for name, (data, problems, seconds, said, topics) in zip(formats, outcomes):
        job.seconds += seconds
        job.problems.extend(problems)
        job.warnings.extend(said)
        job.topic_titles = max(job.topic_titles, topics)  # a deck and its PDF have the same slides
        if data is not None:
            job.rendered[name] = data
    job.document = None
    if job.failed:
        job.status = "failed"
        job.rendered = {}


def write_phase(jobs: list[PlanJob], manifest: Manifest, progress: Progress) -> None:
    """Write the outputs of every fully rendered plan (unchanged files are left alone) and record them."""
    progress.phase("write", len([job for job in jobs if not job.failed]))
    remove_abandoned(Path(manifest.out))
    for job in jobs:
        if job.failed:
            continue
        started = time.perf_counter()
        try:
            changed = [(job.outputs[name], data) for name, data in job.rendered.items()
                       if sha256_file(job.outputs[name]) != sha256_bytes(data)]
            # All of a plan's outputs or none: they always come from one version of the plan.
            write_together(changed)
            written = len(changed)
        except PlanforgeError as error:
            job.problems, job.status = error.problems, "failed"
        except Exception as exc:  # a bug or MemoryError: write_atomic left the old file whole; fail this plan only
            job.problems, job.status = [_internal_problem(job.plan, "writing its outputs", exc)], "failed"
        else:
            manifest.record(job.name, job.digest,
                            {job.outputs[name].name: sha256_bytes(data) for name, data in job.rendered.items()}, job.plan)
            job.status = "built" if written else "unchanged"
        job.rendered = {}
        job.seconds += time.perf_counter() - started
        progress.advance(job, "write")


def remove_phase(jobs: list[PlanJob], manifest: Manifest) -> None:
    """Remove the outputs of deleted plans that are still as built; an output changed since is kept, and reported."""
    for job in jobs:
        entry = manifest.plans.get(job.name)
        if entry is None:  # another build into this folder removed them meanwhile
            job.status = "removed"
            continue
        recorded = entry["outputs"]
        for path in job.outputs.values():
            try:
                if sha256_file(path) != recorded.get(path.name):
                    job.problems.append(Problem(path, None, None, f"left over from {job.plan}, which no longer "
                                                "exists, but changed since planforge built it, so it was kept",
                                                "delete it, or move it out of the output folder to keep it"))
                    continue
                os.unlink(path)
            except OSError as exc:
                job.problems.append(Problem(path, None, None, f"cannot remove this output of a deleted plan: "
                                            f"{exc.strerror}", "check the folder's permissions, or delete it by hand"))
        if job.failed:
            job.status = "failed"
        else:
            job.status = "removed"
            manifest.forget(job.name)


def save_manifest(manifest: Manifest) -> list[Problem]:
    """Write the manifest when it changed; return the problems of writing it."""
    if manifest.changed():
        try:
            write_atomic(manifest.path, manifest.serialise().encode("utf-8"))
        except PlanforgeError as error:
            return error.problems
    return []


# ---------------------------------------------------------------------------------------------------------------
# Work done in worker processes (top-level functions, so they can be sent to them)


def load_one(task: tuple[Path, bytes | None]) -> tuple[bytes | None, list, float]:
    """Load one plan from the bytes read when it was hashed; return (the document pickled, or None; problems; seconds).

    The document travels pickled so that the main process, which only passes it on to a renderer, never has to
    import Pydantic and the plan models to receive it: on a cold build that import would compete with the workers.
    """
    import pickle

    from planforge.loading import load_plan

    plan, data = task
    started = time.perf_counter()
    try:
        document = pickle.dumps(load_plan(plan, data).document, pickle.HIGHEST_PROTOCOL)
        return document, [], time.perf_counter() - started
    except PlanforgeError as error:
        return None, error.problems, time.perf_counter() - started
    except Exception as exc:  # a bug must fail this plan only, and say where it happened
        return None, [_internal_problem(plan, "loading", exc)], time.perf_counter() - started


def render_one(task: tuple) -> tuple[bytes | None, list, float, list[str], int]:
    """Render one plan (its document pickled by `load_one`) to one format; return (bytes or None, problems,
    seconds, the PlanforgeWarnings it gave as text, how many slides have made-up topic titles)."""
    import pickle
    import warnings

    from planforge.errors import PlanforgeWarning

    plan, document, name, options = task
    started = time.perf_counter()
    try:
        module = registry.renderer(name)
    except ImportError as exc:
        return None, [Problem(plan, None, None, f"the {name} renderer cannot be loaded: {exc}",
                              "this is a problem of the planforge installation; choose other formats")], 0.0, [], 0
    # Caught, not printed here: the build prints each once (a template's warning is the same for every plan),
    # as `warning: …` rather than Python's lines with the source of the call.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PlanforgeWarning)
        topics = 0
        try:
            loaded = pickle.loads(document)
            data, problems = module.render(loaded, options), []
            # A renderer that draws slides says how many carry made-up topic titles (the build sums them up).
            if counter := getattr(module, "topic_titles", None):
                topics = counter(loaded)
        except PlanforgeError as error:
            data, problems = None, error.problems
        except Exception as exc:  # a renderer bug must fail this plan only, and say where it happened
            data, problems = None, [_internal_problem(plan, f"rendering {name}", exc)]
    said = [str(w.message) for w in caught if issubclass(w.category, PlanforgeWarning)]
    for other in caught:
        if not issubclass(other.category, PlanforgeWarning):
            warnings.warn_explicit(other.message, other.category, other.filename, other.lineno)
    return data, problems, time.perf_counter() - started, said, topics


def _internal_problem(plan: Path, doing: str, exc: Exception):
    import traceback

    frame = traceback.extract_tb(exc.__traceback__)[-1]
    return Problem(plan, None, None, f"internal error while {doing}: {type(exc).__name__}: {exc}",
                   f"this is a bug in planforge ({frame.filename}:{frame.lineno}); please report it with this plan")


def _leave_interrupts() -> None:
    """In a worker: let Ctrl+C stop the build in the main process alone, rather than in every worker at once."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Workers:
    """Runs a function over items: in worker processes over the machine's cores when several plans need
    building, else in this process (no worker start-up to pay for one plan)."""

    def __init__(self, count: int, workers: int | None = None):
        self.size = min(count, workers or os.cpu_count() or 1)
        self.pool = None
        if self.size >= 2:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # fork starts workers without re-importing planforge; elsewhere (macOS, Windows) it is unsafe or missing.
            context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
            self.pool = ProcessPoolExecutor(max_workers=self.size, mp_context=context, initializer=_leave_interrupts)

    def map(self, function, items: list):
        """Yield `function(item)` for every item, in item order, as results arrive."""
        if self.pool is None:
            return (function(item) for item in items)
        # One item at a time: a deck takes seconds, far more than sending it, and the last worker to finish
        # then waits for at most one item.
        return self.pool.map(function, items)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
