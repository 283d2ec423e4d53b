"""Study "paper_figures": figures 3, 4 and 5 of the founding paper and its material table.

Figure 3: V_bkg(r, α) in units of E with the factor G_F² g₁g₂ Φ₀ E omitted, i.e. −I(ℓ, α)/π³
(eq. 4.5), against ℓ = E r for α = 0°, 30°, 60°, 90°. Figure 4: ℓ·I(ℓ, α) from eq. (4.8) by
quadrature (points) against eq. (4.11) (line) for α = 30°, 45°, 60°, 90°.

Figure 5: the α = 0 estimate δV/V_gravity = c G_F² Φ E/(π G_N m_p²) of each source (eq. 5.3
divided by Newton's potential: eq. D.8 with f = c) against table 4's sensitivities. c = 1 (one
unit of weak charge per nucleon mass, f(A = Z = 1, n_e = 1) = 1 of eq. D.9): the paper ties the
hydrogen-in-ν_e value of eq. D.10 (~1e-13 for ΦE = 1e14 MeV cm⁻² s⁻¹, the reactor at 10 m) to
"the purple line (reactor 10m) in figure 5". The inputs are the paper's (§5.2): reactor 2 MeV,
5e13 cm⁻² s⁻¹ at 10 m scaled as 1/d² to 1 m, lines stopping at r = d/2; solar pp 5.99e10 at
0.3 MeV; ⁷Be 4.84e9 split 89.6/10.4 % between 0.862 and 0.384 MeV; supernova 1e12 at 10 MeV
(dashed); the pp line times δ_{Z/A} = 10 % and 1 % (eq. 5.4). Every line is flat in r (eq. 5.3
and gravity both ∝ 1/r, valid for r ≫ 1/E).

Material table: composition-dipole factors of Be–Ti, Cu–Pb, Al–Pt (eqs. 5.4, D.12;
:mod:`nusim.physics.composition_dipole`), with the note on the paper's Cu–Pb 4.9 %.

Tasks: one per figure-4 angle (the eq. 4.8 quadratures, the only slow part); figure 3, figure 5
and the material table are closed forms, made in the reduction.
"""

import math
import textwrap

import numpy as np

from nusim import units
from nusim.physics import composition_dipole, couplings
from nusim.physics import directional as d
from nusim.schema import study as _schema
from nusim.studies import experiments

KIND = "paper_figures"
#: keys of the [paper_figures] table and their defaults (the paper's inputs, §5.2), declared in
#: nusim.schema.study
DEFAULTS = _schema.PaperFigures.defaults()


def params(doc, path):
    """The [paper_figures] table of a study file, validated, with :data:`DEFAULTS` filled in.

    Declared in :mod:`nusim.schema.study`; ConfigError naming the file and the dotted field.
    """
    return _schema.params("paper_figures", doc, path)


def tasks(params):
    """One task per figure-4 angle [deg]."""
    return [float(a) for a in params["fig4_alphas_deg"]]


def _fig4_points(params):
    return np.linspace(0.5, params["fig4_ell_max"], int(params["fig4_quadrature_points"]))


def run_task(params, alpha_deg):
    """I(ℓ, α) of eq. (4.8) by quadrature at figure 4's points for one angle (list) [1]."""
    rad = math.radians(alpha_deg)
    return [float(d.directional_integral(x, rad, method="quadrature"))
            for x in _fig4_points(params)]


def reduce(params, task_list, results):
    """Figures 3, 4 and 5 and the material table (JSON-ready).

    params: the [paper_figures] table with DEFAULTS filled in. Per figure, ``ell`` [1] and
    per-angle arrays: fig3 ``v_over_e`` = −I/π³ [1]; fig4 ``ell_I_eq_4_8`` (quadrature) and
    ``ell_I_eq_4_11`` [1], plus ``max_abs_diff_eq_4_8_vs_closed_form`` [1]; fig5 see
    :func:`figure_5`; materials see :func:`material_table`.
    """
    ell3 = np.linspace(params["fig3_ell_min"], params["fig3_ell_max"], 800)
    fig3 = {"ell": ell3.tolist(), "curves": {}}
    for a in params["fig3_alphas_deg"]:
        fig3["curves"][f"{a:g}"] = (-d.directional_integral(ell3, math.radians(a))
                                    / math.pi**3).tolist()
    ell_line = np.linspace(0.2, params["fig4_ell_max"], 1200)
    ell_pts = _fig4_points(params)
    fig4 = {"ell_line": ell_line.tolist(), "ell_points": ell_pts.tolist(), "curves": {}}
    worst = 0.0
    for a, quad in zip(task_list, results, strict=True):
        rad = math.radians(a)
        q = np.asarray(quad)
        worst = max(worst, float(np.max(np.abs(q - d.directional_integral(ell_pts, rad)))))
        fig4["curves"][f"{a:g}"] = {
            "ell_I_eq_4_8": (ell_pts * q).tolist(),
            "ell_I_eq_4_11": (ell_line * d.asymptotic_integral(ell_line, rad)).tolist(),
        }
    fig4["max_abs_diff_eq_4_8_vs_closed_form"] = worst
    return {"fig3": fig3, "fig4": fig4, "fig5": figure_5(params),
            "materials": material_table(params),
            "materials_note": composition_dipole.CU_PB_NOTE}


def delta_v_over_v(flux_per_cm2_s, energy_MeV, coupling_factor=1.0):
    """The α = 0 neutrino potential over Newton's between two nucleon masses, flat in r.

    Implements eq. (5.3) of [1] over −G_N m_p²/r, i.e. eq. (D.8) with f = ``coupling_factor``
    (f(A = Z = 1, n_e = 1) = 1 of eq. D.9: the form of the paper's figure 5, see the module
    docstring).

    Parameters
    ----------
    flux_per_cm2_s : float, number flux Φ [cm⁻² s⁻¹]
    energy_MeV : float, neutrino energy E [MeV]
    coupling_factor : float, g₁g₂ per nucleon pair [1] (1: the paper's figure)

    Returns
    -------
    float, δV/V_gravity [1] (valid for r ≫ 1/E and α²Er ≪ 1, eq. 4.14)
    """
    return coupling_factor * couplings.ratio_to_gravity(
        1, 1, 1, 1, 1.0, flux=units.flux_per_cm2_s_to_eV3(flux_per_cm2_s),
        energy=units.MeV_to_eV(energy_MeV))


def _line(name, flux, energy, p, r_min, r_max, dashed=False, note=""):
    return {"name": name, "flux_per_cm2_s": flux, "energy_MeV": energy,
            "delta_v_over_v": delta_v_over_v(flux, energy, p["fig5_coupling_factor"]),
            "r_min_m": r_min, "r_max_m": r_max, "dashed": dashed, "note": note}


def figure_5(p):
    """Lines and table-4 points of figure 5 (JSON-ready).

    p: the [paper_figures] table with DEFAULTS filled in. Returns {"lines": [...], "points":
    [...], "r_m": grid [m], "gaps": {...}}: each line has name, flux_per_cm2_s, energy_MeV,
    delta_v_over_v [1], r_min_m, r_max_m [m], dashed; each point is a table-4 entry with key,
    name, r_m, r_range_m [m], delta_v_over_v [1], reference; "gaps" the orders of magnitude
    between the strongest lines and the nearest sensitivity (the paper's §6 "2 or 3 orders").
    """
    r_lo, r_hi = p["fig5_r_min_m"], p["fig5_r_max_m"]
    lines = []
    for dist in p["fig5_reactor_distances_m"]:
        flux = p["fig5_reactor_flux_at_10m_per_cm2_s"] * (10.0 / dist) ** 2
        lines.append(_line(f"reactor, {dist:g} m", flux, p["fig5_reactor_energy_MeV"], p, r_lo,
                           p["fig5_reactor_r_max_over_distance"] * dist,
                           note="5e13 cm⁻² s⁻¹ at 10 m (2.9 GW_th) scaled as 1/d²"))
    pp = _line("solar pp", p["fig5_pp_flux_per_cm2_s"], p["fig5_pp_energy_MeV"], p, r_lo, r_hi)
    lines.append(pp)
    be7_flux = p["fig5_be7_flux_per_cm2_s"]
    be7 = list(zip(p["fig5_be7_branching"], p["fig5_be7_energies_MeV"], strict=True))
    be7_energy = sum(b * e for b, e in be7)
    components = ", ".join(f"{b * be7_flux:.3g} cm⁻² s⁻¹ at {e:g} MeV" for b, e in be7)
    lines.append(_line("solar ⁷Be", be7_flux, be7_energy, p, r_lo, r_hi,
                       note=f"sum of the lines ({components}); E is their flux-weighted mean"))
    for dz in p["fig5_delta_z_over_a"]:
        line = _line(f"solar pp × δ_Z/A = {100 * dz:g} %", pp["flux_per_cm2_s"],
                     pp["energy_MeV"], p, r_lo, r_hi, note="material-dependent part (eq. 5.4)")
        line["delta_v_over_v"] *= dz
        line["delta_z_over_a"] = dz
        lines.append(line)
    lines.append(_line("supernova (10 kpc burst)", p["fig5_supernova_flux_per_cm2_s"],
                       p["fig5_supernova_energy_MeV"], p, r_lo, r_hi, dashed=True,
                       note="lasts a few seconds"))
    points = [{"key": k, "name": s.name, "r_m": s.r_m, "r_text": s.r_text,
               "r_range_m": list(s.r_range_m) if s.r_range_m else None,
               "delta_v_over_v": s.delta_v_over_v, "reference": s.reference}
              for k, s in experiments.TABLE_4.items()]
    gaps = {}
    for line in lines[:len(p["fig5_reactor_distances_m"])] + [pp]:
        reach = [q for q in points if q["r_m"] <= line["r_max_m"]]
        best = min(reach, key=lambda q: q["delta_v_over_v"] / line["delta_v_over_v"])
        gaps[line["name"]] = {"nearest_sensitivity": best["key"],
                              "orders_below": experiments.orders_of_magnitude(
                                  line["delta_v_over_v"], best["delta_v_over_v"])}
    r_grid = np.logspace(math.log10(r_lo), math.log10(r_hi), 61)
    return {"lines": lines, "points": points, "r_m": r_grid.tolist(), "gaps": gaps,
            "coupling_factor": p["fig5_coupling_factor"]}


def material_table(p):
    """Composition-dipole factors of the pairs of eq. (5.4) (JSON-ready list of dicts, [1]);
    the mixed-beam column at ``material_n_e`` with attractor ``material_attractor``."""
    return composition_dipole.paper_pairs_table(n_e=p["material_n_e"],
                                                attractor=p["material_attractor"])


def material_summary(rows):
    """The material table as text: δ_{Z/A} (paper vs nusim) and the dipole factors η."""
    att = rows[0]["attractor"]
    n_e = rows[0]["n_e"]
    head = (f"{'pair':7s} {'δZ/A paper':>10s} {'δZ/A (A_r)':>10s} {'δZ/A (Ā)':>9s} "
            f"{'η(ν_e)':>8s} {'D.12':>7s} {'η(ν_μτ)':>8s} {'D.12':>7s} "
            f"{f'η(n_e={n_e:g}, {att})':>17s}")
    out = ["Material dependence (eqs. 5.4, D.12): composition-dipole factor η = (a_a − a_b)/ā",
           "of the α = 0 neutrino force from real atomic weights and isotopes; D.12 = "
           "2(4n_e − 1)δZ/A,", "its first-order form for one body changed.", head]
    for r in rows:
        out.append(f"{r['pair']:7s} {100 * r['delta_z_over_a_paper']:9.1f}% "
                   f"{100 * abs(r['delta_z_over_a']):9.2f}% "
                   f"{100 * abs(r['delta_z_over_a_isotopic']):8.2f}% "
                   f"{100 * r['eta_e']:7.2f}% {100 * r['d12_e']:6.2f}% "
                   f"{100 * r['eta_mu']:7.2f}% {100 * r['d12_mu']:6.2f}% "
                   f"{100 * r['eta_mixed']:16.3f}%")
    out.append(textwrap.fill(composition_dipole.CU_PB_NOTE, width=96))
    return "\n".join(out)


def figure_5_summary(fig5):
    """Figure 5's lines and gaps as text."""
    out = [f"Figure 5 (eq. 5.3 / Newton, α = 0, g₁g₂ = {fig5['coupling_factor']:g} per nucleon "
           "pair): δV/V_gravity"]
    for line in fig5["lines"]:
        span = (f"r ≤ {line['r_max_m']:g} m" if line["r_max_m"] < fig5["r_m"][-1]
                else "all r")
        out.append(f"  {line['name']:28s} {line['delta_v_over_v']:10.3e}   ({span})")
    for name, g in fig5["gaps"].items():
        out.append(f"  {name}: {g['orders_below']:.2f} orders of magnitude below "
                   f"{experiments.TABLE_4[g['nearest_sensitivity']].name}")
    return "\n".join(out)


def write(p, config, out, data, progress=True):
    """Write the figures, their CSV tables and results.json into ``out``; returns (files,
    summary text)."""
    from nusim import plotting
    from nusim.studies import output

    files = [plotting.paper_figure_3(data["fig3"], out / "fig3_potential_vs_distance.png"),
             plotting.paper_figure_4(data["fig4"], out / "fig4_eq4_11_vs_eq4_8.png"),
             plotting.paper_figure_5(data["fig5"],
                                     out / "fig5_neutrino_force_vs_sensitivities.png")]
    f3, f4, f5 = data["fig3"], data["fig4"], data["fig5"]
    files.append(output.write_csv(out / "fig3.csv", ["ell"] + [f"V_over_E_alpha_{a}deg"
                                                              for a in f3["curves"]],
                                  [f3["ell"]] + list(f3["curves"].values())))
    files.append(output.write_csv(out / "fig4_quadrature_points.csv",
                                  ["ell"] + [f"ell_I_eq4_8_alpha_{a}deg" for a in f4["curves"]],
                                  [f4["ell_points"]] + [c["ell_I_eq_4_8"]
                                                        for c in f4["curves"].values()]))
    r = np.asarray(f5["r_m"])
    cols = [[line["delta_v_over_v"] if line["r_min_m"] <= x <= line["r_max_m"] else ""
             for x in r] for line in f5["lines"]]
    files.append(output.write_csv(
        out / "fig5_lines.csv", ["r_m"] + [line["name"] for line in f5["lines"]],
        [r.tolist()] + cols,
        comment_lines=["Figure 5 of arXiv:2209.07082: δV/V_gravity [1] of eq. 5.3 at α = 0 "
                       "against r [m]; empty where a line stops (reactor: r > d/2)"]))
    files.append(output.write_csv(
        out / "fig5_table4_points.csv", ["key", "name", "r_m", "r_min_m", "r_max_m",
                                         "delta_v_over_v", "reference"],
        [[q[k] for q in f5["points"]] for k in ("key", "name", "r_m")]
        + [[(q["r_range_m"] or [q["r_m"]] * 2)[i] for q in f5["points"]] for i in (0, 1)]
        + [[q[k] for q in f5["points"]] for k in ("delta_v_over_v", "reference")]))
    rows = data["materials"]
    files.append(output.write_csv(
        out / "material_dipoles.csv",
        ["pair", "delta_z_over_a_paper", "delta_z_over_a", "delta_z_over_a_isotopic", "eta_e",
         "d12_e", "eta_mu", "d12_mu", "n_e", "attractor", "eta_mixed"],
        [[row[k] for row in rows] for k in ("pair", "delta_z_over_a_paper", "delta_z_over_a",
                                             "delta_z_over_a_isotopic", "eta_e", "d12_e",
                                             "eta_mu", "d12_mu", "n_e", "attractor",
                                             "eta_mixed")],
        comment_lines=["Composition-dipole factors [1] (eqs. 5.4, D.12 of arXiv:2209.07082)",
                       composition_dipole.CU_PB_NOTE]))
    files.append(output.write_json(out / "results.json", data, config=config))
    return files, figure_5_summary(f5) + "\n\n" + material_summary(rows)
