"""Content hashes and the build manifest: which plans' outputs are current. Imports nothing heavy."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import planforge
from planforge.paths import inside

MANIFEST_NAME = ".planforge-manifest.json"
FORMAT_VERSION = 1

RENDERING_INPUTS = ("__init__.py", "loading.py", "text.py", "model", "render", "templates")
"""The parts of the package that can change an output's bytes: the version, the loader and models that make the
document, the inline-markup parser, the renderers with their data, and the packaged templates. A module that the
renderers come to use belongs here too (tests/test_build.py checks this)."""

# Caches and editor or merge leftovers are not part of planforge, however they got into the folder.
_IGNORED_DIRS = {"__pycache__"}
_IGNORED_SUFFIXES = (".pyc", ".pyo", "~", ".swp", ".orig", ".rej")


def sha256_bytes(data: bytes) -> str:
    """Return the sha256 hex digest of `data`."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str | None:
    """Return the sha256 hex digest of a file, or None when it does not exist."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except (FileNotFoundError, NotADirectoryError):
        return None


def environment_digest(templates_dir: Path | None, deck_template: Path | None, formats: list[str]) -> str:
    """Return one digest of everything besides the plan that shapes its outputs.

    That is planforge itself (its version and the code and templates that render, so that a changed renderer
    rebuilds what it renders), the user's templates folder, the company .pptx and the output formats. The versions
    of Jinja2 and python-pptx are not part of it: after upgrading them, build with --force.
    """
    digest = hashlib.sha256()
    _add(digest, f"planforge-build-{FORMAT_VERSION}", planforge.__version__, ",".join(sorted(formats)))
    _add(digest, "package", package_digest())
    if templates_dir is not None:
        _add_tree(digest, "templates", templates_dir)
    if deck_template is not None:
        try:
            _add(digest, "deck-template", deck_template.read_bytes())
        except OSError as exc:
            from planforge.errors import OutputError, Problem

            raise OutputError([Problem(deck_template, None, None, f"cannot read the deck template: {exc.strerror}",
                                       "give the path of a .pptx file")]) from None
    return digest.hexdigest()


def package_digest(package: Path | None = None) -> str:
    """Return the digest of the parts of the installed planforge that can change what it renders.

    Hashing them reads about a megabyte (the fonts the deck measures text with), a good part of a no-op build, so
    the digest is kept beside the bytecode and reused while no file's inode, size or modification time has
    changed (Python trusts size and modification time for its own bytecode cache).
    """
    package = package or Path(planforge.__file__).parent
    files = _rendering_files(package)
    stats = [(name, os.stat(full)) for name, full in files]
    signature = hashlib.sha256(repr([(name, st.st_ino, st.st_size, st.st_mtime_ns) for name, st in stats]).encode()).hexdigest()
    cache = package / "__pycache__" / "rendering-digest.txt"
    try:
        cached_signature, cached_digest = cache.read_text(encoding="ascii").split()
        if cached_signature == signature:
            return cached_digest
    except (OSError, ValueError):
        pass
    digest = hashlib.sha256()
    _add(digest, str(len(files)))
    for name, full in files:
        with open(full, "rb") as handle:
            _add(digest, name, handle.read())
    result = digest.hexdigest()
    try:
        cache.parent.mkdir(exist_ok=True)
        temporary = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        temporary.write_text(f"{signature} {result}\n", encoding="ascii")
        os.replace(temporary, cache)
    except OSError:  # a read-only installation hashes every time
        pass
    return result


def _rendering_files(package: Path) -> list[tuple[str, str]]:
    """Return (name relative to the package, full path) of every file in RENDERING_INPUTS, sorted."""
    files = []
    for part in RENDERING_INPUTS:
        path = package / part
        if path.is_dir():
            files.extend((f"{part}/{name}", full) for name, full in _tree(path))
        elif path.is_file():
            files.append((part, str(path)))
    return sorted(files)


def plan_digest(environment: str, plan: Path) -> str:
    """Return the content hash of one plan: its name, its bytes and the environment digest."""
    digest = hashlib.sha256()
    _add(digest, environment, plan.stem, plan.read_bytes())
    return digest.hexdigest()


def _add(digest, *parts: str | bytes) -> None:
    """Feed length-prefixed parts, so that no two different sequences of parts hash alike."""
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)


def _add_tree(digest, label: str, root: Path) -> None:
    """Feed every file under `root` (following symlinks) with its relative name, in a fixed order."""
    files = _tree(root)
    _add(digest, label, str(len(files)))
    for relative, full in files:
        with open(full, "rb") as handle:
            _add(digest, relative, handle.read())


def _tree(root: Path) -> list[tuple[str, str]]:
    """Return (path relative to `root` with '/', full path) of the files under `root`, sorted, leaving out caches."""
    files = []
    for folder, dirs, names in os.walk(root, followlinks=True):
        dirs[:] = [d for d in dirs if d not in _IGNORED_DIRS and not d.startswith(".")]
        relative = os.path.relpath(folder, root)
        files.extend(
            (os.path.normpath(os.path.join(relative, name)).replace(os.sep, "/"), os.path.join(folder, name))
            for name in names
            if not name.startswith(".") and not name.endswith(_IGNORED_SUFFIXES)
        )
    return sorted(files)


class Manifest:
    """The record in the output folder of what each plan was built from and what it produced."""

    def __init__(self, out: Path):
        self.path = out / MANIFEST_NAME
        inside(out, self.path, self.path)
        self.text = self._read_text()
        self.plans: dict[str, dict] = self._parse(self.text)

    def _read_text(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return ""
        except (OSError, UnicodeDecodeError):
            return ""

    @staticmethod
    def _parse(text: str) -> dict[str, dict]:
        # A manifest that is unreadable or from another format version only means "rebuild everything".
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION or not isinstance(data.get("plans"), dict):
            return {}
        return {name: entry for name, entry in data["plans"].items() if isinstance(entry, dict)}

    def is_current(self, name: str, digest: str) -> bool:
        """Return whether plan `name` was built from inputs hashing to `digest` and its outputs are as built."""
        entry = self.plans.get(name)
        if entry is None or entry.get("hash") != digest or not entry.get("outputs"):
            return False
        for file_name, recorded in entry["outputs"].items():
            path = self.path.parent / file_name
            if os.path.basename(file_name) != file_name or sha256_file(path) != recorded:
                return False
            inside(self.path.parent, path, path)
        return True

    def stale_outputs(self, name: str, digest: str, outputs: list[Path]) -> list[tuple[Path, str]]:
        """Return (output, reason) for each output of plan `name` that is not current; empty when all are."""
        entry = self.plans.get(name)
        if entry is None:
            return [(path, "not built yet" if sha256_file(path) is None else "not in the manifest") for path in outputs]
        recorded = entry.get("outputs", {})
        inputs_changed = entry.get("hash") != digest
        stale = []
        for path in outputs:
            actual = sha256_file(path)
            if actual is None:
                stale.append((path, "missing"))
            elif inputs_changed:
                stale.append((path, "inputs changed"))
            elif recorded.get(path.name) != actual:
                stale.append((path, "changed since it was built"))
        return stale

    def record(self, name: str, digest: str, outputs: dict[str, str]) -> None:
        """Remember that plan `name` with hash `digest` produced `outputs` (file name → sha256)."""
        self.plans[name] = {"hash": digest, "outputs": dict(sorted(outputs.items()))}

    def serialise(self) -> str:
        """Return the manifest as stable JSON text: sorted keys, no times, no absolute paths."""
        data = {"format": FORMAT_VERSION, "plans": self.plans}
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def changed(self) -> bool:
        """Return whether the manifest differs from the file on disk."""
        return self.serialise() != self.text
