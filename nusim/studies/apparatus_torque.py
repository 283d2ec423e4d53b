"""Study "apparatus_torque": energy, force and fibre torque on the pendulum of an apparatus file
for each attractor angle of its motion schedule, with replica errors (the signal a rotating-
attractor torsion balance measures)."""

from tqdm import tqdm

from nusim.config import take
from nusim.engine import Gravity, Yukawa, interact
from nusim.errors import ConfigError
from nusim.geometry import load_apparatus
from nusim.studies.signal_common import resolve

#: keys of the [apparatus_torque] table and their defaults (None: required)
DEFAULTS = {"apparatus": None, "kernel": "gravity", "alpha": 1.0, "lambda_m": 0.01,
            "samples": 4096, "replicas": 8, "method": "sobol", "seed": 1, "angles_deg": None}
KERNELS = ("gravity", "yukawa")
METHODS = ("random", "sobol")


def params(doc, path):
    """Validated parameters of the [apparatus_torque] table of the study at ``path``."""
    from nusim.config import reject_unknown

    table = take(doc, "apparatus_torque", dict, path, "", required=True)
    reject_unknown(table, DEFAULTS, path, "apparatus_torque")
    p = {"apparatus": take(table, "apparatus", str, path, "apparatus_torque", required=True),
         "kernel": take(table, "kernel", str, path, "apparatus_torque", default="gravity"),
         "alpha": take(table, "alpha", float, path, "apparatus_torque", default=1.0),
         "lambda_m": take(table, "lambda_m", float, path, "apparatus_torque", default=0.01),
         "samples": take(table, "samples", int, path, "apparatus_torque", default=4096),
         "replicas": take(table, "replicas", int, path, "apparatus_torque", default=8),
         "method": take(table, "method", str, path, "apparatus_torque", default="sobol"),
         "seed": take(table, "seed", int, path, "apparatus_torque", default=1),
         "angles_deg": take(table, "angles_deg", list, path, "apparatus_torque")}
    if p["kernel"] not in KERNELS:
        raise ConfigError(path, "apparatus_torque.kernel", f"unknown kernel {p['kernel']!r}. "
                          f"Known: {', '.join(KERNELS)}")
    if p["method"] not in METHODS:
        raise ConfigError(path, "apparatus_torque.method", f"unknown method {p['method']!r}. "
                          f"Known: {', '.join(METHODS)}")
    if not 16 <= p["samples"] <= 10**7:
        raise ConfigError(path, "apparatus_torque.samples", "must lie in [16, 1e7] points per body")
    if p["replicas"] < 2:
        raise ConfigError(path, "apparatus_torque.replicas", "need at least 2 for an error")
    if p["kernel"] == "yukawa" and not p["lambda_m"] > 0:
        raise ConfigError(path, "apparatus_torque.lambda_m", "must be a positive range [m]")
    app_path = resolve(p["apparatus"], path)      # relative to the study file, never the cwd
    if not app_path.is_file():
        raise ConfigError(path, "apparatus_torque.apparatus", f"apparatus file "
                          f"{str(app_path)!r} not found (paths are relative to the study file)")
    p["apparatus"] = str(app_path)
    return p


def compute(p, progress=True):
    """Per attractor angle: energy, force (3,), torque with errors (JSON-ready dict)."""
    app = load_apparatus(p["apparatus"])
    kernel = Gravity() if p["kernel"] == "gravity" else Yukawa(p["alpha"], p["lambda_m"])
    angles = p["angles_deg"] if p["angles_deg"] is not None else list(app.attractor_angles_deg)
    pend = app.by_role("pendulum")
    if not pend or not app.by_role("attractor"):
        raise ConfigError(app.path, "bodies", "the study needs at least one pendulum and one "
                          "attractor body")
    rows = []
    for angle in tqdm(angles, desc="attractor angles", disable=not progress, unit="angle"):
        # the same seed at every angle: common random numbers, so differences between angles
        # are far better determined than each value
        r = interact(app.attractors_at(float(angle)), pend, kernel, p["samples"], p["seed"],
                     axis=app.axis, replicas=p["replicas"], method=p["method"], progress=False)
        d = r.to_dict()
        d.pop("replica_values", None)
        rows.append({"angle_deg": float(angle), "torque_Nm": r.torque_Nm,
                     "torque_err_Nm": r.torque_err_Nm, "energy_J": r.energy_J,
                     "energy_err_J": r.energy_err_J, "force_N": list(map(float, r.force_N)),
                     "force_err_N": list(map(float, r.force_err_N)),
                     "torque_is_upper_bound": bool(r.is_upper_bound("torque_Nm")),
                     "details": d})
    return {"apparatus": app.name, "apparatus_file": app.path, "kernel": kernel.describe(),
            "rows": rows}
