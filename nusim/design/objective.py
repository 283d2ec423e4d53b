"""The objective of a design: the modulated retarded neutrino torque against the fibre's noise.

The balance's observable (docs/design-search.md): the attractor is switched by the turntable
between "in" (upstream of mass-north, the mass in its wakes) and "out" (turned by 180° about the
fibre) with period ``modulation_period_s``. The pendulum's own internal wakes and self-forces do
not change with the attractor's position, so the modulated torque is the attractor terms' change

    Δτ = τ_attractor,R(in) − τ_attractor,R(out)          [N m]

(retarded kernel: what a torsion balance feels; ``apparatus_signal``'s attractor total, formed
replica by replica, so its error is the replicas' scatter of the difference), whose square wave
has the fundamental A = (2/π)|Δτ|. The S/N is A / σ_A (:mod:`nusim.design.noise`).

**The objective is the S/N's lower confidence limit**, (|A| − 2 δA)/σ_A with δA the Monte Carlo
error of A (0 when negative). Maximising the point value over ~100 noisy evaluations selects
upward fluctuations (the winner's curse: a 2.1σ value passes the bound rule and loses its
signal when re-estimated with fresh seeds); the lower limit rewards designs whose signal is
both large and resolved, is 0 for every bound and is continuous where a value becomes
resolved. The point value ``snr_point`` and its error ``snr_error`` are reported beside.

**A bound is not a signal.** When Δτ is only a bound (|value| < 2 σ: the 95 % rule of
``Estimate.is_upper_bound``), an exact zero, unresolved or untrusted, the objective is exactly 0
and the record says why. So the optimiser never climbs towards a large error bar.

Common random numbers: every evaluation uses the same study seed, and the per-term seeds of
``apparatus_signal`` depend only on (beam, target, source) indices, which a design family with a
fixed number of plates keeps; nearby designs then see the same random numbers. The correlation
holds over short moves only (replicas of Δτ: 0.997 at a 10 µm change of the gap, 0.92 at
0.1 mm, none at 1 mm; docs/design-search.md): smooth at the guardrails' µm scale, rough at the
level of the Monte Carlo error over the search's mm–cm steps.

Reported beside, not optimised: gravity of the same bodies (the static torque at "in", and its
modulation Δτ_grav), δ = Δτ_ν / τ_grav(in) (the neutrino torque relative to the attractor's
gravity torque at the same placement, the ratio a balance that calibrates on gravity would
quote; compared with table 4), the energy ratio U_ν,R/U_grav and the paper's α = 0 estimate
(eq. 5.3 of Ghosh et al. 2023 summed over the pairs) over U_grav.
"""

import dataclasses
import math

import numpy as np

from nusim.design import builder, noise
from nusim.engine.result import Estimate

#: the modulated signal's name in results
SIGNAL = "torque_attractor_retarded_Nm"
#: the objective is the S/N's lower confidence limit at this many Monte Carlo σ (module
#: docstring): 2, the same 2σ that makes a figure a bound, so the objective is 0 for every bound
#: and continuous where a value becomes resolved
LCB_SIGMAS = 2.0


def _gravity(sig, key):
    g = sig.gravity
    return None if g is None else g.estimate(key)


def _difference(name, a, b, unit, n, replicas, seed):
    """a − b replica by replica (common random numbers), as an Estimate; exact zero when both
    are exact zeros (the reasons joined)."""
    from nusim.engine.apparatus_signal import combine, scaled

    why = None
    if a.exact_zero_reason is not None and b.exact_zero_reason is not None:
        why = f"in: {a.exact_zero_reason}; out: {b.exact_zero_reason}"
    return dataclasses.replace(combine(name, [a, scaled(b, -1.0)], unit, n, replicas, seed,
                                       why), name=name)


def out_position_zero(pendulum, attractors, beams):
    """Why every attractor → pendulum term vanishes exactly at "out" (each pair upstream along
    every ray, or beyond the wake's reach: ``nusim.engine.apparatus_signal``'s own tests), or
    None when any pair must be computed."""
    from nusim.engine.apparatus_signal import causal_zero_reason, out_of_reach_reason

    reasons = []
    for _, beam in beams:
        for src in attractors:
            for tgt in pendulum:
                why = causal_zero_reason(src, tgt, beam) or out_of_reach_reason(src, tgt, beam)
                if why is None:
                    return None
                reasons.append(f"{src.name} → {tgt.name}: "
                               + ("upstream (causal)" if "upstream" in why
                                  else "beyond the wake's reach"))
    return "every attractor → pendulum pair at 'out' is an exact zero: " + "; ".join(reasons)


def resolved_reason(est):
    """None when ``est`` is a resolved value, else why it counts as zero in the objective."""
    if est.exact_zero_reason is not None:
        return "exact zero: " + est.exact_zero_reason
    if est.is_blind:
        return "not resolved (no sample reached the integrand)"
    if not est.trusted:
        return "untrusted: " + (est.untrusted_reason or "")
    if est.is_upper_bound:
        return (f"only a bound: |Δτ| = {abs(est.value):.3g} < 2 × its error {est.error:.3g} "
                "N m")
    return None


def evaluate(d, beams, *, constraints, noise_model, samples, replicas, seed,
             estimator="auto", gravity_samples=1024, perturbations=None):
    """The objective record of design ``d`` (dict; see the module docstring).

    Parameters
    ----------
    d : design dict (nusim.design.space.PARAMETERS)
    beams : list of (label, DirectionalBeam) at the fibre point
    constraints : dict of limits (nusim.design.space.CONSTRAINT_DEFAULTS)
    noise_model : nusim.design.noise.NoiseModel
    samples, replicas, seed, estimator : of ``apparatus_signal`` (per term)
    gravity_samples : scrambled Sobol points per body for gravity
    perturbations : per-plate (rotation, displacement [m]) or None (guardrails)

    Returns
    -------
    dict with ``feasible``, ``violations``, ``snr`` (the objective: the 2σ lower confidence
    limit of S/N, ≥ 0; 0 unless resolved), ``snr_point`` (|A|/σ_A), ``snr_error``,
    ``bound_reason``, and for feasible designs the Estimates ``delta_torque`` (Δτ [N m]),
    ``amplitude`` (A [N m]), ``gravity_torque_in``, ``gravity_delta_torque``, ``delta``,
    ``energy_ratio``, plus ``alpha0_ratio``, ``sigma_A_Nm``, ``inertia_kg_m2``, ``seconds``
    """
    import time

    from nusim.engine.apparatus_signal import apparatus_signal, scaled
    from nusim.studies import signal_common as common

    bad = builder.violations(d, constraints)
    rec = {"design": dict(d), "feasible": not bad, "violations": bad, "snr": 0.0,
           "snr_point": 0.0, "snr_error": 0.0, "bound_reason": None}
    if bad:
        rec["bound_reason"] = "infeasible (not evaluated): " + "; ".join(bad)
        return rec
    t0 = time.perf_counter()
    pend = builder.pendulum_bodies(d)
    opts = {"axis": builder.AXIS, "samples": samples, "replicas": replicas, "seed": seed,
            "estimator": estimator, "gravity": True, "gravity_samples": gravity_samples,
            "forces": False, "self_terms": False}
    sigs = {"in": apparatus_signal(pend, builder.attractor_bodies(d, "in", perturbations),
                                   beams, **opts)}
    att_out = builder.attractor_bodies(d, "out", perturbations)
    why_out = out_position_zero(pend, att_out, beams)
    if why_out is None:
        sigs["out"] = apparatus_signal(pend, att_out, beams, **opts)
        tau_out = sigs["out"].totals[SIGNAL]
        g_out = _gravity(sigs["out"], "torque_Nm")
    else:
        # every attractor → pendulum pair is an exact zero at "out": no sums to run (the
        # apparatus_signal call would compute them and then zero them)
        from nusim.engine import Gravity, interact

        tau_out = Estimate("torque from attractor (retarded) at out", 0.0, 0.0, "N m",
                           int(samples), int(replicas), int(seed), (0.0,) * int(replicas),
                           exact_zero_reason=why_out)
        g_out = interact(att_out, pend, Gravity(), gravity_samples, seed, axis=builder.AXIS,
                         replicas=replicas, method="sobol", progress=False
                         ).estimate("torque_Nm")
    dtau = _difference("Δτ (retarded, in − out)", sigs["in"].totals[SIGNAL], tau_out, "N m",
                       samples, replicas, seed)
    amp = dataclasses.replace(scaled(dtau, 2.0 / math.pi), name="A = (2/π)|Δτ|")
    inertia = builder.moment_of_inertia_kg_m2(d)
    sigma = noise.amplitude_noise_Nm(inertia, noise_model)
    why = resolved_reason(dtau)
    rec.update(bound_reason=why, sigma_A_Nm=sigma, inertia_kg_m2=inertia,
               delta_torque=dtau, amplitude=amp,
               snr_point=0.0 if why else abs(amp.value) / sigma,
               snr=0.0 if why else max(abs(amp.value) - LCB_SIGMAS * amp.error, 0.0) / sigma,
               snr_error=amp.error / sigma,
               snr_bound=(amp.bound / sigma) if why and dtau.exact_zero_reason is None
               else None)
    g_in = _gravity(sigs["in"], "torque_Nm")
    rec["gravity_torque_in"] = g_in
    rec["gravity_delta_torque"] = _difference("Δτ_grav (in − out)", g_in, g_out, "N m",
                                              gravity_samples, replicas, seed)
    rec["delta"] = common.ratio(dataclasses.replace(dtau, name="Δτ_ν"), g_in)
    u_nu = sigs["in"].totals["energy_retarded_J"]
    u_g = _gravity(sigs["in"], "energy_J")
    rec["energy_ratio"] = common.ratio(u_nu, u_g)
    rec["alpha0_energy_J"] = sigs["in"].alpha0_energy_J
    rec["alpha0_ratio"] = sigs["in"].alpha0_energy_J / u_g.value if u_g.value else None
    rec["energy_in"] = u_nu
    rec["out_position"] = why_out or "computed"
    rec["notes"] = list(dict.fromkeys(n for sg in sigs.values() for n in sg.notes))
    rec["estimators"] = sorted({t.estimator for s in sigs.values() for t in s.terms})
    rec["seconds"] = time.perf_counter() - t0
    return rec


def record_to_dict(rec):
    """JSON-ready copy of an evaluation record (Estimates → dicts, arrays → lists)."""
    out = {}
    for k, v in rec.items():
        if isinstance(v, Estimate):
            out[k] = v.to_dict()
        elif isinstance(v, np.ndarray):
            out[k] = v.tolist()
        elif isinstance(v, dict):
            out[k] = {a: (b.item() if isinstance(b, np.generic) else b) for a, b in v.items()}
        else:
            out[k] = v
    return out
