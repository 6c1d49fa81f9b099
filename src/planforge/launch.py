"""The `planforge` command. Answers `--help` and runs `build` itself; everything else goes to the Typer app.

Importing Typer (which imports Pydantic) takes longer than a whole no-op build, and on a cold build it would delay
the worker processes by a third of a second, so the two commands people and CI run most often start without it.
Whatever this module does not fully understand goes to `planforge.cli`, which stays the one definition of the
command line (a test keeps the two readings of `build` alike).
"""

from __future__ import annotations

import os
import sys
import zlib

from planforge.paths import DEFAULT_OUT, DEFAULT_PLANS, default_templates

PACKAGE = os.path.dirname(os.path.abspath(__file__))


def main() -> int:
    """Run the `planforge` command with the arguments in `sys.argv`; return its exit code (Typer exits itself)."""
    try:
        return run(sys.argv[1:])
    except KeyboardInterrupt:  # Ctrl+C before a command takes it itself (while importing): files written are whole
        sys.stderr.write("interrupted\n")
        return 130
    except OSError as exc:
        if exc.filename is not None:  # a file planforge opened itself: every such error is reported where it is
            raise
        return output_failed(exc)


def output_failed(exc: OSError) -> int:
    """Report that standard output could not be written (a full disk, a closed pipe); return the exit code 1."""
    import errno

    try:  # Python flushes stdout again at exit; let that go nowhere instead of printing a second error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    if exc.errno != errno.EPIPE:  # a reader that stopped reading (`| head`) wants no message
        sys.stderr.write(f"planforge: cannot write to standard output: {exc.strerror or exc}\n")
    return 1


def run(args: list[str]) -> int:
    """Run `planforge ARGS`; return the exit code."""
    if args == ["--help"]:
        sys.stdout.write(top_level_help())
        return 0
    if args[:1] == ["build"]:
        values = parse_build(args[1:])
        if values is not None:
            return run_build(values)
    from planforge.cli import app

    app()
    return 0


def top_level_help() -> str:
    """Return `planforge --help` as Typer writes it, from a cache beside the bytecode while cli.py is unchanged."""
    folder = os.path.join(PACKAGE, "__pycache__")
    cache = os.path.join(folder, f"help-{cli_checksum()}.txt")
    try:
        with open(cache, encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        pass
    text = render_help()
    try:
        os.makedirs(folder, exist_ok=True)
        for old in os.listdir(folder):
            if old.startswith("help-") and old.endswith(".txt"):
                os.unlink(os.path.join(folder, old))
        temporary = f"{cache}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, cache)
    except OSError:  # a read-only installation asks Typer every time
        pass
    return text


def cli_checksum() -> str:
    """Return the checksum of cli.py, which defines every command and option the help lists."""
    with open(os.path.join(PACKAGE, "cli.py"), "rb") as handle:
        return f"{zlib.crc32(handle.read()):08x}"


def render_help() -> str:
    """Return the top-level help exactly as Typer prints it, at 80 columns without colour."""
    from typer.testing import CliRunner

    from planforge.cli import app

    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb"}, color=False)
    return result.output


def parse_build(args: list[str]) -> dict | None:
    """Return the arguments of `planforge build ARGS` by BuildRequest field, or None for anything not handled here.

    It understands the options of `cli.build` in their plain spellings; Typer handles every other spelling, and
    `tests/test_build.py` checks that both read the same arguments alike.
    """
    values = {"paths": [], "formats": [], "out": DEFAULT_OUT, "templates_dir": None, "deck_template": None,
              "force": False, "check": False}
    takes_value = {"--format": "formats", "-f": "formats", "--out": "out", "-o": "out",
                   "--templates": "templates_dir", "--deck-template": "deck_template",
                   "--template": "deck_template"}
    flags = {"--force": "force", "--check": "check"}
    index = 0
    while index < len(args):
        arg = args[index]
        option, equals, value = arg.partition("=")
        if arg == "--":
            values["paths"].extend(args[index + 1:])
            break
        if arg in flags:
            values[flags[arg]] = True
        elif option in takes_value and option.startswith("--") and equals:
            _store(values, takes_value[option], value)
        elif arg in takes_value and index + 1 < len(args):
            index += 1
            _store(values, takes_value[arg], args[index])
        elif arg.startswith("-"):
            return None
        else:
            values["paths"].append(arg)
        index += 1
    return values


def _store(values: dict, key: str, value: str) -> None:
    if key == "formats":
        values[key].append(value)
    else:
        values[key] = value


def run_build(values: dict) -> int:
    """Run `planforge build` with the arguments `parse_build` read; return the exit code."""
    if not values["force"] and answer_up_to_date(values):
        return 0
    from planforge.build import BuildRequest
    from planforge.console import run_build as build_and_report

    return build_and_report(BuildRequest(**values))


def answer_up_to_date(values: dict) -> bool:
    """Print the no-op line when the build `values` ask for has nothing to do; return whether it had nothing to do."""
    from planforge.freshness import up_to_date, up_to_date_message
    from planforge.render import RENDERERS, default_formats

    try:
        defaults = default_formats()
    except Exception:  # a project setting that cannot be read: the full build reports it
        return False
    count = up_to_date(values["paths"] or [DEFAULT_PLANS], values["out"], values["formats"],
                       default_templates(values["templates_dir"]), values["deck_template"], list(RENDERERS), defaults)
    if count is None:
        return False
    print(up_to_date_message(count, values["out"]))
    return True
