"""Keep-out geometry: the largest rectangle of an area that no obstacle touches, and free spans along a strip."""

from __future__ import annotations

from typing import Sequence

from planforge.render.deck.theme import Box


def overlaps(a: Box, b: Box) -> bool:
    """Whether two boxes share any area."""
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def grown(box: Box, by: float) -> Box:
    """The box with `by` points added on every side."""
    return Box(box.x - by, box.y - by, box.w + 2 * by, box.h + 2 * by)


def largest_free(area: Box, obstacles: Sequence[Box], min_width: float = 0.0) -> Box:
    """The largest box inside `area` that overlaps none of the obstacles (the area itself when none is in it).

    Candidate edges are the area's and the obstacles' edges; with the few graphics a master has, trying every
    pair of them is quick. Ties go to the box nearest the top left, so the choice is stable.
    """
    inside = [o for o in obstacles if overlaps(o, area)]
    if not inside:
        return area
    xs = sorted({area.x, area.right, *(min(max(v, area.x), area.right) for o in inside for v in (o.x, o.right))})
    ys = sorted({area.y, area.bottom, *(min(max(v, area.y), area.bottom) for o in inside for v in (o.y, o.bottom))})
    best, best_key = Box(area.x, area.y, 0, 0), (0.0, 0.0, 0.0)
    for i, x0 in enumerate(xs):
        for x1 in xs[i + 1:]:
            if x1 - x0 < min_width:
                continue
            blocking = [o for o in inside if o.x < x1 and x0 < o.right]
            for j, y0 in enumerate(ys):
                for y1 in ys[j + 1:]:
                    if any(o.y < y1 and y0 < o.bottom for o in blocking):
                        break
                    key = ((x1 - x0) * (y1 - y0), -y0, -x0)
                    if key > best_key:
                        best, best_key = Box(x0, y0, x1 - x0, y1 - y0), key
    return best


def free_spans(strip: Box, obstacles: Sequence[Box]) -> list[tuple[float, float]]:
    """The stretches (x0, x1) of a horizontal strip that no obstacle crosses, left to right."""
    blocked = sorted((max(o.x, strip.x), min(o.right, strip.right)) for o in obstacles if overlaps(o, strip))
    spans, x = [], strip.x
    for start, end in blocked:
        if start > x:
            spans.append((x, start))
        x = max(x, end)
    if x < strip.right:
        spans.append((x, strip.right))
    return spans
