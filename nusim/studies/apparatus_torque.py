"""Study "apparatus_torque": energy, force and fibre torque on the pendulum of an apparatus file
for each attractor angle of its motion schedule, with replica errors (the signal a rotating-
attractor torsion balance measures).

Tasks: one per attractor angle, each a pure function of the configuration (the same seed at
every angle: common random numbers); reduced in angle order."""

from nusim.engine import Gravity, Yukawa, interact
from nusim.errors import ConfigError
from nusim.geometry import load_apparatus

KIND = "apparatus_torque"



def params(doc, path):
    """Validated parameters of the [apparatus_torque] table of the study at ``path``.

    Declared in :mod:`nusim.schema.study`; ConfigError naming the file and the dotted field.
    """
    from nusim.schema import study as schema

    return schema.params("apparatus_torque", doc, path)


def _setup(p):
    app = load_apparatus(p["apparatus"])
    kernel = Gravity() if p["kernel"] == "gravity" else Yukawa(p["alpha"], p["lambda_m"])
    if not app.by_role("pendulum") or not app.by_role("attractor"):
        raise ConfigError(app.path, "bodies", "the study needs at least one pendulum and one "
                          "attractor body")
    return app, kernel


def tasks(p):
    """The attractor angles [deg]: the study's angles_deg, else the apparatus' schedule."""
    if p["angles_deg"] is not None:
        return [float(a) for a in p["angles_deg"]]
    app, _ = _setup(p)
    return [float(a) for a in app.attractor_angles_deg]


def run_task(p, angle):
    """Energy, force (3,) and torque with errors at one attractor angle (JSON-ready dict)."""
    app, kernel = _setup(p)
    # the same seed at every angle: common random numbers, so differences between angles
    # are far better determined than each value
    r = interact(app.attractors_at(angle), app.by_role("pendulum"), kernel, p["samples"],
                 p["seed"], axis=app.axis, replicas=p["replicas"], method=p["method"],
                 progress=False)
    d = r.to_dict()
    d.pop("replica_values", None)
    return {"angle_deg": angle, "torque_Nm": r.torque_Nm, "torque_err_Nm": r.torque_err_Nm,
            "energy_J": r.energy_J, "energy_err_J": r.energy_err_J,
            "force_N": list(map(float, r.force_N)),
            "force_err_N": list(map(float, r.force_err_N)),
            "torque_is_upper_bound": bool(r.is_upper_bound("torque_Nm")), "details": d}


def reduce(p, task_list, results):
    """Per attractor angle: energy, force (3,), torque with errors (JSON-ready dict)."""
    app, kernel = _setup(p)
    return {"apparatus": app.name, "apparatus_file": app.path, "kernel": kernel.describe(),
            "rows": list(results)}


COLUMNS = ("angle_deg", "torque_Nm", "torque_err_Nm", "energy_J", "energy_err_J")


def write(p, config, out, data, progress=True):
    """torque_vs_angle.csv and .png, results.json; returns (files, summary)."""
    from nusim import plotting
    from nusim.studies import output

    cols = [[r[k] for r in data["rows"]] for k in COLUMNS]
    files = [output.write_csv(out / "torque_vs_angle.csv", COLUMNS, cols),
             plotting.torque_vs_angle(cols[0], cols[1], cols[2], out / "torque_vs_angle.png",
                                      f"{data['apparatus']}: fibre torque ({p['kernel']})"),
             output.write_json(out / "results.json", data, config=config)]
    lines = [f"{data['apparatus']}: fibre torque ({p['kernel']}), {p['samples']} samples × "
             f"{p['replicas']} replicas, seed {p['seed']}",
             f"  {'angle [deg]':>11s} {'torque [N m]':>13s} {'± error':>10s}"]
    lines += [f"  {r['angle_deg']:11.4g} {r['torque_Nm']:13.4e} {r['torque_err_Nm']:10.2e}"
              for r in data["rows"]]
    return files, "\n".join(lines)
