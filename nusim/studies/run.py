"""Run a study file: runs/<study>.toml -> output folder with JSON, CSV and PNG results.

Every relative path in a study file (``study.output_dir``, a study's ``apparatus``) is relative
to the folder of the study file, wherever nusim is run from; an absolute path stays as it is.
"""

import csv
from pathlib import Path

from nusim.config import load_toml, reject_unknown, take
from nusim.errors import ConfigError
from nusim.studies import (apparatus_torque, day_modulation, directional, output, paper_figures,
                           reactor_signal, realistic_table, smearing_study)
from nusim.studies import design_search

#: study kinds built as tasks (pure functions of the configuration, the task and the seed),
#: reduced in task order: each module has params, tasks, run_task, reduce, write
TASK_KINDS = {reactor_signal.KIND: reactor_signal, day_modulation.KIND: day_modulation,
              smearing_study.KIND: smearing_study, realistic_table.KIND: realistic_table,
              design_search.KIND: design_search}
KINDS = ("paper_figures", "apparatus_torque", *directional.KINDS, *TASK_KINDS)
STUDY_KEYS = ("name", "kind", "output_dir", "description", "expected_runtime")
#: the bundled studies: runs/ beside the nusim package in a source checkout
BUNDLED_DIR = Path(__file__).resolve().parents[2] / "runs"


class StudyOutput(list):
    """The files a study wrote (a list), with ``summary``: the key numbers as a short table."""

    summary = ""


def _paper_figures_params(doc, path):
    return paper_figures.params(doc, path)


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


def load_study(path):
    """The study of a TOML file as a validated dict: {"study": {...}, kind: {...params}}."""
    path = Path(path)
    doc = load_toml(path)
    config = {"study": study_table(doc, path), "source_file": str(path)}
    kind = config["study"]["kind"]
    if kind in TASK_KINDS:
        config[kind] = TASK_KINDS[kind].params(doc, path)
    elif kind in directional.KINDS:
        config[kind] = directional.PARAMS[kind](doc, path)
    else:
        config[kind] = (_paper_figures_params(doc, path) if kind == "paper_figures"
                        else apparatus_torque.params(doc, path))
    return config


def _write_csv(path, header, columns):
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(zip(*columns, strict=True))


def run_study(path, output_dir=None, progress=True):
    """Run the study at ``path``; returns the list of files written.

    ``output_dir`` (e.g. from ``nusim run --out``) overrides the file's ``study.output_dir``; as
    a caller's path it is relative to the current working directory, not to the study file.
    """
    config = load_study(path)
    out = Path(output_dir or config["study"]["output_dir"])
    out.mkdir(parents=True, exist_ok=True)
    kind = config["study"]["kind"]
    if kind in TASK_KINDS:
        return _run_tasks(TASK_KINDS[kind], config, out, progress)
    if config["study"]["kind"] in directional.KINDS:
        return directional.run(config["study"]["kind"], config, out, progress=progress)
    from nusim import plotting

    if config["study"]["kind"] == "apparatus_torque":
        data = apparatus_torque.compute(config["apparatus_torque"], progress=progress)
        rows = data["rows"]
        cols = [[r[k] for r in rows] for k in ("angle_deg", "torque_Nm", "torque_err_Nm",
                                               "energy_J", "energy_err_J")]
        _write_csv(out / "torque_vs_angle.csv", ["angle_deg", "torque_Nm", "torque_err_Nm",
                                                 "energy_J", "energy_err_J"], cols)
        png = plotting.torque_vs_angle(cols[0], cols[1], cols[2], out / "torque_vs_angle.png",
                                       f"{data['apparatus']}: fibre torque "
                                       f"({config['apparatus_torque']['kernel']})")
        return [out / "torque_vs_angle.csv", png,
                output.write_json(out / "results.json", data, config=config)]
    files, summary = paper_figures.write(config, out, progress=progress)
    result = StudyOutput(files)
    result.summary = summary
    return result


def _run_tasks(module, config, out, progress):
    """Run a task-built study: every task in order, then the fixed-order reduction."""
    from tqdm import tqdm

    p = config[config["study"]["kind"]]
    task_list = module.tasks(p)
    results = [module.run_task(p, t) for t in tqdm(task_list, desc=config["study"]["name"],
                                                   unit="task", disable=not progress)]
    data = module.reduce(p, task_list, results)
    files, summary = module.write(p, config, out, data, progress=progress)
    result = StudyOutput(files)
    result.summary = summary
    return result
