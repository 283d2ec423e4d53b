"""Harmonics and template projections of Monte Carlo curves, with errors from replicas.

A curve y(x) sampled at x_k with R replicas per point (common random numbers across points: the
replicas of different points are correlated, so errors of differences and harmonics must come
from the replica-level curves, not from the pointwise errors). Every fit here is linear least
squares, done per replica; the estimate is the replica mean and its error the standard error of
the mean over replicas. When only pointwise errors are available (no replica curves) the fit
propagates them as independent (stated in the result: conservative for harmonics n ≥ 1, whose
common-mode noise would otherwise cancel).

Units: whatever the curve's unit is; phases [deg].
"""

import math

import numpy as np

from nusim.engine.result import Estimate
from nusim.errors import ArgumentError


def design_harmonics(x_rad, orders):
    """Columns [1, cos(n x), sin(n x) for n in orders] (n_points, 1 + 2 len(orders))."""
    x = np.asarray(x_rad, float)
    cols = [np.ones_like(x)]
    for n in orders:
        cols += [np.cos(n * x), np.sin(n * x)]
    return np.column_stack(cols)


def fit(design, curves, errors=None):
    """Least-squares coefficients of ``curves`` on the ``design`` columns.

    curves : (R, n_points) replica curves, R ≥ 2 — or (n_points,) with ``errors`` (n_points,)
    Returns (mean (n_cols,), standard error (n_cols,), per-replica coefficients or None).
    """
    a = np.asarray(design, float)
    y = np.asarray(curves, float)
    pinv = np.linalg.pinv(a)
    if y.ndim == 2:
        # subtract each replica's mean and project it on the constant column alone: a curve
        # that does not vary gives exactly 0 in every other coefficient (not the pseudo-
        # inverse's rounding, ~1e-16 × the curve, which would look significant per replica)
        mean_r = y.mean(axis=1, keepdims=True)
        coef = (y - mean_r) @ pinv.T            # (R, n_cols)
        if np.allclose(a[:, 0], 1.0):
            coef[:, 0] += mean_r[:, 0]
        else:
            coef += mean_r @ pinv.T.sum(axis=0, keepdims=True)
        r = coef.shape[0]
        return coef.mean(0), coef.std(0, ddof=1) / math.sqrt(r), coef
    if errors is None:
        raise ArgumentError("fit: a single curve needs its pointwise errors")
    coef = pinv @ y
    err = np.sqrt((pinv**2) @ np.asarray(errors, float) ** 2)
    return coef, err, None


def _coefficient_systematics(design, systematics):
    """Largest shift of each least-squares coefficient when point k may be biased by up to
    ``systematics[k]`` (any sign): Σ_k |A⁺_jk| s_k."""
    if systematics is None:
        return np.zeros(np.asarray(design).shape[1])
    return np.abs(np.linalg.pinv(np.asarray(design, float))) @ np.abs(
        np.asarray(systematics, float))


def harmonic_table(x_rad, curves, orders, *, unit, n_samples, replicas, seed, errors=None,
                   label="harmonic", systematics=None, zero_reason=None):
    """Amplitude, phase and in-phase/quadrature parts of each harmonic order.

    The curve is modelled as c₀ + Σ_n [a_n cos(n x) + b_n sin(n x)] = c₀ + Σ A_n cos(n x − φ_n)
    with A_n = √(a_n² + b_n²), φ_n = atan2(b_n, a_n). Returns a list of dicts per order with
    Estimates of a_n, b_n and A_n (A_n's error by first-order propagation of the replica
    covariance; an amplitude within 2σ of zero is an upper bound), the phase [deg] and its error.
    ``systematics`` (n_points,): known biases per point (finite-difference steps), propagated
    as the largest shift of each coefficient and added in quadrature.
    """
    design = design_harmonics(x_rad, orders)
    y = np.asarray(curves, float)
    flat = (y.ndim == 2 and np.all(np.ptp(y, axis=1) == 0)) or (
        y.ndim == 1 and np.all(y == y[0]) and errors is not None and not np.any(errors))
    if flat:
        why = zero_reason or (f"the curve does not vary with the {label} variable (every "
                              "replica is constant: no harmonic)")
        rows = []
        for n in orders:
            est = {k: Estimate(f"{label} {n}: {k}", 0.0, 0.0, unit, n_samples, replicas, seed,
                               exact_zero_reason=why)
                   for k in ("in_phase", "quadrature", "amplitude")}
            rows.append({"order": int(n), **est, "phase_deg": 0.0, "phase_err_deg": 180.0})
        return rows
    mean, err, coef = fit(design, curves, errors)
    csys = _coefficient_systematics(design, systematics)
    rows = []
    for i, n in enumerate(orders):
        ia, ib = 1 + 2 * i, 2 + 2 * i
        a, b = float(mean[ia]), float(mean[ib])
        amp = math.hypot(a, b)
        if coef is not None:
            cov = np.cov(coef[:, [ia, ib]].T, ddof=1) / coef.shape[0]
        else:
            cov = np.diag([err[ia] ** 2, err[ib] ** 2])
        sa, sb = float(csys[ia]), float(csys[ib])
        if amp > 0:
            g = np.array([a, b]) / amp
            amp_err = float(math.sqrt(max(g @ cov @ g, 0.0)))
            gp = np.array([-b, a]) / amp**2
            # the phase error carries the coefficients' systematics too (the amplitude's are
            # added to its Estimate below); with common random numbers across times the
            # replica scatter of the phase alone can be far below the step biases
            cov_all = cov + np.diag([sa**2, sb**2])
            phase_err = math.degrees(math.sqrt(max(gp @ cov_all @ gp, 0.0)))
        else:
            amp_err = float(math.sqrt(np.trace(cov)))
            phase_err = 180.0
        sys_ = {"in_phase": sa, "quadrature": sb, "amplitude": math.hypot(sa, sb)}
        est = {k: Estimate(f"{label} {n}: {k}", v, math.hypot(e, sys_[k]), unit, n_samples,
                           replicas, seed, systematic=sys_[k])
               for k, v, e in (("in_phase", a, float(err[ia])), ("quadrature", b, float(err[ib])),
                               ("amplitude", amp, amp_err))}
        rows.append({"order": int(n), **est, "phase_deg": math.degrees(math.atan2(b, a)),
                     "phase_err_deg": min(phase_err, 180.0)})
    return rows


def template_projection(templates, curves, *, unit, n_samples, replicas, seed, errors=None,
                        names=None, with_offset=True, systematics=None):
    """Least-squares projection of the curve onto ``templates`` (n_templates, n_points) (and a
    constant offset): the coefficient of each template as an :class:`Estimate` (``systematics``
    as in :func:`harmonic_table`)."""
    t = np.asarray(templates, float)
    cols = ([np.ones(t.shape[1])] if with_offset else []) + list(t)
    design = np.column_stack(cols)
    mean, err, _ = fit(design, curves, errors)
    csys = _coefficient_systematics(design, systematics)
    off = 1 if with_offset else 0
    names = names or [f"template {i}" for i in range(t.shape[0])]
    return {nm: Estimate(nm, float(mean[off + i]), math.hypot(float(err[off + i]),
                                                              float(csys[off + i])),
                         unit, n_samples, replicas, seed, systematic=float(csys[off + i]))
            for i, nm in enumerate(names)}
