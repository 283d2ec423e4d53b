"""Reference results for thin coaxial disks in a beam along their axis (design note §4).

Kernel per g₁g₂G_F²ΦE/π and unit areal densities: the paraxial long-distance kernel
(1/r) cos(E(r − z)) of eq. (4.12) at α → 0 (the naive counterpart is 1/z, eq. 5.3).

* Point on the axis facing a disk of radius a at distance z: exact,
  ∫ d²s (1/r) cos(E(r − z)) = (2π/E) sin(E(√(z² + a²) − z)); relative to the naive πa²/z it
  is sin(N_F/2)/(N_F/2) in the paraxial limit, N_F = E a²/z.
* Two identical coaxial disks: with A(ρ) the overlap area of two disks whose centres are ρ
  apart, U = ∫₀^{2a} 2πρ A(ρ) cos(E(√(z² + ρ²) − z))/√(z² + ρ²) dρ (exact), and paraxially
  U/U_naive = (1/N_F) ∫₀^∞ x [2J₁(x)/x]² sin(x²/(2N_F)) dx → (2/√π) N_F^{−3/2} for N_F ≫ 1.
Lengths in any unit L, E in 1/L. Independent references for the directional estimators.

References
----------
[1] M. Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eq. (4.12).
[2] nusim design note (shared/design/directional-force-between-bodies.md) §4.
"""

import math

import numpy as np
import scipy.integrate
import scipy.special

from nusim.physics._checks import positive


def point_disk_integral(radius, distance, energy):
    """∫_disk d²s (1/r) cos(E(r − z)) = (2π/E) sin(E(√(z² + a²) − z)) [L] (exact, design note §4).

    radius a [L] > 0, distance z [L] > 0, energy E [1/L] > 0. The path difference is computed as
    a²/(√(z² + a²) + z) so that large z keeps its digits.
    """
    a = positive("radius", radius, "point_disk_integral")
    z = positive("distance", distance, "point_disk_integral")
    e = positive("energy", energy, "point_disk_integral")
    return (2 * math.pi / e) * np.sin(e * a**2 / (np.sqrt(z**2 + a**2) + z))


def disk_overlap_area(rho, radius):
    """Overlap area of two disks of radius a whose centres are ρ apart (0 for ρ ≥ 2a) [L²]."""
    a = float(radius)
    rho = np.clip(np.asarray(rho, float), 0.0, 2 * a)
    return 2 * a**2 * np.arccos(rho / (2 * a)) - 0.5 * rho * np.sqrt(4 * a**2 - rho**2)


def coaxial_disks_energy(radius, distance, energy, nodes=64, panels=None):
    """U of two identical coaxial thin disks (unit areal density) in a beam along their axis,
    exact 1-D quadrature over the centre offset ρ; returns (U, U_naive = (πa²)²/z) [L³]."""
    a = float(positive("radius", radius, "coaxial_disks_energy"))
    z = float(positive("distance", distance, "coaxial_disks_energy"))
    e = float(positive("energy", energy, "coaxial_disks_energy"))
    phase = e * 4 * a**2 / (math.sqrt(z**2 + 4 * a**2) + z)     # largest E(r − z)
    n = panels or int(math.ceil(phase / math.pi)) + 4
    x, w = np.polynomial.legendre.leggauss(nodes)
    edges = np.linspace(0.0, 2 * a, n + 1)
    half = 0.5 * np.diff(edges)
    rho = ((edges[:-1] + edges[1:])[:, None] / 2 + half[:, None] * x).ravel()
    wt = (half[:, None] * w).ravel()
    r = np.sqrt(z**2 + rho**2)
    path = rho**2 / (r + z)
    u = float(wt @ (2 * math.pi * rho * disk_overlap_area(rho, a) * np.cos(e * path) / r))
    return u, (math.pi * a**2) ** 2 / z


def coaxial_disks_ratio_paraxial(fresnel_number, intervals=4000):
    """(1/N_F) ∫₀^∞ x [2J₁(x)/x]² sin(x²/(2N_F)) dx: U/U_naive of two coaxial disks (paraxial).

    Summed over the half-periods of sin(x²/2N_F) (x_k = √(2πkN_F)); the series of alternating
    tails is averaged over its last two partial sums (Abel-like), accurate to ~1e-4 at N_F = 0.03
    and ≲1e-7 for N_F ≥ 0.3 with the default 4000 intervals.
    """
    nf = float(positive("fresnel_number", fresnel_number, "coaxial_disks_ratio_paraxial"))

    def f(x):
        if x == 0.0:
            return 0.0
        return x * (2 * scipy.special.j1(x) / x) ** 2 * math.sin(x * x / (2 * nf))

    xs = np.sqrt(2 * math.pi * nf * np.arange(intervals + 1))
    parts = np.array([scipy.integrate.quad(f, xs[i], xs[i + 1], limit=200)[0]
                      for i in range(intervals)])
    sums = np.cumsum(parts)
    return 0.5 * (sums[-1] + sums[-2]) / nf
