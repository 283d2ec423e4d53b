"""Studies "directional_suppression" and "directional_convergence": the directional beam energy
between two bodies (:func:`nusim.engine.directional.directional_interaction`) over the whole
Fresnel range, and its Monte Carlo convergence in the realistic reactor case.

``directional_suppression`` — the suppression U/U_(α=0) of the beam energy of two uniform
coaxial spheres (radius a, centres D apart along the beam, a monochromatic line of energy E) against
the Fresnel number N_F = E a²/D (so E = N_F D/a² [m⁻¹], × ħc for eV), from 1e-2 (where the paper's
α = 0 estimate, eq. 5.3 summed, holds) to 1e12 (a 1 cm body at 10 cm in a ~200 MeV beam), for
two pairs: identical spheres (b = a: coincident silhouettes, the slowest decay) and a mismatched
pair (b = ``mismatch_ratio`` × a). Per point, ``directional_interaction(estimator="auto")`` gives
the symmetric energy (the paper's even V) and the retarded one (target in the source's wake,
design note §7), each divided by its α = 0 counterpart: U_naive for the symmetric energy and
2 U_naive for the retarded one (downstream on the axis the retarded kernel is twice the paper's
leading term). References:

* identical spheres, N_F ≤ ``reference_max_fresnel``: the 2-D quadrature of design note §5
  (:func:`nusim.reference_methods.spheres.coaxial_spheres_energy`, both kernels);
* mismatched spheres, near field ((1 − b/a)² N_F ≫ 1): U → −G_F² Φ ⟨1/E⟩ n₁n₂ J_U (design note §4;
  J_U from :func:`nusim.reference_methods.near_field.gradient_overlap_energy`, ⟨1/E⟩ = 1/E for a
  line), and U_R → 2U (every z₂ exceeds every z₁ for disjoint coaxial spheres, §7). Relative to
  U_naive ∝ ⟨E⟩ this falls exactly as N_F^(−2).

``directional_convergence`` — a tungsten attractor and a copper pendulum (cylinders, axes
vertical) ``separation_m`` apart along x, in the antineutrino beam of a reactor
``reactor_distance_m`` from the apparatus midpoint and ``reactor_depth_m`` below the bodies'
plane, on the attractor's side (the pendulum is in the attractor's wake), for a point core and a
finite cylindrical core. For each sample count the retarded energy (the channel a torsion
balance feels) with its replica error; the relative error against samples and against wall time.

Both studies write a PNG, a CSV and ``results.json`` (with the configuration, the versions and the
citations). Matplotlib is imported lazily, inside the plotting functions.

References: [1] M. Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eqs. (4.12), (5.3);
[2] nusim design note shared/design/directional-force-between-bodies.md §2–§7.
"""

import csv
import math
import time
from pathlib import Path

import numpy as np

from nusim import units
from nusim.schema import study as _schema

KINDS = ("directional_suppression", "directional_convergence")

#: the defaults of the [directional_suppression] and [directional_convergence] tables, declared
#: in nusim.schema.study
SUPPRESSION_DEFAULTS = _schema.DirectionalSuppression.defaults()
CONVERGENCE_DEFAULTS = _schema.DirectionalConvergence.defaults()

#: the near-field asymptote of the mismatched pair is compared where (1 − b/a)² N_F exceeds this
#: (q⊥²D/E ≪ 1 for the edge gap a − b, design note §4)
NEAR_FIELD_MIN = 10.0
#: relative error the convergence figure marks (the benchmark's target)
TARGET_RELATIVE_ERROR = 0.1


# ---------------------------------------------------------------------------------------------
# parameters


def suppression_params(doc, path):
    """Validated parameters of the [directional_suppression] table of the study at ``path``,
    declared in :mod:`nusim.schema.study` (``DirectionalSuppression``)."""
    return _schema.params("directional_suppression", doc, path)


def convergence_params(doc, path):
    """Validated parameters of the [directional_convergence] table of the study at ``path``,
    declared in :mod:`nusim.schema.study` (``DirectionalConvergence``)."""
    return _schema.params("directional_convergence", doc, path)


PARAMS = {"directional_suppression": suppression_params,
          "directional_convergence": convergence_params}


# ---------------------------------------------------------------------------------------------
# directional_suppression


def sphere_pair(p, target_radius_m):
    """(source, target): uniform spheres of ``p["material"]``, the target ``distance_m`` down
    the beam (+z) from the source."""
    from nusim.geometry.bodies import Body, Pose
    from nusim.geometry.shapes import Sphere

    src = Body("source sphere", "attractor", p["material"], Sphere(radius_m=p["radius_m"]))
    tgt = Body("target sphere", "pendulum", p["material"], Sphere(radius_m=target_radius_m),
               Pose(position_m=(0.0, 0.0, p["distance_m"])))
    return src, tgt


def line_beam(p, fresnel_number):
    """A monochromatic beam along +z whose energy sets N_F = E a²/D: (beam, E [eV])."""
    from nusim.engine.directional import DirectionalBeam
    from nusim.physics.beam import line_spectrum

    energy_eV = fresnel_number * p["distance_m"] / p["radius_m"] ** 2 * units.HBARC_EV_M
    flux = units.flux_per_cm2_s_to_eV3(p["flux_per_cm2_s"])
    return DirectionalBeam(line_spectrum(energy_eV, flux), (0.0, 0.0, 1.0)), energy_eV


def near_field_energy_J(p, target_radius_m, energy_eV, j_u=None):
    """Near-field energy −G_F² Φ ⟨1/E⟩ n₁n₂ J_U of the two spheres for a line (⟨1/E⟩ = 1/E)
    [J] (design note §4); ``j_u`` [m³] if already computed (it depends on the geometry only)."""
    from nusim.engine.directional import charge_density
    from nusim.reference_methods.near_field import gradient_overlap_energy

    src, tgt = sphere_pair(p, target_radius_m)
    if j_u is None:
        j_u = gradient_overlap_energy(p["radius_m"], target_radius_m, p["distance_m"])  # [m³]
    n1, n2 = charge_density(src, "e"), charge_density(tgt, "e")                       # [m⁻³]
    flux = units.flux_per_cm2_s_to_eV3(p["flux_per_cm2_s"])
    return units.eV_to_J(-units.G_F**2 * flux / energy_eV * n1 * n2 * j_u
                         * units.HBARC_EV_M**3)


def _reference_ratios(p, fresnel_number):
    """(U/U_naive, U_R/(2 U_naive)) of identical spheres by quadrature (design note §5)."""
    from nusim.reference_methods.spheres import coaxial_spheres_energy

    a, dist = p["radius_m"], p["distance_m"]
    e_per_m = fresnel_number * dist / a**2
    u, naive = coaxial_spheres_energy(a, dist, e_per_m)
    u_r, _ = coaxial_spheres_energy(a, dist, e_per_m, kernel="retarded")
    return u / naive, u_r / (2 * naive)


def _ratio(est, scale):
    """value, error and 95 % bound (None unless an upper bound) of est / scale."""
    return {"ratio": est.value / scale, "error": est.error / abs(scale),
            "upper_bound": est.bound / abs(scale) if est.is_upper_bound else None}


def compute_suppression(p, progress=True):
    """Per Fresnel number and sphere pair: U/U_naive and U_R/(2 U_naive) with errors, the
    references and the run details (JSON-ready dict; see the module docstring)."""
    from tqdm import tqdm

    from nusim.engine import directional as d
    from nusim.reference_methods.near_field import gradient_overlap_energy

    a = p["radius_m"]
    pairs = {"identical": a, "mismatched": p["mismatch_ratio"] * a}
    ref_max = p["reference_max_fresnel"]
    nfs = p["fresnel_numbers"]
    j_u = gradient_overlap_energy(a, pairs["mismatched"], p["distance_m"])          # [m³]
    rows = []
    jobs = [(i, nf, name) for i, nf in enumerate(nfs) for name in pairs]
    for i, nf, name in tqdm(jobs, desc="Fresnel numbers × sphere pairs", unit="run",
                            disable=not progress):
        src, tgt = sphere_pair(p, pairs[name])
        beam, energy_eV = line_beam(p, nf)
        # directional_interaction's samples are kernel evaluations per replica for both
        # estimators; pairs_samples is points per body, so brute-force pairs get its square
        # (the same points as before); predict which one "auto" picks (the engine's rule)
        pairs_run = p["estimator"] == "pairs" or (
            p["estimator"] == "auto" and d.fresnel_number(src, tgt, beam) <= d.PAIRS_MAX_FRESNEL)
        samples = p["pairs_samples"] ** 2 if pairs_run else p["samples"]
        seed = p["seed"] + i                     # independent points along N_F
        r = d.directional_interaction(src, tgt, beam, samples=samples, replicas=p["replicas"],
                                      seed=seed, estimator=p["estimator"], derivatives=False,
                                      self_force=False, progress=False)
        naive = r.naive_energy_J
        sym, ret = r.estimates["energy_symmetric_J"], r.estimates["energy_retarded_J"]
        row = {"pair": name, "fresnel_number": nf, "energy_eV": energy_eV,
               "target_radius_m": pairs[name], "estimator": r.estimator,
               "engine_fresnel_number": r.fresnel_number, "samples": samples,
               "replicas": p["replicas"], "seed": seed, "seconds": r.seconds,
               "naive_energy_J": naive, "energy_symmetric_J": sym.to_dict(),
               "energy_retarded_J": ret.to_dict(), "symmetric": _ratio(sym, naive),
               "retarded": _ratio(ret, 2 * naive), "reference": None, "notes": list(r.notes)}
        if name == "identical" and nf <= ref_max:
            rs, rr = _reference_ratios(p, nf)
            row["reference"] = {"method": "quadrature (design note §5)", "symmetric": rs,
                                "retarded": rr}
        elif name == "mismatched":
            asym = near_field_energy_J(p, pairs[name], energy_eV, j_u) / naive
            row["reference"] = {"method": "near field −G_F²Φ⟨1/E⟩n₁n₂J_U (design note §4)",
                                "symmetric": asym, "retarded": asym,
                                "applies": (1 - p["mismatch_ratio"]) ** 2 * nf >= NEAR_FIELD_MIN}
        rows.append(row)
    checks = _checks(rows)
    curves = _reference_curves(p, nfs, j_u, progress)
    return {"geometry": {"radius_m": a, "distance_m": p["distance_m"],
                         "mismatched_radius_m": pairs["mismatched"], "material": p["material"],
                         "beam": "monochromatic line along the common axis (+z), point source",
                         "mesh": "icosphere, 5 subdivisions (nusim.engine.directional.body_mesh)",
                         "fresnel_number": "E a²/D (E in m⁻¹)"},
            "rows": rows, "checks": checks, "curves": curves, "caveats": list(CAVEATS)}


#: what the figures cannot show by themselves (measured while building the study; see the
#: module docstring of nusim.engine.wake for the method)
CAVEATS = (
    "identical spheres, N_F ≳ 1e8: their silhouettes coincide and the energy grows like "
    "log(N_F)/N_F²; on icosphere meshes that growth stops where the kernel width √(D/E) "
    "reaches the facets, so the plateau of N_F² U/U_naive there is mesh-dependent (finer "
    "icospheres give larger values), not the value of true spheres",
    "wake estimator at E a ≈ 30 (N_F ≈ 3 here): paraxial corrections ~1/(E a)² bias it by "
    "≈ −0.5 % against the quadrature of eq. 4.12",
    "the near-field asymptote of the mismatched pair is compared only where "
    f"(1 − b/a)² N_F ≥ {NEAR_FIELD_MIN:g}",
)


def _checks(rows):
    """Each point against its reference: deviation, its error and the number of σ."""
    out = []
    for row in rows:
        ref = row["reference"]
        if ref is None or not ref.get("applies", True):
            continue
        for channel in ("symmetric", "retarded"):
            got, want = row[channel], ref[channel]
            out.append({"pair": row["pair"], "fresnel_number": row["fresnel_number"],
                        "channel": channel, "against": ref["method"],
                        "estimator": row["estimator"], "value": got["ratio"],
                        "error": got["error"], "reference": want,
                        "relative_deviation": got["ratio"] / want - 1,
                        "relative_error": got["error"] / abs(want),
                        "sigmas": (got["ratio"] - want) / got["error"] if got["error"] > 0
                        else math.inf})
    return out


def _reference_curves(p, nfs, j_u, progress):
    """Dense reference lines: quadrature (identical pair) and the near-field asymptote."""
    from tqdm import tqdm

    curves = {}
    lo, hi = min(nfs), min(p["reference_max_fresnel"], max(nfs))
    if p["reference_max_fresnel"] > 0 and hi > lo:
        grid = np.geomspace(lo, hi, p["reference_points"])
        vals = [_reference_ratios(p, float(x)) for x in tqdm(
            grid, desc="reference quadrature", unit="pt", disable=not progress)]
        curves["identical_quadrature"] = {"fresnel_number": grid.tolist(),
                                          "symmetric": [v[0] for v in vals],
                                          "retarded": [v[1] for v in vals]}
    b = p["mismatch_ratio"] * p["radius_m"]
    grid = np.geomspace(max(lo, 1.0), max(nfs), 50) if max(nfs) > 1.0 else np.array([])
    if grid.size:
        from nusim.engine.directional import naive_energy_J

        src, tgt = sphere_pair(p, b)
        vals = []
        for x in grid:
            beam, e_ev = line_beam(p, float(x))
            vals.append(near_field_energy_J(p, b, e_ev, j_u)
                        / naive_energy_J(src, tgt, beam, "e"))
        curves["mismatched_near_field"] = {"fresnel_number": grid.tolist(), "ratio": vals}
    return curves


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


# ---------------------------------------------------------------------------------------------
# directional_convergence


def realistic_case(p=None, core=False):
    """(attractor, pendulum, beam, reactor) of the convergence study (defaults: the realistic
    case of ``CONVERGENCE_DEFAULTS``); ``core``: the finite cylindrical core, else a point."""
    from nusim.engine.directional import reactor_beam
    from nusim.geometry.bodies import Body, Pose
    from nusim.geometry.shapes import Cylinder
    from nusim.sources.reactor import Reactor

    p = dict(CONVERGENCE_DEFAULTS, **(p or {}))
    half = p["separation_m"] / 2
    shape = Cylinder(radius_m=p["body_radius_m"], height_m=p["body_height_m"])
    attractor = Body("attractor", "attractor", p["attractor_material"], shape,
                     Pose(position_m=(-half, 0.0, 0.0)))
    pendulum = Body("pendulum", "pendulum", p["pendulum_material"], shape,
                    Pose(position_m=(half, 0.0, 0.0)))
    dist, depth = p["reactor_distance_m"], p["reactor_depth_m"]
    # on the attractor's side (−x), below the bodies' plane: the beam runs attractor → pendulum
    position = (-math.sqrt(dist**2 - depth**2), 0.0, -depth)
    kw = {"core_radius_m": p["core_radius_m"], "core_height_m": p["core_height_m"]} if core else {}
    reactor = Reactor(p["thermal_power_GW"], position,
                      antineutrinos_per_fission=p["antineutrinos_per_fission"], **kw)
    midpoint = np.zeros(3)
    # the core's emission points give each sample its direction and 1/d² weight (the real
    # silhouette of the cylinder, and the spread of directions across the apparatus)
    beam = reactor_beam(reactor, midpoint, n_components=p["spectrum_components"])
    return attractor, pendulum, beam, reactor


SOURCES = ("point core", "finite core")


def _warm_up(p):
    """Load (or compile) the estimator's numba kernels before anything is timed: a tiny run
    with a line spectrum (its kernel table is cheap), the same array types as the study's."""
    from nusim.engine.directional import DirectionalBeam, directional_interaction
    from nusim.physics.beam import line_spectrum

    att, pen, beam, _ = realistic_case(p, core=False)
    line = DirectionalBeam(line_spectrum(units.MeV_to_eV(1.0), beam.spectrum.total_flux),
                           beam.direction)
    directional_interaction(att, pen, line, samples=64, replicas=2, derivatives=False,
                            self_force=False, progress=False)


def compute_convergence(p, progress=True):
    """Per source and sample count: the retarded energy, its error and the wall time
    (JSON-ready dict; see the module docstring)."""
    from tqdm import tqdm

    from nusim.engine.directional import directional_interaction, fresnel_number
    from nusim.physics.wake_kernel import surface_kernel_table_uncached

    out = {"sources": {}, "rows": []}
    jobs = [(src, i, n) for src in SOURCES for i, n in enumerate(p["samples"])]
    cases = {}
    table_s = None
    for source, i, n in tqdm(jobs, desc="sources × sample counts", unit="run",
                             disable=not progress):
        if source not in cases:
            att, pen, beam, reactor = realistic_case(p, core=source == "finite core")
            if table_s is None:
                _warm_up(p)
                # the one-off cost inside every directional_interaction call: the a(w), b(w)
                # table of the spectrum (the same spectral shape for both sources); the faster
                # of two builds (the first also pays for fresh memory pages)
                timings = []
                for _ in range(2):
                    t0 = time.perf_counter()
                    table = surface_kernel_table_uncached(beam.spectrum)
                    timings.append(time.perf_counter() - t0)
                table_s = min(timings)
            cases[source] = (att, pen, beam)
            k = np.asarray(beam.direction, float)
            out["sources"][source] = {
                "reactor": reactor.describe(),
                "beam_direction": k.tolist(),
                "tilt_from_bodies_plane_rad": math.asin(abs(k[2])),
                "flux_per_cm2_s": units.eV3_to_flux_per_cm2_s(beam.spectrum.total_flux),
                "mean_energy_MeV": beam.spectrum.mean_energy / 1e6,
                "spectrum_fit_residual": beam.spectrum.fit_residual,
                "profile": ("emitter: " + ("point core" if beam.emitter.core_radius_m == 0
                                           else "uniform cylindrical core")
                            if beam.emitter is not None else type(beam.profile).__name__),
                "fresnel_number_engine": fresnel_number(att, pen, beam),
                "kernel_table_seconds": table_s,
                "kernel_table_points": int(table.a.size)}
        att, pen, beam = cases[source]
        seed = p["seed"] + i                     # independent runs along N
        r = directional_interaction(att, pen, beam, samples=n, replicas=p["replicas"],
                                    seed=seed, estimator="auto", derivatives=False,
                                    self_force=False, progress=False)
        ret, sym = r.estimates["energy_retarded_J"], r.estimates["energy_symmetric_J"]
        out["sources"][source]["naive_energy_J"] = r.naive_energy_J
        out["rows"].append({
            "source": source, "samples": n, "replicas": p["replicas"], "seed": seed,
            "estimator": r.estimator, "seconds": r.seconds,
            "energy_retarded_J": ret.to_dict(), "energy_symmetric_J": sym.to_dict(),
            "relative_error": ret.error / abs(ret.value) if ret.value != 0 else math.inf,
            "upper_bound": ret.is_upper_bound, "summary": ret.summary(),
            "notes": list(r.notes)})
    for source in SOURCES:
        rows = [r for r in out["rows"] if r["source"] == source]
        if rows:
            best = rows[-1]
            info = out["sources"][source]
            info["best_retarded_energy"] = best["energy_retarded_J"]
            info["best_summary"] = best["summary"]
            # U_R against its α = 0 counterpart 2 U_naive (downstream on the axis, note §7)
            info["best_ratio_to_alpha0"] = (best["energy_retarded_J"]["value"]
                                            / (2 * info["naive_energy_J"]))
    return out


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


# ---------------------------------------------------------------------------------------------
# output


def _write_csv(path, header, rows):
    with Path(path).open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return Path(path)


CITATIONS = ("nusim design note: shared/design/directional-force-between-bodies.md §2–§7 "
             "(suppression, references, retarded kernel)",)


def run(kind, config, out, progress=True):
    """Run a directional study of ``kind`` with its validated ``config``; write PNG, CSV and
    JSON into the folder ``out``; return the paths written."""
    from nusim.studies import output

    out = Path(out)
    p = config[kind]
    name = config["study"]["name"]
    if kind == "directional_suppression":
        data = compute_suppression(p, progress=progress)
        header, rows = suppression_table(data)
        files = [_write_csv(out / "suppression.csv", header, rows),
                 plot_suppression(data, out / "suppression.png",
                                  f"{name}: directional-beam energy of two coaxial "
                                  f"{p['material']} spheres (a = {100 * p['radius_m']:g} cm, "
                                  f"D = {100 * p['distance_m']:g} cm) relative to the α = 0 "
                                  f"estimate")]
    else:
        data = compute_convergence(p, progress=progress)
        header, rows = convergence_table(data)
        tilt = next(iter(data["sources"].values()))["tilt_from_bodies_plane_rad"]
        files = [_write_csv(out / "convergence.csv", header, rows),
                 plot_convergence(data, out / "convergence.png",
                                  f"{name}: {p['attractor_material']} attractor → "
                                  f"{p['pendulum_material']} pendulum (cylinders, "
                                  f"{100 * p['separation_m']:g} cm apart)\nreactor "
                                  f"{p['thermal_power_GW']:g} GW at {p['reactor_distance_m']:g} m,"
                                  f" {p['reactor_depth_m']:g} m below the bodies' plane (beam "
                                  f"tilted {tilt:.3f} rad); point core and "
                                  f"{p['core_height_m']:g} m core")]
    from nusim.studies.output import PAPER

    files.append(output.write_json(out / "results.json", data, config=config,
                                   citations=(PAPER, *CITATIONS)))
    return files
