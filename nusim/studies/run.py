"""Run a study file: runs/<study>.toml -> output folder with JSON, CSV and PNG results."""

import csv
from pathlib import Path

from nusim.config import load_toml, reject_unknown, take
from nusim.errors import ConfigError
from nusim.studies import (apparatus_torque, day_modulation, directional, output, paper_figures,
                           reactor_signal)

#: study kinds built as tasks (pure functions of the configuration, the task and the seed),
#: reduced in task order: each module has params, tasks, run_task, reduce, write
TASK_KINDS = {reactor_signal.KIND: reactor_signal, day_modulation.KIND: day_modulation}
KINDS = ("paper_figures", "apparatus_torque", *directional.KINDS, *TASK_KINDS)
STUDY_KEYS = ("name", "kind", "output_dir", "description")


class StudyOutput(list):
    """The files a study wrote (a list), with ``summary``: the key numbers as a short table."""

    summary = ""


def _paper_figures_params(doc, path):
    table = take(doc, "paper_figures", dict, path, "", default={})
    reject_unknown(table, paper_figures.DEFAULTS, path, "paper_figures")
    params = {}
    for key, default in paper_figures.DEFAULTS.items():
        kind = list if isinstance(default, list) else (int if isinstance(default, int) else float)
        params[key] = take(table, key, kind, path, "paper_figures", default=default)
    for key in ("fig3_alphas_deg", "fig4_alphas_deg"):
        vals = params[key]
        if not vals or not all(isinstance(v, (int, float)) and 0 <= v <= 180 for v in vals):
            raise ConfigError(path, f"paper_figures.{key}", f"expected a non-empty list of angles "
                              f"in degrees within [0, 180], got {vals!r}")
    if not 0 < params["fig3_ell_min"] < params["fig3_ell_max"]:
        raise ConfigError(path, "paper_figures.fig3_ell_min", "need 0 < fig3_ell_min < fig3_ell_max")
    if not 1 <= params["fig4_ell_max"] <= 2000:
        raise ConfigError(path, "paper_figures.fig4_ell_max", "must lie in [1, 2000] (the "
                          "quadrature of eq. 4.8 costs ∝ ℓ²)")
    if params["fig4_quadrature_points"] < 2:
        raise ConfigError(path, "paper_figures.fig4_quadrature_points", "must be at least 2")
    return params


def load_study(path):
    """The study of a TOML file as a validated dict: {"study": {...}, kind: {...params}}."""
    path = Path(path)
    doc = load_toml(path)
    reject_unknown(doc, ("study", "beams") + KINDS, path, "")
    study = take(doc, "study", dict, path, "", required=True)
    reject_unknown(study, STUDY_KEYS, path, "study")
    name = take(study, "name", str, path, "study", required=True)
    kind = take(study, "kind", str, path, "study", required=True)
    if kind not in KINDS:
        raise ConfigError(path, "study.kind", f"unknown study kind {kind!r}. Known kinds: "
                          f"{', '.join(KINDS)}")
    out_dir = take(study, "output_dir", str, path, "study", default=f"output/{name}")
    config = {"study": {"name": name, "kind": kind, "output_dir": out_dir,
                        "description": take(study, "description", str, path, "study",
                                            default="")},
              "source_file": str(path)}
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
        writer.writerows(zip(*columns))


def run_study(path, output_dir=None, progress=True):
    """Run the study at ``path``; returns the list of files written."""
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
    data = paper_figures.compute(config["paper_figures"], progress=progress)
    files = [plotting.paper_figure_3(data["fig3"], out / "fig3_potential_vs_distance.png"),
             plotting.paper_figure_4(data["fig4"], out / "fig4_eq4_11_vs_eq4_8.png")]
    f3, f4 = data["fig3"], data["fig4"]
    _write_csv(out / "fig3.csv", ["ell"] + [f"V_over_E_alpha_{a}deg" for a in f3["curves"]],
               [f3["ell"]] + list(f3["curves"].values()))
    _write_csv(out / "fig4_quadrature_points.csv",
               ["ell"] + [f"ell_I_eq4_8_alpha_{a}deg" for a in f4["curves"]],
               [f4["ell_points"]] + [c["ell_I_eq_4_8"] for c in f4["curves"].values()])
    files += [out / "fig3.csv", out / "fig4_quadrature_points.csv"]
    files.append(output.write_json(out / "results.json", data, config=config))
    return files


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
