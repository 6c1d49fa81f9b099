"""Fuzzing: mutants of the real plans and fixtures load, or fail with located problems — never a crash or a hang.

Two kinds of mutant: the parsed tree changed and re-dumped with ruamel (dropped keys, swapped types, odd text,
deep nesting, aliases, unknown keys), and the raw text changed (truncation, broken indentation, duplicated lines,
inserted bytes and YAML syntax). Each mutant goes through `planforge validate` in this process, with `load_plan`
watched so the test sees exactly what it raised.

How many mutants each test tries comes from PLANFORGE_FUZZ_EXAMPLES: `make test` tries a few dozen (the same
ones every run), `make fuzz` at least a thousand new ones per test.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import functools
import io
import os
import re
import resource
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from typer.testing import CliRunner

import planforge.loading
from planforge.cli import app
from planforge.errors import PlanError, PlanforgeWarning
from planforge.loading import MAX_DEPTH, to_plain
from planforge.model.common import MAX_TEXT
from planforge.render import RENDERERS, RenderOptions, renderer

from guards import hang_guard

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "plans").glob("*.yaml")) + sorted((ROOT / "tests" / "fixtures").rglob("*.yaml"))
BAD_SEEDS = sorted((ROOT / "tests" / "bad").glob("*.yaml"))

FUZZING = "PLANFORGE_FUZZ_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("PLANFORGE_FUZZ_EXAMPLES", "50"))
RENDER_EXAMPLES = max(3, EXAMPLES // 10)
"""Rendering all three formats costs seconds per plan, so fewer mutants go all the way to a deck."""
FUZZ = settings(
    max_examples=EXAMPLES,
    # `make test` replays the same mutants every run (no flaky CI); `make fuzz` explores new ones.
    derandomize=not FUZZING,
    database=None if not FUZZING else settings.default.database,
    # Generous: a worst-case mutant of the largest plan on a busy CI machine, not a speed target.
    deadline=datetime.timedelta(seconds=20),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
HARD_TIMEOUT_SECONDS = 60
"""A mutant still running after this is a hang: the alarm stops it so the failure is reported, not waited for."""
MAX_MEMORY_GROWTH = 300 * 1024 * 1024
"""How much one mutant may raise the process's peak memory (an alias bomb expanded would take gigabytes)."""

STOPPED = re.compile(r"stopped after \d+ problems")
"""The one problem that is about the report, not a place in the file."""


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.width = 4096
    return yaml


def _plain_tree(path: Path) -> Any:
    return to_plain(_yaml().load(path.read_text(encoding="utf-8")))


TREES = {path: _plain_tree(path) for path in SEEDS}


@functools.cache
def seed_document(path: Path) -> Any:
    return planforge.loading.load_plan(path).document
TEXTS = {path: path.read_bytes() for path in SEEDS + BAD_SEEDS}


# ---------------------------------------------------------------------------------------------------------------
# What goes into plans


ODD_PIECES = [
    "\u200f", "\u200e", "\u202e", "\u2066", "\u2069",  # right-to-left and bidi controls
    "\u0301", "e\u0301\u0302\u0303", "\u0e01\u0e34\u0e4a",  # combining characters
    "😀", "👩‍👩‍👧", "🇨🇦", "\U0010fffd",  # emoji, a ZWJ sequence, a flag, the last code point
    "\u0000", "\x01", "\x08", "\x1b[31m", "\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff",
    "\ud800", "\udfff",  # lone surrogates (ruamel writes them as escapes)
    "\t", "\n", "\r\n", " ", "\u00a0", "\u3000",
    ": ", " #", "&a", "*a", "!!python/object:os.system", "|", ">", "'", '"', "{", "}", "[", "]", "- ", "? ",
    "%", "@", "`", "\\", "<script>alert(1)</script>", "</td>", "[x](javascript:alert(1))", "**", "*", "_",
    "{{ 7*7 }}", "{% raw %}", "${HOME}", "../../etc/passwd", "null", "~", "2026-02-30", "0x1F", "1e9", "yes",
]
odd_text = st.lists(st.one_of(st.sampled_from(ODD_PIECES), st.text(max_size=8)), max_size=8).map("".join)
huge_text = st.builds(lambda piece, count: piece * count, st.sampled_from(["x", "ab ", "😀", "\u0301", "| "]),
                      st.integers(1_000, 60_000))
texts = st.one_of(odd_text, huge_text, st.just(""), st.just("   "), st.text())
scalars = st.one_of(
    texts, st.integers(-10**20, 10**20), st.floats(), st.booleans(), st.none(),
    st.dates(min_value=datetime.date(1, 1, 1)),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)), max_leaves=12)
keys = st.one_of(st.sampled_from(["kind", "title", "text", "items", "name", "weeks", "slide", "x", "Title"]),
                 odd_text, st.integers(-5, 3000), st.booleans(), st.none(), st.dates())


# ---------------------------------------------------------------------------------------------------------------
# Tree mutations


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Return the path of every node in a plain tree, the root's () first."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, prefix + (key,)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_paths(value, prefix + (index,)))
    return found


def _get(tree: Any, path: tuple) -> Any:
    for segment in path:
        tree = tree[segment]
    return tree


def _set(tree: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    _get(tree, path[:-1])[path[-1]] = value
    return tree


def _pick(draw, tree: Any, want: type | tuple | None = None) -> tuple | None:
    paths = [p for p in _paths(tree) if want is None or isinstance(_get(tree, p), want)]
    return draw(st.sampled_from(paths)) if paths else None


def drop_key(draw, tree):
    path = _pick(draw, tree, dict)
    if path is not None and (mapping := _get(tree, path)):
        del mapping[draw(st.sampled_from(list(mapping)))]
    return tree


def swap_type(draw, tree):
    return _set(tree, _pick(draw, tree), draw(values))


def odd_string(draw, tree):
    return _set(tree, _pick(draw, tree, str) or (), draw(texts))


def deep_nesting(draw, tree):
    path = _pick(draw, tree)
    value = _get(tree, path)
    for _ in range(draw(st.integers(1, MAX_DEPTH + 20))):
        value = [value] if draw(st.booleans()) else {"n": value}
    return _set(tree, path, value)


def unknown_key(draw, tree):
    path = _pick(draw, tree, dict)
    if path is not None:
        _get(tree, path)[draw(keys)] = draw(values)
    return tree


def rename_key(draw, tree):
    path = _pick(draw, tree, dict)
    if path is not None and (mapping := _get(tree, path)):
        old = draw(st.sampled_from(list(mapping)))
        new = draw(st.one_of(keys, st.just(f"{old}s"), st.just(str(old)[1:]), st.just(str(old).upper())))
        mapping[new] = mapping.pop(old)
    return tree


def alias(draw, tree):
    """Make one node hold the very object of another, so the dumper writes an anchor and an alias."""
    source = _pick(draw, tree, (dict, list))
    if source is None:
        return tree
    # Never put a node inside itself (earlier aliases share nodes, so compare objects, not paths): no cycles.
    inside = {id(_get(_get(tree, source), p)) for p in _paths(_get(tree, source))}
    targets = [p for p in _paths(tree) if p and id(_get(tree, p[:-1])) not in inside]
    if targets:
        tree = _set(tree, draw(st.sampled_from(targets)), _get(tree, source))
    return tree


def resize_list(draw, tree):
    """Empty a list, or grow it to around the model's caps (12 phases, 26 weeks, 52 blocks, 200 bullets)."""
    path = _pick(draw, tree, list)
    if path is not None:
        items = _get(tree, path) or [draw(scalars)]
        size = draw(st.sampled_from([0, 1, 13, 27, 53, 200, 201]))
        if len(repr(items[0])) * size < 200_000:  # keeps each mutant quick to dump and load
            # Copies, not the same object again: repeated objects would be dumped as aliases.
            _set(tree, path, [copy.deepcopy(items[i % len(items)]) for i in range(size)])
    return tree


TREE_MUTATIONS = [drop_key, swap_type, odd_string, deep_nesting, unknown_key, rename_key, alias, resize_list]


YAML_PRINTABLE = re.compile("[\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]*")
"""The characters YAML calls printable; mostly these, so that most gentle mutants stay valid."""
LINE_BREAK = re.compile("[\n\r\x85\u2028\u2029]")
"""What YAML 1.1 (ruamel's reading) counts as the end of a line."""


printable_odd_text = st.lists(st.one_of(
    st.sampled_from([piece for piece in ODD_PIECES if YAML_PRINTABLE.fullmatch(piece)]),
    st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=8)), min_size=1, max_size=8).map("".join)


def odd_allowed_string(draw, tree):
    """Replace a text value (not `kind`) with odd text a plan may mostly hold: not blank, not too long."""
    text = draw(st.one_of(printable_odd_text, huge_text.map(lambda t: t[:MAX_TEXT]), odd_text).filter(str.strip))
    paths = [p for p in _paths(tree) if isinstance(_get(tree, p), str) and p != ("kind",)]
    return _set(tree, draw(st.sampled_from(paths)), text) if paths else tree


GENTLE_MUTATIONS = [odd_allowed_string, odd_allowed_string, odd_allowed_string, drop_key, resize_list]
"""Mutations that often leave a plan valid, to put odd but allowed content through every renderer."""


@st.composite
def tree_mutants(draw, mutations=tuple(TREE_MUTATIONS)) -> tuple[str, bytes]:
    seed = draw(st.sampled_from(SEEDS))
    tree = copy.deepcopy(TREES[seed])
    for _ in range(draw(st.integers(1, 3))):
        mutation = draw(st.sampled_from(mutations))
        event(mutation.__name__)
        tree = mutation(draw, tree)
    stream = io.StringIO()
    _yaml().dump(tree, stream)
    # A lone surrogate ruamel left unescaped becomes bytes that are not UTF-8: one more hostile input.
    return seed.name, stream.getvalue().encode("utf-8", errors="surrogatepass")


# ---------------------------------------------------------------------------------------------------------------
# Text mutations


SYNTAX = [
    b": ", b"- ", b"? ", b"&a ", b"*a", b"&a [1, 2]\nb: *a\n", b"<<: {x: 1}\n", b"!!python/object/apply:os.system ['true']",
    b"!custom ", b"{", b"}", b"[", b"]", b"'", b'"', b'"\\ud800"', b'"\\0"', b'"\\x01"', b'"\\q"', b"\t", b"#",
    b"---\n", b"...\n", b"%YAML 1.1\n---\n", b"|\n", b">-\n", b"\x00", b"\xff\xfe", b"\xc3", b"\xe2\x80\xae",
    b"\xef\xbb\xbf", b"\r", b"\r\n", b"2026-02-30", b"~", b"kind: strategy\n", b"kind: 30-60-90\n",
    b"[" * 200, b"{a: " * 60,
]


def truncate(draw, data):
    return data[:draw(st.integers(0, len(data)))]


def insert(draw, data):
    at = draw(st.integers(0, len(data)))
    piece = draw(st.one_of(st.sampled_from(SYNTAX), st.binary(max_size=16), odd_text.map(
        lambda t: t.encode("utf-8", errors="surrogatepass"))))
    return data[:at] + piece + data[at:]


def replace_span(draw, data):
    at = draw(st.integers(0, len(data)))
    return data[:at] + draw(st.binary(max_size=32)) + data[at + draw(st.integers(0, 64)):]


def _line_edit(draw, data, edit):
    lines = data.split(b"\n")
    index = draw(st.integers(0, len(lines) - 1))
    return b"\n".join(edit(lines, index))


def delete_line(draw, data):
    return _line_edit(draw, data, lambda lines, i: lines[:i] + lines[i + 1:])


def duplicate_line(draw, data):
    return _line_edit(draw, data, lambda lines, i: lines[:i + 1] + lines[i:])


def reindent_line(draw, data):
    indent = draw(st.sampled_from([b" ", b"  ", b"   ", b"\t", b""]))
    strip = draw(st.integers(0, 4))
    return _line_edit(draw, data, lambda lines, i: lines[:i] + [indent + lines[i][strip:]] + lines[i + 1:])


def swap_lines(draw, data):
    other = draw(st.integers(0, 10_000))

    def swapped(lines, i):
        j = other % len(lines)
        lines[i], lines[j] = lines[j], lines[i]
        return lines

    return _line_edit(draw, data, swapped)


def line_ends(draw, data):
    return data.replace(b"\n", draw(st.sampled_from([b"\r\n", b"\r", b"\n\n", b"\x85", b"\xe2\x80\xa8"])))


TEXT_MUTATIONS = [truncate, insert, replace_span, delete_line, duplicate_line, reindent_line, swap_lines, line_ends]


@st.composite
def text_mutants(draw) -> tuple[str, bytes]:
    seed = draw(st.sampled_from(sorted(TEXTS)))
    data = TEXTS[seed]
    for _ in range(draw(st.integers(1, 3))):
        mutation = draw(st.sampled_from(TEXT_MUTATIONS))
        event(mutation.__name__)
        data = mutation(draw, data)
    return seed.name, data


COMMENT_PIECES = [piece for piece in ODD_PIECES if YAML_PRINTABLE.fullmatch(piece) and not LINE_BREAK.search(piece)]
COMMENT_PIECES += ["kind: strategy", "- x", "&a *a", "{{ x }}"]
TOP_LEVEL_KEY = re.compile(rb"^[A-Za-z_][\w-]*:", re.MULTILINE)


@st.composite
def neutral_mutants(draw) -> tuple[Path, bytes]:
    """A seed changed in ways that keep its meaning: re-dumped, other line ends, a BOM, comments between keys."""
    seed = draw(st.sampled_from(SEEDS))
    data = TEXTS[seed]
    if draw(st.booleans()):
        stream = io.StringIO()
        _yaml().dump(copy.deepcopy(TREES[seed]), stream)
        data = stream.getvalue().encode("utf-8")
    starts = [match.start() for match in TOP_LEVEL_KEY.finditer(data)]
    for at in sorted(draw(st.lists(st.sampled_from(starts), max_size=3)), reverse=True):
        comment = draw(st.sampled_from(COMMENT_PIECES))
        data = data[:at] + b"# " + comment.encode("utf-8") + b"\n" + data[at:]
    data = data.replace(b"\n", draw(st.sampled_from([b"\n", b"\r\n"])))
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    return seed, data


# ---------------------------------------------------------------------------------------------------------------
# The check every mutant goes through


@dataclass
class Outcome:
    loaded: Any = None
    error: PlanError | None = None
    crash: BaseException | None = None


@contextlib.contextmanager
def watched_load_plan(outcome: Outcome):
    """Record what `load_plan` returns or raises while the CLI calls it."""
    real = planforge.loading.load_plan

    def recording(path):
        try:
            outcome.loaded = real(path)
        except PlanError as error:
            outcome.error = error
            raise
        except BaseException as exc:
            outcome.crash = exc
            raise
        return outcome.loaded

    with mock.patch.object(planforge.loading, "load_plan", recording):
        yield


def _peak_memory() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def check_mutant(path: Path, data: bytes) -> Outcome:
    """Validate one mutant through the CLI and assert the promises: success, or located problems and exit 1."""
    path.write_bytes(data)
    outcome = Outcome()
    peak_before = _peak_memory()
    with hang_guard(HARD_TIMEOUT_SECONDS), watched_load_plan(outcome), warnings.catch_warnings():
        warnings.simplefilter("ignore", PlanforgeWarning)
        result = CliRunner().invoke(app, ["validate", str(path)])
    assert _peak_memory() - peak_before < MAX_MEMORY_GROWTH, "one mutant took too much memory"
    if outcome.crash is not None:
        raise outcome.crash
    assert isinstance(result.exception, (SystemExit, type(None))), result.exception
    assert "Traceback" not in result.output
    if outcome.error is None:
        assert outcome.loaded is not None
        assert result.exit_code == 0, result.output
        event("valid")
        return outcome
    event("invalid")
    assert result.exit_code == 1, result.output
    problems = outcome.error.problems
    assert problems
    lines = 1 + sum(data.count(end) for end in (b"\n", b"\r", b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9"))
    for problem in problems:
        assert Path(problem.path) == path
        assert problem.message.strip() and problem.hint.strip(), problem
        if STOPPED.fullmatch(problem.message):
            continue
        assert problem.line is not None and problem.column is not None, f"not located: {problem}"
        assert 1 <= problem.line <= lines and problem.column >= 1, f"located outside the file: {problem}"
    first = problems[0]
    assert f"{path}:{first.line}:{first.column}: " in result.output
    return outcome


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "mutant.yaml"


def test_the_seeds_are_the_real_plans_and_the_fixtures_and_all_load():
    assert {p.name for p in SEEDS} >= {"30-60-90-day-plan.yaml", "lrp-brainstorming.yaml", "minimal_plan.yaml"}
    for seed in SEEDS:
        planforge.loading.load_plan(seed)


@FUZZ
@given(mutant=neutral_mutants())
def test_mutants_that_keep_the_meaning_load_to_the_same_document(scratch, mutant):
    seed, data = mutant
    outcome = check_mutant(scratch, data)
    assert outcome.loaded is not None, f"a harmless change to {seed.name} was refused"
    assert outcome.loaded.document == seed_document(seed)


@FUZZ
@given(mutant=tree_mutants())
def test_tree_mutants_load_or_fail_with_located_problems(scratch, mutant):
    _, data = mutant
    check_mutant(scratch, data)


@FUZZ
@given(mutant=text_mutants())
def test_text_mutants_load_or_fail_with_located_problems(scratch, mutant):
    _, data = mutant
    check_mutant(scratch, data)


@FUZZ
@given(mutant=st.one_of(text_mutants(), tree_mutants(), neutral_mutants()))
def test_the_fast_reader_accepts_nothing_the_reference_reader_refuses_and_reads_alike(mutant):
    from yamltrees import readers_disagree

    _, data = mutant
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:  # refused before any YAML reader sees it
        return
    with hang_guard(HARD_TIMEOUT_SECONDS):
        disagreement = readers_disagree(Path("mutant.yaml"), text)
    assert disagreement is None, disagreement


@settings(FUZZ, max_examples=RENDER_EXAMPLES)
@given(mutant=tree_mutants(tuple(GENTLE_MUTATIONS)))
def test_valid_mutants_render_in_every_format(scratch, mutant):
    outcome = check_mutant(scratch, mutant[1])
    if outcome.loaded is None:
        return
    with hang_guard(HARD_TIMEOUT_SECONDS), warnings.catch_warnings():
        warnings.simplefilter("ignore", PlanforgeWarning)  # overfull slides are lint's business, not a crash
        # pdf is the pptx deck converted by LibreOffice (tests/test_pdf.py): seconds a mutant, nothing new to find.
        for name in [name for name, fmt in RENDERERS.items() if fmt.needs is None]:
            data = renderer(name).render(outcome.loaded.document, RenderOptions())
            assert data, name
            if name != "pptx":
                data.decode("utf-8")
