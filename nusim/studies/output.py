"""Result files: every JSON carries the configuration, the versions, the provenance (nusim version,
git commit when run from a checkout, SHA-256 of every input file) and the citations used."""

import csv
import hashlib
import json
import platform
import subprocess
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from nusim.errors import ArgumentError

PAPER = ("M. Ghosh, Y. Grossman, W. Tangarife, X.-J. Xu, B. Yu, Neutrino forces in neutrino "
         "backgrounds, JHEP 02 (2023) 092, arXiv:2209.07082")

#: Libraries whose versions go into every result file.
LIBRARIES = ("numpy", "scipy", "numba", "astropy", "trimesh", "mpmath", "matplotlib")

#: File endings that mark a configuration value as an input file (hashed when it exists).
INPUT_SUFFIXES = (".toml", ".stl", ".obj", ".ply", ".off", ".glb")

_PACKAGE_DIR = Path(__file__).resolve().parents[1]


def versions():
    """Versions of nusim, Python and the numerical libraries that made a result (a dict)."""
    from nusim import __version__

    out = {"python": platform.python_version(), "nusim": __version__}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _git(*args):
    out = subprocess.run(["git", *args], cwd=_PACKAGE_DIR, capture_output=True, text=True,
                         timeout=10, check=True)
    return out.stdout


def git_state():
    """{"commit": sha, "dirty": bool} of the git checkout nusim runs from, or None.

    None (never an error) when nusim is installed outside a checkout, git is missing, or git
    fails. "dirty" means tracked files differ from the commit (untracked files are ignored).
    """
    try:
        commit = _git("rev-parse", "HEAD").strip()
        top = Path(_git("rev-parse", "--show-toplevel").strip()).resolve()
        # the checkout must hold this nusim package (not some repository around site-packages)
        if not (top / "nusim" / "__init__.py").is_file() or top / "nusim" != _PACKAGE_DIR:
            return None
        dirty = bool(_git("status", "--porcelain", "--untracked-files=no").strip())
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    if len(commit) not in (40, 64):
        return None
    return {"commit": commit, "dirty": dirty}


def sha256(path):
    """SHA-256 hex digest of the file at ``path``."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def _referenced_files(toml_path):
    """Files a TOML input names (e.g. an apparatus' meshes), relative to that file."""
    import tomllib

    try:
        doc = tomllib.loads(Path(toml_path).read_text())
    except (OSError, ValueError, UnicodeDecodeError):
        return []
    found = []
    for s in _strings(doc):
        if s.lower().endswith(INPUT_SUFFIXES):
            p = Path(s) if Path(s).is_absolute() else Path(toml_path).parent / s
            if p.is_file():
                found.append(p)
    return found


def input_files(config=None, inputs=None):
    """The input files of a result: ``inputs`` (paths) and those the ``config`` names (its
    ``source_file`` and any value ending in .toml/.stl/.obj/.ply/.off/.glb that exists), with
    the files each TOML among them names in turn (an apparatus' meshes), each once."""
    seeds = [Path(p) for p in (inputs or ())]
    if config is not None:
        seeds += [Path(s) for s in _strings(config) if s.lower().endswith(INPUT_SUFFIXES)]
    out, seen, todo = [], set(), [p for p in seeds if p.is_file()]
    while todo:
        p = todo.pop(0)
        key = p.resolve()
        if key in seen:
            continue
        seen.add(key)
        out.append(p)
        if p.suffix.lower() == ".toml":
            todo += _referenced_files(p)
    return out


def input_hashes(config=None, inputs=None):
    """[{"path", "resolved", "bytes", "sha256"}] of :func:`input_files` (unreadable files are
    listed with an "error" instead of a hash; never raises for a missing file)."""
    rows = []
    for p in input_files(config, inputs):
        row = {"path": str(p), "resolved": str(p.resolve())}
        try:
            row["bytes"] = p.stat().st_size
            row["sha256"] = sha256(p)
        except OSError as exc:
            row["error"] = str(exc)
        rows.append(row)
    return rows


def _sampling(config, prefix=""):
    """Seeds, sample and replica counts and sampling methods found anywhere in ``config``."""
    out = {}
    if isinstance(config, dict):
        for k, v in config.items():
            name = f"{prefix}{k}"
            if isinstance(v, dict):
                out.update(_sampling(v, name + "."))
            elif any(w in str(k).lower() for w in ("seed", "sample", "replica", "method")):
                out[name] = v
    return out


def provenance(config=None, inputs=None):
    """What made a result: nusim version, git commit (if a checkout), command line, inputs."""
    from nusim import __version__

    doc = {"nusim_version": __version__}
    git = git_state()
    if git is not None:
        doc["git"] = git
    doc["command"] = [Path(sys.argv[0]).name, *sys.argv[1:]] if sys.argv and sys.argv[0] else []
    doc["platform"] = platform.platform()
    doc["inputs"] = input_hashes(config, inputs)
    doc["sampling"] = _sampling(config or {})
    return doc


def write_json(path, results, *, config, citations=(PAPER,), inputs=None):
    """Write ``results`` with the ``config`` that made them, versions, provenance, citations and
    a UTC stamp to ``path``; returns ``path``.

    ``inputs``: extra input files to hash (the study file, the apparatus file and its meshes are
    found from ``config`` already). Provenance: see :func:`provenance`.
    """
    path = Path(path)
    doc = {"results": results, "config": config, "versions": versions(),
           "provenance": provenance(config, inputs),
           "citations": list(citations),
           "created_utc": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    path.write_text(json.dumps(doc, indent=2, default=float) + "\n")
    return path


def write_csv(path, header, columns, *, comment_lines=()):
    """Write ``columns`` (sequences of equal length) under ``header`` as CSV to ``path``.

    ``comment_lines`` go first, each prefixed by "# " (units, seeds, sample counts); readers
    skip them with e.g. ``numpy.loadtxt(..., comments="#")`` or ``pandas.read_csv(comment="#")``.
    Returns ``path``.
    """
    path = Path(path)
    columns = [list(c) for c in columns]
    if len(header) != len(columns):
        raise ArgumentError(f"write_csv {path}: {len(header)} header names for {len(columns)} "
                            "columns")
    lengths = {len(c) for c in columns}
    if len(lengths) > 1:
        raise ArgumentError(f"write_csv {path}: columns of different lengths {sorted(lengths)}")
    with path.open("w", newline="") as fh:
        for line in comment_lines:
            for part in str(line).splitlines() or [""]:
                fh.write(f"# {part}\n")
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(zip(*columns))
    return path
