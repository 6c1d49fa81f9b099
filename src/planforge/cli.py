"""The `planforge` command line. Thin commands: parse options, call the pipeline, print results."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from planforge.console import escape, print_problems, print_warnings, rich_console, run_build
from planforge.errors import PlanforgeError

app = typer.Typer(
    name="planforge",
    help="Validate plans written in YAML and render them to Markdown, HTML and PowerPoint.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DEFAULT_PLANS = Path("plans")
INTERRUPTED = 130
"""The exit code of a command stopped by Ctrl+C (as a shell reports SIGINT)."""
DEFAULT_SCHEMA = Path("schema/planforge.schema.json")


def fail(error: PlanforgeError) -> typer.Exit:
    """Print every problem of a PlanforgeError in red and return the exit to raise."""
    print_problems(error)
    return typer.Exit(1)


@app.command()
def validate(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Plan files or folders (default: plans/).")] = None,
) -> None:
    """Check plans against the schema and report every problem with its file:line:column."""

    from planforge.loading import load_plan

    files = discover_or_exit(paths)
    console = rich_console()
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
    from planforge.writing import write_output

    text = schema_text()
    if str(output) == "-":
        typer.echo(text, nl=False)
        return
    try:
        write_output(output, text.encode("utf-8"))
    except PlanforgeError as error:
        raise fail(error) from None
    rich_console().print(f"wrote {escape(output)}")


@app.command()
def render(
    plan: Annotated[Path, typer.Argument(help="The plan file to render.")],
    output_format: Annotated[str, typer.Option("--format", "-f", help="Output format: md, html, pptx or pdf.")],
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o",
        help="File to write; '-' for stdout. Default: the plan's name with the format's suffix, in the current folder "
             "(plans/q3.yaml → ./q3.html).")] = None,
    templates: Annotated[Optional[Path], typer.Option(
        "--templates", help="Folder of templates that override the packaged ones (default: ./templates if present).")] = None,
    deck_template: Annotated[Optional[Path], typer.Option(
        "--deck-template", "--template", help="pptx and pdf: a company .pptx whose master, layouts, fonts and colours the deck uses.")] = None,
    ghost: Annotated[bool, typer.Option(
        "--ghost", help="pptx and pdf: action titles with empty bodies, for storyline review; prints the titles.")] = False,
    layout: Annotated[Optional[list[str]], typer.Option(
        "--layout", help="pptx only: ROLE=NAME, the company template's layout for a slide role (content, cover, "
                         "divider, blank); repeat for several.")] = None,
    font_dir: Annotated[Optional[list[Path]], typer.Option(
        "--font-dir", help="pptx only: a folder of .ttf/.otf files to measure the template's fonts with; repeatable.")] = None,
    handout: Annotated[bool, typer.Option(
        "--handout", help="pdf only: every slide on a page with its speaker notes.")] = False,
    keep_external_links: KeepExternalLinks = False,
) -> None:
    """Render one plan to Markdown, HTML, PowerPoint or a tagged PDF and write it to a file or stdout."""
    import sys
    import warnings

    from planforge.errors import PlanforgeWarning
    from planforge.loading import load_plan
    from planforge.render import RENDERERS, RenderOptions, renderer, require_tools, suffix
    from planforge.render.libreoffice import ToolMissing
    from planforge.writing import write_output

    if output_format not in RENDERERS:
        rich_console(stderr=True).print(
            f"[red]unknown format {escape(repr(output_format))}[/]; choose one of: {', '.join(RENDERERS)}")
        raise typer.Exit(2)
    if ghost and output_format not in ("pptx", "pdf"):
        rich_console(stderr=True).print("[red]--ghost is for decks only[/]; use it with --format pptx or pdf")
        raise typer.Exit(2)
    if handout and output_format != "pdf":
        rich_console(stderr=True).print("[red]--handout is for PDFs only[/]; use it with --format pdf")
        raise typer.Exit(2)
    try:
        require_tools([output_format])
    except ToolMissing as missing:
        rich_console(stderr=True).print(f"[red]{escape(str(missing))}[/]")
        raise typer.Exit(2) from None
    try:
        module = renderer(output_format)
    except ModuleNotFoundError as exc:
        if exc.name is None or not RENDERERS[output_format].module.startswith(exc.name):
            raise
        rich_console(stderr=True).print(f"[red]the {output_format} renderer is not available in this installation[/]")
        raise typer.Exit(1) from None
    to_stdout = output is not None and str(output) == "-"
    if to_stdout and suffix(output_format) in (".pptx", ".pdf") and sys.stdout.isatty():
        rich_console(stderr=True).print(f"[red]refusing to write a binary {suffix(output_format)} to the terminal[/]; "
                                        "give -o FILE")
        raise typer.Exit(2)
    target = output or Path(plan.stem + suffix(output_format))
    try:
        document = load_plan(plan).document
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", PlanforgeWarning)
            data = module.render(document, RenderOptions(
                templates_dir=templates, deck_template=deck_template, ghost=ghost, deck_layouts=layout_choices(layout),
                layouts_source="--layout", font_dirs=tuple(font_dir or ()), handout=handout,
                keep_external_links=keep_external_links))
        print_warnings(w.message for w in caught if issubclass(w.category, PlanforgeWarning))
        if ghost:
            # The storyline in order, for review; on stderr when the deck itself goes to stdout.
            titles = rich_console(stderr=to_stdout)
            for number, title in enumerate(module.slide_titles(document), start=1):
                titles.print(f"{number:>3}. {escape(title)}")
        if to_stdout:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        write_output(target, data)
    except PlanforgeError as error:
        raise fail(error) from None
    rich_console().print(f"wrote {escape(str(target))}")


@app.command()
def lint(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Plan files or folders (default: plans/).")] = None,
    output_format: Annotated[str, typer.Option("--format", help="Output: text, json or github (annotations).")] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings as well as errors.")] = False,
    list_rules: Annotated[bool, typer.Option("--list-rules", help="List every rule with its code and exit.")] = False,
    deck_template: Annotated[Optional[Path], typer.Option(
        "--deck-template", "--template", help="Check the deck's accessibility (PF5xx) as drawn in this company .pptx.")] = None,
) -> None:
    """Check plans are presentable: placeholders, action titles, KPIs, gaps, overfull cells and slides, accessibility."""
    import sys


    from planforge.lint import RULES, find_config, lint_file
    from planforge.lint.report import FORMATS

    if list_rules:
        for rule in sorted(RULES.values(), key=lambda r: r.code):
            rich_console().print(f"{rule.code} {rule.name} [dim]({rule.severity})[/]: {escape(rule.summary)}")
        return
    if output_format not in FORMATS:
        rich_console(stderr=True).print(f"[red]unknown format `{escape(output_format)}`[/]; use {', '.join(FORMATS)}")
        raise typer.Exit(2)
    files = discover_or_exit(paths)
    try:
        config = find_config(Path.cwd())
    except PlanforgeError as error:
        raise fail(error) from None
    for code in config.unknown:
        rich_console(stderr=True).print(f"[yellow]warning[/]: {escape(str(config.source))}: unknown rule code `{escape(code)}` in ignore")
    if deck_template is not None:
        from dataclasses import replace

        from planforge.render.deck.template import check as check_template

        try:
            check_template(deck_template)  # a template that cannot be opened is said once, not hidden per plan
        except PlanforgeError as error:
            print_problems(error)
            raise typer.Exit(2) from None
        config = replace(config, deck_template=deck_template)
    findings = [finding for file in files for finding in lint_file(file, config)]
    sys.stdout.write(FORMATS[output_format](findings))
    sys.stdout.flush()
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    if output_format == "text":
        summary = f"{errors} error(s), {warnings} warning(s) in {len(files)} file(s)" if findings else "all checks passed"
        rich_console(stderr=True).print(summary)
    if errors or (strict and warnings):
        raise typer.Exit(1)


BuildPaths = Annotated[Optional[list[Path]], typer.Argument(help="Plan files or folders (default: plans/).")]
BuildFormats = Annotated[Optional[list[str]], typer.Option(
    "--format", "-f", help="Output formats: md, html, pptx, pdf; repeat or separate by commas (default: md, html, "
                           "pptx, or the project's `formats` setting).")]
BuildOut = Annotated[Path, typer.Option("--out", "-o", help="Folder the outputs are written to.")]
BuildTemplates = Annotated[Optional[Path], typer.Option(
    "--templates", help="Folder of templates that override the packaged ones (default: ./templates if present).")]
BuildDeckTemplate = Annotated[Optional[Path], typer.Option(
    "--deck-template", "--template", help="A company .pptx whose master, layouts, fonts and colours the deck uses.")]
LayoutChoices = Annotated[Optional[list[str]], typer.Option(
    "--layout", help="ROLE=NAME: the company template's layout for a slide role (content, cover, divider, blank); "
                     "repeatable. Overrides the plan's and the project's deck.layouts.")]
FontDirs = Annotated[Optional[list[Path]], typer.Option(
    "--font-dir", help="A folder of .ttf/.otf files to measure the template's fonts with; repeatable.")]
KeepExternalLinks = Annotated[bool, typer.Option(
    "--keep-external-links", help="pptx only: keep the deck template's links to outside files and addresses "
                                  "(linked images, hyperlinks); removed with a warning by default.")]


def layout_choices(values: Optional[list[str]]) -> tuple[tuple[str, str], ...]:
    """`--layout ROLE=NAME` values as (role, name) pairs; a malformed one exits 2 with what to write."""
    from planforge.project import ROLES

    pairs = []
    for value in values or []:
        role, equals, name = value.partition("=")
        if not equals or role.strip() not in ROLES or not name.strip():
            rich_console(stderr=True).print(f"[red]--layout {escape(value)!r}: write ROLE=NAME[/], ROLE one of "
                                            f"{', '.join(ROLES)} (e.g. --layout content=\"Titre seul\")")
            raise typer.Exit(2)
        pairs.append((role.strip(), name.strip()))
    return tuple(pairs)


@app.command()
def build(
    paths: BuildPaths = None,
    formats: BuildFormats = None,
    out: BuildOut = Path("decks"),
    templates: BuildTemplates = None,
    deck_template: BuildDeckTemplate = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild every plan, even those whose outputs are current.")] = False,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 listing stale or missing outputs.")] = False,
    layout: LayoutChoices = None,
    font_dir: FontDirs = None,
    keep_external_links: KeepExternalLinks = False,
) -> None:
    """Render plans to Markdown, HTML and PowerPoint in decks/, rebuilding only what changed."""
    from planforge.build import BuildRequest

    request = BuildRequest(paths or [], formats or [], out, templates, deck_template, force, check,
                           layout_choices(layout), tuple(font_dir or ()), keep_external_links)
    raise typer.Exit(run_build(request))


@app.command()
def watch(
    paths: BuildPaths = None,
    formats: BuildFormats = None,
    out: BuildOut = Path("decks"),
    templates: BuildTemplates = None,
    deck_template: BuildDeckTemplate = None,
    layout: LayoutChoices = None,
    font_dir: FontDirs = None,
    keep_external_links: KeepExternalLinks = False,
) -> None:
    """Build, then rebuild a plan whenever it or a template changes; errors are shown and watching goes on."""
    from planforge.build import BuildRequest
    from planforge.watch import watch as watch_plans

    request = BuildRequest(paths or [], formats or [], out, templates, deck_template,
                           deck_layouts=layout_choices(layout), font_dirs=tuple(font_dir or ()),
                           keep_external_links=keep_external_links)

    def rebuilt(changes: list[str]) -> None:
        if changes:
            rich_console().print(f"[dim]changed: {escape(', '.join(changes))}[/]")
        # In this process, not in workers: after the first build every library is imported here, so a rebuild
        # costs only its rendering, and no process is forked beside watchfiles' thread.
        if run_build(request, workers=1) == INTERRUPTED:
            raise KeyboardInterrupt  # Ctrl+C during a rebuild stops watch, not only that rebuild
        rich_console().print("[dim]watching for changes (Ctrl+C to stop)[/]")

    try:
        watch_plans(request, rebuilt)
    except KeyboardInterrupt:
        raise typer.Exit(INTERRUPTED) from None


@app.command()
def new(
    kind: Annotated[str, typer.Argument(help="strategy, or 30-60-90 (alias: plan).")],
    name: Annotated[str, typer.Argument(help="File name of the new plan, e.g. product-strategy-2026.")],
    folder: Annotated[Path, typer.Option("--dir", help="Folder to write the plan into.")] = Path("plans"),
) -> None:
    """Write a commented starter plan that validates, ready to fill in."""

    from planforge.starters import write_starter

    try:
        path, schema_found = write_starter(kind, name, folder)
    except PlanforgeError as error:
        raise fail(error) from None
    rich_console().print(f"wrote {escape(str(path))}")
    if not schema_found:
        rich_console().print("[dim]editor help: run `planforge schema` here to create the schema file the plan points to[/]")


@app.command("import")
def import_notes(
    notes: Annotated[Path, typer.Argument(help="Markdown notes, e.g. exported from a notes app.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Plan file to write; '-' or none for stdout.")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="strategy or 30-60-90 (default: guessed from the notes).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the output file if it exists.")] = False,
    report: Annotated[bool, typer.Option("--report", help="Print how much of the notes was placed, and where.")] = False,
) -> None:
    """Convert Markdown notes into a commented plan YAML; what cannot be placed is kept under `notes:`."""
    import sys


    from planforge.errors import OutputError, Problem
    from planforge.importing import KIND_NAMES
    from planforge.importing import import_notes as convert
    from planforge.loading import parse_yaml, validate as validate_plan
    from planforge.starters import schema_reference
    from planforge.writing import write_output

    if kind is not None and kind not in KIND_NAMES:
        rich_console(stderr=True).print(f"[red]unknown kind `{escape(kind)}`[/]; use {' or '.join(KIND_NAMES)}")
        raise typer.Exit(2)
    to_file = output is not None and str(output) != "-"
    try:
        if to_file and output.exists() and not force:
            raise OutputError([Problem(output, None, None, "already exists", "pass --force to overwrite it, or choose another -o")])
        schema, _ = schema_reference(output.parent if to_file else Path.cwd())
        imported = convert(notes, kind=kind, schema=schema)
        # The importer should only write valid plans; a plan that is not is reported before anything is written.
        validate_plan(output if to_file else notes, parse_yaml(output if to_file else notes, imported.text))
        if to_file:
            write_output(output, imported.text.encode("utf-8"))
    except PlanforgeError as error:
        raise fail(error) from None
    console = rich_console(stderr=True)
    for warning in imported.warnings:
        console.print(f"[yellow]{escape(warning.location())}: warning:[/] {escape(warning.message)}")
        if warning.hint:
            console.print(f"  [dim]hint:[/] {escape(warning.hint)}")
    if not to_file:
        sys.stdout.write(imported.text)
    if report:
        from planforge.importing.report import report_lines

        for line in report_lines(imported.placement, imported.kind):
            console.print(escape(line), highlight=False, soft_wrap=True)
    placed = f"{len(imported.notes)} note(s) to place" if imported.notes else "everything placed"
    where = escape(str(output)) if to_file else "stdout"
    console.print(f"wrote {where}: {imported.kind} plan, {placed}, {len(imported.warnings)} warning(s)")


template_app = typer.Typer(help="Check company PowerPoint templates for decks.", no_args_is_help=True)
app.add_typer(template_app, name="template")


@template_app.command("check")
def template_check(
    template: Annotated[Path, typer.Argument(help="The company .pptx to check.")],
    layout: LayoutChoices = None,
    font_dir: FontDirs = None,
) -> None:
    """Report per slide role the layout chosen and why, the free content area, the fonts and colours resolved,
    and what was changed to keep every word legible."""
    from planforge.project import find_project_config, project_deck_layouts
    from planforge.render.deck.template import check
    from planforge.render.deck.template_package import external_links

    try:
        named = project_deck_layouts(Path.cwd() / "plan.yaml")
        source = f"{find_project_config(Path.cwd()).source}" if named else "--layout"
        named.update(dict(layout_choices(layout)))
        links = external_links(template)
        lines = check(template, layouts=named, font_dirs=tuple(font_dir or ()), layouts_source=source)
    except PlanforgeError as error:
        raise fail(error) from None
    console = rich_console()
    for link in links:  # what a deck would fetch or open; removed from decks unless --keep-external-links
        console.print(f"external link: {escape(link)}")
    for line in lines:
        if line.startswith("warning: "):
            console.print(f"[yellow]warning:[/] {escape(line.removeprefix('warning: '))}")
        else:
            console.print(escape(line))


def discover_or_exit(paths: Optional[list[Path]]) -> list[Path]:
    """Return the plan files named by `paths` (default plans/); exit 2 when a path does not exist or none is found."""
    from planforge.errors import Problem
    from planforge.loading import discover

    # A path that does not exist is a usage error (exit 2), like any other bad argument; bad plans exit 1.
    missing = [Problem(path, None, None, "no such file or folder", "check the path; give plan files or folders")
               for path in paths or [] if not path.exists()]
    if not paths and not DEFAULT_PLANS.is_dir():
        missing.append(Problem(DEFAULT_PLANS, None, None, "no such folder (the default when no path is given)",
                               "run planforge where the plans/ folder is, or name plan files or folders"))
    if missing:
        print_problems(PlanforgeError(missing))
        raise typer.Exit(2)
    files = discover(paths or [DEFAULT_PLANS])
    if not files:
        rich_console(stderr=True).print("[red]no plan files found[/] (looked for *.yaml and *.yml)")
        raise typer.Exit(2)
    return files


def main() -> None:
    """Entry point for `python -m planforge`."""
    app()
