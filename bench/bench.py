"""`make bench`: how fast planforge builds, against the targets in the README. Prints one table; not a test.

Measures, each as the best of several runs in fresh processes: a bare `python -c pass`; `planforge --help`; a cold
build of both seed plans to every format; a no-op rebuild; pandoc turning planforge's Markdown of the 30-60-90 plan
into a .pptx (the reference); the imports the process that renders the biggest deck cannot do without (the floor
under any cold build); and one build of many generated plans with the CPU time its processes used, to show
whether every core was kept busy. Commands compared with each other run in turns, so that a machine shared with other
work slows them alike.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = [REPO / "plans/30-60-90-day-plan.yaml", REPO / "plans/lrp-brainstorming.yaml"]
BIN = Path(sys.executable).parent
PLANFORGE = str(BIN / "planforge")
RESULTS = REPO / ".bench/last.json"


def environment() -> dict[str, str]:
    """The environment of the measured commands: as a user's shell has it, bytecode caching on, plain output."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["CI"] = "1"
    return env


def run(command: list[str], cwd: Path, check: bool = True) -> float:
    """Run a command with its output discarded; return its wall-clock seconds."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - started
    if check and done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr.decode(errors='replace')}")
    return seconds


def in_turns(times: int, *measurements: tuple) -> list[float]:
    """Return the shortest of `times` runs of each (command, folder, setup or None), the commands run in turns.

    Taking turns lets compared commands see the machine in the same state, which matters when it is shared.
    """
    results: list[list[float]] = [[] for _ in measurements]
    for _ in range(times):
        for index, (command, cwd, setup) in enumerate(measurements):
            if setup is not None:
                setup()
            results[index].append(run(command, cwd))
    return [min(times_taken) for times_taken in results]


def seed_project(folder: Path) -> Path:
    """Make a project folder holding copies of both seed plans; return it."""
    (folder / "plans").mkdir(parents=True)
    for seed in SEEDS:
        shutil.copy(seed, folder / "plans" / seed.name)
    return folder


def generated_project(folder: Path, count: int) -> Path:
    """Make a project folder of `count` plans: copies of the seeds, each with its own title."""
    (folder / "plans").mkdir(parents=True)
    texts = [seed.read_text(encoding="utf-8") for seed in SEEDS]
    for index in range(count):
        text = texts[index % len(texts)]
        text = re.sub(r"^title: (.*)$", lambda m: f"title: {m.group(1)} (variant {index + 1})", text, count=1,
                      flags=re.MULTILINE)
        (folder / "plans" / f"plan-{index + 1:03d}.yaml").write_text(text, encoding="utf-8")
    return folder


def children_cpu() -> float:
    """Return the CPU seconds (user + system) used so far by finished child processes and their children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=200, help="how many generated plans to build at once (0: skip)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each quick measurement (best is kept)")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    scratch = Path(tempfile.mkdtemp(prefix="planforge-bench-"))
    try:
        figures = measure(scratch, args.plans, args.runs, cores)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report(figures, cores, args.plans)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")


def measure(scratch: Path, plans: int, runs: int, cores: int) -> dict[str, float]:
    """Take every measurement; return them by name (seconds, or cores for utilisation)."""
    figures: dict[str, float] = {}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "src/planforge")], check=True,
                   env=environment(), stdout=subprocess.DEVNULL)
    python = [sys.executable, "-c", "pass"]
    run([PLANFORGE, "--help"], scratch)  # the first --help after a change to cli.py fills the cache
    project = seed_project(scratch / "seeds")
    decks = project / "decks"
    run([PLANFORGE, "build"], project)
    markdown = scratch / "30-60-90-day-plan.md"
    shutil.copy(decks / markdown.name, markdown)

    figures["python"], figures["help"], figures["noop"] = in_turns(
        runs * 6, (python, scratch, None), ([PLANFORGE, "--help"], scratch, None), ([PLANFORGE, "build"], project, None))
    # The fewest imports of the process that renders the 30-60-90 deck on a cold build (it loads the plan, so needs
    # the YAML reader and the models, and draws the deck): no cold build can end sooner.
    floor = ([sys.executable, "-c", "import planforge.loading, planforge.model, pptx"], scratch, None)
    cold = ([PLANFORGE, "build"], project, lambda: shutil.rmtree(decks, ignore_errors=True))
    if shutil.which("pandoc"):
        figures["cold"], figures["floor"], figures["pandoc"] = in_turns(
            runs, cold, floor, (["pandoc", str(markdown), "-o", str(scratch / "pandoc.pptx")], scratch, None))
    else:
        figures["cold"], figures["floor"] = in_turns(runs, cold, floor)

    figures["load_average"] = os.getloadavg()[0]
    if not plans:
        return figures
    many = generated_project(scratch / "many", plans)
    cpu_before = children_cpu()
    figures["many"], figures["many_runnable"] = run_sampled([PLANFORGE, "build"], many, cores)
    figures["many_cpu"] = children_cpu() - cpu_before
    figures["many_cores"] = figures["many_cpu"] / figures["many"]
    figures["load_average"] = os.getloadavg()[0]
    return figures


def run_sampled(command: list[str], cwd: Path, cores: int) -> tuple[float, float]:
    """Run a build; return (wall seconds, how many of its processes wanted a core, on average, up to `cores`).

    The second figure shows whether the build keeps every core busy even when other work on the machine takes
    some of them: CPU time over wall time alone would blame the build for the machine being shared.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    samples: list[int] = []
    while process.poll() is None:
        samples.append(min(cores, runnable(process.pid)))
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{process.stderr.read().decode(errors='replace')}")
    return seconds, sum(samples) / max(1, len(samples))


def runnable(pid: int) -> int:
    """Return how many of `pid` and its child processes are running or waiting for a core (Linux /proc)."""
    count = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, parent = fields[0], int(fields[1])
        if (int(entry) == pid or parent == pid) and state == "R":
            count += 1
    return count


def report(figures: dict[str, float], cores: int, plans: int) -> None:
    """Print the figures and whether each meets its target."""
    python = figures["python"]
    pandoc = figures.get("pandoc")
    rows = [
        ("python -c pass", ms(python), "", ""),
        ("planforge --help", ms(figures["help"]), f"≤ 5× python = {ms(5 * python)}",
         verdict(figures["help"] <= 5 * python)),
        ("no-op rebuild, 2 plans", ms(figures["noop"]), f"≤ 3× python = {ms(3 * python)}",
         verdict(figures["noop"] <= 3 * python)),
        ("cold build, 2 plans × md, html, pptx", seconds(figures["cold"]),
         f"≤ pandoc = {seconds(pandoc)}" if pandoc else "pandoc missing",
         verdict(figures["cold"] <= pandoc) if pandoc else ""),
        ("pandoc 30-60-90 .md → .pptx", seconds(pandoc) if pandoc else "–", "(reference)", ""),
        ("imports of the deck's process alone", seconds(figures["floor"]), "Pydantic + models, ruamel, python-pptx",
         "(floor)"),
    ]
    if plans:
        rows.append((f"{plans} plans × md, html, pptx", seconds(figures["many"]),
                     f"wanted {figures['many_runnable']:.2f} of {cores} cores, used {figures['many_cores']:.2f}",
                     verdict(figures["many_runnable"] >= 0.85 * cores)))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    print(f"planforge bench: best of several runs; {cores} cores; Python {sys.version.split()[0]}; "
          f"load average {figures['load_average']:.1f} at the end (above ~0.5, other work shared the cores)")
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


def ms(value: float) -> str:
    return f"{value * 1000:.1f} ms"


def seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} s"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


if __name__ == "__main__":
    main()
