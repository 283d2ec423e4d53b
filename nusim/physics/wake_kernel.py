"""The directional kernel in the mixed (transverse-Fourier) representation, as a surface kernel.

For a beam along k̂ with spectrum dΦ/dE = φ(E), the transverse Fourier transform of the pair
potential (eq. 4.12 summed over the spectrum as in eq. C.9; design note §4) at axial separation
z = r·k̂ is, per g₁g₂,

    Ṽ(q, z) = −2 G_F² ∫dE φ(E) sin(q² |z| / 2E),          Ṽ_R(q, z) = 2 θ(z) Ṽ(q, z)   (§7).

This is the exact transform of the retarded kernel up to relative corrections q²/E² and
q⁴|z|/E³ (Weyl's expansion of e^{iEr}/r; k_z = √(E² − q²)), i.e. it holds whenever the bodies'
features are ≫ 1/E — every macroscopic body (1/E ≈ 2e-13 m at 1 MeV). The even partner U_R(−r)
has phase 2E|z| and amplitude q²/E² and is dropped. Because Ṽ(q → 0) = 0, Ṽ = q² 𝒢̃ and for
densities ρ₁, ρ₂

    U = ∫∫ ρ₁ ρ₂ V = ∫∫ ∇⊥ρ₁ · ∇⊥ρ₂ ∗ 𝒢,    𝒢(s, z) = −(G_F² Φ / 2π) a(s² / 2|z|),

    a(w) = (1/Φ) ∫ dE φ(E) [π/2 − Si(E w)] = (1/Φ) ∫_w^∞ Im χ₀(t) dt / t,   χ₀(t) = ∫dE φ e^{iEt},

(∫₀^∞ J₀(qs) sin(bq²) dq/q = ½[π/2 − Si(s²/4b)]). a is dimensionless, a(0) = π/2, and
∫₀^∞ a(w) dw = ⟨1/E⟩ [eV⁻¹], so ∫ d²s 𝒢 = −G_F² Φ ⟨1/E⟩ |z|: the near-field formula of design
note §4 is the limit of a kernel of width √(|z|/E). Its axial derivative is

    ∂𝒢/∂|z| = −(G_F² Φ / 2π|z|) b(w),     b(w) = Im χ₀(w) / Φ = −w a'(w).

For a spectrum of Gaussian components (weights Φ_k, centres μ_k, widths σ_k; :mod:`beam`)
b(w) = Σ_k (Φ_k/Φ) sin(μ_k w) e^{−σ_k² w²/2} is analytic and a(w) = π/2 − ∫₀^w b(t)/t dt is
tabulated here once per spectrum on a uniform grid (32 points per period of the fastest
component; cubic Hermite interpolation with exact derivatives, relative error ~1e-6) up to
w_max where every component is damped by e^{−32}. A strictly monochromatic line (σ = 0) has
b(w) = sin(Ew), which never decays: its surface integrals exist only in Abel's sense, as the
design note says. We give such lines a relative width ``min_relative_width`` (default 1e-4,
below the natural and Doppler widths of every physical line, e.g. ⁷Be: 2e-3) — the Abel
regulator, documented where it is used; it changes a(w) only at E w ≳ 1e4.

Units: w [eV⁻¹], a and b dimensionless. References: [1] M. Ghosh et al., JHEP 02 (2023) 092,
arXiv:2209.07082, eqs. (4.12), (C.9); [2] nusim design note §3, §4, §7.
"""

import dataclasses
import functools
import math
from dataclasses import dataclass

import numba as nb
import numpy as np

from nusim.errors import ArgumentError

#: relative width given to lines narrower than this (Abel regulator of a monochromatic beam)
MIN_RELATIVE_WIDTH = 1e-4
#: table points per period 2π/μ_max of the fastest component
POINTS_PER_PERIOD = 32
#: the table ends where every component is damped by e^{−DAMPING²/2}
DAMPING = 8.0
#: refuse tables longer than this (a line far narrower than physical lines)
MAX_TABLE = 4_000_000


@dataclass(frozen=True)
class SurfaceKernelTable:
    """a(w), a'(w), b(w), b'(w) on w_j = j·step, j = 0 … n−1 [w in eV⁻¹]; zero beyond.

    ``mean_inverse_energy`` = ∫₀^∞ a dw [eV⁻¹]; ``flux`` Φ [eV³]; ``widths`` the σ_k used [eV].
    """

    step: float
    a: np.ndarray
    da: np.ndarray
    b: np.ndarray
    db: np.ndarray
    flux: float
    mean_inverse_energy: float
    max_energy: float
    min_energy: float
    regulated: bool

    @property
    def w_max(self):
        """End of the table [eV⁻¹]: a and b are < e^{−32} beyond."""
        return self.step * (self.a.size - 1)


def _components(spectrum, min_relative_width):
    f, m, s = spectrum.arrays()
    s_eff = np.maximum(s, min_relative_width * m)
    return f / f.sum(), m, s_eff, bool(np.any(s < min_relative_width * m))


def b_function(w, weights, means, sigmas):
    """b(w) = Σ_k p_k sin(μ_k w) e^{−σ_k² w²/2} and b'(w) [w in eV⁻¹, b dimensionless]."""
    w = np.asarray(w, float)[..., None]
    damp = np.exp(-0.5 * (sigmas * w) ** 2)
    b = np.sum(weights * np.sin(means * w) * damp, -1)
    slope = means * np.cos(means * w) - sigmas**2 * w * np.sin(means * w)
    db = np.sum(weights * slope * damp, -1)
    return b, db


def _b_over_t(t, weights, means, sigmas):
    """f = b(t)/t and f'(t), stable at t → 0 (sinc forms)."""
    t = np.asarray(t, float)[..., None]
    x = means * t
    small = np.abs(x) < 1e-3
    xs = np.where(small, 1.0, x)
    sinc = np.where(small, 1 - x**2 / 6 + x**4 / 120, np.sin(xs) / xs)
    dsinc = np.where(small, -x / 3 + x**3 / 30, (xs * np.cos(xs) - np.sin(xs)) / xs**2)
    damp = np.exp(-0.5 * (sigmas * t) ** 2)
    f = np.sum(weights * means * sinc * damp, -1)
    df = np.sum(weights * means * (means * dsinc - sigmas**2 * t * sinc) * damp, -1)
    return f, df


@nb.njit(cache=True, fastmath=False)
def _table_columns(step, n, weights, means, sigmas):
    """f = b/w, f', b, b' on w_j = j·step (numba twin of _b_over_t and b_function; components
    are skipped where damped below e^{−DAMPING²/2})."""
    f = np.zeros(n)
    df = np.zeros(n)
    b = np.zeros(n)
    db = np.zeros(n)
    for j in range(n):
        t = j * step
        for k in range(weights.size):
            st = sigmas[k] * t
            if st > DAMPING:
                continue
            damp = weights[k] * math.exp(-0.5 * st * st)
            x = means[k] * t
            sx = math.sin(x)
            cx = math.cos(x)
            if abs(x) < 1e-3:
                sinc = 1 - x * x / 6 + x**4 / 120
                dsinc = -x / 3 + x**3 / 30
            else:
                sinc = sx / x
                dsinc = (x * cx - sx) / (x * x)
            f[j] += means[k] * sinc * damp
            df[j] += means[k] * (means[k] * dsinc - sigmas[k] ** 2 * t * sinc) * damp
            b[j] += sx * damp
            db[j] += (means[k] * cx - sigmas[k] ** 2 * t * sx) * damp
    return f, df, b, db


def surface_kernel_table(spectrum, min_relative_width=MIN_RELATIVE_WIDTH,
                         points_per_period=POINTS_PER_PERIOD):
    """Tabulate a(w) and b(w) of the module docstring for a ``BeamSpectrum``.

    Lines narrower than ``min_relative_width`` × energy get that width (Abel regulator);
    ``regulated`` in the result says whether any did. a and b depend only on the spectrum's
    shape (the flux-normalised components), so the tables are cached per shape and shared by
    spectra that differ by a flux factor (the Sun over a day; a reactor at another distance);
    do not modify the arrays of the result.
    """
    if not min_relative_width > 0:
        raise ArgumentError("surface_kernel_table: min_relative_width must be > 0 (the Abel "
                            "regulator of a monochromatic beam)")
    table = _shape_table(_shape_key(spectrum), float(min_relative_width),
                         int(points_per_period))
    return dataclasses.replace(table, flux=float(spectrum.total_flux))


def surface_kernel_table_uncached(spectrum, min_relative_width=MIN_RELATIVE_WIDTH,
                                  points_per_period=POINTS_PER_PERIOD):
    """:func:`surface_kernel_table` built afresh (for timing the one-off cost)."""
    table = _build_shape_table(_shape_key(spectrum), float(min_relative_width),
                               int(points_per_period))
    return dataclasses.replace(table, flux=float(spectrum.total_flux))


def _shape_key(spectrum):
    """(p_k, μ_k, σ_k): the flux-normalised components, relative fluxes to 13 digits (a flux
    factor changes them only in the last bits)."""
    f, m, s = spectrum.arrays()
    return (tuple(float(x) for x in np.round(f / f.sum(), 13)), tuple(m.tolist()),
            tuple(s.tolist()))


def _build_shape_table(key, min_relative_width, points_per_period):
    """The table of a flux-normalised spectrum shape ``key`` = (p_k, μ_k, σ_k) (flux 1)."""
    from nusim.physics.beam import BeamSpectrum

    spectrum = BeamSpectrum(*key)
    p, mu, sig, regulated = _components(spectrum, min_relative_width)
    step = 2 * math.pi / (points_per_period * mu.max())
    w_max = DAMPING / sig.min()
    n = int(math.ceil(w_max / step)) + 1
    if n > MAX_TABLE:
        raise ArgumentError(f"surface_kernel_table: a line of relative width "
                            f"{sig.min() / mu[np.argmin(sig)]:.2g} needs {n} table points (limit "
                            f"{MAX_TABLE}); give the line its physical width or raise "
                            f"min_relative_width")
    f, df, b, db = _table_columns(step, n, p, mu, sig)
    # cumulative ∫₀^w f dt, trapezoid with the Euler–Maclaurin end correction (error h⁴ f'''')
    cell = 0.5 * step * (f[1:] + f[:-1]) + step**2 / 12 * (df[:-1] - df[1:])
    integral = np.concatenate([[0.0], np.cumsum(cell)])
    a = 0.5 * math.pi - integral
    da = -f
    # ∫₀^∞ a dw = ⟨1/E⟩ (Abel); with Hermite cells: h/2 (a0 + a1) + h²/12 (a0' − a1')
    mean_inv = float(np.sum(0.5 * step * (a[1:] + a[:-1]) + step**2 / 12 * (da[:-1] - da[1:])))
    for arr in (a, da, b, db):
        arr.flags.writeable = False
    return SurfaceKernelTable(step, a, da, b, db, float(spectrum.total_flux), mean_inv,
                              float(mu.max()), float(mu.min()), regulated)


#: the table of a shape, cached (maxsize 32: a few spectra per study)
_shape_table = functools.lru_cache(maxsize=32)(_build_shape_table)


@nb.njit(cache=True, fastmath=False)
def table_eval(w, step, vals, ders):
    """Cubic Hermite interpolation of a tabulated function at w ≥ 0 (0 beyond the table, and
    for w = inf or nan)."""
    x = w / step
    # compare before converting: in numba int(x) of x ≥ 2**63 (a pair with |Δz| ~ 0 and a
    # finite offset: w = s²/2|Δz| → ∞), inf or nan is INT64_MIN, which passes a test on j and
    # reads memory outside the table with t = x − j ~ 1e19 (a garbage value × 1e57)
    if not x < vals.size - 1:
        return 0.0
    j = int(x)
    t = x - j
    t2 = t * t
    t3 = t2 * t
    h00 = 2 * t3 - 3 * t2 + 1
    h10 = t3 - 2 * t2 + t
    h01 = -2 * t3 + 3 * t2
    h11 = t3 - t2
    return h00 * vals[j] + h10 * step * ders[j] + h01 * vals[j + 1] + h11 * step * ders[j + 1]


def a_function(w, table):
    """a(w) from the table (numpy convenience around :func:`table_eval`)."""
    w = np.atleast_1d(np.asarray(w, float))
    return np.array([table_eval(x, table.step, table.a, table.da) for x in w])


def b_table(w, table):
    """b(w) from the table."""
    w = np.atleast_1d(np.asarray(w, float))
    return np.array([table_eval(x, table.step, table.b, table.db) for x in w])
