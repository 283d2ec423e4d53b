"""Study "design_search": the torsion balance that maximises the neutrino signal-to-noise ratio.

For a reactor beam (``[[beams]]``) and a parametrised design family (:mod:`nusim.design`:
a dumbbell pendulum and a stack of attractor plates on a turntable), with free parameters,
discrete choices and constraints from ``[design_search.parameters]`` and
``[design_search.constraints]``:

1. **search** (:func:`nusim.design.search.search`): the objective is the S/N of the modulated
   retarded torque against the fibre's thermal noise (:mod:`nusim.design.objective`,
   :mod:`nusim.design.noise`); common random numbers (one seed for every evaluation); a bound
   scores 0; infeasible designs are never evaluated;
2. **the winner re-estimated**: with fresh seeds (``fresh_seed``, ``final_samples``) by the same
   estimator, and with the wake estimator (the reference, ``wake_samples``); both with errors
   and their pull (difference over the combined error);
3. **profiles** of the objective along each continuous parameter through the optimum, used as a
   coordinate polish (``polish_rounds``: the winner moves to a better profile point and is
   profiled again) since Nelder–Mead in many dimensions often stops on its budget;
4. **guardrails** (:mod:`nusim.design.guardrails`): the winner under random plate tilts and
   displacements (``[design_search.tolerances]``) and under a peaked (bare-cylinder) core power
   profile against a uniform one;
5. gravity of the same bodies, δ = Δτ_ν/τ_grav and the α = 0 ratio — reported, not optimised —
   and the distance of δ from a table-4 sensitivity (default Washington 1999).

One task (the search is sequential: each step depends on the last); ``reduce`` only arranges.
docs/design-search.md derives the objective and the noise model and justifies the optimiser.
"""

import math

import numpy as np

from nusim.studies import beam_specs, experiments
from nusim.studies import signal_common as common

KIND = "design_search"
POWER_SHAPES = ("uniform", "bare-cylinder")


def params(doc, path):
    """Validated [design_search] parameters (a plain dict) and the study's [[beams]], declared
    in :mod:`nusim.schema.study` (``DesignSearch``, ``DesignSearchFile``)."""
    from nusim.schema import study as schema

    return schema.params(KIND, doc, path)


def _space(p):
    from nusim.design.space import Space

    s = p["space"]
    return Space(dict(s["fixed"]), {k: tuple(v) for k, v in s["continuous"].items()},
                 {k: tuple(v) for k, v in s["discrete"].items()}, dict(s["start"]),
                 dict(s["constraints"]))


def _beams(p):
    return [b for s in p["beams"] for b in beam_specs.beams_at(s, point_m=np.zeros(3))]


def tasks(p):
    """One task: the search and its follow-ups are sequential."""
    return [("design",)]


def _pull(a, b):
    """(a − b)/√(σ_a² + σ_b²) of two Estimates (independent seeds), or None."""
    if a is None or b is None:
        return None
    s = math.hypot(a.error, b.error)
    return None if s == 0 else (a.value - b.value) / s


def run_task(p, task):
    """The whole design search (module docstring, steps 1–4); returns a dict of records."""
    from nusim.design import guardrails, objective, search
    from nusim.design.noise import NoiseModel

    space = _space(p)
    beams = _beams(p)
    nm = NoiseModel(**p["noise"])
    common = {"constraints": space.constraints, "noise_model": nm, "replicas": p["replicas"],
              "gravity_samples": p["gravity_samples"]}

    def obj(d, perturbations=None, *, samples=p["samples"], seed=p["seed"],
            estimator=p["estimator"], beams_=beams):
        return objective.evaluate(d, beams_, samples=samples, seed=seed, estimator=estimator,
                                  perturbations=perturbations, **common)

    found = search.search(space, obj, max_evaluations=p["max_evaluations"],
                          screen_points=p["screen_points"], refine_combos=p["refine_combos"],
                          xatol=p["xatol"], initial_step=p["initial_step"], seed=p["seed"])
    out = {"search": found, "best": found["best"]}
    best = found["best"]
    if best is None:
        return out
    d = best["design"]
    if p["profile_points"]:
        best, out["profiles"], out["polish_moves"] = search.polish(
            space, obj, best, points=p["profile_points"], span=p["profile_span"],
            rounds=p["polish_rounds"])
        out["best"] = best
        d = best["design"]
    from nusim.engine.nearfield import rms_angle_rad

    theta = max(rms_angle_rad(b) for _, b in beams)
    out["blur"] = {"theta_rms_rad": theta, "gap_m": d["gap_m"], "blur_m": theta * d["gap_m"]}
    if p["final_samples"]:
        out["fresh"] = obj(d, samples=p["final_samples"], seed=p["fresh_seed"])
    if p["wake_samples"]:
        out["wake"] = obj(d, samples=p["wake_samples"], seed=p["fresh_seed"] + 1,
                          estimator="wake")
    tol = p["tolerances"]
    if tol["draws"]:
        out["tolerance_draws"] = guardrails.tolerance_draws(
            d, obj, tilt_urad=tol["tilt_urad"], displacement_um=tol["displacement_um"],
            draws=tol["draws"], seed=p["seed"])
        # the estimator's own response to a move 1000× smaller (physically nothing): what
        # the draws' scatter must exceed before it is the tolerances' effect
        out["tolerance_null"] = guardrails.tolerance_draws(
            d, obj, tilt_urad=1e-3 * tol["tilt_urad"],
            displacement_um=1e-3 * tol["displacement_um"], draws=1, seed=p["seed"])[0]
    if p["power_profile"]["enabled"] and any(b.emitter is not None for _, b in beams):
        out["power_profile"] = {shape: obj(d, beams_=guardrails.profile_beams(beams, shape))
                                for shape in POWER_SHAPES}
    return out


def _active_limits(space, d):
    """Which constraints and range ends pin the optimum (within 2 % of the limit)."""
    from nusim.design import builder

    c = space.constraints
    cl = builder.clearances_m(d)
    out = []
    checks = (("turntable clearance", cl["turntable"], c["min_turntable_clearance_m"], "min"),
              ("gap (electrostatic shield)", cl["gap"], c["min_gap_m"], "min"),
              ("pendulum mass", builder.pendulum_mass_kg(d), c["max_pendulum_mass_kg"], "max"),
              ("attractor mass", builder.attractor_mass_kg(d), c["max_attractor_mass_kg"],
               "max"),
              ("lever arm", d["lever_arm_m"], c["min_lever_arm_m"], "min"))
    for name, v, lim, kind in checks:
        if (kind == "min" and v <= lim + 0.02 * max(abs(lim), 1e-3)) or (
                kind == "max" and v >= 0.98 * lim):
            out.append(f"{name} at its {kind}imum ({v:.4g} vs {lim:.4g})")
    for name, (lo, hi) in space.continuous.items():
        u = (d[name] - lo) / (hi - lo)
        if u <= 0.02 or u >= 0.98:
            out.append(f"{name} at the {'lower' if u <= 0.02 else 'upper'} end of its range")
    return out


def reduce(p, task_list, results):
    """The single task's records, with the derived figures (pulls, ratios, orders)."""
    from nusim.design import guardrails

    r = dict(results[0])
    best = r["best"]
    sens = experiments.TABLE_4[p["sensitivity"]]
    r["sensitivity"] = {"key": p["sensitivity"], "name": sens.name,
                        "delta_v_over_v": sens.delta_v_over_v, "reference": sens.reference}
    if best is None:
        return r
    ref = r.get("fresh") or best
    r["pull_fresh_vs_search"] = _pull(r.get("fresh", {}).get("delta_torque"),
                                      best["delta_torque"])
    r["pull_wake_vs_fresh"] = _pull(r.get("wake", {}).get("delta_torque"),
                                    ref["delta_torque"])
    delta = ref.get("delta")
    if delta is not None and delta.exact_zero_reason is None:
        mag = delta.bound if ref["delta_torque"].is_upper_bound else abs(delta.value)
        r["orders_below_sensitivity"] = experiments.orders_of_magnitude(mag,
                                                                        sens.delta_v_over_v)
    r["active_limits"] = _active_limits(_space(p), best["design"])
    if "tolerance_draws" in r:
        r["tolerance"] = guardrails.tolerance_summary(best, r["tolerance_draws"])
        null = guardrails.tolerance_summary(best, [r["tolerance_null"]])
        r["tolerance"]["null_ratio"] = null["mean"]
    if "power_profile" in r:
        u, b = (r["power_profile"][s]["delta_torque"] for s in POWER_SHAPES)
        # the two profiles share their seeds: their errors are correlated and the propagated
        # one (independent estimates) is an upper limit; no ratio where either is a bound
        ratio = None
        if not b.is_upper_bound and (q := common.ratio(b, u)) is not None:
            ratio = {"value": q.value, "error": q.error}
        r["power_profile_ratio"] = ratio
    return r


def _fmt_est(est):
    return "—" if est is None else common.fmt(est)


def _limits_text(r):
    """Which idealisation or limit decides the best design (terminal and results.json)."""
    parts = []
    bl = r.get("blur")
    if bl:
        parts.append(f"the core's angular size: each wake is blurred over gap × θ_rms = "
                     f"{bl['gap_m'] * 1e3:.3g} mm × {bl['theta_rms_rad']:.3g} rad = "
                     f"{bl['blur_m'] * 1e3:.2g} mm, so only the bodies' side faces within that "
                     "cone of each other contribute (no sharp-edge enhancement survives)")
    if r.get("active_limits"):
        parts.append("pinned by " + "; ".join(r["active_limits"]))
    tol = r.get("tolerance")
    if tol and tol.get("mean") is not None and tol.get("error"):
        loss = 1 - tol["mean"]
        floor = abs(1 - tol["null_ratio"]) if tol.get("null_ratio") is not None else 0.0
        resolved = abs(loss) > max(2 * tol["error"], 2 * floor)
        parts.append(f"tolerances change Δτ by {-100 * loss:+.1f} ± {100 * tol['error']:.1f} % "
                     f"(the estimator's own response to a 1000× smaller move: "
                     f"{100 * floor:.1f} %): " + ("a resolved cost" if resolved else
                                                 "not resolved from the estimator's response"))
    pr = r.get("power_profile_ratio")
    if pr:
        parts.append(f"peaked/uniform core power: × {pr['value']:.2f} ± {pr['error']:.2f}")
    parts.append("thermal fibre noise only (readout, tilt and gravity-gradient noise not "
                 "modelled: the S/N is an upper limit)")
    return "; ".join(parts)


def write(p, config, out, data, progress=True):
    """results.json, evaluations.csv, profiles.csv and the figures; (files, summary)."""
    from nusim.design import builder, figures
    from nusim.design.objective import record_to_dict
    from nusim.studies import output

    files = []
    hist = data["search"]["history"]
    names = list(_space(p).continuous) + list(_space(p).discrete)
    header = ["index", "stage", *names, "feasible", "objective_snr_lower_2sigma", "snr",
              "snr_error", "delta_torque_Nm",
              "delta_torque_err_Nm", "bound_reason"]

    def rows(recs):
        cols = [[] for _ in header]
        for rec in recs:
            dt = rec.get("delta_torque")
            vals = [rec["index"], rec["stage"], *[rec["design"][n] for n in names],
                    rec["feasible"], rec["snr"], rec.get("snr_point", rec["snr"]),
                    rec.get("snr_error", 0.0),
                    None if dt is None else dt.value, None if dt is None else dt.error,
                    rec.get("bound_reason") or ""]
            for c, v in zip(cols, vals, strict=True):
                c.append(v)
        return cols

    note = (f"S/N of the modulated retarded torque; {p['samples']} samples × {p['replicas']} "
            f"replicas per term, seed {p['seed']} (common random numbers); objective = 2σ "
            "lower limit of S/N, 0 for bounds, exact zeros and infeasible designs "
            "(bound_reason says which)")
    files.append(output.write_csv(out / "evaluations.csv", header, rows(hist),
                                  comment_lines=[note]))
    if data.get("profiles"):
        prof = [dict(rec, stage=f"profile {n}") for n, recs in data["profiles"].items()
                for rec in recs]
        files.append(output.write_csv(out / "profiles.csv", header, rows(prof),
                                      comment_lines=[note]))
        files.append(figures.profiles_figure(data["profiles"], data["best"], _space(p),
                                             out / "profiles.png", note=note))
    if data["best"] is not None:
        d = data["best"]["design"]
        bodies = builder.pendulum_bodies(d) + builder.attractor_bodies(d, "in")
        files.append(figures.geometry_figure(bodies, _beams(p), out / "best_design.png",
                                             title=f"{config['study']['name']}: best design, "
                                                   "attractor 'in'\n(lab frame of the design: x "
                                                   "= the beam's horizontal direction)"))
    files.append(figures.history_figure(hist, out / "search_history.png", note=note))
    data["summary"] = summary(p, config, data)
    data["limits"] = _limits_text(data) if data["best"] is not None else None

    def clean(v):
        if isinstance(v, dict) and "snr" in v and "design" in v:
            return record_to_dict(v)
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items()}
        if isinstance(v, list):
            return [clean(x) for x in v]
        return v

    js = {k: clean(v) for k, v in data.items() if k not in ("search",)}
    js["search"] = {"history": [record_to_dict(h) for h in hist],
                    "combos": data["search"]["combos"], "refined": data["search"]["refined"]}
    from nusim.design.noise import NoiseModel

    js["noise_model"] = NoiseModel(**p["noise"]).to_dict()
    files.append(output.write_json(out / "results.json", js, config=config))
    return files, data["summary"]


def summary(p, config, data):
    """The short terminal table of the key numbers."""
    from nusim.design import builder
    best = data["best"]
    hist = data["search"]["history"]
    n_ok = sum(1 for h in hist if h["feasible"])
    rows = [*[("beam", beam_specs.describe(b)) for b in p["beams"]],
            ("evaluations", f"{n_ok} evaluated, {len(hist) - n_ok} infeasible rejected; "
                            f"{p['samples']} samples × {p['replicas']} replicas per term, "
                            f"seed {p['seed']}")]
    if best is None:
        rows.append(("best design", "none: no feasible design gave a resolved signal (every "
                                    "evaluation was a bound, an exact zero or infeasible)"))
        return common.table(rows, f"{config['study']['name']} — design search")
    d = best["design"]
    free = list(p["space"]["continuous"]) + list(p["space"]["discrete"])
    for name, text in builder.describe(d):
        if name in free:
            rows.append((f"best {name}", text))
    for name, a, b in data.get("polish_moves", []):
        rows.append(("axis-scan polish move", f"{name}: {a:.4g} → {b:.4g}"))
    rows.append(("pendulum mass, I", f"{builder.pendulum_mass_kg(d):.4g} kg, "
                                     f"{builder.moment_of_inertia_kg_m2(d):.3g} kg m²"))
    rows.append(("attractor mass", f"{builder.attractor_mass_kg(d):.4g} kg"))
    rows.append(("Δτ in − out (search seeds)", _fmt_est(best["delta_torque"])))
    ref = data.get("fresh") or best
    if data.get("fresh"):
        rows.append(("Δτ, fresh seeds", f"{_fmt_est(ref['delta_torque'])}  (pull vs search "
                                         f"{_num(data.get('pull_fresh_vs_search'))})"))
    if data.get("wake"):
        rows.append(("Δτ, wake estimator", f"{_fmt_est(data['wake']['delta_torque'])}  (pull "
                                          f"vs fresh {_num(data.get('pull_wake_vs_fresh'))})"))
    rows.append(("noise σ_A (thermal, t)", f"{ref['sigma_A_Nm']:.3g} N m"))
    rows.append(("S/N (fresh seeds)", f"{ref['snr_point']:.3g} ± {ref['snr_error']:.2g} (2σ "
                 f"lower limit {ref['snr']:.3g})"
                 if ref["bound_reason"] is None else f"0 ({ref['bound_reason']})"))
    rows.append(("gravity torque τ_grav (in)", _fmt_est(ref.get("gravity_torque_in"))))
    rows.append(("gravity modulation (in − out)", _fmt_est(ref.get("gravity_delta_torque"))
                 + " (the 180° turn maps the balanced dumbbell onto itself)"))
    rows.append(("δ = Δτ_ν / τ_grav", common.ratio_text(ref.get("delta"), ref["delta_torque"])))
    if ref.get("energy_ratio") is not None:
        rows.append(("U_ν,R / U_grav (in)", common.ratio_text(ref["energy_ratio"],
                                                               ref["energy_in"])))
    if ref.get("alpha0_ratio") is not None:
        rows.append(("α = 0 estimate / U_grav (eq. 5.3)", f"{ref['alpha0_ratio']:.3g}"))
    sens = data["sensitivity"]
    if "orders_below_sensitivity" in data:
        rows.append((f"{sens['name']} sensitivity", f"δV/V = {sens['delta_v_over_v']:.2g} → "
                     + common.orders_text(data["orders_below_sensitivity"], "it")))
    tol = data.get("tolerance")
    if tol and tol.get("mean") is not None:
        t = p["tolerances"]
        rows.append((f"tolerances ({t['tilt_urad']:g} µrad, {t['displacement_um']:g} µm)",
                     f"Δτ × {tol['mean']:.3f}" + (f" ± {tol['error']:.3f}" if tol["error"]
                                                  else "") +
                     f" (range {tol['min']:.3f} … {tol['max']:.3f}, {len(tol['ratios'])} draws;"
                     f" 1000× smaller move: × {tol['null_ratio']:.3f})"))
    if data.get("power_profile"):
        pp = data["power_profile"]
        rows.append(("core power: uniform table", _fmt_est(pp["uniform"]["delta_torque"])))
        rows.append(("core power: bare cylinder J₀·cos", _fmt_est(pp["bare-cylinder"]
                                                                  ["delta_torque"])))
    rows.append(("limited by", _limits_text(data)))
    return common.table(rows, f"{config['study']['name']} — design search")


def _num(x):
    return "—" if x is None else f"{x:+.2f} σ"
