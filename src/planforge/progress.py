"""How a build looks: a Rich progress bar and table on a terminal, plain lines in CI logs and pipes."""

from __future__ import annotations

import os
import sys

from planforge.build import BuildResult, PlanJob, Progress
from planforge.console import printable

PHASES = ("load", "render", "write")


def plain_output() -> bool:
    """Return whether to print plain lines: in CI (`CI` set) or when stdout is not a terminal."""
    return bool(os.environ.get("CI")) or not sys.stdout.isatty()


def _finished(job: PlanJob, phase: str) -> bool:
    return job.failed or phase == "write"


class PlainProgress(Progress):
    """One line per plan when it is done: what happened, where it went, how long it took."""

    def phase(self, name: str, total: int) -> None:
        if name == "load":
            print(f"building {total} plan{'s' if total != 1 else ''}", flush=True)

    def waiting(self, out) -> None:
        print(f"waiting for another planforge build to finish writing into {printable(out)}/", file=sys.stderr,
              flush=True)

    def advance(self, job: PlanJob, phase: str) -> None:
        if _finished(job, phase):
            print(f"{job.status:>9}  {printable(job.plan)}  {job.seconds:.2f} s", flush=True)


class RichProgress(Progress):
    """A progress bar over every plan and phase, cleared when the build ends."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        # Refreshed by hand, not by Rich's timer thread: worker processes are forked, and forking while another
        # thread may hold a lock is how child processes deadlock.
        self.bar = Progress(TextColumn("{task.description:<8}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), console=Console(highlight=False, emoji=False), auto_refresh=False,
                            transient=True)
        self.task = None

    def phase(self, name: str, total: int) -> None:
        if self.task is None:
            self.bar.start()
            self.task = self.bar.add_task(name, total=total * len(PHASES))
        self.bar.update(self.task, description=name)
        self.bar.refresh()

    def waiting(self, out) -> None:
        self.bar.console.print(f"waiting for another planforge build to finish writing into {printable(out)}/",
                               markup=False)
        self.bar.refresh()

    def advance(self, job: PlanJob, phase: str) -> None:
        steps = len(PHASES) - PHASES.index(phase) if job.failed else 1
        self.bar.advance(self.task, steps)
        self.bar.refresh()

    def close(self) -> None:
        if self.task is not None:
            self.bar.stop()


def progress_for_output() -> Progress:
    """Return the progress display that suits where stdout goes."""
    return PlainProgress() if plain_output() else RichProgress()


def summary_rows(result: BuildResult) -> list[tuple[str, str, str, str]]:
    """Return (plan, outputs, time, status) for every plan of a build."""
    return [
        (printable(job.plan), printable(", ".join(path.name for path in job.outputs.values())),
         f"{job.seconds:.2f} s" if job.seconds else "–", job.status)
        for job in result.jobs
    ]


def print_summary(result: BuildResult) -> None:
    """Print the table of plans, outputs, time and status; plainly when not on a terminal."""
    rows = summary_rows(result)
    header = ("plan", "outputs", "time", "status")
    if plain_output():
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        return
    from rich.console import Console
    from rich.markup import escape as escape_markup
    from rich.table import Table

    colours = {"built": "green", "unchanged": "green", "up to date": "dim", "stale": "yellow", "failed": "bold red"}
    table = Table(*header, title=f"planforge build → {escape_markup(printable(result.request.out))}/",
                  title_justify="left")
    for plan, outputs, seconds, status in rows:
        table.add_row(escape_markup(plan), escape_markup(outputs), seconds, f"[{colours.get(status, '')}]{status}[/]")
    Console(highlight=False, emoji=False).print(table)
