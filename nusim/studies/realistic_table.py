"""Study kind ``realistic_table``: the experiments of table 4 against the realistic neutrino
force, next to the paper's α = 0 estimate, with the suppression factors that separate them.

For every experiment (an apparatus file and its table-4 sensitivity) and every plausible source
([[...experiments.beams]]: the Sun over the day at the lab's site, a reactor where one could sit,
a supernova burst), the whole-apparatus retarded energy of the pendulum (every attractor and
internal wake, both flavour channels; :func:`nusim.engine.apparatus_signal.apparatus_signal`)
is computed at each configuration (the Sun at ``n_times`` times of ``date``; the reactor and the
supernova once) and divided by the Newtonian energy of the same bodies:

    δV/V_gravity = U_ν,R / U_grav   (the plain energy ratio, docs/apparatus-signal.md),

the paper's figure of merit (its table 4 and figure 5). The largest over the configurations
(by its 95 % reach |value| + 2σ) is reported as a value ± error, an honest upper bound, or an
exact zero with its reason, next to the α = 0 ratio (eq. 5.3 summed), the sensitivity and the
orders of magnitude in between. For the dominant pair (the largest α = 0 term) the chain of
:mod:`nusim.studies.suppression` says which idealisation costs what.

Each (experiment, source, configuration) is one task, a pure function of the configuration,
the task and the seed; the reduction runs in task order.
"""

import math
from dataclasses import dataclass

import numpy as np

from nusim.studies import beam_specs, experiments, observables
from nusim.studies import signal_common as common

KIND = "realistic_table"


def params(doc, path):
    """Validated parameters of a realistic_table study file.

    Declared in :mod:`nusim.schema.study`; ConfigError naming the file and the dotted field.
    """
    from nusim.schema import study as schema

    return schema.params(KIND, doc, path)


def times_of_day(date, n):
    """n equally spaced UTC times (ISO strings) from 00:00 of ``date``."""
    step = 24 * 60 // n
    return [f"{date}T{(i * step) // 60:02d}:{(i * step) % 60:02d}:00" for i in range(n)]


def tasks(p):
    """(experiment index, beam index, configuration index, time or None) in a fixed order."""
    out = []
    for j, exp in enumerate(p["experiments"]):
        for b, spec in enumerate(exp["beams"]):
            if spec["source"] == "sun":
                out += [(j, b, i, t) for i, t in enumerate(times_of_day(p["date"],
                                                                       exp["n_times"]))]
            elif spec["source"] == "supernova":
                out.append((j, b, 0, spec["time_utc"] or f"{p['date']}T00:00:00"))
            else:
                out.append((j, b, 0, None))
    return out


def run_task(p, task, progress=False):
    """One configuration: (ApparatusSignal, dominant pair's suppression chain, the experiment's
    observable ratio {"ratio", "numerator", "denominator"} of :mod:`nusim.studies.observables`)."""
    from nusim.engine.apparatus_signal import apparatus_bodies, apparatus_signal
    from nusim.geometry import load_apparatus
    from nusim.studies import suppression

    j, b, _, time_utc = task
    exp = p["experiments"][j]
    observable = exp["observable"]
    app = load_apparatus(exp["apparatus"])
    point, _ = app.axis
    pendulum, others, fibre = apparatus_bodies(app, exp["attractor_angle_deg"])
    axis = fibre if observables.needs_axis(observable) else None
    beams = beam_specs.beams_at(exp["beams"][b], point_m=point, site=app.site,
                                time_utc=time_utc, path=exp["apparatus"])
    if not beams:
        return None, None, None
    # seeds: the experiment and beam in the spawn key, the same at every configuration
    # (common random numbers along the day)
    seed = int(np.random.SeedSequence(p["seed"], spawn_key=(j, b)).generate_state(1)[0])
    n_terms = len(beams) * len(pendulum) * (len(pendulum) - 1 + len(others))
    if n_terms > exp["max_terms"]:
        sig = sampled_signal(pendulum, others, beams, p, exp, seed, axis)
    else:
        # torques need the pendulum's self-terms (a body's own radiation pressure can turn it);
        # energies do not contain them
        sig = apparatus_signal(pendulum, others, beams, axis=axis, samples=exp["samples"],
                               replicas=p["replicas"], seed=seed, estimator=p["estimator"],
                               gravity=True, gravity_samples=exp["gravity_samples"],
                               forces=False, self_terms=axis is not None, progress=progress)
    ratio, num, den = observables.ratio(observable, sig, pendulum, fibre)
    obs = {"observable": observable, "ratio": ratio, "numerator": num, "denominator": den}
    # the dominant pair: the largest α = 0 term of an attractor on the pendulum
    att = [t for t in sig.terms if t.category == "attractor"]
    chain = None
    if att:
        top = max(att, key=lambda t: abs(t.naive_energy_J))
        label = dict(beams)
        bm = label[top.beam]
        src = next(x for x in [*others, *pendulum] if x.name == top.source)
        tgt = next(x for x in pendulum if x.name == top.target)
        mc = top.estimates["energy_retarded_J"]
        chain = {"pair": f"{top.source} → {top.target} ({top.beam})",
                 **suppression.point_pair_chain(src, tgt, bm, bm.charge),
                 "mc": mc, "mc_zero": top.exact_zero}
    return sig, chain, obs


@dataclass(frozen=True)
class SampledSignal:
    """The attributes of an ApparatusSignal that the table uses, for a term-sampled sum."""

    totals: dict
    exact_zeros: dict
    gravity: object
    alpha0_energy_J: float
    terms: tuple


def sampled_signal(pendulum, others, beams, p, exp, seed, axis=None):
    """The pendulum's retarded energy (and, with the fibre ``axis``, its torque) by term
    sampling, for an apparatus of many bodies.

    Of the N ordered (source, target, beam) terms, M = ``max_terms`` are drawn with
    replacement with probability p_t = 0.9 |U₀,t|/Σ|U₀| + 0.1/N (U₀ the α = 0 estimate of the
    term: the large terms are drawn often, every term can be), each distinct one computed in
    full (:func:`apparatus_signal` on that pair), and the sum estimated without bias as
    S = (1/M) Σ_m U_{t_m}/p_{t_m}, replica by replica. Its error adds to the replicas' scatter
    the term-sampling error √(Var_m(Ū_{t_m}/p_{t_m})/M), carried as the Estimate's systematic
    (it is named in the estimate). The same draws at every configuration (common random
    numbers along the day)."""
    from nusim.engine import Gravity, interact
    from nusim.engine.apparatus_signal import apparatus_signal
    from nusim.engine.directional import naive_energy_J
    from nusim.engine.result import Estimate

    items = [(label, bm, src, tgt) for label, bm in beams for tgt in pendulum
             for src in [*pendulum, *others] if src is not tgt]
    u0 = np.array([naive_energy_J(src, tgt, bm, bm.charge) for _, bm, src, tgt in items])
    w = np.abs(u0)
    prob = 0.9 * w / w.sum() + 0.1 / len(items) if w.sum() > 0 else np.full(len(items),
                                                                               1 / len(items))
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(1,)))
    draws = rng.choice(len(items), size=exp["max_terms"], p=prob)
    names = {"energy_retarded_J": ("U (retarded)", "J")}
    if axis is not None:
        names["torque_total_retarded_Nm"] = ("torque about the fibre (retarded; pair terms, "
                                             "the self-terms left out)", "N m")
    values, terms = {k: {} for k in names}, []
    for i in np.unique(draws):
        label, bm, src, tgt = items[i]
        sig = apparatus_signal([tgt], [src], [(label, bm)], axis=axis, samples=exp["samples"],
                               replicas=p["replicas"], seed=seed + int(i) + 1,
                               estimator=p["estimator"], gravity=False, forces=False,
                               self_terms=False)
        for k in names:
            e = sig.totals[k]
            values[k][i] = (np.asarray(e.replica_values, float) if e.replica_values
                            else np.zeros(p["replicas"]))
        terms += list(sig.terms)
    totals = {}
    for k, (what, unit) in names.items():
        per = np.array([values[k][i] / prob[i] for i in draws])            # (M, replicas)
        reps = per.mean(axis=0)
        spread = float(np.std(per.mean(axis=1), ddof=1) / math.sqrt(len(draws)))
        name = (f"{what}, term-sampled: {len(np.unique(draws))} of {len(items)} terms "
                f"({len(draws)} draws; the term-sampling error is the systematic)")
        totals[k] = (Estimate.from_replicas(name, reps, unit, exp["samples"], seed)
                     if np.all(per == 0) else
                     Estimate.from_replicas(name, reps, unit, exp["samples"], seed,
                                            systematic=spread))
    grav = interact(others, pendulum, Gravity(), exp["gravity_samples"], seed, axis=axis,
                    replicas=p["replicas"], method="sobol", progress=False)
    return SampledSignal(totals, {}, grav,
                         float(np.sum(u0 * np.array([0.5 if src in pendulum else 1.0
                                                     for _, _, src, _ in items]))),
                         tuple(terms))


def _choose(rows):
    """The configuration with the largest 95 % reach |value| + 2σ of the ratio."""
    best = None
    for r in rows:
        est = r["ratio"]
        if est is None:
            continue
        reach = abs(est.value) + 2 * est.error
        if best is None or reach > best[0]:
            best = (reach, r)
    return None if best is None else best[1]


#: the total whose exact zero (causality) decides each observable's
_OBSERVED = {"energy": "energy_retarded_J", "torque": "torque_total_retarded_Nm",
             "differential_acceleration": "torque_total_retarded_Nm"}


def reduce(p, task_list, results):
    """Per (experiment, beam): the largest observable ratio δ over the configurations (the
    experiment's own observable, :mod:`nusim.studies.observables`), the energy ratio δV/V
    beside it, the α = 0 ratio and the dominant pair's suppression chain."""
    table = []
    by_key = {}
    for task, (sig, chain, obs) in zip(task_list, results, strict=True):
        by_key.setdefault(task[:2], []).append((task, sig, chain, obs))
    for (j, b), items in by_key.items():
        exp = p["experiments"][j]
        sens = experiments.TABLE_4[exp["sensitivity"]]
        rows = []
        for task, sig, chain, obs in items:
            if sig is None:
                continue
            g = common.gravity_estimates(sig)
            grav = g["energy_J"] if g else None
            nu = sig.totals["energy_retarded_J"]
            rows.append({"time_utc": task[3], "ratio": obs["ratio"],
                         "zero": sig.exact_zeros.get(_OBSERVED[exp["observable"]]),
                         "numerator": obs["numerator"], "denominator": obs["denominator"],
                         "energy_ratio": common.ratio(nu, grav) if grav is not None else None,
                         "alpha0": (sig.alpha0_energy_J / grav.value if grav is not None
                                    else math.nan),
                         "energy": nu, "chain": chain})
        best = _choose(rows) or (rows[0] if rows else None)
        entry = {"experiment": exp["label"], "source": exp["beams"][b]["label"],
                 "sensitivity": sens.delta_v_over_v, "sensitivity_name": sens.name,
                 "observable": exp["observable"],
                 "observable_note": (sens.observable_note
                                     if exp["observable"] == sens.observable
                                     else _OBSERVABLE_NOTE[exp["observable"]]),
                 "configurations": len(rows), "samples": exp["samples"],
                 "note": exp["note"]}
        if best is not None:
            r = best["ratio"]
            reach = abs(r.value) + 2 * r.error if r is not None else math.nan
            entry.update({
                "time_utc": best["time_utc"], "ratio": r, "zero": best["zero"],
                "numerator": best["numerator"], "denominator": best["denominator"],
                "energy_ratio": best["energy_ratio"],
                "alpha0_ratio": max((abs(x["alpha0"]) for x in rows), default=math.nan),
                "orders_below": (math.log10(sens.delta_v_over_v / reach)
                                 if reach and reach > 0 else math.inf),
                "chain": best["chain"]})
        table.append(entry)
    return {"rows": table}


def _ratio_text(entry):
    r, zero = entry.get("ratio"), entry.get("zero")
    if r is None:
        return "no gravity signal to compare with"
    if zero is not None or r.exact_zero_reason is not None:
        reason = zero or r.exact_zero_reason
        short = reason if len(reason) <= 90 else reason[:90].rsplit(" ", 1)[0] + " …"
        return f"0 exactly ({short}; the whole reason in results.json)"
    return common.fmt(r).removesuffix(" 1").replace(" 1 (95 %)", " (95 %)")


def _chain_row(chain):
    """The suppression factors (log₁₀) of the dominant pair, each separately, as text
    (:mod:`nusim.studies.suppression`)."""
    from nusim.studies.suppression import factor_text

    mc, zero = chain["mc"], chain["mc_zero"]
    bound = mc.is_upper_bound and zero is None
    u4 = abs(mc.value) + 2 * mc.error if bound else (0.0 if zero is not None else mc.value)
    upstream = chain["source_log10"] is None
    smooth = chain.get("smooth_log10")
    edges = "—"
    if zero is None and not mc.is_blind and u4 != 0 and smooth is not None:
        # the smooth product is an upper bound (the spectrum's envelope): the edges' factor a
        # lower bound, unless U₄ itself is only a bound
        edges = ("— (U₄ is only a bound)" if bound
                 else f"≥ {math.log10(abs(u4 / chain['U0_J'])) - smooth:+.3g}")
    n_f = chain.get("fresnel_number")
    short = None if zero is None else zero.split(":")[0]
    return {"wake direction": (f"0 exactly: {short}" if zero is not None else
                               "target upstream of the pair axis: no 1/r term" if upstream
                               else "target downstream: felt"),
            "angle α, point pair (U₁/U₀)": factor_text(chain["U1_J"], chain["U0_J"]),
            "spectrum, point pair": f"≤ {chain['spectrum_log10']:+.3g}",
            "source's angular size, point pair": ("—" if upstream
                                                  else f"{chain['source_log10']:+.3g}"),
            "bodies' size (Fresnel), smooth bodies": (
                "—" if chain.get("fresnel_log10") is None else
                f"{chain['fresnel_log10']:+.3g} (N_F = Eσ²/z = {n_f:.3g})"),
            "smooth bodies, all of the above": ("—" if smooth is None
                                                else f"≤ {smooth:+.3g}"),
            "edges (real ÷ smooth bodies)": edges,
            "real bodies, real beam (U₄/U₀)": (
                "0 exactly (the wake's direction)" if zero is not None else
                "not resolved (no sample reached the pair)" if mc.is_blind else
                ("< " if bound else "") + factor_text(u4, chain["U0_J"]))}


def _killer(chain):
    """Which idealisation kills the smooth 1/r term of the dominant pair (the smallest of the
    spectrum, source-size and Fresnel factors), as text."""
    if chain.get("mc_zero") is not None:
        return "the wake's direction (exact zero)"
    f = {"the spectrum": chain["spectrum_log10"], "the source's angular size":
         chain["source_log10"], "the bodies' size (Fresnel)": chain.get("fresnel_log10")}
    f = {k: v for k, v in f.items() if v is not None}
    return min(f, key=f.get) if f else "the wake's direction (target upstream)"


def _chain_numbers(chain):
    """The dominant pair's log₁₀ factors as numbers (None where there is none), for the CSV."""
    mc, zero = chain["mc"], chain["mc_zero"]
    bound = mc.is_upper_bound and zero is None
    u4 = abs(mc.value) + 2 * mc.error if bound else (0.0 if zero is not None else mc.value)
    real = (math.log10(abs(u4 / chain["U0_J"])) if u4 and chain["U0_J"] and not mc.is_blind
            else None)
    smooth = chain.get("smooth_log10")
    return {"f_angle_log10": (math.log10(abs(chain["U1_J"] / chain["U0_J"]))
                              if chain["U1_J"] and chain["U0_J"] else None),
            "f_spectrum_log10": chain["spectrum_log10"],
            "f_source_size_log10": chain["source_log10"],
            "f_fresnel_log10": chain.get("fresnel_log10"),
            "fresnel_number": chain.get("fresnel_number"),
            "f_smooth_bodies_log10": smooth,
            "f_edges_log10": (None if real is None or smooth is None or bound
                              else real - smooth),
            "f_real_bodies_log10": real, "real_is_bound": bound,
            "killer": _killer(chain)}


def write(p, config, out, data, progress=True):
    """CSV, the figure-5 overlay, results.json; returns (files, summary text)."""
    from nusim import plotting
    from nusim.studies import output, paper_figures

    files = []
    base = ["experiment", "source", "observable", "time_utc", "delta", "error",
            "upper_bound_95", "exact_zero", "delta_v_over_v_energy", "energy_ratio_error",
            "alpha0_ratio", "sensitivity", "orders_below", "dominant_pair"]
    factors = ["f_angle_log10", "f_spectrum_log10", "f_source_size_log10", "f_fresnel_log10",
               "fresnel_number", "f_smooth_bodies_log10", "f_edges_log10",
               "f_real_bodies_log10", "real_is_bound", "killer"]
    header = base + factors
    cols = [[] for _ in header]
    points = []
    for e in data["rows"]:
        r, er = e.get("ratio"), e.get("energy_ratio")
        nums = _chain_numbers(e["chain"]) if e.get("chain") else {}
        bound = bool(r is not None and r.is_upper_bound and r.exact_zero_reason is None)
        vals = [e["experiment"], e["source"], e["observable"], e.get("time_utc"),
                None if r is None else r.value, None if r is None else r.error,
                (abs(r.value) + 2 * r.error) if bound else None, e.get("zero"),
                None if er is None else er.value, None if er is None else er.error,
                e.get("alpha0_ratio"), e["sensitivity"], e.get("orders_below"),
                e["chain"]["pair"] if e.get("chain") else None,
                *[nums.get(k) for k in factors]]
        for c, v in zip(cols, vals, strict=True):
            c.append(v)
        sens = experiments.TABLE_4[next(x["sensitivity"] for x in p["experiments"]
                                        if x["label"] == e["experiment"])]
        if r is not None and e.get("zero") is None and r.exact_zero_reason is None \
                and (r.value or r.error):
            points.append({"name": f"{e['experiment']} ({e['source']})", "r_m": sens.r_m,
                           "value": abs(r.value) + 2 * r.error if bound else abs(r.value),
                           "error": None if bound else r.error, "is_bound": bound,
                           "experiment": e["experiment"], "source": e["source"],
                           "samples": e["samples"], "replicas": p["replicas"]})
    files.append(output.write_csv(out / "realistic_table.csv", header, cols))
    fig5 = paper_figures.figure_5(dict(paper_figures.DEFAULTS))
    files.append(plotting.paper_figure_5(fig5, out / "figure5_realistic.png",
                                         extra_points=points))
    data["summary"] = summary(p, config, data)
    json_rows = []
    for e in data["rows"]:
        d = {k: v for k, v in e.items()
             if k not in ("ratio", "chain", "energy_ratio", "numerator", "denominator")}
        for k in ("ratio", "energy_ratio", "numerator", "denominator"):
            d[k] = None if e.get(k) is None else e[k].to_dict()
        if e.get("chain"):
            d["dominant_pair"] = e["chain"]["pair"]
            d["point_pair"] = {k: e["chain"][k] for k in (
                "U0_J", "U1_J", "spectrum_log10", "source_log10", "fresnel_log10",
                "fresnel_number", "smooth_log10")}
            d["monte_carlo_pair_energy"] = e["chain"]["mc"].to_dict()
            d["suppression_log10"] = _chain_numbers(e["chain"])
            d["suppression_text"] = _chain_row(e["chain"])
        json_rows.append(d)
    files.append(output.write_json(out / "results.json", {"rows": json_rows,
                                                          "summary": data["summary"]},
                                   config=config))
    return files, data["summary"]


_OBSERVABLE_NOTE = {
    "energy": "the pendulum's retarded neutrino energy over its Newtonian energy",
    "torque": "the torque about the fibre over the Newtonian torque at the same configuration",
    "differential_acceleration": "the composition dipole's torque read as a_A − a_B, over the "
                                 "attractor's |a_grav|"}
_OBSERVABLE_TEXT = {"energy": "δV/V = U_ν/U_grav", "torque": "δ = τ_ν/τ_grav",
                    "differential_acceleration": "δ = Δa_ν/|a_grav|"}


def summary(p, config, data):
    """The terminal table: one block per experiment and source."""
    lines = [f"{config['study']['name']} — the realistic neutrino force against table 4",
             f"samples {p['samples']} per replica × {p['replicas']} replicas per term, seed "
             f"{p['seed']}; Sun at {p['n_times']} times of {p['date']}"]
    for e in data["rows"]:
        lines.append("")
        lines.append(f"{e['experiment']} — {e['source']} ({e['configurations']} "
                     f"configuration{'s' if e['configurations'] != 1 else ''}, "
                     f"{e['samples']} samples)")
        if e.get("note"):
            lines.append(f"  note: {e['note']}")
        lines.append(f"  observable: {e['observable_note']}")
        lines.append(f"  {_OBSERVABLE_TEXT[e['observable']] + ' (largest)':29s} "
                     f"{_ratio_text(e)}"
                     + (f" at {e['time_utc']}" if e.get("time_utc") else ""))
        if e["observable"] != "energy":
            lines.append(f"  {'δV/V = U_ν/U_grav there':29s} "
                         f"{_ratio_text({'ratio': e.get('energy_ratio'), 'zero': None})}")
        lines.append(f"  {'α = 0 estimate (eq. 5.3)':29s} {e.get('alpha0_ratio', math.nan):.3g}")
        orders = e.get("orders_below", math.nan)
        lines.append(f"  {e['sensitivity_name']} sensitivity  {e['sensitivity']:.3g}: "
                     + ("no signal to compare" if not math.isfinite(orders) else
                        f"{orders:.1f} orders of magnitude below it"))
        if e.get("chain"):
            lines.append(f"  suppression, log₁₀ (dominant pair {e['chain']['pair']}):")
            for k, v in _chain_row(e["chain"]).items():
                lines.append(f"    {k:38s} {v}")
            lines.append(f"    {'the smooth 1/r term dies of':38s} {_killer(e['chain'])}")
    return "\n".join(lines)
