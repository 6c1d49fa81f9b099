"""The one Jinja environment for Markdown and HTML: the sandbox, template lookup, output bounds, escaping and
errors (the text filters it installs are in `textfilters`)."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from types import TracebackType
from typing import Any, Callable

import jinja2
from jinja2 import pass_eval_context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from planforge import i18n
from planforge.errors import Problem, TemplateError
from planforge.render.sandbox_limits import (
    BoundedCodeGenerator,
    bounded_replace_filter,
    check_binop,
    check_call,
    checked_value,
    cpu_time_limit,
)
from planforge.render.textfilters import (
    FILTERS,
    MarkdownText,
    colon,
    inline_html,
    is_web_url,
    md_inline,
)

PACKAGED_TEMPLATES = (Path(__file__).parent.parent / "templates").resolve()
"""The templates shipped inside the package (in a checkout, the repository's top-level `templates/`)."""

LOCAL_TEMPLATES = Path("templates")
"""A `templates/` folder in the working directory overrides packaged templates file by file."""


WEEK_ELEMENTS = (
    ("primary_objectives", i18n.N_("Primary Objectives")),
    ("key_actions", i18n.N_("Key Actions")),
    ("stakeholders", i18n.N_("Meetings / Stakeholders")),
    ("deliverables", i18n.N_("Documents / Deliverables")),
    ("success_metrics", i18n.N_("Success Metrics")),
)
"""The five elements of a week (Week field, label in English: templates show `_(label)`), in table order."""


MAX_OUTPUT_CHARS = 50_000_000
"""Most characters one template may write: the largest plan allowed makes a few million, a runaway loop more."""


def render_template(name: str, document: Any, templates_dir: Path | None) -> str:
    """Render one template for a document; raise TemplateError naming the template file and line."""
    search_path = _search_path(templates_dir)
    env = environment(search_path)
    try:
        with i18n.using(getattr(document, "lang", None)) as language:
            return _render_bounded(env.get_template(name), document=document, week_elements=WEEK_ELEMENTS,
                                   language=language)
    except TemplateError:
        raise  # a template file refused by the loader: the message names it
    except jinja2.TemplateSyntaxError as exc:
        raise _template_error(exc.filename or exc.name or name, exc.lineno, exc.message or str(exc)) from None
    except jinja2.TemplateNotFound as exc:
        looked = f"looked in {', '.join(str(folder) for folder in search_path)}"
        # Missing while rendering another template (an include or import): name the line that asked for it.
        if (place := _innermost_template_frame(exc.__traceback__, search_path)) is not None:
            raise TemplateError([Problem(_shown_path(place[0]), place[1], None,
                                         f"template error: template `{exc.name}` not found", looked)]) from None
        raise TemplateError([Problem(exc.name or name, None, None, "template not found", looked)]) from None
    except Exception as exc:
        place = _innermost_template_frame(exc.__traceback__, search_path)
        if place is None:
            raise
        raise _template_error(place[0], place[1], _describe(exc)) from None


def _search_path(templates_dir: Path | None) -> tuple[Path, ...]:
    """Return the template folders in lookup order: the user's folder, then the packaged one."""
    user = templates_dir if templates_dir is not None else LOCAL_TEMPLATES
    if templates_dir is not None and not templates_dir.is_dir():
        raise TemplateError([Problem(templates_dir, None, None, "templates folder not found",
                                     "give a folder holding markdown/ and html/ template files")])
    if user.is_dir() and user.resolve() != PACKAGED_TEMPLATES:
        return (user.resolve(), PACKAGED_TEMPLATES)
    return (PACKAGED_TEMPLATES,)


class OutputTooLarge(Exception):
    """A template wrote more than MAX_OUTPUT_CHARS characters."""


def _render_bounded(template: jinja2.Template, **context: Any) -> str:
    """Render `template`, stopping once its output passes MAX_OUTPUT_CHARS characters."""
    pieces, size = [], 0
    stream = template.generate(**context)
    with cpu_time_limit():
        return _collect(stream, pieces, size)


def _collect(stream, pieces: list[str], size: int) -> str:
    for piece in stream:
        size += len(piece)
        if size > MAX_OUTPUT_CHARS:
            # Raised inside the template, so the error names the template line that was writing.
            stream.throw(OutputTooLarge(f"the output passed {MAX_OUTPUT_CHARS:,} characters; a loop that never "
                                        "ends, or text repeated too many times?"))
        pieces.append(piece)
    return "".join(pieces)


MAX_WIDTH = 10_000
"""Largest width, count or length a template may ask of a filter or a format (pages and tables need hundreds)."""

_SIZED_FILTERS = {"center": ("width",), "indent": ("width",), "batch": ("linecount",), "slice": ("slices",),
                  "wordwrap": ("width",), "truncate": ("length", "leeway")}
"""Jinja's filters whose size arguments build values that big, by the names of those arguments."""


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox for templates users write: no private attributes, no changing data, no call into Python
    beyond the filters given; and nothing (`*`, `**`, a padded format, a filter's width) that would build a value
    bigger than any output may be before the output bound could stop it."""

    intercepted_binops = frozenset({"+", "*", "**", "%"})
    code_generator_class = BoundedCodeGenerator

    @staticmethod
    def checked_value(value: Any) -> Any:
        """Called by the generated code around every `~` join (see BoundedCodeGenerator)."""
        return checked_value(value)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's names)
        check_call(__obj, args, kwargs)
        return checked_value(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*" and _repeated_size(left, right) > MAX_OUTPUT_CHARS:
            raise SecurityError(f"`*` would make a value of {_repeated_size(left, right):,} items")
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 10_000:
            raise SecurityError(f"`{left} ** {right}` is too big a number")
        if operator == "%" and isinstance(left, str):
            _check_printf_format(left)
        check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Any:
        wrapper = super().wrap_str_format(value)
        if wrapper is not None:
            _check_str_format(value.__self__)
        return wrapper


_PRINTF_SIZE = re.compile(r"%[#0 +\-]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_printf_format(text: str) -> None:
    """Refuse a `%` format that pads or cuts to more than MAX_WIDTH, or takes its width from an argument."""
    for match in _PRINTF_SIZE.finditer(text):
        for size in match.groups():
            if size == "*" or (size is not None and int(size) > MAX_WIDTH):
                raise SecurityError(f"format `{match.group()}` asks for a width above {MAX_WIDTH:,}")


def _check_str_format(text: str) -> None:
    """Refuse a `str.format` field whose width or precision is above MAX_WIDTH or comes from an argument."""
    import string

    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:  # not a valid format: calling it fails on its own
        return
    for _, _, spec, _ in fields:
        if spec and ("{" in spec or any(int(size) > MAX_WIDTH for size in re.findall(r"\d+", spec))):
            raise SecurityError(f"format spec `{spec}` asks for a width above {MAX_WIDTH:,}, or from an argument")


def _bounded_filter(name: str, function: Callable, sizes: tuple[str, ...]) -> Callable:
    """Return the filter refusing a size argument (or a string one, as `indent` takes) above MAX_WIDTH."""
    import inspect

    signature = inspect.signature(function)

    @functools.wraps(function)  # keeps Jinja's pass_environment marker
    def bounded(*args: Any, **kwargs: Any) -> Any:
        arguments = signature.bind(*args, **kwargs).arguments
        for size in sizes:
            value = arguments.get(size)
            if (isinstance(value, int) and value > MAX_WIDTH) or (isinstance(value, str) and len(value) > MAX_WIDTH):
                raise SecurityError(f"`{name}` with {size} {value if isinstance(value, int) else len(value):,} is "
                                    f"too big; at most {MAX_WIDTH:,}")
        return function(*args, **kwargs)

    return bounded


def _bounded_format(value: Any, *args: Any, **kwargs: Any) -> str:
    """Jinja's `format` filter (`"%s %s" | format(a, b)`), its format checked like the `%` operator."""
    _check_printf_format(str(value))
    return jinja2.filters.do_format(value, *args, **kwargs)


def _repeated_size(left: Any, right: Any) -> int:
    """Return how many items `left * right` makes when it repeats a string or list, else 0."""
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, (str, list, tuple)) and isinstance(count, int):
            return len(sequence) * count
    return 0


class BoundedLoader(jinja2.BaseLoader):
    """Jinja's file loader over the template folders, first folder first, reading each file the safe way
    (`planforge.inputs`): regular files only, bounded, and never through a symlink out of its folder (a template
    from a pull request could otherwise include `/proc/self/environ`)."""

    def __init__(self, folders: tuple[Path, ...]):
        self.folders = folders

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        import os

        from jinja2.loaders import split_template_path

        from planforge.inputs import MAX_TEMPLATE_FILE_BYTES, read_bytes

        pieces = split_template_path(template)  # refuses `..`
        for folder in self.folders:
            path = _shown_path(os.path.join(folder, *pieces))  # as messages show it
            if not os.path.lexists(path):
                continue
            data = read_bytes(path, MAX_TEMPLATE_FILE_BYTES, what="template", root=_shown_path(str(folder)),
                              error=TemplateError)
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise TemplateError([Problem(path, None, None, f"template is not UTF-8 (byte "
                                             f"0x{data[exc.start]:02x} at offset {exc.start})",
                                             "save the template as UTF-8 text")]) from None
            mtime = os.path.getmtime(path)
            return text, os.path.join(str(folder), *pieces), lambda: os.path.exists(path) and os.path.getmtime(path) == mtime
        raise jinja2.TemplateNotFound(template)


@functools.lru_cache(maxsize=8)
def environment(search_path: tuple[Path, ...]) -> jinja2.Environment:
    """Return the sandboxed Jinja environment that looks templates up in `search_path`, first folder first."""
    env = Sandbox(
        loader=BoundedLoader(search_path),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    # Labels follow the language of the render in progress (planforge.i18n.using), so one environment serves all.
    env.install_gettext_callables(gettext=_gettext, ngettext=_ngettext, newstyle=True)
    env.globals["colon"] = colon
    env.filters.update({name: _bounded_filter(name, env.filters[name], sizes) for name, sizes in _SIZED_FILTERS.items()})
    env.filters["format"] = _bounded_format
    env.filters["replace"] = bounded_replace_filter(env.filters["replace"])
    env.filters.update(FILTERS)
    env.tests["web_url"] = is_web_url
    del env.globals["lipsum"]  # writes as much filler text as asked for
    return env


@pass_eval_context
def _finalize(eval_ctx: Any, value: Any) -> Any:
    """Show every `{{ value }}` with its inline markup, escaped for the template's format."""
    if isinstance(value, str) and not isinstance(value, (Markup, MarkdownText)):
        return inline_html(value) if eval_ctx.autoescape else md_inline(value)
    return value


# ---------------------------------------------------------------- labels in the render's language

@pass_eval_context
def _gettext(eval_ctx: Any, message: str) -> str:
    """A label in the current language; escaped in HTML (Jinja takes a translation as markup: "&" must stay text),
    in Markdown escaped as any shown text is (`_finalize`)."""
    text = i18n._(message)
    return escape(text) if eval_ctx.autoescape else text


@pass_eval_context
def _ngettext(eval_ctx: Any, singular: str, plural: str, number: int) -> str:
    text = i18n.ngettext(singular, plural, number)
    return escape(text) if eval_ctx.autoescape else text


# ---------------------------------------------------------------- errors

def _template_error(filename: str, line: int | None, message: str) -> TemplateError:
    return TemplateError([Problem(
        _shown_path(filename), line, None, f"template error: {message}",
        "fix the template, or delete your override to use the packaged one",
    )])


def _shown_path(filename: str) -> str:
    """Return a template's path relative to the working directory when it lies inside it."""
    path = Path(filename)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _innermost_template_frame(tb: TracebackType | None, search_path: tuple[Path, ...]) -> tuple[str, int] | None:
    """Return (template file, line) of the deepest template frame in a traceback Jinja has rewritten."""
    folders = tuple(str(folder) + "/" for folder in search_path)
    place = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(folders):
            place = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return place


def _describe(exc: Exception) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return str(exc.message)
    return f"{type(exc).__name__}: {exc}"
