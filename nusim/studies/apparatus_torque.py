"""Study "apparatus_torque": energy, force and fibre torque on the pendulum of an apparatus file
for each attractor angle of its motion schedule, with replica errors (the signal a rotating-
attractor torsion balance measures)."""

from tqdm import tqdm

from nusim.engine import Gravity, Yukawa, interact
from nusim.errors import ConfigError
from nusim.geometry import load_apparatus




def params(doc, path):
    """Validated parameters of the [apparatus_torque] table of the study at ``path``.

    Declared in :mod:`nusim.schema.study`; ConfigError naming the file and the dotted field.
    """
    from nusim.schema import study as schema

    return schema.params("apparatus_torque", doc, path)


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
