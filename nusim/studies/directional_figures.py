"""Tables, figures and summaries of the directional studies: the CSV rows and the PNG figures of
``directional_suppression`` (U/U_(α=0) against N_F, with its references) and
``directional_convergence`` (relative error against samples and wall time), and the text the
runner prints at the end. Matplotlib is imported lazily, inside the plotting functions.
"""

import numpy as np

from nusim.studies.directional import NEAR_FIELD_MIN, TARGET_RELATIVE_ERROR

#: the two sources of the convergence study, in task order
SOURCES = ("point core", "finite core")
#: what results.json of both directional studies cites beside the paper
CITATIONS = ("nusim design note: shared/design/directional-force-between-bodies.md §2–§7 "
             "(suppression, references, retarded kernel)",)


def suppression_table(data):
    """CSV header and rows of the suppression study."""
    header = ["pair", "fresnel_number", "energy_eV", "estimator", "engine_fresnel_number",
              "samples", "replicas", "seed", "seconds", "naive_energy_J",
              "U_symmetric_J", "U_symmetric_err_J", "U_symmetric_bound_J",
              "U_retarded_J", "U_retarded_err_J", "U_retarded_bound_J",
              "ratio_symmetric", "ratio_symmetric_err", "ratio_retarded_over_2",
              "ratio_retarded_over_2_err", "reference_symmetric", "reference_retarded_over_2",
              "reference_method"]
    out = []
    for r in data["rows"]:
        s, t = r["energy_symmetric_J"], r["energy_retarded_J"]
        ref = r["reference"] or {}
        if not ref.get("applies", True):
            ref = {"method": "near field: not applicable at this N_F ((1 - b/a)² N_F < "
                             f"{NEAR_FIELD_MIN:g})"}
        out.append([r["pair"], r["fresnel_number"], r["energy_eV"], r["estimator"],
                    r["engine_fresnel_number"], r["samples"], r["replicas"], r["seed"],
                    r["seconds"], r["naive_energy_J"], s["value"], s["error"],
                    s["upper_bound"] if s["upper_bound"] is not None else "",
                    t["value"], t["error"], t["upper_bound"] if t["upper_bound"] is not None
                    else "", r["symmetric"]["ratio"], r["symmetric"]["error"],
                    r["retarded"]["ratio"], r["retarded"]["error"],
                    ref.get("symmetric", ""), ref.get("retarded", ""), ref.get("method", "")])
    return header, out


_COLOURS = {"identical": "tab:blue", "mismatched": "tab:orange"}


def plot_suppression(data, path, title):
    """Four panels against N_F: |U/U_naive| (log-log), the same × N_F² (the near-field law is
    flat there), and MC/reference − 1 for the symmetric and the retarded channel."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    rows, curves = data["rows"], data["curves"]
    geo = data["geometry"]
    b_over_a = geo["mismatched_radius_m"] / geo["radius_m"]
    labels = {"identical": "identical spheres (b = a)",
              "mismatched": f"mismatched spheres (b = {b_over_a:g} a)"}
    fig, axes = plt.subplots(2, 2, figsize=(13, 9), sharex=True,
                             gridspec_kw={"height_ratios": [3, 1.5]}, constrained_layout=True)
    nf_all = np.array([r["fresnel_number"] for r in rows])
    q = curves.get("identical_quadrature")
    nfc = curves.get("mismatched_near_field")
    # top: |ratio| (left) and N_F² |ratio| (right)
    for ax, power in ((axes[0, 0], 0), (axes[0, 1], 2)):
        if q:
            x = np.asarray(q["fresnel_number"])
            ax.plot(x, np.abs(q["symmetric"]) * x**power, "-", color=_COLOURS["identical"],
                    lw=1.3, alpha=0.8, zorder=1)
        if nfc:
            x = np.asarray(nfc["fresnel_number"])
            ax.plot(x, np.abs(nfc["ratio"]) * x**power, "--", color=_COLOURS["mismatched"],
                    lw=1.3, zorder=1)
        for r in rows:
            colour = _COLOURS[r["pair"]]
            x = r["fresnel_number"]
            marker = "s" if r["estimator"] == "pairs" else "o"
            for channel, mk, size in (("symmetric", marker, 7), ("retarded", "x", 5)):
                v = r[channel]
                c = colour if channel == "symmetric" else "k"
                if v["upper_bound"] is not None:
                    ax.plot(x, v["upper_bound"] * x**power, "v", color=c, ms=8, zorder=3)
                    continue
                face = c if v["ratio"] > 0 else "white"
                ax.errorbar(x, abs(v["ratio"]) * x**power, yerr=v["error"] * x**power, fmt=mk,
                            color=c, mfc=face, mec=c, ms=size, capsize=2, zorder=3)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.grid(True, which="major", alpha=0.3)
    ax = axes[0, 0]
    if q:
        # N_F^-2 guide, offset ×100 above the quadrature at its largest N_F so it stays visible
        x0, y0 = q["fresnel_number"][-1], 100 * abs(q["symmetric"][-1])
        xs = np.geomspace(x0, nf_all.max(), 20)
        ax.plot(xs, y0 * (x0 / xs) ** 2, ":", color="0.3", lw=1.4, zorder=1)
    ax.set_ylabel(r"$|U/U_{\alpha=0}|$  (symmetric)  and  $|U_R/2U_{\alpha=0}|$  (retarded)")
    ax.set_title("Suppression relative to the paper's α = 0 estimate (eq. 5.3)")
    axes[0, 1].set_ylabel(r"$N_F^{\,2}\,|U/U_{\alpha=0}|$")
    if nf_all.max() >= 1e8:
        axes[0, 1].annotate("identical spheres, $N_F \\gtrsim 10^8$: the plateau is set by the\n"
                            "icosphere facets (mesh-dependent), true spheres\n"
                            "keep growing like $\\log N_F$", xy=(3e4, 0.5), fontsize=8,
                            color=_COLOURS["identical"], ha="left", va="top",
                            xycoords=("data", "axes fraction"))
    axes[0, 1].set_title(r"Compensated by $N_F^{\,2}$: "
                         r"the near-field law $\propto N_F^{-2}$ is flat")
    # bottom: deviation from the references
    for dev, channel in ((axes[1, 0], "symmetric"), (axes[1, 1], "retarded")):
        for r in rows:
            ref = r["reference"]
            if ref is None or not ref.get("applies", True):
                continue
            v, want = r[channel], ref[channel]
            if v["upper_bound"] is not None:
                continue
            colour = _COLOURS[r["pair"]]
            marker = "s" if r["estimator"] == "pairs" else "o"
            dev.errorbar(r["fresnel_number"], 100 * (v["ratio"] / want - 1),
                         yerr=100 * v["error"] / abs(want), fmt=marker, color=colour,
                         mfc=colour if v["ratio"] > 0 else "white", mec=colour, ms=5, capsize=2)
        dev.axhline(0, color="0.4", lw=0.8)
        dev.set_xscale("log")
        dev.set_xlabel(r"Fresnel number $N_F = E a^2/D$")
        dev.set_ylabel(f"MC / reference − 1  [%]\n({channel})")
        dev.grid(True, which="major", alpha=0.3)
    handles = [
        Line2D([], [], ls="none", marker="o", color=_COLOURS["identical"],
               label=labels["identical"]),
        Line2D([], [], ls="none", marker="o", color=_COLOURS["mismatched"],
               label=labels["mismatched"]),
        Line2D([], [], color=_COLOURS["identical"],
               label="identical: quadrature of eq. 4.12 (note §5)"),
        Line2D([], [], color=_COLOURS["mismatched"], ls="--",
               label=r"mismatched: near field $-G_F^2\Phi\langle 1/E\rangle n_1n_2J_U$ (note §4)"),
        Line2D([], [], color="0.3", ls=":", label=r"$\propto N_F^{-2}$ (guide, offset ×100)"),
        Line2D([], [], ls="none", marker="o", color="0.3", label="symmetric, wake estimator"),
        Line2D([], [], ls="none", marker="s", color="0.3",
               label="symmetric, brute-force pairs"),
        Line2D([], [], ls="none", marker="x", color="k",
               label=r"retarded $U_R/2U_{\alpha=0}$ (on top of each point)"),
        Line2D([], [], ls="none", marker="o", color="0.3", mfc="white",
               label=r"open: $U$ opposite in sign to $U_{\alpha=0}$"),
        Line2D([], [], ls="none", marker="v", color="0.3", label="95 % upper bound on |ratio|"),
    ]
    axes[0, 0].legend(handles=handles, fontsize=8, loc="lower left")
    fig.suptitle(title)
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path




def convergence_table(data):
    """CSV header and rows of the convergence study."""
    header = ["source", "samples", "replicas", "seed", "estimator", "seconds",
              "U_retarded_J", "U_retarded_err_J", "relative_error", "U_retarded_bound_J",
              "U_symmetric_J", "U_symmetric_err_J"]
    out = []
    for r in data["rows"]:
        t, s = r["energy_retarded_J"], r["energy_symmetric_J"]
        out.append([r["source"], r["samples"], r["replicas"], r["seed"], r["estimator"],
                    r["seconds"], t["value"], t["error"], r["relative_error"],
                    t["upper_bound"] if t["upper_bound"] is not None else "", s["value"],
                    s["error"]])
    return header, out


def plot_convergence(data, path, title):
    """Relative error of U_R against samples and against wall time, both sources."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colours = {"point core": "tab:blue", "finite core": "tab:red"}
    fig, axes = plt.subplots(1, 2, figsize=(13, 5.6), constrained_layout=True)
    table_s = None
    for source in SOURCES:
        rows = [r for r in data["rows"] if r["source"] == source]
        if not rows:
            continue
        info = data["sources"][source]
        table_s = info["kernel_table_seconds"]
        n = np.array([r["samples"] for r in rows], float)
        rel = np.array([r["relative_error"] for r in rows])
        sec = np.array([r["seconds"] for r in rows])
        bound = np.array([r["upper_bound"] for r in rows])
        best = info["best_retarded_energy"]
        label = (f"{source}: $U_R$ = {best['value']:.3g} ± {best['error']:.2g} J"
                 if best["upper_bound"] is None else
                 f"{source}: $|U_R|$ < {best['upper_bound']:.2g} J (95 %)")
        c = colours[source]
        for ax, x in ((axes[0], n), (axes[1], sec)):
            ax.plot(x, rel, "-", color=c, lw=1, alpha=0.5)
            ax.plot(x[~bound], rel[~bound], "o", color=c, label=label)
            if bound.any():
                ax.plot(x[bound], rel[bound], "o", color=c, mfc="white")
        # N^-1/2 with the amplitude fitted (in log) to the runs that are not upper bounds
        ok = ~bound & np.isfinite(rel)
        if ok.any():
            amp = float(np.exp(np.mean(np.log(rel[ok] * np.sqrt(n[ok])))))
            grid = np.geomspace(n.min(), n.max(), 20)
            axes[0].plot(grid, amp / np.sqrt(grid), "--", color=c, lw=1, alpha=0.8)
    fastest = min((r["seconds"] for r in data["rows"]), default=None)
    if fastest is not None:
        axes[1].axvline(fastest, color="0.3", ls=":", lw=1)
    for ax in axes:
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.axhline(TARGET_RELATIVE_ERROR, color="0.5", ls="-.", lw=0.8)
        ax.set_ylabel(r"relative error  $\sigma(U_R)/|U_R|$  of the retarded energy")
        ax.grid(True, which="both", alpha=0.25)
    replicas = data["rows"][0]["replicas"] if data["rows"] else 0
    axes[0].set_xlabel(f"surface samples per replica ({replicas} replicas per run)")
    axes[1].set_xlabel("wall time per run [s]")
    axes[0].plot([], [], "--", color="0.4", label=r"$\propto N^{-1/2}$ (amplitude fitted)")
    axes[0].plot([], [], "o", color="0.4", mfc="white", label="open: upper bound (|U| < 2σ)")
    axes[0].plot([], [], "-.", color="0.5", label=f"{TARGET_RELATIVE_ERROR:.0%} relative error")
    if fastest is not None:
        axes[1].plot([], [], ":", color="0.3", label=f"fastest run, {fastest:.1f} s: the fixed "
                     f"set-up per call\n(meshes, a(w) table of the spectrum: {table_s:.2f} s)")
    axes[0].legend(fontsize=8, loc="lower left")
    axes[1].legend(fontsize=8, loc="upper right")
    axes[0].set_title("against samples")
    axes[1].set_title("against wall time (one machine, shared; includes the fixed setup)")
    fig.suptitle(title)
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path




def suppression_summary(data):
    """The terminal summary of the suppression study: each point's ratios and its check."""
    lines = [f"{'pair':10s} {'N_F':>8s} {'estimator':9s} {'U/U_(α=0)':>22s} "
             f"{'U_R/2U_(α=0)':>22s}  reference"]
    for r in data["rows"]:
        cells = []
        for channel in ("symmetric", "retarded"):
            v = r[channel]
            cells.append(f"< {v['upper_bound']:.2g} (95 %)" if v["upper_bound"] is not None
                         else f"{v['ratio']:.4g} ± {v['error']:.2g}")
        ref = r["reference"] or {}
        ref_text = (f"{ref['symmetric']:.4g} ({ref['method'].split(' ')[0]})"
                    if ref.get("applies", True) and "symmetric" in ref else "")
        lines.append(f"{r['pair']:10s} {r['fresnel_number']:8.2g} {r['estimator']:9s} "
                     f"{cells[0]:>22s} {cells[1]:>22s}  {ref_text}")
    worst = max((abs(c["sigmas"]) for c in data["checks"]), default=None)
    if worst is not None:
        lines.append(f"{len(data['checks'])} checks against the references: largest deviation "
                     f"{worst:.2g} σ")
    return "\n".join(lines)


def convergence_summary(data):
    """The terminal summary of the convergence study: the best value per source."""
    lines = []
    for source, info in data["sources"].items():
        lines.append(f"{source}: U_R = {info['best_summary']} (α = 0 ratio "
                     f"{info['best_ratio_to_alpha0']:.3g}); flux "
                     f"{info['flux_per_cm2_s']:.3g} cm⁻² s⁻¹, tilt "
                     f"{info['tilt_from_bodies_plane_rad']:.4f} rad")
    return "\n".join(lines)
