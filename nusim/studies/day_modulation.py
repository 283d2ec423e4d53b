"""Study "day_modulation": the neutrino torque on a torsion balance over 24 hours of solar beam.

For an apparatus file with a ``[site]`` and a ``[[beams]]`` table with source = "sun", at
``n_times`` equally spaced UTC times over each date: the whole-apparatus directional signal
(:func:`nusim.engine.apparatus_signal.apparatus_signal`; both charge channels, ν_e with the
P_ee-weighted spectrum and ν_μ,τ with the rest; retarded and the paper's symmetric V; the
self-torque, which follows the Sun, not the attractor). The same per-term seeds at every time
give common random numbers, so the curve's shape is smooth and its harmonics are fitted per
replica. Reported, per date:

* the 1/day and 2/day harmonics (amplitude, phase, in-phase and quadrature, errors);
* the projection onto the horizontal Sun-direction basis of solar equivalence-principle
  torsion-balance analyses: the in-phase and quadrature coefficients of
  −cos(alt) sin(az + θ) and −cos(alt) cos(az + θ), θ the dipole's angle from North, as a torque
  and as the differential acceleration Δa = τ / K [m s⁻²] with K = m ρ the mass moment of the
  dipole's test body (mass × horizontal lever arm; docs/apparatus-signal.md), compared with the
  published limits (a fixed-direction differential acceleration < 8.8e-15 m s⁻², Schlamminger et
  al. 2008; toward the Sun η ≤ 2.1e-13, 1.25e-15 m s⁻², Eöt-Wash 2026);
* optionally (``rotation_angles_deg``), at each time the torque at several attractor angles and
  its amplitude at ``rotation_harmonic`` — for a rotating attractor or turntable;
* gravity of the same geometry (the attractor's static torque and energy) for δ ratios.

Tasks: one per (date, time[, attractor angle]), pure functions of the configuration, the task
and the study seed; reduced in task order.
"""

import dataclasses
import math
from datetime import datetime, timedelta

import numpy as np

from nusim.studies import beam_specs, experiments
from nusim.studies import harmonics as _harm
from nusim.studies import signal_common as common

KIND = "day_modulation"
CURVES = ("torque_total_retarded_Nm", "torque_attractor_retarded_Nm",
          "torque_internal_retarded_Nm", "torque_self_retarded_Nm", "torque_total_symmetric_Nm",
          "energy_retarded_J", "energy_symmetric_J")


def params(doc, path):
    """Validated [day_modulation] parameters and the study's [[beams]].

    Declared in :mod:`nusim.schema.study`; ConfigError naming the file and the dotted field.
    """
    from nusim.schema import study as schema

    return schema.params(KIND, doc, path)


def times_utc(date, n):
    """n equally spaced UTC times over the date, from 00:00 (ISO strings) and hours (n,)."""
    t0 = datetime.strptime(str(date), "%Y-%m-%d")
    hours = 24.0 * np.arange(n) / n
    return [(t0 + timedelta(hours=float(h))).isoformat(timespec="seconds") for h in hours], hours


def tasks(p):
    """(date index, time index, attractor angle) per task, in reduction order."""
    angles = p["rotation_angles_deg"] or [p["attractor_angle_deg"]]
    return [(d, i, float(a)) for d in range(len(p["dates"])) for i in range(p["n_times"])
            for a in angles]


def run_task(p, task, progress=False):
    """One task: (ApparatusSignal, Sun altitude [deg], azimuth [deg]) at that time and angle."""
    from nusim.engine.apparatus_signal import apparatus_bodies, apparatus_signal
    from nusim.geometry import load_apparatus

    app = load_apparatus(p["apparatus"])
    point, _ = app.axis
    d, i, angle = task
    t = times_utc(p["dates"][d], p["n_times"])[0][i]
    pendulum, others, axis = apparatus_bodies(app, angle)
    spec = p["beams"][0]
    beams = beam_specs.beams_at(spec, point_m=point, site=app.site, time_utc=t,
                                path=p["apparatus"])
    sun = beam_specs.make_sun(spec, app.site, p["apparatus"])
    alt, az = sun.altitude_azimuth_deg(t)
    first = i == 0 and angle == tasks(p)[0][2]
    sig = apparatus_signal(pendulum, others, beams, axis=axis, samples=p["samples"],
                           replicas=p["replicas"], seed=p["seed"], estimator=p["estimator"],
                           gravity=first, gravity_samples=p["gravity_samples"],
                           forces=False, progress=progress)   # torques and energies only
    return sig, float(alt), float(az)


def dipole(app, given_deg=None):
    """(θ [deg], K = m ρ [kg m]) of the pendulum for the Sun-direction basis.

    θ is the dipole's angle from North counted towards *West* (minus its compass bearing), the
    sense in which the templates read −cos(alt) sin(az + θ), −cos(alt) cos(az + θ): a
    differential acceleration Δa of the first dipole body toward the Sun then gives
    τ = K Δa [−cos(alt) sin(az + θ)] about an upward fibre (:func:`sun_basis`). The dipole
    axis runs from the second pendulum body to the first (file order); K is the largest
    mass × horizontal lever arm (about the fibre) of a pendulum body, the torque per unit
    differential acceleration of that body relative to the rest (for a two-body dipole; a
    multi-body dipole would sum m ρ over one material's bodies). ``given_deg`` overrides θ."""
    pend = app.by_role("pendulum")
    point, axis = app.axis
    lever = []
    for b in pend:
        r = np.asarray(b.centre_of_mass_m) - point
        lever.append(b.mass_kg * float(np.linalg.norm(r - (r @ axis) * axis)))
    k = max(lever)
    if given_deg is not None:
        return float(given_deg), k
    if len(pend) < 2:
        return 0.0, k
    d = np.asarray(pend[0].centre_of_mass_m) - np.asarray(pend[1].centre_of_mass_m)
    az0 = float(app.site.get("azimuth_deg", 0.0))
    # the lab y axis points to compass azimuth az0, x to az0 + 90°: the compass bearing
    bearing = az0 + math.degrees(math.atan2(d[0], d[1]))
    return (-bearing) % 360.0, k


def sun_basis(alt_deg, az_deg, theta_deg, fibre_up=1.0):
    """The Sun-direction templates (−cos(alt) sin(az + θ), −cos(alt) cos(az + θ)) [1] of
    solar-EP torsion-balance analyses, θ as in :func:`dipole`; ``fibre_up`` the sign of the
    fibre axis' vertical component (a torque about a downward fibre changes sign)."""
    ca = np.cos(np.radians(alt_deg))
    ang = np.radians(np.asarray(az_deg) + theta_deg)
    return -fibre_up * ca * np.sin(ang), -fibre_up * ca * np.cos(ang)


def _replica_curve(ests):
    reps = [e.replica_values for e in ests]
    if all(len(r) == ests[0].replicas for r in reps):
        return np.asarray(reps, float).T
    return None


def reduce(p, task_list, results):
    """Fixed-order reduction into the study's result dict."""
    from nusim.geometry import load_apparatus

    app = load_apparatus(p["apparatus"])
    theta, k_moment = dipole(app, p["dipole_angle_deg"])
    n, reps, seed = p["samples"], p["replicas"], p["seed"]
    angles = p["rotation_angles_deg"] or [p["attractor_angle_deg"]]
    out = {"dates": [], "dipole_angle_deg": theta, "mass_moment_kg_m": k_moment,
           "limits": {k: {"name": v.name, "limit_m_s2": v.limit_m_s2, "what": v.what,
                          "reference": v.reference}
                      for k, v in experiments.SOLAR_EP_LIMITS.items()},
           "notes": []}
    est = {"dates": []}
    by_key = {(t[0], t[1], t[2]): r for t, r in zip(task_list, results, strict=True)}
    for d, date in enumerate(p["dates"]):
        _, hours = times_utc(date, p["n_times"])
        a0 = angles[0]
        sigs = [by_key[(d, i, a0)][0] for i in range(p["n_times"])]
        alt = np.array([by_key[(d, i, a0)][1] for i in range(p["n_times"])])
        az = np.array([by_key[(d, i, a0)][2] for i in range(p["n_times"])])
        for s in sigs:
            out["notes"] += [x for x in s.notes if x not in out["notes"]]
        day = {"date": date, "hours_utc": hours.tolist(), "sun_altitude_deg": alt.tolist(),
               "sun_azimuth_deg": az.tolist(), "curves": {}, "harmonics": {}}
        e_day = {"date": date}
        x = 2 * math.pi * hours / 24.0
        for name in CURVES:
            if name not in sigs[0].totals:
                continue
            ests = [s.totals[name] for s in sigs]
            day["curves"][name] = common.curve_of(ests, [s.exact_zeros.get(name) for s in sigs])
            if name.startswith("torque"):
                rc = _replica_curve(ests)
                zs = [s.exact_zeros.get(name) for s in sigs]
                rows = _harm.harmonic_table(
                    x, rc if rc is not None else [e.value for e in ests], [1, 2], unit="N m",
                    n_samples=n, replicas=reps, seed=seed,
                    errors=None if rc is not None else [e.error for e in ests],
                    label=f"{name} per day", systematics=[e.systematic for e in ests],
                    zero_reason=("every time is an exact zero" if all(z is not None for z in zs)
                                 else None))
                day["harmonics"][name] = [_row(r) for r in rows]
                e_day.setdefault("harmonics", {})[name] = rows
        # the solar-EP basis of torsion-balance analyses
        t1, t2 = sun_basis(alt, az, theta, 1.0 if app.axis[1][2] >= 0 else -1.0)
        proj = {}
        for name in ("torque_total_retarded_Nm", "torque_self_retarded_Nm",
                     "torque_total_symmetric_Nm"):
            if name not in sigs[0].totals:
                continue
            ests = [s.totals[name] for s in sigs]
            rc = _replica_curve(ests)
            co = _harm.template_projection(
                [t1, t2], rc if rc is not None else [e.value for e in ests], unit="N m",
                n_samples=n, replicas=reps, seed=seed,
                errors=None if rc is not None else [e.error for e in ests],
                names=["in_phase", "quadrature"], systematics=[e.systematic for e in ests])
            if k_moment <= 0:
                note = ("every pendulum body sits on the fibre axis (K = m ρ = 0): no "
                        "differential acceleration is formed")
                if note not in out["notes"]:
                    out["notes"].append(note)
                proj[name] = {"torque_Nm": {k2: v.to_dict() for k2, v in co.items()}}
                continue
            acc = {k2: _scale(v, 1.0 / k_moment, "m s⁻²") for k2, v in co.items()}
            amp = math.hypot(acc["in_phase"].value, acc["quadrature"].value)
            amp_bound = math.hypot(acc["in_phase"].bound, acc["quadrature"].bound)
            bound_only = acc["in_phase"].is_upper_bound and acc["quadrature"].is_upper_bound
            proj[name] = {"torque_Nm": {k2: v.to_dict() for k2, v in co.items()},
                          "differential_acceleration_m_s2": {k2: v.to_dict()
                                                             for k2, v in acc.items()},
                          "amplitude_m_s2": amp, "amplitude_bound_m_s2": amp_bound,
                          "bound_only": bool(bound_only),
                          "orders_below_limits": {
                              k2: experiments.orders_of_magnitude(
                                  amp_bound if bound_only else amp, lim.limit_m_s2)
                              for k2, lim in experiments.SOLAR_EP_LIMITS.items()}}
        day["solar_ep_projection"] = proj
        # rotation harmonic at each time (rotating attractor)
        if p["rotation_angles_deg"]:
            xr = np.radians(angles)
            rot = []
            for i in range(p["n_times"]):
                ests = [by_key[(d, i, a)][0].totals["torque_total_retarded_Nm"] for a in angles]
                rc = _replica_curve(ests)
                rows = _harm.harmonic_table(
                    xr, rc if rc is not None else [e.value for e in ests],
                    [p["rotation_harmonic"]], unit="N m", n_samples=n, replicas=reps,
                    seed=seed, errors=None if rc is not None else [e.error for e in ests],
                    label="rotation harmonic", systematics=[e.systematic for e in ests])
                rot.append(_row(rows[0]))
            day["rotation_harmonic"] = rot
        g = common.gravity_estimates(sigs[0])
        if g is not None:
            day["gravity"] = {"energy_J": g["energy_J"].to_dict(),
                              "torque_Nm": g["torque_Nm"].to_dict() if "torque_Nm" in g else None}
            e_day["gravity"] = g
        noon = int(np.argmax(alt))
        day["alpha0_energy_at_max_altitude_J"] = sigs[noon].alpha0_energy_J
        day["hour_of_max_altitude"] = float(hours[noon])
        e_day["noon_signal"] = sigs[noon]
        e_day["proj"] = proj
        out["dates"].append(day)
        est["dates"].append(e_day)
    out["_estimates"] = est
    return out


def _scale(e, factor, unit):
    from nusim.engine.apparatus_signal import scaled

    return dataclasses.replace(scaled(e, factor), unit=unit)


def _row(r):
    return {"order": r["order"], "in_phase": r["in_phase"].to_dict(),
            "quadrature": r["quadrature"].to_dict(), "amplitude": r["amplitude"].to_dict(),
            "phase_deg": r["phase_deg"], "phase_err_deg": r["phase_err_deg"]}


def write(p, config, out, data, progress=True):
    """CSV, PNG and results.json; returns (files, summary text)."""
    from nusim import plotting
    from nusim.studies import output

    est = data.pop("_estimates")
    files = []
    n_note = f"{p['samples']} samples × {p['replicas']} replicas per term, {p['n_times']} times"
    labels = {"torque_total_retarded_Nm": "total (retarded: what the balance feels)",
              "torque_self_retarded_Nm": "self-torque (follows the Sun)",
              "torque_attractor_retarded_Nm": "attractor wakes",
              "torque_internal_retarded_Nm": "internal wakes",
              "torque_total_symmetric_Nm": "paper's symmetric V"}
    for day in data["dates"]:
        tag = day["date"]
        header = ["hour_utc", "sun_altitude_deg", "sun_azimuth_deg"]
        cols = [day["hours_utc"], day["sun_altitude_deg"], day["sun_azimuth_deg"]]
        for name, c in day["curves"].items():
            header += [name, f"{name}_err", f"{name}_upper_bound"]
            cols += [c["values"], c["errors"], c["upper_bound"]]
        files.append(output.write_csv(out / f"day_modulation_{tag}.csv", header, cols))
        series = common.plot_series(day["curves"], labels)
        files.append(plotting.torque_curve(
            day["hours_utc"], series, out / f"day_modulation_{tag}.png",
            xlabel="time [h UTC]", ylabel="neutrino torque about the fibre [N m]",
            title=f"{config['study']['name']}: Sun on {tag}", n_samples_note=n_note))
    data["summary"] = summary(p, config, data, est)
    files.append(output.write_json(out / "results.json", data, config=config))
    return files, data["summary"]


def summary(p, config, data, est):
    """The short terminal table of the key numbers."""
    rows = [("samples", f"{p['samples']} per replica × {p['replicas']} replicas per term, "
                        f"{p['n_times']} times/day, seed {p['seed']}"),
            ("dipole angle from North; K = m ρ", f"{data['dipole_angle_deg']:.1f}°; "
                                                f"{data['mass_moment_kg_m']:.3g} kg m")]
    for day, e_day in zip(data["dates"], est["dates"], strict=True):
        tag = day["date"]
        for name, label in (("torque_total_retarded_Nm", "total"),
                            ("torque_self_retarded_Nm", "self"),
                            ("torque_total_symmetric_Nm", "symmetric V")):
            if name not in e_day.get("harmonics", {}):
                continue
            for r in e_day["harmonics"][name]:
                rows.append((f"{tag} {label}: {r['order']}/day amplitude",
                             common.fmt(r["amplitude"]) +
                             ("" if r["amplitude"].is_upper_bound else
                              f", phase {r['phase_deg']:.0f}° ± {r['phase_err_deg']:.0f}°")))
        pr = e_day["proj"].get("torque_total_retarded_Nm")
        if pr is not None and "amplitude_m_s2" in pr:
            dd = day["solar_ep_projection"]["torque_total_retarded_Nm"]
            amp = (f"< {dd['amplitude_bound_m_s2']:.2g}" if dd["bound_only"]
                   else f"{dd['amplitude_m_s2']:.3g}")
            rows.append((f"{tag} Sun-direction Δa (total)", f"{amp} m s⁻²"))
            for k2, lim in experiments.SOLAR_EP_LIMITS.items():
                rows.append((f"  vs {lim.name}", f"{lim.limit_m_s2:.3g} m s⁻²: "
                             + common.orders_text(dd["orders_below_limits"][k2], "it")))
        g = e_day.get("gravity")
        noon = e_day["noon_signal"]
        if g is not None and "torque_Nm" in g:
            rows.append((f"{tag} gravity torque (attractor, static)", common.fmt(g["torque_Nm"])))
            h1 = e_day["harmonics"]["torque_total_retarded_Nm"][0]["amplitude"]
            rows.append((f"{tag} δ = 1/day torque / gravity torque",
                         common.ratio_text(common.ratio(h1, g["torque_Nm"]), h1)))
        rows.append((f"{tag} U_R at max altitude ({day['hour_of_max_altitude']:.1f} h)",
                     common.fmt(noon.totals["energy_retarded_J"])))
        rows.append((f"{tag} α = 0 estimate (eq. 5.3) then", f"{noon.alpha0_energy_J:.3g} J"))
    return common.table(rows, f"{config['study']['name']} — day modulation")
