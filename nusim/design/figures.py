"""Figures of the design search (matplotlib, imported lazily by the study's ``write``).

Kept beside the design code rather than in ``nusim/plotting.py`` while that module is being
reworked; they only draw records (no physics) and reuse ``plotting.apparatus_3d`` for the
geometry.
"""

import math
import textwrap

import numpy as np

from nusim.design.space import PARAMETERS


def _scale(name):
    kind, unit, _ = PARAMETERS[name]
    if kind in ("length", "offset"):
        return 1e3, "mm"
    return 1.0, unit or ""


def _point(rec):
    """The point S/N of a record (analytic objectives may give only ``snr``)."""
    return rec.get("snr_point", rec["snr"])


def profiles_figure(profiles, best, space, path, *, note):
    """S/N along each continuous parameter through the optimum: resolved points with their
    1σ error bars, bounds as open downward triangles at the 95 % bound's S/N, infeasible
    values as grey crosses on the axis; the optimum as a red star."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(profiles)
    n = len(names)
    cols = min(3, n)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.3 * rows), squeeze=False)
    for ax, name in zip(axes.flat, names, strict=False):
        f, unit = _scale(name)
        recs = profiles[name]
        x = np.array([r["design"][name] * f for r in recs])
        ok = [i for i, r in enumerate(recs) if r["feasible"] and r["bound_reason"] is None]
        bnd = [i for i, r in enumerate(recs) if r["feasible"] and r["bound_reason"] is not None]
        bad = [i for i, r in enumerate(recs) if not r["feasible"]]
        if ok:
            ax.errorbar(x[ok], [_point(recs[i]) for i in ok],
                        yerr=[recs[i]["snr_error"] for i in ok], fmt="o", ms=4, capsize=2,
                        color="tab:blue", label="S/N ± 1σ (Monte Carlo)")
            ax.plot(x[ok], [recs[i]["snr"] for i in ok], "_", ms=9, color="tab:purple",
                    label="objective: 2σ lower limit")
        if bnd:
            ax.plot(x[bnd], [recs[i].get("snr_bound") or 0.0 for i in bnd], "v", mfc="none",
                    color="tab:orange", label="bound only (95 %): counts as 0")
        if bad:
            ax.plot(x[bad], [0.0] * len(bad), "x", color="0.5", label="infeasible")
        ax.plot([best["design"][name] * f], [_point(best)], "*", color="red", ms=11,
                label="optimum")
        lo, hi = space.continuous[name]
        ax.axvspan(lo * f, hi * f, color="0.95", zorder=-1)
        ax.set_xlabel(f"{name} [{unit}]" if unit else name)
        ax.set_ylabel("S/N")
        ax.ticklabel_format(axis="y", style="sci", scilimits=(-3, 3))
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=7)
    fig.suptitle("Objective along each parameter through the optimum (others held; points "
                 "mm–cm apart: their Monte Carlo errors are nearly independent)\n"
                 + textwrap.fill(note, 160), fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path


def history_figure(history, path, *, note):
    """S/N of every evaluation in order (screening, refinement), infeasible at 0 as crosses."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.6))
    for stage, colour in (("screen", "tab:green"), ("refine", "tab:blue")):
        recs = [r for r in history if r["stage"] == stage and r["feasible"]]
        if recs:
            ax.errorbar([r["index"] for r in recs], [_point(r) for r in recs],
                        yerr=[r.get("snr_error", 0.0) for r in recs], fmt="o", ms=3,
                        capsize=1.5, color=colour, label=f"{stage} (bounds plotted at 0)")
    bad = [r for r in history if not r["feasible"]]
    if bad:
        ax.plot([r["index"] for r in bad], [0.0] * len(bad), "x", color="0.5",
                label="infeasible (not evaluated)")
    ax.set_xlabel("evaluation")
    ax.set_ylabel("S/N (point value ± 1σ)")
    ax.ticklabel_format(axis="y", style="sci", scilimits=(-3, 3))
    ax.legend(fontsize=7)
    ax.set_title(textwrap.fill(note, 110), fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path


def geometry_figure(bodies, beams, path, *, title):
    """The design's bodies in 3-D at equal scale, the fibre, the beam and the core's direction
    (``nusim.plotting.apparatus_3d``)."""
    from nusim import plotting
    from nusim.design.builder import AXIS
    from nusim.engine.directional import body_mesh

    meshes = []
    for b in bodies:
        v, f = body_mesh(b, 64, sphere_subdivisions=3)
        meshes.append((b.name, b.role, v, f))
    beam = beams[0][1] if beams else None
    src = None if beam is None or beam.emitter is None else np.asarray(beam.emitter.position_m)
    return plotting.apparatus_3d(meshes, path, title, axis=AXIS,
                                 beam_direction=None if beam is None else beam.k_hat,
                                 source_position_m=src, source_label="reactor core")
