"""Saving a presentation as reproducible bytes: pinned document properties, fixed zip dates, stable order."""

from __future__ import annotations

import datetime
import io
import zipfile

from planforge.render.deck.draw import xml_safe

PINNED_TIME = datetime.datetime(2000, 1, 1, 0, 0, 0)
"""The time written wherever a file format wants one (a deck carries no build time)."""
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def pin_properties(presentation, title: str, author: str | None) -> None:
    """Overwrite the core properties python-pptx and its template stamp with fixed values."""
    properties = presentation.core_properties
    # The file format caps these at 255 characters.
    properties.title = xml_safe(title)[:255]
    properties.author = xml_safe(author or "")[:255]
    properties.last_modified_by = "planforge"
    properties.revision = 1
    properties.created = PINNED_TIME
    properties.modified = PINNED_TIME
    properties.last_printed = PINNED_TIME
    properties.comments = ""
    properties.subject = ""
    properties.keywords = ""
    properties.category = ""


def to_bytes(presentation) -> bytes:
    """Save the presentation and rewrite its zip with fixed entry dates, so equal decks are equal bytes."""
    saved = io.BytesIO()
    presentation.save(saved)
    return rezip(saved.getvalue())


def rezip(data: bytes) -> bytes:
    """Return the zip archive with every entry dated 1980-01-01, in its original order, deflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, source.read(entry.filename), compresslevel=6)
    return out.getvalue()
