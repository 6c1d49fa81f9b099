"""Fuzzing the other inputs users hand planforge: their Jinja templates and their company PowerPoint templates.

User templates are built from hostile pieces (nested loops, `~` and `+` joins, repetition, powers, padding
methods, filters with huge sizes); company templates are the stand-in template with parts corrupted, truncated,
dropped, given a DTD or external links. Each must render, or fail with one TemplateError naming the template,
within the hang guard. `make test` replays a few fixed examples; `make fuzz` (PLANFORGE_FUZZ_EXAMPLES) explores.
"""

from __future__ import annotations

import datetime
import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from company_template import make_template
from guards import hang_guard
from planforge.errors import TemplateError
from planforge.loading import load_plan
from planforge.render.templating import render_template

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FUZZING = "PLANFORGE_FUZZ_EXAMPLES" in os.environ
EXAMPLES = max(5, int(os.environ.get("PLANFORGE_FUZZ_EXAMPLES", "50")) // 5)
FUZZ = settings(max_examples=EXAMPLES, derandomize=not FUZZING,
                database=None if not FUZZING else settings.default.database,
                deadline=datetime.timedelta(seconds=30),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

SIZES = st.sampled_from([0, 1, 3, 40, 9_999, 10_001, 99_999, 10 ** 6, 10 ** 9])
VALUES = st.sampled_from(["'ab'", "ns.s", "document.title", "'x' * 100", "[1, 2]", "3", "2 ** 64"])


@st.composite
def template_piece(draw, depth: int = 0) -> str:
    kind = draw(st.sampled_from(["loop", "concat", "plus", "repeat", "power", "method", "filter", "text"]
                                if depth < 2 else ["concat", "plus", "repeat", "method", "filter", "text"]))
    size, value = draw(SIZES), draw(VALUES)
    if kind == "loop":
        return f"{{% for i in range({size}) %}}{draw(template_piece(depth + 1))}{{% endfor %}}"
    if kind == "concat":
        return f"{{% set ns.s = ns.s ~ {value} %}}"
    if kind == "plus":
        return f"{{% set ns.s = ns.s + ns.s %}}"
    if kind == "repeat":
        return f"{{{{ {value} * {size} }}}}"
    if kind == "power":
        return f"{{{{ ({draw(st.sampled_from([2, 3, 10, 2 ** 64]))} ** {size}) * 1 }}}}"
    if kind == "method":
        return f"{{{{ ns.s.{draw(st.sampled_from(['zfill', 'ljust', 'rjust', 'center', 'expandtabs']))}({size}) }}}}"
    if kind == "filter":
        name = draw(st.sampled_from(["center", "indent", "truncate", "wordwrap", "batch"]))
        return f"{{{{ ns.s | {name}({size}) | string | length }}}}"
    return "{{ document.title }}"


@pytest.fixture(scope="module")
def document():
    return load_plan(FIXTURES / "minimal_strategy.yaml").document


@FUZZ
@given(pieces=st.lists(template_piece(), min_size=1, max_size=4))
def test_a_generated_user_template_renders_or_fails_at_its_file(tmp_path_factory, monkeypatch, document, pieces):
    monkeypatch.setattr("planforge.render.sandbox_limits.MAX_RENDER_SECONDS", 3.0)
    folder = tmp_path_factory.mktemp("brand")
    (folder / "markdown").mkdir()
    (folder / "markdown" / "strategy.md.j2").write_text(
        "{% set ns = namespace(s='seed') %}" + "".join(pieces) + "\n", encoding="utf-8")
    with hang_guard(60):
        try:
            text = render_template("markdown/strategy.md.j2", document, folder)
        except TemplateError as error:
            assert "strategy.md.j2" in str(error.problems[0].path)
        else:
            assert len(text) <= 50_000_000


@pytest.fixture(scope="module")
def brand(tmp_path_factory) -> bytes:
    return make_template(tmp_path_factory.mktemp("company") / "brand.pptx").read_bytes()


MUTATIONS = st.sampled_from(["truncate", "garbage", "drop", "dtd", "external", "flip"])


@FUZZ
@given(data=st.data())
def test_a_damaged_company_template_opens_or_is_one_template_error(tmp_path_factory, brand, data):
    from pptx import Presentation

    from planforge.render.deck.template_package import checked_package

    with zipfile.ZipFile(io.BytesIO(brand)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    name = data.draw(st.sampled_from(sorted(parts)))
    mutation = data.draw(MUTATIONS)
    blob = parts[name]
    if mutation == "truncate":
        parts[name] = blob[: data.draw(st.integers(0, max(len(blob) - 1, 0)))]
    elif mutation == "garbage":
        parts[name] = data.draw(st.binary(max_size=200))
    elif mutation == "drop":
        del parts[name]
    elif mutation == "dtd" and name.endswith(".xml"):
        parts[name] = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]>' + blob.split(b"?>", 1)[-1]
    elif mutation == "external" and name.endswith(".rels"):
        parts[name] = blob.replace(b"</Relationships>", b'<Relationship Id="rX" Type="http://schemas.openxmlformats'
                                   b'.org/officeDocument/2006/relationships/image" Target="https://x.example/a.png" '
                                   b'TargetMode="External"/></Relationships>')
    elif blob:
        position = data.draw(st.integers(0, len(blob) - 1))
        parts[name] = blob[:position] + bytes([blob[position] ^ 0xFF]) + blob[position + 1:]
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for part_name, part_blob in parts.items():
            archive.writestr(part_name, part_blob)
    path = tmp_path_factory.mktemp("damaged") / "brand.pptx"
    with hang_guard(60):
        try:
            package = checked_package(path, stream.getvalue())
        except TemplateError as error:
            assert error.problems[0].path == path and error.problems[0].message
            return
        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            assert not any(b'TargetMode="External"' in archive.read(n) for n in archive.namelist() if n.endswith(".rels"))
        try:
            Presentation(io.BytesIO(package))
        except Exception:  # python-pptx's own refusal of a damaged package: open_presentation turns it into a message
            pass
