"""What the neutrino-signal studies share: the flat rows of an
:class:`~nusim.engine.apparatus_signal.ApparatusSignal` and the terminal table of key numbers
(their common keys are declared in :mod:`nusim.schema.study`)."""

import dataclasses
import math

from nusim.engine.result import Estimate


def fmt(est, exact_zero=None, unit=None):
    """'(v ± e)e±XX unit', '|x| < b unit (95 %)' or '0 exactly' for the terminal."""
    unit = unit or est.unit
    if est.is_blind:
        return "not resolved (no sample reached the integrand)"
    if exact_zero is None and getattr(est, "exact_zero_reason", None) is not None:
        exact_zero = est.exact_zero_reason
    if exact_zero is not None:
        if exact_zero.startswith("every term") and "): " in exact_zero:
            short = exact_zero[exact_zero.index("(") + 1:exact_zero.index("): ")]
        else:
            short = ("upstream: causal" if "upstream" in exact_zero else
                     "beyond the wake's reach" if "reach" in exact_zero else exact_zero[:60])
        return f"0 exactly ({short}; reason in results.json)"
    if est.is_upper_bound:
        return f"|x| < {est.bound:.2g} {unit} (95 %)"
    if est.error == 0:
        return f"{est.value:.4g} {unit}"
    exp = int(math.floor(math.log10(max(abs(est.value), est.error))))
    s = 10.0**exp
    dec = max(0, exp - int(math.floor(math.log10(est.error))) + 1)
    return f"({est.value / s:.{dec}f} ± {est.error / s:.{dec}f})e{exp:+03d} {unit}"


def ratio(num, den):
    """num / den as an Estimate (first-order error propagation of independent estimates); an
    exact-zero or unresolved numerator stays one; None when the denominator is not resolved."""
    if den.value == 0 or den.is_upper_bound or den.is_blind:
        return None
    name = f"{num.name} / {den.name}"
    if num.exact_zero_reason is not None or num.is_blind:
        return dataclasses.replace(num, name=name, unit="1", replica_values=(), systematic=0.0)
    r = num.value / den.value
    rel = math.hypot(num.error / den.value, num.value * den.error / den.value**2)
    return Estimate(f"{num.name} / {den.name}", r, rel, "1", num.n_samples, num.replicas,
                    num.seed)


def gravity_estimates(signal):
    """The gravity energy, force (3) and torque Estimates of an ApparatusSignal (or None)."""
    g = signal.gravity
    if g is None:
        return None
    out = {"energy_J": g.estimate("energy_J"),
           "force_N": [g.estimate(f"force_N[{i}]") for i in range(3)]}
    if g.torque_Nm is not None:
        out["torque_Nm"] = g.estimate("torque_Nm")
    return out


def table(rows, title):
    """A plain-text table: rows of (label, text)."""
    width = max(len(r[0]) for r in rows)
    lines = [title, "-" * len(title)]
    lines += [f"  {label:<{width}}  {text}" for label, text in rows]
    return "\n".join(lines)


def curve_of(estimates, exact_zeros=None):
    """JSON-ready curve of Estimates: values, errors, 95 % bounds (None unless a bound), and
    the exact-zero reason per point (``exact_zeros``: reasons or None per point)."""
    zs = exact_zeros or [e.exact_zero_reason for e in estimates]
    return {"values": [e.value for e in estimates], "errors": [e.error for e in estimates],
            "not_resolved": [bool(e.is_blind) for e in estimates],
            "upper_bound": [bool(e.is_upper_bound and z is None)
                            for e, z in zip(estimates, zs, strict=True)],
            "bound": [e.bound if (e.is_upper_bound and z is None) else None
                      for e, z in zip(estimates, zs, strict=True)],
            "exact_zero": list(zs)}


def plot_series(curves, labels):
    """Series for ``plotting.torque_curve`` from :func:`curve_of` curves: bounds drawn at their
    95 % bound, exact zeros (causal, out of reach) gathered in one series of their own."""
    series, zero_x = [], set()
    for name, label in labels.items():
        c = curves.get(name)
        if c is None:
            continue
        vals, errs, bnd = [], [], []
        blind = c.get("not_resolved", [False] * len(c["values"]))
        for i, (v, e, b, bd, z) in enumerate(zip(c["values"], c["errors"], c["upper_bound"],
                                                 c["bound"], c["exact_zero"], strict=True)):
            if blind[i]:                 # no sample reached the integrand: nothing to draw
                vals.append(math.nan)
                errs.append(0.0)
                bnd.append(False)
            elif z is not None:
                zero_x.add(i)
                vals.append(math.nan)
                errs.append(0.0)
                bnd.append(False)
            else:
                vals.append(bd if b else v)
                errs.append(e)
                bnd.append(b)
        if not all(math.isnan(v) for v in vals):
            series.append({"label": label, "values": vals, "errors": errs, "is_bound": bnd})
    if zero_x:
        n = len(next(iter(curves.values()))["values"])
        series.append({"label": "exact 0 (upstream or beyond the wake's reach)",
                       "values": [0.0 if i in zero_x else math.nan for i in range(n)],
                       "errors": [0.0] * n, "is_bound": [False] * n})
    return series


def ratio_text(r, num):
    """Terminal text of a ratio from :func:`ratio` (None: the denominator is not resolved)."""
    if r is None:
        return "not formed: the gravity figure is not resolved"
    if r.exact_zero_reason is not None:
        return "0 exactly (the neutrino figure is an exact zero)"
    if r.is_blind:
        return "not resolved"
    if num.is_upper_bound:
        return f"|δ| < {r.bound:.2g} (95 %)"
    return f"{r.value:.3g} ± {r.error:.2g}"


def orders_text(orders, name):
    """'N orders of magnitude below/above name' (∞: the signal is an exact zero)."""
    if math.isinf(orders):
        return f"no signal (an exact zero): infinitely far below {name}"
    return (f"{abs(orders):.1f} orders of magnitude {'above' if orders < 0 else 'below'} "
            f"{name}")
