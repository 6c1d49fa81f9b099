"""The one Jinja environment for Markdown and HTML: template lookup, escaping, inline-markup filters, errors."""

from __future__ import annotations

import datetime
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
from planforge.render.sandbox_limits import (BoundedCodeGenerator, bounded_replace_filter, check_binop, check_call,
                                             checked_value, cpu_time_limit)
from planforge.i18n.typography import typeset
from planforge.i18n.formatting import format_date, format_list, format_number, format_quantity, weeks_label
from planforge.text import Run, plain, runs

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


class MarkdownText(str):
    """Markdown that is already escaped; the Markdown templates output it as it is."""


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


# ---------------------------------------------------------------- HTML

def inline_html(text: str) -> Markup:
    """Return text as escaped HTML with `**bold**` as <strong> and `*italic*` as <em>."""
    return Markup("").join(_html_run(run) for run in runs(text))


def _html_run(run: Run) -> Markup:
    html = escape(run.text)
    if run.italic:
        html = Markup("<em>%s</em>") % html
    if run.bold:
        html = Markup("<strong>%s</strong>") % html
    if run.link:
        html = Markup('<a href="%s" rel="noopener noreferrer">%s</a>') % (run.link, html)
    return html


def html_paragraphs(text: str) -> Markup:
    """Return text as HTML paragraphs, one per blank-line-separated block."""
    return Markup("\n").join(Markup("<p>%s</p>") % inline_html(block) for block in paragraphs(text))


def url_text(url: str) -> Markup:
    """Return a web address exactly as written, escaped for HTML (an address is not plan text: `*` stays `*`)."""
    return escape(url)


def plain_text(text: str) -> Markup:
    """Return text without inline markup, escaped for HTML (for <title> and attribute values)."""
    return escape("".join(run.text for run in runs(text)))


# ---------------------------------------------------------------- Markdown

# Characters that start inline Markdown (GFM) constructs anywhere in a line: code, emphasis, links, raw HTML,
# table cells, strikethrough and GitHub's $math$.
_MD_INLINE = re.compile(r"([\\`*_\[\]<|~$])")
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_BREAKING_SPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")
# What would start a block (heading, quote, list, thematic break) when it opens a line.
_MD_LINE_START = re.compile(r"^([#>+=-]|\d+(?=[.)]))")


def md_inline(text: str, bold: bool = False, italic: bool = False) -> MarkdownText:
    """Return text as one line of Markdown: metacharacters escaped, its bold and italic kept (or forced on)."""
    # No-break spaces do not collapse: French "Objectifs :" must keep its colon on the word's line.
    pieces = _styled(runs(_BREAKING_SPACE.sub(" ", text).strip(" ")), bold, italic)
    line = "".join(_md_run_before_link(pieces, index) for index in range(len(pieces)))
    match = _MD_LINE_START.match(line)
    if match:
        line = (match.group(1) + "\\" + line[match.end():]) if match.group(1).isdigit() else "\\" + line
    return MarkdownText(line)


def _styled(pieces: list[Run], bold: bool, italic: bool) -> list[Run]:
    """Return runs with bold and/or italic switched on throughout, neighbours of one style merged."""
    if not (bold or italic):
        return pieces
    merged: list[Run] = []
    for run in pieces:
        run = Run(run.text, run.bold or bold, run.italic or italic, run.link)
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].link) == (run.bold, run.italic, run.link):
            run = Run(merged.pop().text + run.text, run.bold, run.italic, run.link)
        merged.append(run)
    return merged


def _md_escape(text: str) -> str:
    return _MD_ENTITY.sub("\\\\&", _MD_INLINE.sub(r"\\\1", text))


def _md_run_before_link(pieces: list[Run], index: int) -> str:
    """One run as Markdown; a `!` right before a link is escaped, or the link would read as an image."""
    markdown = _md_run(pieces, index)
    if markdown.endswith("!") and index + 1 < len(pieces) and pieces[index + 1].link:
        markdown = markdown[:-1] + "\\!"
    return markdown


def _md_run(pieces: list[Run], index: int) -> str:
    """Return one styled run as Markdown, with emphasis delimiters outside its surrounding spaces."""
    run = pieces[index]
    if run.link:
        # The label keeps its style inside the brackets; the address is written as it is.
        label = _md_run([Run(run.text, run.bold, run.italic)], 0)
        return f"[{label}]({run.link})"
    body = run.text.strip()
    if not body or not (run.bold or run.italic):
        return _md_escape(run.text)
    lead = run.text[: len(run.text) - len(run.text.lstrip())]
    trail = run.text[len(run.text.rstrip()):]
    before = lead[-1:] or _neighbour(pieces, index - 1, -1)
    after = trail[:1] or _neighbour(pieces, index + 1, 0)
    escaped = _md_escape(body)
    if _emphasis_parses(before, body, after):
        marker = "*" * (2 * run.bold + run.italic)
        return f"{lead}{marker}{escaped}{marker}{trail}"
    # Where `*` delimiters would not parse as emphasis (CommonMark's flanking rules), raw tags always do.
    if run.italic:
        escaped = f"<em>{escaped}</em>"
    if run.bold:
        escaped = f"<strong>{escaped}</strong>"
    return f"{lead}{escaped}{trail}"


def _neighbour(pieces: list[Run], index: int, position: int) -> str | None:
    """Return the character next to a run from its neighbour; None for a styled neighbour, "" at the line's ends."""
    if index < 0 or index >= len(pieces):
        return ""
    neighbour = pieces[index]
    if neighbour.link:
        return "[" if position == 0 else ")"
    if neighbour.bold or neighbour.italic:
        return None
    return neighbour.text[position]


def _emphasis_parses(before: str | None, body: str, after: str | None) -> bool:
    """Return whether `*` delimiters around `body` open and close emphasis between `before` and `after`."""
    if before is None or after is None:
        return False  # delimiters touching another emphasis run merge with its delimiters
    opens = not _is_punctuation(body[0]) or before == "" or before.isspace() or _is_punctuation(before)
    closes = not _is_punctuation(body[-1]) or after == "" or after.isspace() or _is_punctuation(after)
    return opens and closes


def _is_punctuation(char: str) -> bool:
    return not char.isalnum() and not char.isspace()


def paragraphs(text: str) -> list[str]:
    """Split text into paragraphs at blank lines."""
    return [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]


def md_paragraphs(text: str) -> MarkdownText:
    """Return text as Markdown paragraphs separated by blank lines."""
    return MarkdownText("\n\n".join(md_inline(block) for block in paragraphs(text)))


def md_cell(text: str, bold: bool = False) -> MarkdownText:
    """Return text for a GFM table cell: one line, paragraphs separated by <br><br>."""
    return MarkdownText("<br><br>".join(md_inline(block, bold=bold) for block in paragraphs(text)))


def md_bullets(bullets: list[Any], numbered: bool = False) -> MarkdownText:
    """Return bullets as a Markdown list, sub-bullets nested under their bullet."""
    lines = []
    for number, bullet in enumerate(bullets, start=1):
        marker = f"{number}." if numbered else "-"
        lines.append(f"{marker} {md_inline(bullet.text)}")
        lines.extend(f"{' ' * (len(marker) + 1)}- {md_inline(item)}" for item in bullet.items)
    return MarkdownText("\n".join(lines))


def md_cell_bullets(bullets: list[Any], numbered: bool = False) -> MarkdownText:
    """Return bullets for a GFM table cell as the seeds write them: `- item<br>  • sub-item`, or `1. item`."""
    lines = []
    for number, bullet in enumerate(bullets, start=1):
        marker = f"{number}." if numbered else "-"
        lines.append(f"{marker} {md_inline(bullet.text)}")
        lines.extend(f"&nbsp;&nbsp;• {md_inline(item)}" for item in bullet.items)
    return MarkdownText("<br>".join(lines))


_WEB_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)


def is_web_url(text: str) -> bool:
    """Return whether text is a single http(s) address that is safe to link to."""
    return isinstance(text, str) and bool(_WEB_URL.fullmatch(text))


def md_link(url: str) -> MarkdownText:
    """Return a web address as a Markdown autolink, anything else (e.g. a 'TBD' placeholder) as text."""
    return MarkdownText(f"<{url}>") if is_web_url(url) else md_inline(url)


# ---------------------------------------------------------------- wording shared by both formats

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


def colon() -> str:
    """The colon after a label, as the language spaces it (":" in English, " :" in French)."""
    return typeset(":", i18n.current().code)


def date_text(value: datetime.date | str | None) -> str | None:
    """Return a date in the plan's language ('20 September 2025', '6 octobre 2025'); text as written."""
    return format_date(value)


def week_span(block: Any) -> str:
    """Return a week block's span, e.g. 'Weeks 1–2' or 'Week 5', in the plan's language."""
    return weeks_label(block.first_week, block.last_week)


def period(text: str) -> str:
    """Return the full stop that ends a reference part, or nothing when the text already ends a sentence."""
    return "" if plain(text).rstrip().endswith((".", "?", "!")) else "."


FILTERS: dict[str, Callable[..., Any]] = {
    "paragraphs": html_paragraphs,
    "plain": plain_text,
    "url": url_text,
    "md": md_inline,
    "md_paragraphs": md_paragraphs,
    "md_cell": md_cell,
    "md_bullets": md_bullets,
    "md_cell_bullets": md_cell_bullets,
    "md_link": md_link,
    "date_text": date_text,
    "number": format_number,
    "quantity": format_quantity,
    "and_list": format_list,
    "week_span": week_span,
    "week_label": lambda number: weeks_label(number, number),
    "period": period,
}
"""Filters the templates use. Unfiltered `{{ text }}` is already escaped with its bold and italic kept (`_finalize`)."""


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
