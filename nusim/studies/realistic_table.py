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

from nusim.studies import beam_specs, experiments
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
    """One configuration: (ApparatusSignal energies, dominant pair's suppression chain)."""
    from nusim.engine.apparatus_signal import apparatus_bodies, apparatus_signal
    from nusim.geometry import load_apparatus
    from nusim.studies import suppression

    j, b, _, time_utc = task
    exp = p["experiments"][j]
    app = load_apparatus(exp["apparatus"])
    point, _ = app.axis
    pendulum, others, _ = apparatus_bodies(app, exp["attractor_angle_deg"])
    beams = beam_specs.beams_at(exp["beams"][b], point_m=point, site=app.site,
                                time_utc=time_utc, path=exp["apparatus"])
    if not beams:
        return None, None
    # seeds: the experiment and beam in the spawn key, the same at every configuration
    # (common random numbers along the day)
    seed = int(np.random.SeedSequence(p["seed"], spawn_key=(j, b)).generate_state(1)[0])
    n_terms = len(beams) * len(pendulum) * (len(pendulum) - 1 + len(others))
    if n_terms > exp["max_terms"]:
        sig = sampled_signal(pendulum, others, beams, p, exp, seed)
    else:
        sig = apparatus_signal(pendulum, others, beams, axis=None, samples=exp["samples"],
                               replicas=p["replicas"], seed=seed, estimator=p["estimator"],
                               gravity=True, gravity_samples=exp["gravity_samples"],
                               forces=False, self_terms=False, progress=progress)
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
    return sig, chain


@dataclass(frozen=True)
class SampledSignal:
    """The attributes of an ApparatusSignal that the table uses, for a term-sampled sum."""

    totals: dict
    exact_zeros: dict
    gravity: object
    alpha0_energy_J: float
    terms: tuple


def sampled_signal(pendulum, others, beams, p, exp, seed):
    """The pendulum's retarded energy by term sampling, for an apparatus of many bodies.

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
    values, terms = {}, []
    for i in np.unique(draws):
        label, bm, src, tgt = items[i]
        sig = apparatus_signal([tgt], [src], [(label, bm)], axis=None, samples=exp["samples"],
                               replicas=p["replicas"], seed=seed + int(i) + 1,
                               estimator=p["estimator"], gravity=False, forces=False,
                               self_terms=False)
        e = sig.totals["energy_retarded_J"]
        values[i] = (np.asarray(e.replica_values, float) if e.replica_values
                     else np.zeros(p["replicas"]))
        terms += list(sig.terms)
    per = np.array([values[i] / prob[i] for i in draws])            # (M, replicas)
    reps = per.mean(axis=0)
    spread = float(np.std(per.mean(axis=1), ddof=1) / math.sqrt(len(draws)))
    name = (f"U (retarded), term-sampled: {len(np.unique(draws))} of {len(items)} terms "
            f"({len(draws)} draws; the term-sampling error is the systematic)")
    if np.all(per == 0):
        est = Estimate.from_replicas(name, reps, "J", exp["samples"], seed)
    else:
        est = Estimate.from_replicas(name, reps, "J", exp["samples"], seed, systematic=spread)
    grav = interact(others, pendulum, Gravity(), exp["gravity_samples"], seed,
                    replicas=p["replicas"], method="sobol", progress=False)
    return SampledSignal({"energy_retarded_J": est}, {}, grav,
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


def reduce(p, task_list, results):
    """Per (experiment, beam): the largest δV/V over the configurations and its context."""
    table = []
    by_key = {}
    for task, (sig, chain) in zip(task_list, results, strict=True):
        by_key.setdefault(task[:2], []).append((task, sig, chain))
    for (j, b), items in by_key.items():
        exp = p["experiments"][j]
        sens = experiments.TABLE_4[exp["sensitivity"]]
        rows = []
        grav = None
        for task, sig, chain in items:
            if sig is None:
                continue
            g = common.gravity_estimates(sig)
            grav = g["energy_J"] if g else grav
            nu = sig.totals["energy_retarded_J"]
            zero = sig.exact_zeros.get("energy_retarded_J")
            ratio = common.ratio(nu, grav) if grav is not None else None
            alpha0 = sig.alpha0_energy_J / grav.value if grav is not None else math.nan
            rows.append({"time_utc": task[3], "ratio": ratio, "zero": zero, "alpha0": alpha0,
                         "energy": nu, "chain": chain})
        best = _choose(rows) or (rows[0] if rows else None)
        entry = {"experiment": exp["label"], "source": exp["beams"][b]["label"],
                 "sensitivity": sens.delta_v_over_v, "sensitivity_name": sens.name,
                 "configurations": len(rows), "samples": exp["samples"],
                 "note": exp["note"]}
        if best is not None:
            r = best["ratio"]
            reach = abs(r.value) + 2 * r.error if r is not None else math.nan
            entry.update({
                "time_utc": best["time_utc"], "ratio": r, "zero": best["zero"],
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
        return f"0 exactly ({zero or r.exact_zero_reason})"
    return common.fmt(r).removesuffix(" 1").replace(" 1 (95 %)", " (95 %)")


def _chain_row(chain):
    """The suppression factors (log₁₀) of the dominant pair, as text."""
    from nusim.studies.suppression import factor_text

    mc, zero = chain["mc"], chain["mc_zero"]
    bound = mc.is_upper_bound and zero is None
    u4 = abs(mc.value) + 2 * mc.error if bound else (0.0 if zero is not None else mc.value)
    return {"direction and angle, point pair (U₁/U₀)": factor_text(chain["U1_J"],
                                                                    chain["U0_J"]),
            "spectrum, point pair": f"≤ {chain['spectrum_log10']:+.3g}",
            "source size, point pair": ("— (the target lies upstream: no 1/r term)"
                                        if chain["source_log10"] is None
                                        else f"{chain['source_log10']:+.3g}"),
            "real bodies, real beam (U₄/U₀)": (
                f"0 ({zero})" if zero is not None else
                "not resolved (no sample reached the pair)" if mc.is_blind else
                ("< " if bound else "") + factor_text(u4, chain["U0_J"]))}


def write(p, config, out, data, progress=True):
    """CSV, the figure-5 overlay, results.json; returns (files, summary text)."""
    from nusim import plotting
    from nusim.studies import output, paper_figures

    files = []
    header = ["experiment", "source", "time_utc", "delta_v_over_v", "error", "upper_bound_95",
              "exact_zero", "alpha0_ratio", "sensitivity", "orders_below", "dominant_pair",
              "f_direction_angle_log10", "f_spectrum_point_pair_log10",
              "f_source_size_point_pair_log10", "f_real_bodies_log10"]
    cols = [[] for _ in header]
    points = []
    for e in data["rows"]:
        r = e.get("ratio")
        chain = _chain_row(e["chain"]) if e.get("chain") else {}
        bound = bool(r is not None and r.is_upper_bound and r.exact_zero_reason is None)
        vals = [e["experiment"], e["source"], e.get("time_utc"),
                None if r is None else r.value, None if r is None else r.error,
                (abs(r.value) + 2 * r.error) if bound else None, e.get("zero"),
                e.get("alpha0_ratio"), e["sensitivity"], e.get("orders_below"),
                e["chain"]["pair"] if e.get("chain") else None, *chain.values()]
        for c, v in zip(cols, vals, strict=False):
            c.append(v)
        sens = experiments.TABLE_4[next(x["sensitivity"] for x in p["experiments"]
                                        if x["label"] == e["experiment"])]
        if r is not None and e.get("zero") is None and r.exact_zero_reason is None \
                and (r.value or r.error):
            points.append({"name": f"{e['experiment']} ({e['source']})", "r_m": sens.r_m,
                           "value": abs(r.value) + 2 * r.error if bound else abs(r.value),
                           "error": None if bound else r.error, "is_bound": bound})
    files.append(output.write_csv(out / "realistic_table.csv", header, cols))
    fig5 = paper_figures.figure_5(dict(paper_figures.DEFAULTS))
    files.append(plotting.paper_figure_5(fig5, out / "figure5_realistic.png",
                                         extra_points=points))
    data["summary"] = summary(p, config, data)
    json_rows = []
    for e in data["rows"]:
        d = {k: v for k, v in e.items() if k not in ("ratio", "chain")}
        r = e.get("ratio")
        d["ratio"] = None if r is None else r.to_dict()
        if e.get("chain"):
            d["dominant_pair"] = e["chain"]["pair"]
            d["point_pair"] = {k: e["chain"][k] for k in ("U0_J", "U1_J", "spectrum_log10",
                                                         "source_log10")}
            d["monte_carlo_pair_energy"] = e["chain"]["mc"].to_dict()
            d["suppression_log10"] = _chain_row(e["chain"])
        json_rows.append(d)
    files.append(output.write_json(out / "results.json", {"rows": json_rows,
                                                          "summary": data["summary"]},
                                   config=config))
    return files, data["summary"]


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
        lines.append(f"  δV/V_gravity (largest)       {_ratio_text(e)}"
                     + (f" at {e['time_utc']}" if e.get("time_utc") else ""))
        lines.append(f"  α = 0 estimate (eq. 5.3)      {e.get('alpha0_ratio', math.nan):.3g}")
        orders = e.get("orders_below", math.nan)
        lines.append(f"  {e['sensitivity_name']} sensitivity  {e['sensitivity']:.3g}: "
                     + ("no signal to compare" if not math.isfinite(orders) else
                        f"{orders:.1f} orders of magnitude below it"))
        if e.get("chain"):
            lines.append(f"  suppression, log₁₀ (dominant pair {e['chain']['pair']}):")
            for k, v in _chain_row(e["chain"]).items():
                lines.append(f"    {k:34s} {v}")
    return "\n".join(lines)
