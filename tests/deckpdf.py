"""Read a deck the way a person sees it: convert it with LibreOffice and take words, sizes and boxes from the PDF.

pdfplumber keeps characters in drawing order, and LibreOffice draws one text box or table cell at a time, so
joining characters in that order gives each box's text in reading order even on multi-column slides.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def converted_once(tmp_path_factory, name: str, convert) -> Path:
    """The folder `convert(folder)` filled once for the whole test run: under xdist the first worker converts (under
    a lock) and the others wait for it and reuse its files."""
    base = tmp_path_factory.getbasetemp()
    # Under xdist every worker's base folder sits in one folder of this run; alone, the base folder is this run's.
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / name
    shared.mkdir(exist_ok=True)
    with open(shared / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / ".done").exists():
            convert(shared)
            (shared / ".done").write_text(str(os.getpid()))
    return shared


def to_pdf(pptx: Path, folder: Path) -> Path:
    """Convert a deck to PDF with LibreOffice (own profile, so parallel runs do not collide)."""
    profile = folder / "lo-profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), str(pptx)],
        check=True, capture_output=True, timeout=240,
    )
    pdf = folder / (pptx.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice did not convert {pptx}"
    return pdf


@dataclass(frozen=True)
class Word:
    """A run of characters without a gap, with its box in points (top-left origin) and font size."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    page: int


@dataclass(frozen=True)
class Page:
    """What one PDF page shows."""

    number: int
    width: float
    height: float
    words: list[Word]
    lines: list[str]
    """Text lines in drawing order, each the words of one line joined by spaces."""
    graphics: list[tuple[float, float, float, float]]
    """Boxes (x0, top, x1, bottom) of every rectangle, line and curve drawn."""


def read_pdf(pdf: Path) -> list[Page]:
    """Return every page's words, lines and graphic boxes."""
    pages = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            words, lines = _words(page.chars, number)
            graphics = [(g["x0"], g["top"], g["x1"], g["bottom"]) for g in (*page.rects, *page.lines, *page.curves)]
            pages.append(Page(number, float(page.width), float(page.height), words, lines, graphics))
    return pages


def _words(chars: list[dict], number: int) -> tuple[list[Word], list[str]]:
    words: list[Word] = []
    lines: list[list[str]] = []
    current: list[dict] = []

    def flush() -> None:
        if current:
            text = "".join(c["text"] for c in current)
            words.append(Word(text, min(c["x0"] for c in current), min(c["top"] for c in current),
                              max(c["x1"] for c in current), max(c["bottom"] for c in current),
                              max(c["size"] for c in current), number))
            current.clear()

    previous = None
    for char in chars:
        new_line = previous is None or abs(char["top"] - previous["top"]) > previous["size"] * 0.5 or \
            char["x0"] < previous["x0"] - 0.1
        gap = previous is not None and char["x0"] - previous["x1"] > previous["size"] * 0.12
        if char["text"].isspace() or new_line or gap:
            flush()
        if new_line:
            lines.append([])
        if not char["text"].isspace():
            if not current:
                lines[-1].append("")
            current.append(char)
            lines[-1][-1] += char["text"]
        previous = char
    flush()
    return words, [" ".join(line) for line in lines if line]


def visible_text(pages: list[Page]) -> str:
    """All text of the deck as one string: lines joined with spaces, words broken after a hyphen rejoined."""
    parts: list[str] = []
    for page in pages:
        for line in page.lines:
            if parts and parts[-1].endswith(("-", "/")) and len(parts[-1]) > 1:
                parts[-1] += line
            else:
                parts.append(line)
    return " ".join(" ".join(parts).split())


def overlapping_words(page: Page, tolerance: float = 0.5) -> list[tuple[Word, Word]]:
    """Pairs of words whose boxes overlap by more than `tolerance` points both ways."""
    found = []
    ordered = sorted(page.words, key=lambda w: w.x0)
    for index, word in enumerate(ordered):
        for other in ordered[index + 1:]:
            if other.x0 >= word.x1 - tolerance:
                break
            overlap_x = min(word.x1, other.x1) - max(word.x0, other.x0)
            overlap_y = min(word.bottom, other.bottom) - max(word.top, other.top)
            if overlap_x > tolerance and overlap_y > tolerance:
                found.append((word, other))
    return found


def lines_through_words(page: Page, thin: float = 1.5) -> list[tuple[Word, tuple]]:
    """Words a thin drawn line (a rule, a grid or phase line) runs through: inside the word's box above the band
    near its bottom where an underline runs."""
    found = []
    for graphic in page.graphics:
        x0, top, x1, bottom = graphic
        horizontal, vertical = bottom - top <= thin, x1 - x0 <= thin
        if not (horizontal or vertical):
            continue
        if horizontal and any(w.bottom - 1.0 <= top and bottom <= w.bottom + 3.0 and w.x0 - 1.0 <= x0 < w.x1
                              for w in page.words):
            continue  # a link's underline, just under the line of text it starts under
        for word in page.words:
            height = word.bottom - word.top
            band_top, band_bottom = word.top + 0.5, word.bottom - 0.25 * height
            if horizontal:
                y = (top + bottom) / 2
                crosses = band_top < y < band_bottom and min(x1, word.x1) - max(x0, word.x0) > 1.0
            else:
                x = (x0 + x1) / 2
                crosses = word.x0 + 1.0 < x < word.x1 - 1.0 and min(bottom, band_bottom) - max(top, band_top) > 0
            if crosses:
                found.append((word, graphic))
    return found


def off_page(page: Page, tolerance: float = 0.5) -> list[str]:
    """Descriptions of words and graphics drawn (partly) outside the page."""
    problems = []
    for word in page.words:
        if word.x0 < -tolerance or word.top < -tolerance or word.x1 > page.width + tolerance or \
                word.bottom > page.height + tolerance:
            problems.append(f"page {page.number}: word {word.text!r} at ({word.x0:.0f}, {word.top:.0f})")
    for x0, top, x1, bottom in page.graphics:
        if x0 < -tolerance or top < -tolerance or x1 > page.width + tolerance or bottom > page.height + tolerance:
            problems.append(f"page {page.number}: graphic at ({x0:.0f}, {top:.0f})–({x1:.0f}, {bottom:.0f})")
    return problems


def small_words(page: Page, smallest: float, footer_top: float) -> list[Word]:
    """Words set smaller than `smallest` points that are not in the footer band below `footer_top`."""
    return [w for w in page.words if w.size < smallest - 0.05 and w.top < footer_top]


@dataclass(frozen=True)
class Line:
    """One set line of text: its characters with their faces, and how wide the PDF draws it."""

    chars: list[tuple[str, bool, bool]]
    """(character, bold, italic); a space stands for each gap between words."""
    size: float
    width: float


def set_lines(pdf: Path) -> list[Line]:
    """Lines of one size, from each text box, as drawn (for comparing widths with the measurement)."""
    found = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            line: list[dict] = []
            for char in [*page.chars, None]:
                if line and (char is None or abs(char["top"] - line[-1]["top"]) > char["size"] * 0.5
                             or char["x0"] < line[-1]["x0"] - 0.1 or char["x0"] - line[-1]["x1"] > char["size"] * 0.6
                             or abs(char["size"] - line[0]["size"]) > 0.1):
                    found.append(_line(line))
                    line = []
                if char is not None:
                    line.append(char)
    return found


def _line(chars: list[dict]) -> Line:
    size = chars[0]["size"]
    faces = []
    for index, char in enumerate(chars):
        bold, italic = "Bold" in char["fontname"], "Italic" in char["fontname"]
        if index and char["x0"] - chars[index - 1]["x1"] > size * 0.1:
            faces.append((" ", *faces[-1][1:]))
        faces.append((char["text"], bold, italic))
    return Line(faces, size, chars[-1]["x1"] - chars[0]["x0"])
