"""The search: enumerate the discrete choices, Nelder–Mead on the continuous parameters.

Why this optimiser (docs/design-search.md, "Optimiser"):

* the discrete choices of a torsion-balance design are few (plates 1–3, two or three attractor
  materials: ≲ 10 combinations), so they are **enumerated**: each combination is screened at
  the start point and at ``screen_points`` scrambled-Sobol points of the continuous unit cube,
  and the best ``refine_combos`` combinations are refined. Enumeration is exhaustive and
  deterministic, where a sampler over a mixed space (optuna's TPE) would spend its budget
  learning what eight evaluations show;
* the continuous parameters (≈ 5–8) are refined with ``scipy.optimize.minimize(method=
  "Nelder-Mead", bounds=[(0, 1)]*n)`` in the unit cube: derivative-free (the Monte Carlo
  objective has no gradient, and common random numbers keep it correlated only over sub-mm
  moves, so it is rough at the level of its error over the search's steps), ranking-based
  (only comparisons of values), and bound-aware in scipy ≥ 1.7. Gradient methods on finite
  differences of a Monte Carlo objective would need steps above its roughness: a coarse model.
* constraints: a design that breaks one (:func:`nusim.design.builder.violations`) is rejected
  **before** it reaches the objective: it scores 0 (the worst: S/N ≥ 0) and is recorded with
  its reasons; Nelder–Mead then contracts away from it.

:func:`search` knows nothing of neutrinos: ``objective(design) -> record`` with ``snr`` ≥ 0
(0 for anything that is only a bound) is plugged in, which is how the tests check it on
analytic objectives with known optima (tests/design/test_search.py).
"""

import math

import numpy as np

from nusim.design import builder
from nusim.design import space as sp
from nusim.errors import NumericsError


def _key(d):
    return tuple(sorted((k, round(v, 12) if isinstance(v, float) else v) for k, v in d.items()))


def make_evaluator(space, objective, history):
    """``design -> record``: constraints checked first (an infeasible design never reaches
    ``objective``), results memoised, every record appended to ``history`` with its index."""
    cache = {}

    def run(d, stage):
        k = _key(d)
        if k in cache:
            return cache[k]
        bad = builder.violations(d, space.constraints)
        if bad:
            rec = {"design": dict(d), "feasible": False, "violations": bad, "snr": 0.0,
                   "snr_error": 0.0,
                   "bound_reason": "infeasible (not evaluated): " + "; ".join(bad)}
        else:
            rec = dict(objective(d))
            rec.setdefault("design", dict(d))
            rec.setdefault("feasible", True)
            rec.setdefault("violations", [])
            rec.setdefault("bound_reason", None)
            rec.setdefault("snr_error", 0.0)
            if not rec["snr"] >= 0 or not math.isfinite(rec["snr"]):
                raise NumericsError(f"objective returned snr={rec['snr']!r}: must be ≥ 0 and "
                                    "finite")
        rec["stage"] = stage
        rec["index"] = len(history)
        history.append(rec)
        cache[k] = rec
        return rec

    return run


def best_record(history):
    """The winning record: the largest S/N among feasible, resolved evaluations (S/N > 0; a
    bound or an exact zero scores 0 and never wins), or None."""
    ok = [r for r in history if r["feasible"] and r["bound_reason"] is None and r["snr"] > 0]
    return max(ok, key=lambda r: r["snr"]) if ok else None


def search(space, objective, *, max_evaluations=200, screen_points=8, refine_combos=1,
           xatol=0.01, initial_step=0.2, seed=0):
    """Maximise ``objective(design)['snr']`` over ``space`` (a :class:`nusim.design.space.Space`).

    Parameters
    ----------
    space : Space; objective : design dict → record dict with ``snr`` ≥ 0 (and anything else)
    max_evaluations : budget of objective calls (infeasible designs are not calls), shared by
        the screening and the refinement
    screen_points : feasible scrambled-Sobol points of the continuous unit cube per discrete
        combination, besides the start point
    refine_combos : how many of the best screened combinations Nelder–Mead refines
    xatol : Nelder–Mead's simplex-size tolerance in the unit cube [1]
    initial_step : edge of the initial simplex in the unit cube [1]
    seed : of the scrambled Sobol screening points (not of the Monte Carlo)

    Returns
    -------
    dict: ``best`` (record or None), ``history`` (every record in order, with ``stage``
    "screen" / "refine" and ``index``), ``combos`` (per combination: its best screened S/N),
    ``refined`` (per refined combination: scipy's message and nfev)
    """
    from scipy.optimize import minimize
    from scipy.stats import qmc

    history = []
    run = make_evaluator(space, objective, history)
    n = len(space.continuous)
    combos = sp.discrete_combinations(space)
    pool = []
    if n and screen_points:
        # a 2^m scrambled Sobol set, ≥ 16 candidates per screening point: each combination is
        # screened at its first ``screen_points`` *feasible* candidates (rejection of the
        # infeasible ones costs only the geometric constraint check)
        m = max(0, math.ceil(math.log2(16 * screen_points)))
        pool = qmc.Sobol(n, scramble=True, seed=seed).random_base2(m).tolist()
    screened = []
    for combo in combos:
        starts = [sp.start_unit(space)] if n else [[]]
        for u in pool:
            if len(starts) > screen_points:
                break
            if not builder.violations(sp.from_unit(space, u, combo), space.constraints):
                starts.append(u)
        recs = [run(sp.from_unit(space, u, combo), "screen") for u in starts]
        top = max(range(len(recs)), key=lambda i: (recs[i]["snr"], recs[i]["feasible"]))
        screened.append({"combo": combo, "snr": recs[top]["snr"], "u": starts[top]})
    order = sorted(range(len(combos)), key=lambda i: -screened[i]["snr"])
    refined = []
    calls = sum(1 for r in history if r["feasible"])
    if n:
        budget = max(max_evaluations - calls, 0)
        chosen = [i for i in order[:refine_combos]]
        for j, i in enumerate(chosen):
            per = budget // (len(chosen) - j) if len(chosen) > j else 0
            if per < n + 2:
                break
            combo, u0 = screened[i]["combo"], np.asarray(screened[i]["u"], float)
            scale = screened[i]["snr"] or 1.0
            before = len(history)

            def f(u, combo=combo, scale=scale):
                return -run(sp.from_unit(space, u, combo), "refine")["snr"] / scale

            simplex = [u0]
            for k in range(n):
                v = u0.copy()
                v[k] = v[k] + initial_step if v[k] + initial_step <= 1 else v[k] - initial_step
                simplex.append(v)
            res = minimize(f, u0, method="Nelder-Mead", bounds=[(0.0, 1.0)] * n,
                           options={"maxfev": per, "xatol": xatol, "fatol": 1e-3,
                                    "initial_simplex": np.array(simplex)})
            used = sum(1 for r in history[before:] if r["feasible"])
            budget -= used
            refined.append({"combo": combo, "message": str(res.message), "nfev": int(res.nfev),
                            "objective_calls": used})
    return {"best": best_record(history), "history": history, "combos": screened,
            "refined": refined}


def profiles(space, objective, best_design, *, points=7, span=0.3, run=None):
    """The objective along each continuous parameter through ``best_design``, the others held.

    For parameter p with range [lo, hi]: ``points`` values evenly over
    [v − span (hi − lo), v + span (hi − lo)] ∩ [lo, hi], the optimum among them. Records of
    infeasible values say so (never evaluated). ``run``: an evaluator of
    :func:`make_evaluator` to share (its memo and history), else a new one. Returns
    {name: [record, ...]} in value order.
    """
    if run is None:
        run = make_evaluator(space, objective, [])
    out = {}
    for name, (lo, hi) in space.continuous.items():
        v = best_design[name]
        a, b = max(lo, v - span * (hi - lo)), min(hi, v + span * (hi - lo))
        grid = sorted(set(np.linspace(a, b, points).tolist()) | {v})
        out[name] = [run({**best_design, name: x}, f"profile {name}") for x in grid]
    return out


def polish(space, objective, best, *, points=3, span=0.25, rounds=2):
    """Coordinate polish of a search's winner: profile every continuous parameter through it
    (:func:`profiles`); if a profile point has a larger objective, move there and profile
    again, at most ``rounds`` times. Nelder–Mead in many dimensions often stops on its budget
    before the simplex has shrunk; the axis scans catch what it left along each axis.

    Returns (best record, profiles through it, moves: list of (parameter, from, to)).
    """
    history = []
    run = make_evaluator(space, objective, history)
    moves = []
    prof = profiles(space, objective, best["design"], points=points, span=span, run=run)
    for _ in range(int(rounds)):
        cands = [(name, r) for name, recs in prof.items() for r in recs
                 if r["feasible"] and r["bound_reason"] is None]
        if not cands:
            break
        name, top = max(cands, key=lambda c: c[1]["snr"])
        if not top["snr"] > best["snr"]:
            break
        moves.append((name, best["design"][name], top["design"][name]))
        best = top
        prof = profiles(space, objective, best["design"], points=points, span=span, run=run)
    return best, prof, moves
