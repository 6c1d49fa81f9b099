"""Golden Markdown and HTML of the real plans: `make golden` rewrites them; the render tests compare against them.

Run as a script to refresh tests/golden/ after a deliberate change to the templates, then read the diff.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "plans"
GOLDEN = Path(__file__).resolve().parent / "golden"
FORMATS = ("md", "html")


def plan_paths() -> list[Path]:
    """Return the real plans whose outputs have golden copies."""
    return sorted(PLANS.glob("*.yaml"))


def render(plan: Path, output_format: str) -> bytes:
    """Render a plan with the packaged templates only, whatever folder the tests run in."""
    from planforge.loading import load_plan
    from planforge.render import RenderOptions, renderer
    from planforge.render.templating import PACKAGED_TEMPLATES

    document = load_plan(plan).document
    return renderer(output_format).render(document, RenderOptions(templates_dir=PACKAGED_TEMPLATES))


def golden_path(plan: Path, output_format: str) -> Path:
    """Return where the golden output of a plan in a format lives."""
    from planforge.render import suffix

    return GOLDEN / (plan.stem + suffix(output_format))


def main() -> int:
    """Rewrite every golden output and say which changed."""
    GOLDEN.mkdir(exist_ok=True)
    for plan in plan_paths():
        for output_format in FORMATS:
            path = golden_path(plan, output_format)
            data = render(plan, output_format)
            changed = not path.exists() or path.read_bytes() != data
            path.write_bytes(data)
            print(f"{'updated' if changed else 'unchanged'} {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
