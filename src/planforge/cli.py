"""The `planforge` command line. Thin commands: parse options, call the pipeline, print results."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from planforge.errors import PlanforgeError

app = typer.Typer(
    name="planforge",
    help="Validate plans written in YAML and render them to Markdown, HTML and PowerPoint.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DEFAULT_PLANS = Path("plans")
DEFAULT_SCHEMA = Path("schema/planforge.schema.json")


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def fail(error: PlanforgeError) -> typer.Exit:
    """Print every problem of a PlanforgeError in red and return the exit to raise."""
    print_problems(error)
    return typer.Exit(1)


def print_problems(error: PlanforgeError) -> None:
    """Print each problem as `file:line:column: message` with its hint."""
    from rich.markup import escape

    console = _console(stderr=True)
    for problem in error.problems:
        console.print(f"[bold red]{escape(problem.location())}[/]: {escape(problem.message)}")
        if problem.hint:
            console.print(f"  [dim]hint:[/] {escape(problem.hint)}")


@app.command()
def validate(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Plan files or folders (default: plans/).")] = None,
) -> None:
    """Check plans against the schema and report every problem with its file:line:column."""
    from rich.markup import escape

    from planforge.loading import discover, load_plan

    files = discover(paths or [DEFAULT_PLANS])
    if not files:
        _console(stderr=True).print("[red]no plan files found[/] (looked for *.yaml and *.yml)")
        raise typer.Exit(2)
    console = _console()
    failed = 0
    for file in files:
        try:
            load_plan(file)
        except PlanforgeError as error:
            failed += 1
            print_problems(error)
            console.print(f"[red]✗[/] {escape(str(file))}: {len(error.problems)} problem(s)")
        else:
            console.print(f"[green]✓[/] {escape(str(file))}")
    console.print(f"{len(files) - failed} valid, {failed} invalid")
    if failed:
        raise typer.Exit(1)


@app.command()
def schema(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the JSON Schema; '-' for stdout.")] = DEFAULT_SCHEMA,
) -> None:
    """Write the JSON Schema of the plan format, for completion and hover help in editors."""
    from planforge.schema import schema_text
    from planforge.writing import write_atomic

    text = schema_text()
    if str(output) == "-":
        typer.echo(text, nl=False)
        return
    try:
        write_atomic(output, text.encode("utf-8"))
    except PlanforgeError as error:
        raise fail(error) from None
    _console().print(f"wrote {output}")


def main() -> None:
    """Entry point for `python -m planforge`."""
    app()
