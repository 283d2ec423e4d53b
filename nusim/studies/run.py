"""Run a study file: runs/<study>.toml -> output folder with JSON, CSV and PNG results.

Every relative path in a study file (``study.output_dir``, a study's ``apparatus``) is relative
to the folder of the study file, wherever nusim is run from; an absolute path stays as it is.
"""

from pathlib import Path

from nusim.config import load_toml
from nusim.errors import ArgumentError, ConfigError
from nusim.studies import (apparatus_torque, day_modulation, directional_convergence,
                           directional_suppression, paper_figures, reactor_signal,
                           realistic_table, smearing_study)
from nusim.studies import design_search
from nusim.studies.runner import Execution, execute
from nusim.studies.runner import StudyOutput  # noqa: F401 (re-exported: run_study returns it)

#: the study kinds, each a module with KIND, params(doc, path), tasks(p), run_task(p, task),
#: reduce(p, task_list, results) and write(p, config, out, data, progress) -> (files, summary);
#: nusim.studies.runner runs them all (tasks: pure functions of the configuration and the task,
#: reduced in task order). A new kind is one more line here.
TASK_KINDS = {
    reactor_signal.KIND: reactor_signal,
    day_modulation.KIND: day_modulation,
    smearing_study.KIND: smearing_study,
    realistic_table.KIND: realistic_table,
    apparatus_torque.KIND: apparatus_torque,
    paper_figures.KIND: paper_figures,
    directional_suppression.KIND: directional_suppression,
    directional_convergence.KIND: directional_convergence,
    design_search.KIND: design_search,
}
KINDS = tuple(TASK_KINDS)
#: the keys of a kind's table that `nusim run --samples N` and `--seed S` set before validation
#: (None: the kind has no such key); kinds not listed use "samples" and "seed"
OVERRIDE_KEYS = {
    "paper_figures": (None, None),
    "directional_convergence": (None, "seed"),
}
#: why a kind has no single key for --samples / --seed (the error message)
NO_OVERRIDE = {
    ("paper_figures", "samples"): "it has no Monte Carlo sampling (closed forms and "
                                  "quadratures)",
    ("paper_figures", "seed"): "it draws no random numbers",
    ("directional_convergence", "samples"): "its samples key is the list of sample counts "
                                            "it scans; edit that list in the study file",
}
STUDY_KEYS = ("name", "kind", "output_dir", "description", "expected_runtime")
#: the bundled studies: runs/ beside the nusim package in a source checkout
BUNDLED_DIR = Path(__file__).resolve().parents[2] / "runs"


def resolve_path(text, study_path):
    """A path written in the study file at ``study_path``, relative to that file's folder (an
    absolute path stays). Resolved as the file system does (symbolic links, then ".."), and
    shown relative to the working directory when it lies below it: "runs/../output/x" run from
    the repository reads "output/x"."""
    p = Path(text).expanduser()
    if p.is_absolute():
        return p
    full = (Path(study_path).parent / p).resolve()
    try:
        return full.relative_to(Path.cwd().resolve())
    except ValueError:
        return full


def study_table(doc, path):
    """The validated [study] table of the parsed study file ``doc`` at ``path``: name, kind,
    output_dir (resolved against the study file's folder; default ``output/<name>`` beside it),
    description and expected_runtime (free text, e.g. "~2 min on 2 cores")."""
    from nusim.schema.study import study_header

    study = study_header(doc, path, KINDS)
    out_dir = study["output_dir"] if study["output_dir"] is not None else f"output/{study['name']}"
    return {**study, "output_dir": str(resolve_path(out_dir, path))}


def bundled_dir():
    """The folder of the bundled studies: runs/ of the source checkout nusim is imported from,
    else runs/ in the current working directory (a non-editable install run from a clone)."""
    return BUNDLED_DIR if BUNDLED_DIR.is_dir() else Path("runs")


def bundled_studies(folder=None):
    """The [study] table of each study file ``folder``/*.toml (default: :func:`bundled_dir`),
    in file-name order, each with its ``path``; ConfigError if a file is malformed or the
    folder holds no study file."""
    folder = Path(bundled_dir() if folder is None else folder)
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise ConfigError(folder, "<folder>", "no study files (*.toml) here. Run nusim from its "
                          "source checkout, whose runs/ folder holds the bundled studies")
    return [{**study_table(load_toml(p), p), "path": str(p)} for p in files]


def load_study(path, *, samples=None, seed=None):
    """The study of a TOML file as a validated dict: {"study": {...}, kind: {...params}}.

    ``samples`` / ``seed`` (``nusim run --samples/--seed``) replace the kind's sample-count and
    seed keys (:data:`OVERRIDE_KEYS`) in the parsed file before validation, so they are checked
    like the file's own values; ArgumentError for a kind without such a key.
    """
    path = Path(path)
    doc = load_toml(path)
    config = {"study": study_table(doc, path), "source_file": str(path)}
    kind = config["study"]["kind"]
    for option, value, which in (("--samples", samples, 0), ("--seed", seed, 1)):
        if value is not None:
            _override(doc, path, kind, option, which, value)
    config[kind] = TASK_KINDS[kind].params(doc, path)
    return config


def _override(doc, path, kind, option, which, value):
    """Set ``doc[kind][key] = value`` for the key ``option`` stands for in ``kind``."""
    key = OVERRIDE_KEYS.get(kind, ("samples", "seed"))[which]
    if key is None:
        what = option.lstrip("-")
        raise ArgumentError(f"{option} {value}: study kind {kind!r} ({path}) has no "
                            f"{'sample count' if which == 0 else 'seed'}: "
                            f"{NO_OVERRIDE.get((kind, what), 'nothing to set')}. Run it "
                            f"without {option}")
    table = doc.setdefault(kind, {})
    if not isinstance(table, dict):
        raise ConfigError(path, kind, f"expected a table ([{kind}]), got {table!r}")
    table[key] = value


def run_study(path, output_dir=None, progress=True, *, samples=None, seed=None,
              execution=None, resume=False):
    """Run the study at ``path``; returns the files written (a :class:`StudyOutput`: a list
    with ``summary``, ``tasks``, ``reused`` and ``computed``).

    ``output_dir`` (e.g. from ``nusim run --out``) overrides the file's ``study.output_dir``; as
    a caller's path it is relative to the current working directory, not to the study file.
    ``samples`` / ``seed``: see :func:`load_study`. ``execution``: a
    :class:`nusim.studies.runner.Execution` (default embedded; ``Execution(workers=2)``,
    ``Execution(scheduler="tcp://host:8786")``). ``resume``: reuse the finished tasks of an
    interrupted run of the same configuration (see :mod:`nusim.studies.runner`).
    """
    config = load_study(path, samples=samples, seed=seed)
    out = Path(output_dir or config["study"]["output_dir"])
    module = TASK_KINDS[config["study"]["kind"]]
    return execute(module, config, out, execution=execution or Execution(), resume=resume,
                   progress=progress)
