"""Content hashes and the build manifest: which plans' outputs are current.

An up-to-date build runs only this (and `paths`), so it imports nothing heavy: no Pydantic, Jinja, python-pptx,
Typer, Rich, dataclasses or pathlib.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat

import planforge
from planforge.inputs import (
    MAX_DECK_TEMPLATE_BYTES,
    MAX_PLAN_BYTES,
    MAX_TEMPLATE_FILE_BYTES,
    MAX_TEMPLATE_FILES,
    InputRefused,
    read_bytes,
    refusal,
)
from planforge.paths import inside, plan_files, plan_name, project_files

MANIFEST_NAME = ".planforge-manifest.json"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
"""A manifest of a thousand plans is a few hundred KB; anything past this is not one planforge wrote."""
FORMAT_VERSION = 2
"""2: entries name their plan file, so the outputs of a deleted plan are found."""

RENDERING_INPUTS = ("__init__.py", "inputs.py", "loading", "text.py", "model", "render", "templates", "i18n", "project.py")
"""The parts of the package that can change an output's bytes: the version, the loader and models that make the
document, the inline-markup parser, the renderers with their data, and the packaged templates. A module that the
renderers come to use belongs here too (tests/test_build.py checks this)."""

# Caches and editor or merge leftovers are not part of planforge, however they got into the folder.
_IGNORED_DIRS = {"__pycache__"}
_IGNORED_SUFFIXES = (".pyc", ".pyo", "~", ".swp", ".orig", ".rej")


def split_formats(values: list[str] | None, known: list[str], defaults: list[str] | None = None) -> list[str]:
    """Return the formats named by repeated and comma-separated `--format` values, in registry order (`defaults`,
    else every known one, when none are named)."""
    wanted = {name.strip().lower() for value in values or [] for name in value.split(",") if name.strip()}
    if not wanted:
        return list(defaults if defaults is not None else known)
    unknown = sorted(wanted - set(known))
    if unknown:
        from planforge.errors import PlanforgeError, Problem

        raise PlanforgeError([Problem("--format", None, None, f"unknown format {', '.join(map(repr, unknown))}",
                                      f"choose from {', '.join(known)}")])
    return [name for name in known if name in wanted]


def up_to_date(paths: list, out, formats: list[str], templates_dir, deck_template, known: list[str],
               defaults: list[str] | None = None) -> int | None:
    """Return how many plans are current when every plan named by `paths` is; None when any is not.

    Anything unusual (a missing plan, two plans of one name, an unknown format) also gives None: the full build
    then reports it properly.
    """
    try:
        formats = split_formats(formats, known, defaults)
        files = plan_files(paths)
        if not files or len({plan_name(f) for f in files}) != len(files):
            return None
        manifest = Manifest(out)
        if manifest.orphans({plan_name(f) for f in files}, paths):
            return None
        environment = environment_digest(templates_dir, deck_template, formats)
        for file in files:
            data = read_bytes(file, MAX_PLAN_BYTES, what="plan", root=os.getcwd())
            if not manifest.is_current(plan_name(file), plan_digest(environment, file, data), file):
                return None
    except Exception:
        return None
    return len(files)


def _within(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # on another drive (Windows)
        return False


def _well_formed(name: str, entry) -> bool:
    """Whether a manifest entry has the shape planforge writes (an edited or damaged one is dropped: its plan is
    rebuilt, and nothing is removed on its word)."""
    if not isinstance(entry, dict):
        return False
    outputs, plan = entry.get("outputs", {}), entry.get("plan")
    if plan is not None and not (isinstance(plan, str) and "\0" not in plan and plan_name(plan) == name):
        return False
    # Outputs are trusted only when named after the entry's own plan: an entry for a plan that does not exist must
    # not name a live plan's outputs and have them removed as left over.
    return isinstance(outputs, dict) and all(
        isinstance(k, str) and isinstance(v, str) and "\0" not in k and os.path.splitext(k)[0] == name
        for k, v in outputs.items())


def up_to_date_message(count: int, out) -> str:
    """Return the line a build prints when there was nothing to do."""
    return f"{count} plan{'s' if count != 1 else ''} up to date in {os.fspath(out)}/ (nothing to build)"


def sha256_bytes(data: bytes) -> str:
    """Return the sha256 hex digest of `data`."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path) -> str | None:
    """Return the sha256 hex digest of a file, None when it does not exist, "" when it is not a regular file (a
    FIFO or device put where an output goes is never read: it would hang, or never end)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError:
        return ""
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return ""
        os.set_blocking(fd, True)
        return hashlib.file_digest(handle, "sha256").hexdigest()


def environment_digest(templates_dir, deck_template, formats: list[str], deck_options: tuple[str, ...] = ()) -> str:
    """Return one digest of everything besides the plan that shapes its outputs.

    That is planforge itself (its version and the code and templates that render, so that a changed renderer
    rebuilds what it renders), the user's templates folder, the company .pptx and the output formats. The versions
    of Jinja2 and python-pptx are not part of it: after upgrading them, build with --force.
    """
    digest = hashlib.sha256()
    _add(digest, f"planforge-build-{FORMAT_VERSION}", planforge.__version__, ",".join(sorted(formats)))
    _add(digest, "package", package_digest())
    try:
        if templates_dir is not None:
            files = _tree(templates_dir)
            if len(files) > MAX_TEMPLATE_FILES:
                raise InputRefused(templates_dir, f"the templates folder holds {len(files):,} files; at most "
                                   f"{MAX_TEMPLATE_FILES:,} are allowed", "keep only your templates in it")
            _add(digest, "templates", str(len(files)))
            for relative, full in files:
                _add(digest, relative, read_bytes(full, MAX_TEMPLATE_FILE_BYTES, what="template", root=templates_dir))
        if deck_template is not None:
            _add(digest, "deck-template", read_bytes(deck_template, MAX_DECK_TEMPLATE_BYTES, what="deck template",
                                                     root=os.getcwd()))
    except InputRefused as refused:
        from planforge.errors import TemplateError

        raise refusal(refused, TemplateError) from None
    if deck_options:  # --layout and --font-dir: the layouts and fonts a company deck is made with
        _add(digest, "deck-options", *deck_options)
    return digest.hexdigest()


def package_digest(package: str | None = None) -> str:
    """Return the digest of the parts of the installed planforge that can change what it renders.

    Hashing them reads about a megabyte (the fonts the deck measures text with), a good part of a no-op build, so
    the digest is kept beside the bytecode and reused while no file's inode, size or modification time has
    changed (Python trusts size and modification time for its own bytecode cache).
    """
    package = os.fspath(package) if package is not None else os.path.dirname(os.path.abspath(planforge.__file__))
    files = _rendering_files(package)
    stats = [(name, os.stat(full)) for name, full in files]
    signature = sha256_bytes(repr([(name, st.st_ino, st.st_size, st.st_mtime_ns) for name, st in stats]).encode())
    cache = os.path.join(package, "__pycache__", "rendering-digest.txt")
    try:
        cached_signature, cached_digest = _read(cache).decode("ascii").split()
        if cached_signature == signature:
            return cached_digest
    except (OSError, ValueError):
        pass
    digest = hashlib.sha256()
    _add(digest, str(len(files)))
    for name, full in files:
        _add(digest, name, _read(full))
    result = digest.hexdigest()
    try:
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        temporary = f"{cache}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="ascii") as handle:
            handle.write(f"{signature} {result}\n")
        os.replace(temporary, cache)
    except OSError:  # a read-only installation hashes every time
        pass
    return result


def plan_digest(environment: str, plan, data: bytes) -> str:
    """Return the content hash of one plan: its name, its bytes (as read once, and loaded), the environment and the
    project settings it is loaded with (default `lang`, `deck.layouts`)."""
    digest = hashlib.sha256()
    _add(digest, environment, plan_name(plan), data)
    for path, settings in project_files(os.path.dirname(os.path.realpath(plan))):
        _add(digest, os.path.basename(path), settings)  # the file's name, not where the clone is
    return digest.hexdigest()


def _add(digest, *parts: str | bytes) -> None:
    """Feed length-prefixed parts, so that no two different sequences of parts hash alike."""
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)


def _read(path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _rendering_files(package: str) -> list[tuple[str, str]]:
    """Return (name relative to the package, full path) of every file in RENDERING_INPUTS, sorted."""
    files = []
    for part in RENDERING_INPUTS:
        path = os.path.join(package, part)
        if os.path.isdir(path):
            files.extend((f"{part}/{name}", full) for name, full in _tree(path))
        elif os.path.isfile(path):
            files.append((part, path))
    return sorted(files)


def _tree(root) -> list[tuple[str, str]]:
    """Return (path relative to `root` with '/', full path) of the files under `root`, sorted, leaving out caches."""
    files = []
    seen = {os.path.realpath(root)}
    for folder, dirs, names in os.walk(root, followlinks=True):
        kept = []
        for name in dirs:  # a symlinked folder once: a symlink loop would list its files over and over
            real = os.path.realpath(os.path.join(folder, name))
            if name not in _IGNORED_DIRS and not name.startswith(".") and real not in seen:
                seen.add(real)
                kept.append(name)
        dirs[:] = kept
        relative = os.path.relpath(folder, root)
        files.extend(
            (os.path.normpath(os.path.join(relative, name)).replace(os.sep, "/"), os.path.join(folder, name))
            for name in names
            if not name.startswith(".") and not name.endswith(_IGNORED_SUFFIXES)
        )
    return sorted(files)


class Manifest:
    """The record in the output folder of what each plan was built from and what it produced."""

    def __init__(self, out):
        self.out = os.fspath(out)
        self.path = os.path.join(self.out, MANIFEST_NAME)
        inside(self.out, self.path, self.path)
        self.text = self._read_text()
        self.plans: dict[str, dict] = self._parse(self.text)
        self._changes: list[tuple] = []
        """What this build changed (record, track, forget), replayed onto the file as another build left it."""

    def refresh(self) -> None:
        """Read the manifest again and apply this build's changes to it: under the output folder's lock, so that
        two builds into one folder each keep the other's entries."""
        self.text = self._read_text()
        self.plans = self._parse(self.text)
        for change in self._changes:
            getattr(self, "_" + change[0])(*change[1:])

    def _read_text(self) -> str:
        try:
            return read_bytes(self.path, MAX_MANIFEST_BYTES, what="manifest").decode("utf-8")
        except (InputRefused, UnicodeDecodeError):
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
        return {name: entry for name, entry in data["plans"].items() if _well_formed(name, entry)}

    def is_current(self, name: str, digest: str, plan) -> bool:
        """Return whether plan `name` was built from inputs hashing to `digest`, its outputs are as built and the
        record names its file where it is now."""
        entry = self.plans.get(name)
        if entry is None or entry.get("hash") != digest or not entry.get("outputs"):
            return False
        if entry.get("plan") != self._relative(plan):
            return False
        for file_name, recorded in entry["outputs"].items():
            path = os.path.join(self.out, file_name)
            if os.path.basename(file_name) != file_name or sha256_file(path) != recorded:
                return False
            inside(self.out, path, path)
        return True

    def stale_outputs(self, name: str, digest: str, outputs: list) -> list[tuple[object, str]]:
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
            elif recorded.get(os.path.basename(path)) != actual:
                stale.append((path, "changed since it was built"))
        return stale

    def record(self, name: str, digest: str, outputs: dict[str, str], plan) -> None:
        """Remember that plan `name` (the file `plan`) with hash `digest` produced `outputs` (file name → sha256)."""
        self._changes.append(("record", name, digest, outputs, plan))
        self._record(name, digest, outputs, plan)

    def _record(self, name: str, digest: str, outputs: dict[str, str], plan) -> None:
        self.plans[name] = {"hash": digest, "outputs": dict(sorted(outputs.items()))}
        self._track(name, plan)

    def track(self, name: str, plan) -> None:
        """Record where the file of plan `name` is now (it may have moved since it was built)."""
        self._changes.append(("track", name, plan))
        self._track(name, plan)

    def _track(self, name: str, plan) -> None:
        entry = self.plans.get(name)
        relative = self._relative(plan)
        if entry is not None and relative is not None:
            entry["plan"] = relative

    def _relative(self, plan) -> str | None:
        # Relative to the output folder, so that the manifest reads the same in every clone; None on another drive
        # (Windows), where the plan's outputs are then never taken for a deleted plan's.
        try:
            return os.path.relpath(plan, self.out).replace(os.sep, "/")
        except ValueError:
            return None

    def orphans(self, building: set[str], paths: list) -> list[tuple[str, str, list[str]]]:
        """Return (name, plan, output paths still there) for each plan recorded here whose file is gone from one of
        the folders among `paths` (the folders a build searches: what was in them and is not is known deleted).

        `building` names the plans being built now: one of them may have moved, and takes its outputs over.
        """
        folders = [os.path.abspath(path) for path in paths if os.path.isdir(path)]
        found = []
        for name, entry in sorted(self.plans.items()):
            plan = entry.get("plan")
            if name in building or not isinstance(plan, str):
                continue
            where = os.path.abspath(os.path.join(self.out, plan))
            if os.path.exists(where) or not any(_within(where, folder) for folder in folders):
                continue
            outputs = [os.path.join(self.out, file_name) for file_name in sorted(entry.get("outputs", {}))
                       if os.path.basename(file_name) == file_name]
            found.append((name, plan, [path for path in outputs if os.path.lexists(path)]))
        return found

    def forget(self, name: str) -> None:
        """Drop plan `name` from the record."""
        self._changes.append(("forget", name))
        self._forget(name)

    def _forget(self, name: str) -> None:
        self.plans.pop(name, None)

    def serialise(self) -> str:
        """Return the manifest as stable JSON text: sorted keys, no times, no absolute paths."""
        data = {"format": FORMAT_VERSION, "plans": self.plans}
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def changed(self) -> bool:
        """Return whether the manifest differs from the file on disk."""
        return self.serialise() != self.text
