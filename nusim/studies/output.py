"""Result files: every JSON carries the configuration, the versions and the citations used."""

import json
import platform
from datetime import datetime, timezone
from importlib import metadata

PAPER = ("M. Ghosh, Y. Grossman, W. Tangarife, X.-J. Xu, B. Yu, Neutrino forces in neutrino "
         "backgrounds, JHEP 02 (2023) 028, arXiv:2209.07082")


def versions():
    """Versions of nusim, Python and the numerical libraries that made a result."""
    out = {"python": platform.python_version()}
    for name in ("nusim", "numpy", "scipy", "numba", "mpmath", "matplotlib"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def write_json(path, results, *, config, citations=(PAPER,)):
    """Write ``results`` with the ``config`` that made them, versions, citations and a UTC stamp."""
    doc = {"results": results, "config": config, "versions": versions(),
           "citations": list(citations),
           "created_utc": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    path.write_text(json.dumps(doc, indent=2, default=float) + "\n")
    return path
