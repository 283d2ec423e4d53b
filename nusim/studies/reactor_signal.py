"""Study "reactor_signal": the neutrino torque a reactor puts on a torsion balance.

For an apparatus file and a reactor beam (study ``[[beams]]``), the whole-apparatus directional
signal (:func:`nusim.engine.apparatus_signal.apparatus_signal`: attractor wakes, internal wakes,
self-forces; retarded and the paper's symmetric V) with gravity of the same geometry, at each
attractor angle, and

* **on − off**: the potential is linear in the flux, so switching the reactor off removes
  exactly its terms; with the same seeds any other beam cancels identically, and the on − off
  signal is the reactor's terms (the residual ν̄ flux of a shut-down core, ~5 % from fission-
  product decays, is not modelled);
* the torque's harmonics in the attractor angle (the modulation a rotating attractor uses), and
  δ = the neutrino torque / the gravity torque at the same harmonic — next to the plain energy
  ratio U_ν / U_grav at each angle (docs/apparatus-signal.md defines both);
* how many orders of magnitude δ lies below a sensitivity of table 4 (default Washington 1999);
* optionally, a scan of the reactor's direction about the fibre axis (same distance and height),
  for a point core and the real core: which placement of the balance maximises the signal.

Tasks: one per attractor angle and one per (core, azimuth) of the scan, each a pure function of
the configuration, its index and the study seed (the per-term seeds of ``apparatus_signal``, the
same at every angle: common random numbers, so the curve's shape is smooth and its harmonics are
fitted per replica). Results are reduced in task order.
"""

import math

import numpy as np

from nusim.studies import beam_specs, experiments
from nusim.studies import harmonics as _harm
from nusim.studies import signal_common as common

KIND = "reactor_signal"
TORQUES = ("torque_attractor_retarded_Nm", "torque_internal_retarded_Nm",
           "torque_self_retarded_Nm", "torque_total_retarded_Nm", "torque_total_symmetric_Nm")


def params(doc, path):
    """Validated [reactor_signal] parameters and the study's [[beams]].

    Declared in :mod:`nusim.schema.study`; ConfigError naming the file and the dotted field.
    """
    from nusim.schema import study as schema

    return schema.params(KIND, doc, path)


def _setup(p):
    from nusim.geometry import load_apparatus

    app = load_apparatus(p["apparatus"])
    angles = p["angles_deg"] if p["angles_deg"] is not None else list(app.attractor_angles_deg)
    return app, [float(a) for a in angles]


def tasks(p):
    """The study's task list: ("angle", angle) then ("scan", core, azimuth)."""
    from nusim.geometry import load_apparatus

    app = load_apparatus(p["apparatus"])
    angles = p["angles_deg"] if p["angles_deg"] is not None else app.attractor_angles_deg
    out = [("angle", float(a)) for a in angles]
    spec = _reactor_specs(p)[0]
    cores = [c for c in p["scan_cores"] if c == "point" or spec["core_radius_m"] > 0]
    out += [("scan", c, float(az)) for c in cores for az in p["scan_azimuths_deg"]]
    return out


def _scan_spec(spec, point_m, core, azimuth_deg, axis):
    """The reactor spec rotated by ``azimuth_deg`` about the fibre axis (point or real core)."""
    from scipy.spatial.transform import Rotation

    pos = beam_specs.reactor_position(spec, point_m) - point_m
    rot = Rotation.from_rotvec(math.radians(azimuth_deg) * np.asarray(axis, float))
    new = {**spec, "position_m": list(rot.apply(pos) + point_m), "distance_m": None,
           "direction": None}
    if core == "point":
        new.update(core_radius_m=0.0, core_height_m=0.0)
    return new


def _reactor_specs(p):
    return [b for b in p["beams"] if b["source"] == "reactor"]


def run_task(p, task, progress=False):
    """One task: the ApparatusSignal (a pure function of the configuration and the task).

    A scan task turns every reactor of the study about the fibre axis (the other beams stay)."""
    from nusim.engine.apparatus_signal import apparatus_bodies, apparatus_signal

    app, _ = _setup(p)
    point, axis = app.axis
    specs = p["beams"]
    if task[0] == "angle":
        angle, gravity = task[1], True
    else:
        angle, gravity = p["scan_attractor_angle_deg"], False
        specs = [_scan_spec(s, point, task[1], task[2], axis) if s["source"] == "reactor"
                 else s for s in specs]
    pendulum, others, axis_pair = apparatus_bodies(app, angle)
    beams = [b for s in specs for b in beam_specs.beams_at(
        s, point_m=point, site=app.site, time_utc=p["time_utc"], path=p["apparatus"])]
    # the scan needs the torque alone (forces cost twice as many sums again)
    return apparatus_signal(pendulum, others, beams, axis=axis_pair, samples=p["samples"],
                            replicas=p["replicas"], seed=p["seed"], estimator=p["estimator"],
                            gravity=gravity, gravity_samples=p["gravity_samples"],
                            forces=task[0] == "angle", progress=progress)


def _curve(signals, name):
    """(values, errors, bound mask, replica curves (R, n) or None, exact-zero reasons)."""
    ests = [s.totals[name] for s in signals]
    reps = [e.replica_values for e in ests]
    r = np.asarray(reps, float).T if all(len(x) == ests[0].replicas for x in reps) else None
    return (np.array([e.value for e in ests]), np.array([e.error for e in ests]),
            np.array([e.is_upper_bound and name not in s.exact_zeros
                      for e, s in zip(ests, signals, strict=True)]), r,
            [s.exact_zeros.get(name) for s in signals])


def reduce(p, task_list, results):
    """Fixed-order reduction of the task results into the study's result dict."""
    from nusim.engine.apparatus_signal import combine

    angle_sig = [r for t, r in zip(task_list, results, strict=True) if t[0] == "angle"]
    angles = [t[1] for t in task_list if t[0] == "angle"]
    ref = angle_sig[0]
    n, reps, seed = p["samples"], p["replicas"], p["seed"]
    out = {"angles_deg": angles, "curves": {}, "gravity": {}, "notes": list(ref.notes),
           "terms_at_first_angle": [t.to_dict() for t in ref.terms]}
    for name in TORQUES + ("energy_retarded_J", "energy_symmetric_J"):
        if name not in ref.totals:
            continue
        out["curves"][name] = common.curve_of([s.totals[name] for s in angle_sig],
                                              [s.exact_zeros.get(name) for s in angle_sig])
    grav = [common.gravity_estimates(s) for s in angle_sig]
    for key in ("torque_Nm", "energy_J"):
        if grav[0] is not None and key in grav[0]:
            out["gravity"][key] = {"values": [g[key].value for g in grav],
                                   "errors": [g[key].error for g in grav]}
    # harmonics in the attractor angle (needs ≥ 2·max order + 1 distinct angles)
    x = np.radians(angles)
    orders = [o for o in p["harmonics"] if 2 * o + 1 <= len(set(angles))]
    harm = {}
    if orders and "torque_total_retarded_Nm" in ref.totals:
        for name in ("torque_total_retarded_Nm", "torque_total_symmetric_Nm",
                     "torque_self_retarded_Nm"):
            v, e, _, rc, z = _curve(angle_sig, name)
            harm[name] = _harm.harmonic_table(
                x, rc if rc is not None else v, orders, unit="N m", n_samples=n,
                replicas=reps, seed=seed, errors=None if rc is not None else e, label=name,
                systematics=[s.totals[name].systematic for s in angle_sig],
                zero_reason=("every angle is an exact zero" if all(r is not None for r in z)
                             else None))
        if angle_sig[0].gravity is not None:
            g_reps = np.array([s.gravity.replica_values["torque_Nm"] for s in angle_sig]).T
            harm["gravity_torque_Nm"] = _harm.harmonic_table(
                x, g_reps, orders, unit="N m", n_samples=p["gravity_samples"], replicas=reps,
                seed=seed, label="gravity torque")
    out["harmonics"] = {k: [_row_dict(r) for r in rows] for k, rows in harm.items()}
    # δ at the harmonic where gravity is largest (the modulation the experiment uses)
    sens = experiments.TABLE_4[p["sensitivity"]]
    delta = None
    if "gravity_torque_Nm" in harm:
        # the largest *resolved* gravity harmonic (an unresolved denominator forms no ratio)
        g_rows = harm["gravity_torque_Nm"]
        amps = [r["amplitude"].value if not r["amplitude"].is_upper_bound else -1.0
                for r in g_rows]
        k = int(np.argmax(amps))
        nu = harm["torque_total_retarded_Nm"][k]["amplitude"]
        delta = {"order": g_rows[k]["order"], "nu": nu, "gravity": g_rows[k]["amplitude"],
                 "ratio": common.ratio(nu, g_rows[k]["amplitude"])}
    elif grav[0] is not None and "torque_Nm" in grav[0]:
        nu = ref.totals["torque_total_retarded_Nm"]
        delta = {"order": 0, "nu": nu, "gravity": grav[0]["torque_Nm"],
                 "ratio": common.ratio(nu, grav[0]["torque_Nm"])}
    u_ratio = common.ratio(ref.totals["energy_retarded_J"], grav[0]["energy_J"]) if grav[0] \
        else None
    out["delta"] = None if delta is None else {
        "harmonic_order": delta["order"], "neutrino_torque_Nm": delta["nu"].to_dict(),
        "gravity_torque_Nm": delta["gravity"].to_dict(),
        "ratio": None if delta["ratio"] is None else delta["ratio"].to_dict(),
        "bound_only": bool(delta["nu"].is_upper_bound)}
    out["energy_ratio_first_angle"] = None if u_ratio is None else u_ratio.to_dict()
    out["sensitivity"] = {"key": p["sensitivity"], "name": sens.name,
                          "delta_v_over_v": sens.delta_v_over_v, "reference": sens.reference}
    d = None if delta is None else delta["ratio"]
    if d is not None and not d.is_blind:
        mag = (0.0 if d.exact_zero_reason is not None else
               d.bound if delta["nu"].is_upper_bound else abs(d.value))
        out["orders_below_sensitivity"] = experiments.orders_of_magnitude(mag,
                                                                          sens.delta_v_over_v)
    # on − off: the reactor's own terms (module docstring): its beams' totals
    labels = [lb for lb in ref.per_beam if any(lb.startswith(s["label"] + " ")
                                                for s in _reactor_specs(p))]
    on = combine("torque total (reactor on − off)",
                 [ref.per_beam[lb]["torque_total_retarded_Nm"] for lb in labels], "N m", n,
                 reps, seed, None if labels else "the reactor is off (on = false): no reactor "
                 "beam, so on − off is 0")
    out["on_minus_off_torque_first_angle_Nm"] = on.to_dict()
    out["alpha0_energy_first_angle_J"] = ref.alpha0_energy_J
    # the reactor-direction scan
    scan = {}
    for t, r in zip(task_list, results, strict=True):
        if t[0] != "scan":
            continue
        est = r.totals["torque_total_retarded_Nm"]
        row = scan.setdefault(t[1], {"azimuth_deg": [], "values": [], "errors": [],
                                     "upper_bound": [], "bound": [], "exact_zero": [],
                                     "not_resolved": []})
        c = common.curve_of([est], [r.exact_zeros.get("torque_total_retarded_Nm")])
        row["azimuth_deg"].append(t[2])
        for key in ("values", "errors", "upper_bound", "bound", "exact_zero", "not_resolved"):
            row[key].append(c[key][0])
    out["scan"] = scan
    out["sign_notes"] = _sign_notes(scan)
    out["_estimates"] = {"on": on, "delta": delta, "u_ratio": u_ratio, "ref": ref,
                         "harm": harm}
    return out


def _row_dict(row):
    return {"order": row["order"], "in_phase": row["in_phase"].to_dict(),
            "quadrature": row["quadrature"].to_dict(), "amplitude": row["amplitude"].to_dict(),
            "phase_deg": row["phase_deg"], "phase_err_deg": row["phase_err_deg"]}


def _sign_notes(scan):
    """Explain a sign change between the point core and the real core, where one arises."""
    if "point" not in scan or "real" not in scan:
        return []
    notes = []
    for az, vp, ep, vr, er in zip(scan["point"]["azimuth_deg"], scan["point"]["values"],
                                  scan["point"]["errors"], scan["real"]["values"],
                                  scan["real"]["errors"], strict=True):
        if abs(vp) > 2 * ep and abs(vr) > 2 * er and vp * vr < 0:
            notes.append(
                f"azimuth {az:g}°: the point core gives {vp:.3g} N m, the real core {vr:.3g} N m "
                "(opposite signs). A point core's wake is the sharp Fresnel shadow of the "
                "source's edges along one ray direction (width √(z/E), sub-µm); a core that "
                "subtends θ ~ D/R blurs each wake over zθ (mm here), so the signal becomes the "
                "overlap of the blurred column-density gradients of the two bodies "
                "(docs/apparatus-signal.md), whose sign depends on which edges still overlap "
                "after blurring — a different set from the point core's.")
    return notes


def write(p, config, out, data, progress=True):
    """CSV, PNG and results.json of a reduced study; returns (files, summary text)."""
    from nusim import plotting
    from nusim.studies import output

    est = data.pop("_estimates")
    files = []
    angles = data["angles_deg"]
    header = ["angle_deg"]
    cols = [angles]
    for name, c in data["curves"].items():
        header += [name, f"{name}_err", f"{name}_upper_bound"]
        cols += [c["values"], c["errors"], c["upper_bound"]]
    for key, g in data["gravity"].items():
        header += [f"gravity_{key}", f"gravity_{key}_err"]
        cols += [g["values"], g["errors"]]
    files.append(output.write_csv(out / "torque_vs_angle.csv", header, cols))
    n_note = (f"{p['samples']} samples × {p['replicas']} replicas per term; gravity "
              f"{p['gravity_samples']} Sobol points per body × {p['replicas']}")
    labels = {"torque_attractor_retarded_Nm": "attractor wakes (retarded)",
              "torque_internal_retarded_Nm": "internal wakes (retarded)",
              "torque_self_retarded_Nm": "self-forces",
              "torque_total_retarded_Nm": "total (retarded: what the balance feels)",
              "torque_total_symmetric_Nm": "total (paper's symmetric V)"}
    series = common.plot_series(data["curves"], labels)
    files.append(plotting.torque_curve(
        angles, series, out / "torque_vs_angle.png", xlabel="attractor angle [deg]",
        ylabel="neutrino torque about the fibre [N m]",
        title=f"{config['study']['name']}: {beam_specs.describe(_reactor_specs(p)[0])}",
        n_samples_note=n_note))
    if data["scan"]:
        rows_h = ["core", "azimuth_deg", "torque_total_retarded_Nm", "err", "upper_bound"]
        rows = [[], [], [], [], []]
        for core, s in data["scan"].items():
            for i in range(len(s["azimuth_deg"])):
                for j, v in enumerate((core, s["azimuth_deg"][i], s["values"][i],
                                       s["errors"][i], s["upper_bound"][i])):
                    rows[j].append(v)
        files.append(output.write_csv(out / "reactor_direction_scan.csv", rows_h, rows))
        first = next(iter(data["scan"].values()))
        files.append(plotting.torque_curve(
            first["azimuth_deg"],
            common.plot_series(data["scan"], {c: f"{c} core" for c in data["scan"]}),
            out / "reactor_direction_scan.png",
            xlabel="reactor azimuth about the fibre axis [deg] (0: the study's placement)",
            ylabel="total retarded torque [N m]",
            title=f"reactor direction scan (attractor at {p['scan_attractor_angle_deg']:g}°)",
            n_samples_note=n_note))
    files.append(_apparatus_picture(p, out))
    data["summary"] = summary(p, config, data, est)
    files.append(output.write_json(out / "results.json", data, config=config))
    return files, data["summary"]


def _apparatus_picture(p, out):
    from nusim import plotting
    from nusim.engine.directional import body_mesh
    from nusim.geometry import load_apparatus

    app = load_apparatus(p["apparatus"])
    point, _ = app.axis
    meshes = []
    for b in app.bodies.values():
        v, f = body_mesh(b, 64, sphere_subdivisions=3)
        meshes.append((b.name, b.role, v, f))
    src = beam_specs.reactor_position(_reactor_specs(p)[0], point)
    return plotting.apparatus_3d(meshes, out / "apparatus.png", app.name, axis=app.axis,
                                 beam_direction=point - src, source_position_m=src,
                                 source_label="reactor core")


def summary(p, config, data, est):
    """The short terminal table of the key numbers."""
    ref = est["ref"]
    zeros = ref.exact_zeros
    rows = [*[("beam", beam_specs.describe(b)) for b in p["beams"]],
            ("samples", f"{p['samples']} per replica × {p['replicas']} replicas per term, "
                        f"seed {p['seed']}")]
    a0 = data["angles_deg"][0]
    for name, label in (("torque_attractor_retarded_Nm", "torque, attractor wakes"),
                        ("torque_internal_retarded_Nm", "torque, internal wakes"),
                        ("torque_self_retarded_Nm", "torque, self-forces"),
                        ("torque_total_retarded_Nm", "torque, total (all beams)"),
                        ("torque_total_symmetric_Nm", "torque, paper's symmetric V")):
        if name in ref.totals:
            rows.append((f"{label} @ {a0:g}°", common.fmt(ref.totals[name], zeros.get(name))))
    rows.append((f"reactor on − off torque @ {a0:g}°", common.fmt(est["on"])))
    rows.append((f"energy U_R @ {a0:g}°", common.fmt(ref.totals["energy_retarded_J"])))
    rows.append((f"α = 0 estimate (eq. 5.3) @ {a0:g}°", f"{ref.alpha0_energy_J:.3g} J"))
    g = common.gravity_estimates(ref)
    if g is not None:
        rows.append((f"gravity torque @ {a0:g}°", common.fmt(g["torque_Nm"])))
    d = est["delta"]
    if d is not None:
        h = f"harmonic {d['order']}" if d["order"] else "static"
        rows.append((f"neutrino torque ({h})", common.fmt(d["nu"])))
        rows.append((f"gravity torque ({h})", common.fmt(d["gravity"])))
        rows.append(("δV/V_gravity (torque ratio at the modulation)",
                     common.ratio_text(d["ratio"], d["nu"])))
    if est["u_ratio"] is not None:
        rows.append((f"U_ν,R / U_grav @ {a0:g}°",
                     common.ratio_text(est["u_ratio"], ref.totals["energy_retarded_J"])))
    sens = data["sensitivity"]
    if "orders_below_sensitivity" in data:
        rows.append((f"{sens['name']} sensitivity", f"δV/V = {sens['delta_v_over_v']:.2g} → "
                     + common.orders_text(data["orders_below_sensitivity"], "it")))
    for core, s in data["scan"].items():
        resolved = [i for i, b in enumerate(s["upper_bound"])
                    if not b and s["exact_zero"][i] is None and not s["not_resolved"][i]]
        if resolved:
            k = max(resolved, key=lambda i: abs(s["values"][i]))
            text = (f"{s['values'][k]:.3g} ± {s['errors'][k]:.2g} N m at azimuth "
                    f"{s['azimuth_deg'][k]:g}° ({len(resolved)} of {len(s['values'])} "
                    f"azimuths resolved)")
        else:
            bounds = [b for b in s["bound"] if b is not None]
            n_blind = sum(s["not_resolved"])
            n_zero = sum(z is not None for z in s["exact_zero"])
            parts = ([f"|torque| < {max(bounds):.2g} N m (95 %) at {len(bounds)}"]
                     if bounds else []) + ([f"0 exactly at {n_zero}"] if n_zero else []) + (
                [f"not resolved at {n_blind}"] if n_blind else [])
            text = "no azimuth resolved: " + "; ".join(parts) + " azimuths"
        rows.append((f"scan, {core} core: largest |torque|", text))
    return common.table(rows, f"{config['study']['name']} — reactor signal")
