"""Study "paper_figures": the data of figures 3 and 4 of the founding paper.

Figure 3: V_bkg(r, α) in units of E with the factor G_F² g₁g₂ Φ₀ E omitted, i.e. −I(ℓ, α)/π³
(eq. 4.5), against ℓ = E r for α = 0°, 30°, 60°, 90°. Figure 4: ℓ·I(ℓ, α) from eq. (4.8) by
quadrature (points) against eq. (4.11) (line) for α = 30°, 45°, 60°, 90°.
"""

import math

import numpy as np
from tqdm import tqdm

from nusim.physics import directional as d

#: keys of the [paper_figures] table and their defaults
DEFAULTS = {
    "fig3_alphas_deg": [0.0, 30.0, 60.0, 90.0],
    "fig3_ell_min": 0.5,
    "fig3_ell_max": 20.0,
    "fig4_alphas_deg": [30.0, 45.0, 60.0, 90.0],
    "fig4_ell_max": 60.0,
    "fig4_quadrature_points": 60,
}


def compute(params, progress=True):
    """Curves of figures 3 and 4 as plain lists (JSON-ready).

    params: the [paper_figures] table with DEFAULTS filled in. Returns a dict with, per figure,
    ``ell`` [1] and per-angle arrays: fig3 ``v_over_e`` = −I/π³ [1]; fig4 ``ell_I_eq_4_8``
    (quadrature) and ``ell_I_eq_4_11`` [1], plus ``max_abs_diff_eq_4_8_vs_closed_form`` [1].
    """
    ell3 = np.linspace(params["fig3_ell_min"], params["fig3_ell_max"], 800)
    fig3 = {"ell": ell3.tolist(), "curves": {}}
    for a in params["fig3_alphas_deg"]:
        fig3["curves"][f"{a:g}"] = (-d.directional_integral(ell3, math.radians(a))
                                    / math.pi**3).tolist()
    ell_line = np.linspace(0.2, params["fig4_ell_max"], 1200)
    ell_pts = np.linspace(0.5, params["fig4_ell_max"], int(params["fig4_quadrature_points"]))
    fig4 = {"ell_line": ell_line.tolist(), "ell_points": ell_pts.tolist(), "curves": {}}
    jobs = [(a, l) for a in params["fig4_alphas_deg"] for l in ell_pts]
    quad = {}
    for a, l in tqdm(jobs, desc="eq. (4.8) quadrature", disable=not progress, unit="pt"):
        quad[(a, l)] = float(d.directional_integral(l, math.radians(a), method="quadrature"))
    worst = 0.0
    for a in params["fig4_alphas_deg"]:
        rad = math.radians(a)
        q = np.array([quad[(a, l)] for l in ell_pts])
        worst = max(worst, float(np.max(np.abs(q - d.directional_integral(ell_pts, rad)))))
        fig4["curves"][f"{a:g}"] = {
            "ell_I_eq_4_8": (ell_pts * q).tolist(),
            "ell_I_eq_4_11": (ell_line * d.asymptotic_integral(ell_line, rad)).tolist(),
        }
    fig4["max_abs_diff_eq_4_8_vs_closed_form"] = worst
    return {"fig3": fig3, "fig4": fig4}
