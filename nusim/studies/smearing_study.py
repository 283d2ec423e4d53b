"""Study "smearing": how much of the paper's 1/r potential survives, and which spread kills it.

Eq. (4.13) of [1] is the α-dependence cos(α²Er/2) of the long-distance beam potential; eq. (4.14)
says the 1/r law survives only while α²Δ(Er) ≲ π, Δ(Er) the spread of E r over the spectrum and
the positions of the test masses. This study puts numbers on that statement: the surviving
fraction U/U_(α=0) (U the paper's even potential, U_(α=0) = −G_F²Φ⟨E⟩Q₁Q₂/(πD) of eq. 5.3)
against

(a) the criterion variable x = Δ(α²Er)/π of eq. (4.14) (x = 1 is the paper's criterion
    α²Δ(Er) = π), and
(b) the Fresnel number N_F = E a²/D of the bodies (design note §2),

in separate scans of the body size, the separation, the energy spread σ_E/E, the source's angular
size σ_θ and the beam's angle α to the pair axis. Each scan is either

* ``regime = "point"``: two point masses, closed forms (:mod:`nusim.studies.smearing_model`:
  eq. 4.12 summed over the spectrum, eq. C.9, and averaged over a Gaussian profile) — the
  paper's regime, where the spreads decide; or
* ``regime = "bodies"``: two uniform spheres (radius a and ``target_ratio`` × a, the target in
  the source's wake at angle α), the full Monte Carlo of
  :func:`nusim.engine.directional.directional_interaction` ("auto": brute-force pairs while
  N_F ≤ 3 and the source is a point, the near-field estimator for an extended source where it
  holds, else the wake estimator) — where at N_F ≫ 1 the body's edges decide and a spread
  scan moves nothing (the near-field energy depends on the spectrum only through ⟨1/E⟩,
  design note §4).

For every point the criterion variable is also split by factor (energy spread, source angular
size, body size: each alone, the others at their means); the largest names the dominant factor,
and the output states it per scan and where the regimes change.

Tasks: one per (scan, value), in file order; task (i, j) draws from
``numpy.random.SeedSequence(seed, spawn_key=(i, j))`` (the criterion samples and the Monte Carlo
seed), so each is a pure function of the configuration, its index and the study seed. The
reduction runs in task order.

References: [1] M. Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eqs. (4.12)-(4.14),
(5.3), (C.9); [2] nusim design note shared/design/directional-force-between-bodies.md §2-§4, §8.
"""

import math

import numpy as np

from nusim.schema import study as _schema
from nusim.studies import smearing_model as model

KIND = "smearing"

#: the variables a scan may run over: (smallest, largest, axis label); the ranges are declared
#: in nusim.schema.study (SCAN_RANGES)
SCAN_VARIABLES = {k: (*_schema.SCAN_RANGES[k], label) for k, label in {
    "body_radius_m": "body radius a [m]",
    "separation_m": "separation D [m]",
    "energy_spread": r"energy spread $\sigma_E/E$",
    "source_sigma_rad": r"source angular size $\sigma_\theta$ [rad]",
    "beam_angle_rad": r"beam angle $\alpha$ to the pair axis [rad]",
}.items()}
#: a bodies scan over a spread is "unchanged" when χ²/dof of a constant is below this (and no
#: point deviates by more than 3σ from the weighted mean)
CONSTANT_CHI2_PER_DOF = 3.0


# ---------------------------------------------------------------------------------------------
# parameters


def params(doc, path):
    """Validated [smearing] parameters: the base point, the run settings and the scans.

    Declared in :mod:`nusim.schema.study`; ConfigError naming the file and the dotted field.
    """
    return _schema.params(KIND, doc, path)


# ---------------------------------------------------------------------------------------------
# tasks


def tasks(p):
    """The task list: (scan index, value index), in file order."""
    return [(i, j) for i, s in enumerate(p["scans"]) for j in range(len(s["values"]))]


def point_of(p, task):
    """The resolved configuration (dict) of ``task``."""
    i, j = task
    s = p["scans"][i]
    return {**s["point"], s["variable"]: s["values"][j]}


def _fraction_record(value, error, *, bound=None, exact_zero=None, not_resolved=False,
                     method=""):
    return {"value": value, "error": error, "upper_bound": bound, "exact_zero": exact_zero,
            "not_resolved": not_resolved, "method": method}


def _mc_fraction(est, naive, factor=1.0):
    """Fraction record of an Estimate divided by factor × naive."""
    scale = factor * naive
    if est.is_blind:
        return _fraction_record(None, None, not_resolved=True, method="Monte Carlo")
    return _fraction_record(est.value / scale, est.error / abs(scale),
                            bound=est.bound / abs(scale) if est.is_upper_bound else None,
                            exact_zero=est.exact_zero_reason, method="Monte Carlo")


def run_task(p, task):
    """One point: criterion variable, N_F and the surviving fraction (JSON-ready dict); a pure
    function of the configuration, the task and the study seed."""
    i, j = task
    scan = p["scans"][i]
    pt = point_of(p, task)
    ss = np.random.SeedSequence(p["seed"], spawn_key=(i, j))
    mc_seed = int(ss.generate_state(1)[0])
    rng = np.random.default_rng(ss)
    crit = model.criterion(pt, rng, p["criterion_samples"])
    row = {"scan": scan["name"], "regime": scan["regime"], "variable": scan["variable"],
           "value": pt[scan["variable"]], "point": pt, "criterion": crit,
           "fresnel_number": model.fresnel_number(pt), "spawn_key": [i, j],
           "mean_inverse_energy_factor": model.mean_inverse_energy_factor(pt)}
    if scan["regime"] == "point":
        f = model.point_pair_fraction(pt)
        method = "closed form (eqs. 4.12, C.9, Gaussian profile), no sampling"
        row["fraction"] = (_fraction_record(f, 0.0, method=method)
                           if abs(f) >= model.CLOSED_FORM_FLOOR else _fraction_record(
                               f, 0.0, bound=model.CLOSED_FORM_FLOOR, method=method
                               + f"; below the round-off floor {model.CLOSED_FORM_FLOOR:g}"))
        row.update(estimator="closed form", samples=0, replicas=0, seed=None, seconds=0.0,
                   notes=[])
        return row
    from nusim.engine import directional as d

    src, tgt = model.bodies_of(pt)
    beam = model.beam_of(pt)
    # samples are kernel evaluations per replica for every estimator; brute-force pairs (the
    # engine's "auto" rule: a point source and N_F ≤ PAIRS_MAX_FRESNEL) get pair_samples
    pairs_run = p["estimator"] == "pairs" or (
        p["estimator"] == "auto" and pt["source_sigma_rad"] == 0
        and d.fresnel_number(src, tgt, beam) <= d.PAIRS_MAX_FRESNEL)
    samples = p["pair_samples"] if pairs_run else p["samples"]
    r = d.directional_interaction(src, tgt, beam, samples=samples, replicas=p["replicas"],
                                  seed=mc_seed, estimator=p["estimator"], derivatives=False,
                                  self_force=False, progress=False)
    sym, ret = r.estimates["energy_symmetric_J"], r.estimates["energy_retarded_J"]
    row.update(estimator=r.estimator, samples=samples, replicas=p["replicas"], seed=mc_seed,
               seconds=r.seconds, notes=list(r.notes), engine_fresnel_number=r.fresnel_number,
               naive_energy_J=r.naive_energy_J, energy_symmetric_J=sym.to_dict(),
               energy_retarded_J=ret.to_dict(), fraction=_mc_fraction(sym, r.naive_energy_J),
               fraction_retarded_over_2=_mc_fraction(ret, r.naive_energy_J, 2.0))
    return row


# ---------------------------------------------------------------------------------------------
# reduction: which factor dominates where


def _resolved(f):
    return (f["value"] is not None and f["upper_bound"] is None and f["exact_zero"] is None
            and not f["not_resolved"])


def _half_crossing(xs, fs):
    """The criterion variable where |fraction| first falls below 1/2 (log-interpolated), or None."""
    pts = sorted((x, abs(f["value"]) if _resolved(f) else 0.0) for x, f in zip(xs, fs,
                                                                                strict=True)
                 if x > 0)
    for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
        if y0 >= 0.5 > y1:
            if y1 <= 0:
                return x1
            t = math.log(y0 / 0.5) / math.log(y0 / y1)
            return float(math.exp(math.log(x0) + t * math.log(x1 / x0)))
    return None


def _constancy(rows):
    """Is the fraction constant along a bodies scan? Weighted mean, χ²/dof, largest deviation."""
    vals = [(r["fraction"]["value"], r["fraction"]["error"]) for r in rows
            if _resolved(r["fraction"]) and r["fraction"]["error"] > 0]
    if len(vals) < 2:
        return None
    v, e = np.array(vals).T
    w = 1 / e**2
    mean = float(np.sum(w * v) / np.sum(w))
    err = float(1 / math.sqrt(np.sum(w)))
    pulls = (v - mean) / e
    chi2 = float(np.sum(pulls**2)) / (len(v) - 1)
    return {"weighted_mean": mean, "error": err, "chi2_per_dof": chi2,
            "max_pull": float(np.max(np.abs(pulls))),
            "max_relative_deviation": float(np.max(np.abs(v / mean - 1))),
            "largest_relative_error": float(np.max(e / np.abs(v))),
            "unchanged_within_errors": bool(chi2 < CONSTANT_CHI2_PER_DOF
                                            and np.max(np.abs(pulls)) < 3)}


def _spread_scan_text(scan, rows, out, a, b, nf_min):
    """What a spread scan at N_F ≫ 1 did, and why (bodies regime)."""
    why = (f"N_F ≥ {nf_min:.2g} ≫ 1 makes the edges, not the spread, set the answer: the "
           f"body-size phase spread exceeds every other, and in the near field U depends on "
           f"the spectrum only through ⟨1/E⟩ and on the source only through the blur of the "
           f"projected edges (design note §4, §8)")
    if scan["variable"] == "energy_spread":
        c = _constancy(rows)
        factors = [r["mean_inverse_energy_factor"] for r in rows]
        pred = max(factors) / min(factors) - 1
        out.update(constancy=c, near_field_spectral_change=pred)
        if c is None:
            return f"Too few resolved points to test constancy. {why}."
        verdict = ("unchanged within errors" if c["unchanged_within_errors"]
                   else "NOT constant within errors")
        return (f"The fraction is {verdict} (χ²/dof = {c['chi2_per_dof']:.2g} about "
                f"{c['weighted_mean']:.3g} ± {c['error']:.2g}; largest deviation "
                f"{100 * c['max_relative_deviation']:.2g} %, errors up to "
                f"{100 * c['largest_relative_error']:.2g} %) while the same spreads kill a "
                f"point pair. Why: {why}; ⟨1/E⟩⟨E⟩ changes by only {100 * pred:.2g} % across "
                f"the scan.")
    gap = a - b
    blur = [r["point"]["separation_m"] * r["point"]["source_sigma_rad"] for r in rows]
    sharp = [r for r, x in zip(rows, blur, strict=True) if x < 0.1 * gap]
    c = _constancy(sharp)
    out.update(constancy=c, edge_gap_m=gap, blur_m=blur)
    text = ""
    if c is not None:
        verdict = ("unchanged within errors" if c["unchanged_within_errors"]
                   else "NOT constant within errors")
        text = (f"While the blur D σ_θ stays below a tenth of the projected edge gap a − b = "
                f"{gap:.2g} m ({len(sharp)} points), the fraction is {verdict} (χ²/dof = "
                f"{c['chi2_per_dof']:.2g} about {c['weighted_mean']:.3g} ± {c['error']:.2g}) "
                f"while the same angular sizes kill a point pair. Why: {why}.")
        wide = [(r, x) for r, x in zip(rows, blur, strict=True) if x >= 0.1 * gap
                and _resolved(r["fraction"])]
        if wide:
            r, x = wide[-1]
            text += (f" Beyond, the source blurs the edges: at σ_θ = "
                     f"{r['point']['source_sigma_rad']:.2g} rad (blur/gap = {x / gap:.2g}) the "
                     f"fraction is {r['fraction']['value'] / c['weighted_mean']:.3g} × that value.")
    return text or f"Too few resolved points to test constancy. {why}."


def _scan_statement(scan, rows):
    """One conclusion per scan: which factor dominates, and what the scan did."""
    doms = [r["criterion"]["dominant"] for r in rows]
    counts = {f: doms.count(f) for f in (*model.FACTORS, None) if doms.count(f)}
    dom_text = ", ".join(f"{'nothing spreads the phase' if f is None else f} at {n}"
                         for f, n in counts.items())
    nf = [r["fresnel_number"] for r in rows]
    out = {"scan": scan["name"], "regime": scan["regime"], "variable": scan["variable"],
           "dominant_factor_counts": {str(k): v for k, v in counts.items()},
           "dominant_factor": max(counts, key=counts.get) if counts else None,
           "fresnel_range": [min(nf), max(nf)]}
    xs = [r["criterion"]["x"] for r in rows]
    fr = [r["fraction"] for r in rows]
    half = _half_crossing(xs, fr)
    out["x_at_half"] = half
    text = f"{scan['name']}: dominant factor by point: {dom_text}."
    spread_scan = scan["variable"] in ("energy_spread", "source_sigma_rad")
    pt0 = rows[0]["point"]
    a, b = pt0["body_radius_m"], pt0["target_ratio"] * pt0["body_radius_m"]
    if scan["regime"] == "bodies" and spread_scan and min(nf) > 1:
        text += " " + _spread_scan_text(scan, rows, out, a, b, min(nf))
    elif scan["regime"] == "bodies" and scan["variable"] == "beam_angle_rad":
        reach = math.asin(min(1.0, (a + b) / pt0["separation_m"]))
        text += (f" Every point has x ≫ 1 (x ≥ {min(xs):.2g}): by the paper's criterion "
                 f"nothing survives at any α, yet the edges keep ~N_F⁻² of it. The fraction "
                 f"changes on the geometric scale (a − b)/D = {(a - b) / pt0['separation_m']:.2g}"
                 f" rad, where the projected edges slide across each other; beyond α = "
                 f"asin((a + b)/D) = {reach:.2g} rad the projections no longer overlap and "
                 f"nothing within the wake's reach is left (points there: not resolved or "
                 f"bounds).")
        out["projections_overlap_below_rad"] = reach
    elif half is not None:
        text += (f" |U/U_(α=0)| falls below 1/2 at x = α²Δ(Er)/π ≈ {half:.2g} (the paper's "
                 f"criterion: x = 1)")
        nf_half = _half_crossing(nf, fr) if min(nf) > 0 else None
        text += f", N_F ≈ {nf_half:.2g}." if nf_half is not None else "."
        out["fresnel_at_half"] = nf_half
    elif all(_resolved(f) and abs(f["value"]) >= 0.5 for f in fr):
        text += " The 1/r term survives (|U/U_(α=0)| ≥ 1/2) at every point."
    if scan["regime"] == "bodies" and max(nf) > 1 and scan["variable"] in (
            "body_radius_m", "separation_m"):
        big = [r for r in rows if r["fresnel_number"] > 1 and _resolved(r["fraction"])]
        if big:
            lo = min(abs(r["fraction"]["value"]) for r in big)
            hi = max(abs(r["fraction"]["value"]) for r in big)
            text += (f" Where N_F > 1 the surviving fraction is {lo:.2g} … {hi:.2g} "
                     f"(Fresnel suppression ~N_F⁻²: edges).")
    out["statement"] = text
    return out


def reduce(p, task_list, results):
    """Fixed-order reduction: the points grouped by scan, one statement per scan."""
    scans = []
    for i, s in enumerate(p["scans"]):
        rows = [r for t, r in zip(task_list, results, strict=True) if t[0] == i]
        scans.append({"name": s["name"], "regime": s["regime"], "variable": s["variable"],
                      "label": SCAN_VARIABLES[s["variable"]][2], "points": rows,
                      "conclusion": _scan_statement(s, rows)})
    grid = np.geomspace(1e-3, 30.0, 80)
    curves = {r"energy spread: $e^{-(\pi x/2)^2/2}$ (eq. 4.13 over a Gaussian line)":
              {"x": grid.tolist(), "y": model.gaussian_envelope(grid).tolist(), "style": "-"},
              r"Gaussian source, on-axis pair: $1/(1+(\pi x/2)^2)$ (note §4)":
              {"x": grid.tolist(), "y": model.lorentzian_on_axis(grid).tolist(), "style": "--"}}
    return {"scans": scans, "overall": _overall(scans), "reference_curves": curves,
            "criterion_definition": (
                "x = Δ(α²Er)/π, Δ the rms spread over energies, source directions and positions "
                "in the bodies; α²r computed as 2(r − k̂·r) = 2ρ²/(r + |z|); x = 1 is the "
                "paper's criterion α²Δ(Er) = π (eq. 4.14)"),
            "fresnel_definition": "N_F = E a²/D (E mean energy, a source sphere radius, D "
                                  "centre distance); 0 for a point pair",
            "fraction_definition": "U/U_(α=0): the paper's even potential over −G_F²Φ⟨E⟩Q₁Q₂/"
                                   "(πD) (eq. 5.3); U_R/(2U_(α=0)) for the wake is in the rows"}


def _overall(scans):
    """Where each factor dominates, over all points (a few sentences)."""
    point_dom = {r["criterion"]["dominant"] for s in scans if s["regime"] == "point"
                 for r in s["points"]}
    body_rows = [r for s in scans if s["regime"] == "bodies" for r in s["points"]]
    lines = []
    if point_dom:
        names = sorted(str(f) for f in point_dom if f is not None)
        lines.append("Point pairs (N_F = 0, the paper's regime): the spreads decide — "
                     + (", ".join(names) if names else "none")
                     + " dominate(s) the phase spread; the fraction follows the criterion "
                       "variable, falling from 1 to ≪ 1 across x ≈ 1.")
    if body_rows:
        small = [r for r in body_rows if r["fresnel_number"] <= 1]
        large = [r for r in body_rows if r["fresnel_number"] > 1]
        if small:
            doms = sorted({str(r["criterion"]["dominant"]) for r in small})
            fs = [abs(r["fraction"]["value"]) for r in small if _resolved(r["fraction"])]
            lines.append(f"Bodies with N_F ≤ 1 ({len(small)} points): dominant factor "
                         f"{', '.join(doms)}, with x ≤ "
                         f"{max(r['criterion']['x'] for r in small):.2g}"
                         + (f"; the 1/r term survives ({min(fs):.3g} … {max(fs):.3g})" if fs
                            else "") + " as for a point pair.")
        if large:
            doms = sorted({str(r["criterion"]["dominant"]) for r in large})
            lines.append(f"Bodies with N_F > 1 ({len(large)} points, N_F up to "
                         f"{max(r['fresnel_number'] for r in large):.2g}): dominant factor "
                         f"{', '.join(doms)}; the fraction is set by the edges (Fresnel "
                         f"suppression), not by the spectrum or the source's size.")
    return " ".join(lines)


# ---------------------------------------------------------------------------------------------
# output


def _csv(data):
    header = ["scan", "regime", "variable", "value", "energy_MeV", "energy_spread",
              "separation_m", "beam_angle_rad", "source_sigma_rad", "body_radius_m",
              "fresnel_number", "criterion_x", "x_energy_spread", "x_source_angular_size",
              "x_body_size", "dominant_factor", "fraction", "fraction_err",
              "fraction_upper_bound_95", "exact_zero", "not_resolved", "estimator", "samples",
              "replicas", "seed", "criterion_samples"]
    rows = []
    for s in data["scans"]:
        for r in s["points"]:
            pt, c, f = r["point"], r["criterion"], r["fraction"]
            rows.append([s["name"], s["regime"], s["variable"], r["value"], pt["energy_MeV"],
                         pt["energy_spread"], pt["separation_m"], pt["beam_angle_rad"],
                         pt["source_sigma_rad"], pt["body_radius_m"], r["fresnel_number"],
                         c["x"], *c["x_by_factor"].values(), c["dominant"] or "none",
                         "" if f["value"] is None else f["value"],
                         "" if f["error"] is None else f["error"],
                         "" if f["upper_bound"] is None else f["upper_bound"],
                         f["exact_zero"] or "", f["not_resolved"], r["estimator"],
                         r["samples"], r["replicas"], "" if r["seed"] is None else r["seed"],
                         c["n_samples"]])
    return header, [list(col) for col in zip(*rows, strict=True)]


def _caption(p):
    return (f"Monte Carlo points: {p['samples']} samples (brute-force pairs: "
            f"{p['pair_samples']} pair evaluations) × {p['replicas']} replicas, seeds from "
            f"SeedSequence({p['seed']}, spawn_key=(scan, point)); criterion variable from "
            f"{p['criterion_samples']} samples per point; point pairs: closed forms")


def write(p, config, out, data, progress=True):
    """CSV, two PNG figures and results.json; returns (files, summary text)."""
    from nusim import plotting
    from nusim.studies import output

    files = []
    header, cols = _csv(data)
    files.append(output.write_csv(out / "smearing.csv", header, cols, comment_lines=(
        "surviving fraction U/U_(alpha=0) of the paper's 1/r potential (eq. 4.13-4.14)",
        data["criterion_definition"], data["fresnel_definition"], _caption(p))))
    title = config["study"]["name"]
    files.append(plotting.smearing_criterion(data, out / "smearing_criterion.png",
                                             title=f"{title}: surviving fraction of the 1/r "
                                                   f"potential", caption=_caption(p)))
    files.append(plotting.smearing_scans(data, out / "smearing_scans.png",
                                         title=f"{title}: the five scans", caption=_caption(p)))
    data["summary"] = summary(p, config, data)
    files.append(output.write_json(out / "results.json", data, config=config))
    return files, data["summary"]


def _fraction_text(f):
    if f["not_resolved"]:
        return "not resolved"
    if f["exact_zero"] is not None:
        return "0 exactly"
    if f["upper_bound"] is not None:
        return f"< {f['upper_bound']:.2g}"
    if f["error"]:
        return f"{f['value']:.3g} ± {f['error']:.2g}"
    return f"{f['value']:.4g}"


def summary(p, config, data):
    """The terminal summary: per scan its range and conclusion, then the overall statement."""
    import textwrap

    lines = [f"{config['study']['name']} — smearing study (eq. 4.14)", ""]
    for s in data["scans"]:
        pts = s["points"]
        first, last = pts[0], pts[-1]
        lines.append(f"[{s['regime']}] {s['name']}: {s['variable']} {first['value']:.3g} → "
                     f"{last['value']:.3g}; x {first['criterion']['x']:.2g} → "
                     f"{last['criterion']['x']:.2g}; N_F {first['fresnel_number']:.2g} → "
                     f"{last['fresnel_number']:.2g}; U/U_(α=0) "
                     f"{_fraction_text(first['fraction'])} → "
                     f"{_fraction_text(last['fraction'])}")
        lines += textwrap.wrap(s["conclusion"]["statement"], 96, initial_indent="    ",
                               subsequent_indent="    ")
    lines.append("")
    lines += textwrap.wrap("Which factor dominates where: " + data["overall"], 100)
    lines.append(_caption(p))
    return "\n".join(lines)
