"""Reference result: the directional beam energy of two uniform coaxial spheres (design note §5).

For two uniform spheres of radius a (unit number density), centres D apart along the beam
direction k̂ (point source, monochromatic E), the long-distance beam energy per g₁g₂G_F²ΦE/π is

    U = ∫ d³r C(|r − D k̂|) K(r),   K(r) = −(1/r)[c₂ cos((1 − c)E r) + s₂ cos((1 + c)E r)]

(eq. 4.12 of [1] with c = cos α, c₂ = cos²(α/2), s₂ = sin²(α/2)), where C(d) = π(4a + d)(2a − d)²/12
(d < 2a) is the overlap volume of two spheres whose centres are d apart. By axial symmetry
U = 2π ∫ r² dr ∫ d(cos α) C(√(r² + D² − 2rD cos α)) K(r, α), a 2-D quadrature done here with
composite Gauss–Legendre rules fine enough for the oscillation. Its naive (α = 0, eq. 5.3)
counterpart is U_naive = −M₁M₂/D with M = 4πa³/3. The retarded kernel (design note §7) replaces
the bracket by (1 + c) cos((1 − c)E r).

Units: any consistent length unit L; E in 1/L; U in L⁵ × (per g₁g₂G_F²ΦE/π). This is the
independent method the Monte Carlo estimators are checked against.

References
----------
[1] M. Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082.
[2] nusim design note (shared/design/directional-force-between-bodies.md) §5, §7.
"""

import math

import numpy as np

from nusim.errors import ArgumentError
from nusim.physics._checks import choice, positive


def lens_volume(d, a):
    """Overlap volume C(d) = π(4a + d)(2a − d)²/12 of two spheres of radius a, centres d apart
    (d < 2a; 0 beyond) [L³]."""
    d = np.asarray(d, float)
    return np.where(d < 2 * a, math.pi * (4 * a + d) * (2 * a - d) ** 2 / 12, 0.0)


def coaxial_spheres_energy(radius, distance, energy, kernel="symmetric", panels_per_phase=1.0,
                           nodes=16):
    """U of two uniform coaxial spheres in a beam along their axis (design note §5).

    Parameters
    ----------
    radius : a [L]; distance : centre distance D > 2a [L]; energy : E [1/L]
    kernel : {"symmetric", "retarded"}
    panels_per_phase, nodes : composite Gauss–Legendre resolution: about one panel of ``nodes``
        nodes per radian of phase (1 − c)E r in cos α and per radian of E r·(1−c) change in r

    Returns
    -------
    (U, U_naive) in L⁵ per g₁g₂G_F²ΦE/π, with U_naive = −M²/D, M = 4πa³/3.
    """
    func = "coaxial_spheres_energy"
    a = float(positive("radius", radius, func))
    dist = float(positive("distance", distance, func))
    e = float(positive("energy", energy, func))
    choice("kernel", kernel, ("symmetric", "retarded"), func)
    if dist <= 2 * a:
        raise ArgumentError(f"{func}: distance {dist!r} must exceed the diameter {2 * a!r}")
    x, w = np.polynomial.legendre.leggauss(nodes)
    r_lo, r_hi = dist - 2 * a, dist + 2 * a
    # in r the forward phase (1 − c)E r changes by ≲ 4a²E/(D − 2a) and the backward one
    # (1 + c)E r by ≲ 2E·4a over the support
    max_phase = e * 4 * a**2 / r_lo + 8 * e * a
    n_r = int(math.ceil(panels_per_phase * max_phase / math.pi)) + 8
    edges = np.linspace(r_lo, r_hi, n_r + 1)
    half = 0.5 * np.diff(edges)
    r_nodes = ((edges[:-1] + edges[1:])[:, None] / 2 + half[:, None] * x).ravel()
    r_w = (half[:, None] * w).ravel()
    total = 0.0
    for r, wr in zip(r_nodes, r_w, strict=True):
        c_min = (r * r + dist * dist - 4 * a * a) / (2 * r * dist)
        if c_min >= 1:
            continue
        c_min = max(c_min, -1.0)
        # u = 1 − c ∈ [0, 1 − c_min]: phase E r u
        u_max = 1 - c_min
        n_c = int(math.ceil(panels_per_phase * e * r * u_max / math.pi)) + 2
        ue = np.linspace(0.0, u_max, n_c + 1)
        uh = 0.5 * np.diff(ue)
        u = ((ue[:-1] + ue[1:])[:, None] / 2 + uh[:, None] * x).ravel()
        wu = (uh[:, None] * w).ravel()
        c = 1 - u
        d = np.sqrt(np.maximum(r * r + dist * dist - 2 * r * dist * c, 0.0))
        c2, s2 = 1 - u / 2, u / 2                       # cos²(α/2), sin²(α/2)
        if kernel == "retarded":
            bracket = 2 * c2 * np.cos(u * e * r)
        else:
            bracket = c2 * np.cos(u * e * r) + s2 * np.cos((2 - u) * e * r)
        total += wr * r * r * float(wu @ (lens_volume(d, a) * (-bracket / r)))
    mass = 4 * math.pi * a**3 / 3
    return 2 * math.pi * total, -mass * mass / dist
