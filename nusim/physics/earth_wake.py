"""The Earth's neutrino wake at night: the retarded near-field force on a small body at the surface.

At night the solar beam (direction of travel k̂) crosses the Earth before the laboratory, so a
test body sits downstream of the whole Earth, deep inside its near field (wake width
√(z/E) ≈ 3 mm for z ≈ 10⁴ km, E ≈ 0.3 MeV, against the Earth's scale R_E; design note §8).

Derivation (design note [2] §7, §8). The retarded near-field energy of body 2 in the wake of
body 1 is

    U_R = −2 G_F² Φ⟨1/E⟩ ∫dz₁dz₂ θ(z₂ − z₁)(z₂ − z₁) ∫d²s ∇⊥ρ₁(s, z₁)·∇⊥ρ₂(s, z₂)     (W1)

(ρ the weak-charge densities, z along k̂, s transverse). Let body 2 be small (charge Q at
transverse position s_b, axial position Z) and let every line along k̂ through it cross the
whole Earth first (night). Integrating by parts in s (Σ₂ = ∫ρ₂dz has compact support),

    U_R = 2 G_F² Φ⟨1/E⟩ Q ∇⊥²M(s_b; Z),   M(s; Z) = ∫dz₁ (Z − z₁) ρ₁(s, z₁) = Z Σ_E(s) − P_E(s),

with Σ_E = ∫ρ₁dz the Earth's column and P_E = ∫z ρ₁ dz. For a spherically symmetric Earth
(uniform or layered) P_E ≡ 0 (z → −z), so U_R = 2G_F²Φ⟨1/E⟩ Q Z ∇⊥²Σ_E(s_b) and the force
F = −∇U_R has the components

    F_∥ = −2 G_F² Φ⟨1/E⟩ Q ∇⊥²Σ_E(s)                 along k̂       (W2, = §7's F₂)
    F_s = −2 G_F² Φ⟨1/E⟩ Q Z ∂_s ∇⊥²Σ_E(s)          along ŝ       (W3, away from the axis)

(ŝ the transverse unit vector from the beam line through the Earth's centre to the body). For a
uniform sphere (radius R, weak-charge density n), Σ_E = 2n√(R² − s²),
∇⊥²Σ_E = −2n(2R² − s²)/(R² − s²)^{3/2}, ∂_s∇⊥²Σ_E = −2n s(4R² − s²)/(R² − s²)^{5/2}; at the
surface s = R sin ζ, Z = R cos ζ (ζ the Sun's nadir angle, ζ = 90° + Sun altitude):

    F_∥ = A (1 + cos²ζ)/cos³ζ,   F_s = A sin ζ (3 + cos²ζ)/cos⁴ζ,   A = 4G_F²Φ⟨1/E⟩ n Q / R;
    vertical (up) F_u = A (2 + sin²ζ)/cos⁴ζ,   horizontal F_h = A · 2 sin ζ/cos³ζ        (W4)

with F_h pointing *towards the Sun's azimuth* (against the beam's horizontal projection,
design note §8). Layered (PREM-like) Earths are sums of uniform spheres (density steps Δn_k at
radii R_k), so (W2), (W3) are sums of the same closed forms; at a density step the column has a
√ edge and its curvature is singular where the lab crosses the step's silhouette (s = R_k).

Finite body: −∫Σ₂∇²Σ_E = −Q[∇²Σ_E + (b²/10)∇⁴Σ_E + O(b⁴)] for a uniform sphere of radius b,
so the force per unit charge is shape-independent up to a relative O(b²/(R cos²ζ)²) ≈ 1e-18.

Flavour. The wave scattered at depth z₁ interferes at the body with the incident wave;
g = g_NC 𝟙 + g_CC P_e in flavour space (Q_μ = Q_τ = NC part, Q_e − Q_μ = CC part per
electron). For solar neutrinos (incoherent mass eigenstates, fractions p_i) the product of the two
charges is weighted by Tr[ρ U†g₂U g₁]: NC·NC by Φ⟨1/E⟩, NC·CC and CC·NC by Φ⟨P_ee/E⟩, and CC·CC
by Φ⟨C_ee/E⟩ with C_ee = Σ_ij p_i |U_ei|²|U_ej|² e^{i(φ_i − φ_j)}. Lab-size separations
("local", φ_i = φ_j): C_ee = P_ee, i.e. per channel Φ_e⟨1/E⟩_e Q_e Q_e + Φ_μ⟨1/E⟩_μ Q_μ Q_μ.
Across the Earth (paths ≫ the Δm²₂₁ oscillation length, ≈ 10 km at 0.3 MeV), the phases average
("decohered"): C_ee = Σ p_i|U_ei|⁴ = c₁₃²(P_ee − s₁₃⁴) + c₁₃⁶[(c₁₂⁴ + s₁₂⁴) − 1]/2 + s₁₃⁶,
affine in P_ee (adiabatic LMA: p₁,₂ = c₁₃² cos², sin² θ₁₂^m, p₃ = s₁₃²), so its spectral mean
follows from the ν_e channel's Φ_e⟨1/E⟩_e exactly. Default "decohered"; Earth-matter
regeneration (≲ 0.2 % for pp, a few % for ⁸B) is neglected.

Units: the physics core works with SI lengths/densities and converts once to eV powers
(:mod:`nusim.units`); the boundary is SI: metres, kg m⁻³, radians or degrees as named,
accelerations [m s⁻²].

References
----------
[1] M. Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082.
[2] nusim design note shared/design/directional-force-between-bodies.md §4, §7, §8.
[3] A. M. Dziewonski, D. L. Anderson, "Preliminary reference Earth model", Phys. Earth Planet.
    Inter. 25 (1981) 297, doi:10.1016/0031-9201(81)90046-7 (table of density polynomials).
[4] W. F. McDonough, "Compositional model for the Earth's core", Treatise on Geochemistry 2
    (2003) 547, doi:10.1016/B0-08-043751-6/02015-6 (bulk-Earth composition).
[5] S. Schlamminger et al., PRL 100, 041101 (2008), arXiv:0712.0607 (Washington 2007).
"""

import math
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from nusim import units
from nusim.constants import NEWTON_G, Constant
from nusim.errors import ArgumentError
from nusim.physics import couplings
from nusim.physics._checks import as_array, choice, positive

__all__ = ["EARTH_GM", "EARTH_MEAN_RADIUS", "BULK_EARTH_MASS_FRACTIONS", "EarthModel",
           "uniform_earth", "prem_shells_earth", "column_density", "column_laplacian",
           "column_laplacian_gradient", "wake_geometry", "wake_geometry_quadrature",
           "channel_weights", "earth_wake_acceleration", "differential_acceleration",
           "washington_2007_earth_wake", "FLAVOUR_MODELS"]

# --------------------------------------------------------------------------------------------
# Earth data (cited records; not in nusim.constants, as SOLAR_RADIUS lives in sources.solar)

EARTH_GM = Constant("nominal terrestrial mass parameter", "GM_E", 3.986004e14, "m^3 s^-2", 0.0,
                    "IAU 2015 Resolution B3 (nominal value, exact by definition)", exact=True)
EARTH_MEAN_RADIUS = Constant("mean Earth radius", "R_E", 6.3710088e6, "m", 0.0,
                             "IUGG mean radius R₁ of GRS80: H. Moritz, J. Geodesy 74 (2000) 128",
                             exact=True)
#: bulk-Earth mass fractions [4] (table of bulk Earth, wt %, as recalled; sum 99.675 %,
#: renormalised to 1 by :func:`uniform_earth`)
BULK_EARTH_MASS_FRACTIONS = MappingProxyType({
    "Fe": 0.320, "O": 0.297, "Si": 0.161, "Mg": 0.154, "Ni": 0.0182, "Ca": 0.0171,
    "Al": 0.0159, "S": 0.00635, "Cr": 0.0047, "Na": 0.0018, "P": 0.0007})

#: PREM [3] density polynomials ρ(x) [g cm⁻³], x = r/6371 km, per region (r_in, r_out) [km]
_PREM = (((0.0, 1221.5), (13.0885, 0.0, -8.8381, 0.0)),
         ((1221.5, 3480.0), (12.5815, -1.2638, -3.6426, -5.5281)),
         ((3480.0, 5701.0), (7.9565, -6.4761, 5.5283, -3.0807)),
         ((5701.0, 5771.0), (5.3197, -1.4836, 0.0, 0.0)),
         ((5771.0, 5971.0), (11.2494, -8.0298, 0.0, 0.0)),
         ((5971.0, 6151.0), (7.1089, -3.8045, 0.0, 0.0)),
         ((6151.0, 6346.6), (2.6910, 0.6924, 0.0, 0.0)),
         ((6346.6, 6356.0), (2.900, 0.0, 0.0, 0.0)),
         ((6356.0, 6371.0), (2.600, 0.0, 0.0, 0.0)))      # continental: upper crust to the top
#: the five shells of :func:`prem_shells_earth` (outer radius [km] of each, PREM regions merged)
_PREM_SHELLS_KM = ((1221.5, "inner core"), (3480.0, "outer core"), (5701.0, "lower mantle"),
                   (6346.6, "upper mantle and transition zone"), (6371.0, "crust"))

FLAVOUR_MODELS = ("decohered", "local")
_HC = units.HBARC_EV_M          # ħc [eV m]


@dataclass(frozen=True)
class EarthModel:
    """A spherically symmetric Earth of uniform shells with one composition.

    Attributes
    ----------
    radii_m : (k,) increasing outer radii of the shells [m]
    densities_kg_m3 : (k,) mass density of each shell [kg m⁻³]
    charges_per_kg : FlavourCharges of the composition [kg⁻¹] (eqs. D.2, D.3 of [1])
    name, source : str
    """

    radii_m: tuple
    densities_kg_m3: tuple
    charges_per_kg: couplings.FlavourCharges
    name: str
    source: str

    @property
    def radius_m(self):
        """Outer radius [m]."""
        return self.radii_m[-1]

    @property
    def mass_kg(self):
        """Total mass [kg]."""
        r = np.concatenate([[0.0], self.radii_m])
        return float(np.sum(np.asarray(self.densities_kg_m3) * 4 * math.pi / 3
                            * np.diff(r**3)))

    def steps(self):
        """(radii [m], density steps Δρ_k = ρ_k − ρ_{k+1} at each radius [kg m⁻³])."""
        rho = np.asarray(self.densities_kg_m3, float)
        return np.asarray(self.radii_m, float), rho - np.append(rho[1:], 0.0)


def _bulk_charges():
    total = sum(BULK_EARTH_MASS_FRACTIONS.values())
    comp = couplings.mixture_composition({k: v / total for k, v in
                                          BULK_EARTH_MASS_FRACTIONS.items()}, name="bulk Earth")
    return couplings.charges_per_kg(comp)


def uniform_earth():
    """The Earth as a uniform sphere: mean radius, mass GM_E/G_N, bulk composition [4]."""
    radius = EARTH_MEAN_RADIUS.value
    mass = EARTH_GM.value / NEWTON_G.value
    rho = mass / (4 * math.pi / 3 * radius**3)
    return EarthModel((radius,), (rho,), _bulk_charges(), "uniform Earth",
                      f"{EARTH_MEAN_RADIUS.source}; mass GM_E/G_N ({EARTH_GM.source}, CODATA "
                      f"2018 G_N); bulk composition of [4] everywhere")


def prem_shells_earth():
    """A PREM-like Earth of five uniform shells (inner and outer core, lower mantle, upper
    mantle with transition zone, continental crust), each with the mean PREM [3] density of its
    regions; bulk composition [4] everywhere (the core's lower Z/A is neglected: ≲ 3 % on the
    charges). Total mass 5.97e24 kg (within 0.1 % of GM_E/G_N)."""
    x_scale = 6371.0
    radii, dens, mass, vol = [], [], 0.0, 0.0
    shells = iter(_PREM_SHELLS_KM)
    top, _ = next(shells)
    for (lo, hi), coeffs in _PREM:
        # ∫ρ r² dr of the cubic in x = r/6371, exactly (polynomial)
        poly = np.polynomial.Polynomial(coeffs) * np.polynomial.Polynomial((0, 0, 1))
        integ = poly.integ()
        mass += (integ(hi / x_scale) - integ(lo / x_scale)) * x_scale**3
        vol += ((hi / x_scale) ** 3 - (lo / x_scale) ** 3) / 3 * x_scale**3
        if hi == top:
            radii.append(hi * 1e3)
            dens.append(mass / vol * 1e3)          # g cm⁻³ → kg m⁻³
            mass, vol = 0.0, 0.0
            top = next(shells, (None,))[0]
    return EarthModel(tuple(radii), tuple(dens), _bulk_charges(), "PREM five shells",
                      "PREM [3] mean density per shell; bulk composition of [4]")


# --------------------------------------------------------------------------------------------
# the Earth's column and its derivatives (closed forms)

def _earth(earth, func):
    if earth is None:
        return uniform_earth()
    if not isinstance(earth, EarthModel):
        raise ArgumentError(f"{func}: earth={earth!r} must be an EarthModel (uniform_earth() or "
                            f"prem_shells_earth()) or None (uniform)") from None
    return earth


def _shell_terms(s, earth, func, order):
    s = positive("s_m", s, func, allow_zero=True, unit="m")
    radii, steps = earth.steps()
    out = np.zeros(s.shape)
    for r, dr in zip(radii, steps, strict=True):
        inside = s < r
        q = np.where(inside, (r - s) * (r + s), 1.0)          # R² − s² without cancellation
        if order == 0:
            term = 2 * np.sqrt(q)
        elif order == 2:
            term = -2 * (2 * r * r - s * s) / q**1.5
        else:
            term = -2 * s * (4 * r * r - s * s) / q**2.5
        out += np.where(inside, dr * term, 0.0)
    return out if out.ndim else float(out)


def column_density(s_m, *, earth=None):
    """Σ(s) = Σ_k 2Δρ_k √(R_k² − s²): the Earth's mass column along k̂ [kg m⁻²].

    Parameters
    ----------
    s_m : transverse distance from the beam line through the centre [m], ≥ 0, any shape
    earth : EarthModel or None (uniform)
    """
    return _shell_terms(s_m, _earth(earth, "column_density"), "column_density", 0)


def column_laplacian(s_m, *, earth=None):
    """∇⊥²Σ(s) = −Σ_k 2Δρ_k (2R_k² − s²)/(R_k² − s²)^{3/2} [kg m⁻⁴] (module docstring, W2).

    Singular at every shell radius s = R_k (the √ edge of that step's column)."""
    return _shell_terms(s_m, _earth(earth, "column_laplacian"), "column_laplacian", 2)


def column_laplacian_gradient(s_m, *, earth=None):
    """∂_s∇⊥²Σ(s) = −Σ_k 2Δρ_k s(4R_k² − s²)/(R_k² − s²)^{5/2} [kg m⁻⁵] (W3)."""
    return _shell_terms(s_m, _earth(earth, "column_laplacian_gradient"),
                        "column_laplacian_gradient", 3)


@dataclass(frozen=True)
class WakeGeometry:
    """The geometric factors of the wake force on a body, per unit mass density [kg m⁻⁴]:
    the force per unit body charge is 2G_F²Φ⟨1/E⟩ q_E × these (q_E the Earth's charge per kg).

    along_beam = −∇⊥²Σ (along k̂, W2); transverse = −Z ∂_s∇⊥²Σ (along ŝ, W3); up, horizontal
    = the same vector's vertical component and its horizontal component towards the Sun's
    azimuth. Arrays shaped like the nadir angles; zero by day (ζ ≥ 90°: the body is upstream).
    """

    along_beam: np.ndarray
    transverse: np.ndarray
    up: np.ndarray
    horizontal: np.ndarray


def _nadir(nadir_angle_rad, func):
    z = as_array("nadir_angle_rad", nadir_angle_rad, func)
    if np.any(z < 0) or np.any(z > math.pi):
        raise ArgumentError(f"{func}: nadir_angle_rad must lie in [0, π] (the angle of the Sun "
                            f"below the nadir: 0 at the nadir, π/2 on the horizon, π at the "
                            f"zenith); got {z.min()!r}..{z.max()!r}") from None
    return z


def _project(par, tr, zeta):
    # k̂ = cos ζ û − sin ζ ĥ, ŝ = sin ζ û + cos ζ ĥ (ĥ: horizontal towards the Sun's azimuth)
    c, s = np.cos(zeta), np.sin(zeta)
    return c * par + s * tr, -s * par + c * tr


def wake_geometry(nadir_angle_rad, *, earth=None, radius_m=None):
    """Geometric factors of the Earth-wake force at the nadir angle ζ (closed forms W2–W4).

    Implements the near-field retarded force of design note [2] §7 (F₂) and its transverse
    companion (§8) for a small body downstream of a spherically symmetric Earth.

    Parameters
    ----------
    nadir_angle_rad : angle of the Sun below the nadir [rad], in [0, π], any shape
    earth : EarthModel or None (uniform sphere)
    radius_m : distance of the body from the Earth's centre [m]; default the Earth's radius

    Returns
    -------
    WakeGeometry [kg m⁻⁴], arrays shaped like ``nadir_angle_rad`` (floats for a scalar)

    Notes
    -----
    Valid where the Earth's column is smooth on the wake width √(Z/E) (≈ 3 mm), i.e. away from
    the silhouettes of density steps (s = R_k within ~ the source blur, a few km) and from the
    horizon (cos ζ ≳ 1e-3); diverges as cos⁻⁴ζ towards the horizon. Agrees with the quadrature
    of the gradient overlap (:func:`wake_geometry_quadrature`) to ≤ 2e-5
    (tests/physics/test_earth_wake.py).
    """
    func = "wake_geometry"
    earth = _earth(earth, func)
    zeta = _nadir(nadir_angle_rad, func)
    d = earth.radius_m if radius_m is None else float(positive("radius_m", radius_m, func,
                                                                   unit="m"))
    night = zeta < 0.5 * math.pi
    zn = np.where(night, zeta, 0.0)
    s, z_ax = d * np.sin(zn), d * np.cos(zn)
    par = np.where(night, -np.asarray(column_laplacian(s, earth=earth)), 0.0)
    tr = np.where(night, -z_ax * np.asarray(column_laplacian_gradient(s, earth=earth)), 0.0)
    up, hor = _project(par, tr, zn)
    vals = [par, tr, up, hor]
    if np.ndim(zeta) == 0:
        vals = [float(v) for v in vals]
    return WakeGeometry(*vals)


def wake_geometry_quadrature(nadir_angle_rad, *, base_ratio=2e-4, level=5):
    """The same factors for a uniform Earth by quadrature of the gradient-overlap integrals.

    An independent route to :func:`wake_geometry` (uniform sphere, body at the surface): the
    along-beam factor is J_F/V_b (design note §7, F₂ = 2G_F²Φ⟨1/E⟩n₁n₂J_F) of a sphere of
    radius b whose centre sits a height t = 2b above a unit sphere, by the tanh–sinh quadrature
    of :func:`nusim.reference_methods.near_field.gradient_overlap_force`; the transverse factor
    is D ∂J_Σ/∂c / V_b (exact for disjoint spheres, J_U = D J_Σ) with J_Σ from the independent
    lens quadrature :func:`~nusim.reference_methods.near_field.column_gradient_overlap` and a
    5-point difference (step 0.02(1 − c)). Both are computed at t/cos²ζ = (1, 2, 4)·base_ratio
    and extrapolated quadratically to t → 0 (body of vanishing size at the surface).

    Why not the real scales: J_Σ = ∫∇Σ_E·∇Σ_b is b/R times smaller than its integrand's size,
    so float64 quadrature loses ~3e-17 (R/b)² relative: 1e-9 at b/R = 1e-4, O(1) at
    b/R = 1.6e-9 (a 1 cm body on the Earth). The scaled analogue is exact up to the b² law,
    which the extrapolation removes.

    Parameters
    ----------
    nadir_angle_rad : scalar nadir angle ζ [rad], 0 ≤ ζ < 89°
    base_ratio : smallest t/(R cos²ζ) [1]; level : tanh–sinh level

    Returns
    -------
    WakeGeometry [kg m⁻⁴] for :func:`uniform_earth` (floats)
    """
    from nusim.reference_methods import near_field as ref

    func = "wake_geometry_quadrature"
    zeta = float(_nadir(nadir_angle_rad, func))
    if zeta > math.radians(89.0):
        raise ArgumentError(f"{func}: nadir_angle_rad={nadir_angle_rad!r} must be ≤ 89° (by "
                            f"day there is no wake; near the horizon the analogue's body no "
                            f"longer fits between the surface and the limb)") from None
    earth = uniform_earth()
    cz, sz = math.cos(zeta), math.sin(zeta)
    ts = np.array([1.0, 2.0, 4.0]) * base_ratio * cz * cz
    par, tr = [], []
    for t in ts:
        b = t / 2
        d = 1.0 + t
        c, dz = d * sz, d * cz
        vol = 4 * math.pi / 3 * b**3
        par.append(ref.gradient_overlap_force(1.0, b, dz, c, level=level) / vol)
        if c == 0.0:
            tr.append(0.0)
            continue
        h = 0.02 * (1.0 - c)

        def j_sigma(x, b=b, c=c):
            return ref.column_gradient_overlap(1.0, b, c + x, level=level)

        der = (-j_sigma(2 * h) + 8 * j_sigma(h) - 8 * j_sigma(-h) + j_sigma(-2 * h)) / (12 * h)
        tr.append(dz * der / vol)
    par0 = float(np.polyfit(ts, par, 2)[-1])
    tr0 = float(np.polyfit(ts, tr, 2)[-1])
    # unit sphere, unit density → radius R, density ρ: ∇²Σ scales as ρ/R
    scale = earth.densities_kg_m3[0] / earth.radius_m
    par0, tr0 = par0 * scale, tr0 * scale
    up, hor = _project(par0, tr0, zeta)
    return WakeGeometry(par0, tr0, float(up), float(hor))


# --------------------------------------------------------------------------------------------
# flavour weights and charges

def channel_weights(beams, *, flavour="decohered", oscillation="NuFIT-5.2"):
    """Flux/E weights of the charge products [eV²] (module docstring, "Flavour").

    Parameters
    ----------
    beams : {"e": DirectionalBeam, "mu": DirectionalBeam} (:func:`nusim.engine.beams.sun_beams`)
        or {"e": BeamSpectrum, "mu": BeamSpectrum}
    flavour : "decohered" (default: scatterer–target paths ≫ 10 km, the Earth) or "local"
    oscillation : key of ``nusim.sources.solar.OSCILLATION_PARAMETERS`` (for "decohered")

    Returns
    -------
    dict: "nc_nc" Φ⟨1/E⟩, "nc_cc" Φ⟨P_ee/E⟩ (each of NC·CC and CC·NC), "cc_cc" Φ⟨C_ee/E⟩ [eV²]
    """
    func = "channel_weights"
    choice("flavour", flavour, FLAVOUR_MODELS, func)
    try:
        spec = {c: getattr(beams[c], "spectrum", beams[c]) for c in ("e", "mu")}
        w = {c: spec[c].total_flux * spec[c].mean_inverse_energy for c in ("e", "mu")}
    except (KeyError, TypeError, AttributeError):
        raise ArgumentError(f"{func}: beams={beams!r} must map 'e' and 'mu' to beams or beam "
                            f"spectra (nusim.engine.beams.sun_beams)") from None
    total = w["e"] + w["mu"]
    cc_cc = w["e"]
    if flavour == "decohered":
        from nusim.sources.solar import OSCILLATION_PARAMETERS
        choice("oscillation", oscillation, tuple(OSCILLATION_PARAMETERS), func)
        osc = OSCILLATION_PARAMETERS[oscillation]
        s12, s13 = osc.sin2_theta12, osc.sin2_theta13
        c12, c13 = 1 - s12, 1 - s13
        cc_cc = (c13 * (w["e"] - s13**2 * total)
                 + (0.5 * c13**3 * (c12**2 + s12**2 - 1) + s13**3) * total)
    return {"nc_nc": total, "nc_cc": w["e"], "cc_cc": cc_cc}


def _nc_cc(q):
    return q.mu, q.e - q.mu


def _pair_weight(weights, q_earth, q_body):
    """Σ_terms w q_E q_b [eV² kg⁻²]."""
    ne, ce = _nc_cc(q_earth)
    nb, cb = _nc_cc(q_body)
    return (weights["nc_nc"] * ne * nb + weights["nc_cc"] * (ne * cb + ce * nb)
            + weights["cc_cc"] * ce * cb)


def _material_charges(material, func):
    if isinstance(material, couplings.FlavourCharges):
        return material
    if isinstance(material, couplings.Composition):
        return couplings.charges_per_kg(material)
    try:
        return couplings.charges_per_kg(couplings.element_composition(material))
    except (ArgumentError, TypeError):
        raise ArgumentError(f"{func}: material={material!r} must be an element symbol ('Be'), "
                            f"a Composition or FlavourCharges per kg") from None


def _acceleration(geometry_value, pair_weight):
    # G_F² [eV⁻⁴] × w q_E q_b [eV² kg⁻²] × ∇²Σ [kg m⁻⁴] × (ħc)⁴ [eV⁴ m⁴] = force per kg of
    # body [eV² kg⁻¹] → [N kg⁻¹] = [m s⁻²]
    return units.eV2_to_N(2 * units.G_F**2 * pair_weight * np.asarray(geometry_value)
                          * _HC**4)


@dataclass(frozen=True)
class WakeAcceleration:
    """Accelerations [m s⁻²] of the Earth-wake force: along_beam (k̂), transverse (ŝ), up,
    horizontal (towards the Sun's azimuth); arrays shaped like the nadir angles."""

    along_beam: np.ndarray
    transverse: np.ndarray
    up: np.ndarray
    horizontal: np.ndarray


def _scale(geometry, weight):
    return WakeAcceleration(*(_acceleration(getattr(geometry, f), weight) for f in
                              ("along_beam", "transverse", "up", "horizontal")))


def earth_wake_acceleration(nadir_angle_rad, material, beams, *, earth=None,
                            flavour="decohered", radius_m=None):
    """Acceleration of a small body of ``material`` in the Earth's night-time wake (W2–W4).

    Implements design note [2] §7 (F₂) and §8 (transverse force) for a body much smaller than
    the Earth; the force per kg is 2G_F² Σ_terms w q_E q_b × the geometric factors of
    :func:`wake_geometry`.

    Parameters
    ----------
    nadir_angle_rad : Sun's nadir angle ζ [rad], [0, π], any shape
    material : element symbol, Composition, or FlavourCharges per kg [kg⁻¹]
    beams : the Sun's {"e", "mu"} beams (:func:`nusim.engine.beams.sun_beams`)
    earth : EarthModel or None (uniform); flavour : "decohered" or "local"
    radius_m : body's distance from the Earth's centre [m] (default the Earth's radius)

    Returns
    -------
    WakeAcceleration [m s⁻²]
    """
    func = "earth_wake_acceleration"
    earth = _earth(earth, func)
    w = _pair_weight(channel_weights(beams, flavour=flavour), earth.charges_per_kg,
                     _material_charges(material, func))
    return _scale(wake_geometry(nadir_angle_rad, earth=earth, radius_m=radius_m), w)


def differential_acceleration(nadir_angle_rad, beams, *, material_a="Be", material_b="Ti",
                              earth=None, flavour="decohered", geometry=None):
    """a_a − a_b of two test bodies in the Earth's wake [m s⁻²] (a composition dipole).

    The wake is the same field for both bodies (they sit within cm of each other, the field
    varies on R_E), so the common part cancels and only the charges per kg differ:
    Δa = 2G_F² Σ_terms w q_E (q_a − q_b) × geometry. Shapes and sizes do not enter at this order
    (relative O(b²/R²)).

    Parameters
    ----------
    nadir_angle_rad : ζ [rad]; beams : the Sun's {"e", "mu"} beams
    material_a, material_b : as in :func:`earth_wake_acceleration`
    earth, flavour : as there; geometry : a precomputed WakeGeometry (e.g. from
        :func:`wake_geometry_quadrature`) to use instead of the closed forms

    Returns
    -------
    WakeAcceleration of a − b [m s⁻²]
    """
    func = "differential_acceleration"
    earth = _earth(earth, func)
    qa, qb = _material_charges(material_a, func), _material_charges(material_b, func)
    diff = couplings.FlavourCharges(qa.e - qb.e, qa.mu - qb.mu, qa.tau - qb.tau)
    w = _pair_weight(channel_weights(beams, flavour=flavour), earth.charges_per_kg, diff)
    geo = wake_geometry(nadir_angle_rad, earth=earth) if geometry is None else geometry
    return _scale(geo, w)


# --------------------------------------------------------------------------------------------
# Washington 2007

#: Eöt-Wash, CENPA, Seattle (reference Part B "Lab locations")
SEATTLE_DEG = (47.660, -122.303, 50.0)
#: nights of 2007 reported by default: the solstices and an equinox (UTC dates of the evening)
WASHINGTON_2007_NIGHTS = ("2007-12-21", "2007-03-20", "2007-06-21")
#: Δa_N(Be − Ti) = (0.6 ± 3.1)e-15 m s⁻² towards North, Earth source [5]: its 1σ error [m s⁻²]
WASHINGTON_2007_NORTH_ERROR_M_S2 = 3.1e-15


def washington_2007_earth_wake(nights=WASHINGTON_2007_NIGHTS, *, step_minutes=10.0, sun=None,
                               beams=None, n_components=8, flavour="decohered",
                               quadrature_points=3, max_nadir_angle_deg=80.0):
    """The Earth-wake differential acceleration a_Be − a_Ti at Seattle over whole days.

    For each UTC day: the Sun's nadir angle every ``step_minutes`` (astropy, offline), the
    closed-form Δa (horizontal towards the Sun's azimuth, up, its North and East components),
    the night's maximum |Δa_h|, the 24-h means of the component towards the Sun and along North,
    and their ratios to the limits of ``nusim.studies.experiments.SOLAR_EP_LIMITS`` and to the
    published Δa_N error. ``quadrature_points`` night-time samples (the smallest ζ and spread
    over the night) are recomputed by :func:`wake_geometry_quadrature`; the largest relative
    difference of the two methods is reported.

    Parameters
    ----------
    nights : UTC dates (ISO strings); step_minutes : sampling [min]
    sun : nusim.sources.solar.Sun at Seattle or None (built here)
    beams : the Sun's {"e", "mu"} beams or None (``sun_beams`` at 08:00 UTC of the first day,
        ``n_components`` Gaussians; Φ changes by < 1e-3 over a night, its annual ±3.3 % is
        scaled per day by (1 au/d)²)
    flavour : "decohered" (default) or "local"; quadrature_points : int ≥ 0
    max_nadir_angle_deg : samples with the Sun closer to the horizon than this are left out of
        the maxima and means [deg] (default 80°: there the chord stays within ~100 km of the
        surface, where crust, topography and the lab's surroundings, not a uniform sphere, set
        the column's curvature; the closed form grows as cos⁻³ζ towards the horizon). The value
        at the cut is reported.

    Returns
    -------
    dict (JSON-friendly): per-night dicts under "nights", the overall maximum, ratios to the
    limits, both flavour models' maxima, the assumptions
    """
    from nusim.engine.beams import sun_beams
    from nusim.sources.solar import Sun
    from nusim.studies.experiments import SOLAR_EP_LIMITS

    if sun is None:
        sun = Sun(*SEATTLE_DEG)
    if beams is None:
        beams = sun_beams(sun, f"{nights[0]}T08:00:00", n_components=n_components)
    ref_distance = sun.distance_au(f"{nights[0]}T08:00:00")
    earth = uniform_earth()
    limit_fixed = SOLAR_EP_LIMITS["fixed-direction-2008"].limit_m_s2
    limit_sun = SOLAR_EP_LIMITS["sun-direction-2026"].limit_m_s2
    sigma_north = WASHINGTON_2007_NORTH_ERROR_M_S2
    models = {}
    for model in FLAVOUR_MODELS:
        ref = differential_acceleration(0.0, beams, earth=earth, flavour=model)
        models[model] = ref.up          # Δa straight up with the Sun at the nadir
    out_nights, worst = [], 0.0
    for night in nights:
        track = sun.track(night, step_minutes=step_minutes)
        zeta = np.radians(90.0 + np.asarray(track.altitude_deg))
        flux_scale = (ref_distance / np.asarray(track.distance_au)) ** 2
        acc = differential_acceleration(np.clip(zeta, 0.0, math.pi), beams, earth=earth,
                                        flavour=flavour)
        h = acc.horizontal * flux_scale
        up = acc.up * flux_scale
        az = np.radians(np.asarray(track.azimuth_deg))
        cut = math.radians(float(max_nadir_angle_deg))
        h = np.where(zeta <= cut, h, 0.0)
        up = np.where(zeta <= cut, up, 0.0)
        north, east = h * np.cos(az), h * np.sin(az)
        night_idx = np.nonzero(zeta <= cut)[0]
        i_max = int(night_idx[np.argmax(np.abs(h[night_idx]))]) if night_idx.size else 0
        entry = {
            "date_utc": str(night), "n_samples": int(zeta.size),
            "min_nadir_angle_deg": float(np.degrees(zeta.min())),
            "hours_within_cut": float(night_idx.size * step_minutes / 60.0),
            "max_abs_horizontal_m_s2": float(abs(h[i_max])),
            "max_horizontal_at_utc": str(track.times_utc[i_max]),
            "nadir_angle_at_max_deg": float(np.degrees(zeta[i_max])),
            "max_abs_up_m_s2": float(np.max(np.abs(up))),
            "horizontal_at_cut_m_s2": float(differential_acceleration(
                cut, beams, earth=earth, flavour=flavour).horizontal),
            "mean_towards_sun_24h_m_s2": float(np.mean(h)),
            "mean_north_24h_m_s2": float(np.mean(north)),
            "mean_east_24h_m_s2": float(np.mean(east)),
        }
        # second method at a few night-time samples
        rel = []
        if quadrature_points and night_idx.size:
            order = night_idx[np.argsort(zeta[night_idx])]
            picks = {int(order[0])} | {int(i) for i in np.linspace(
                night_idx[0], night_idx[-1], quadrature_points).astype(int)}
            picks = sorted(picks)
            for i in picks:
                geo = wake_geometry_quadrature(zeta[i])
                q = differential_acceleration(zeta[i], beams, earth=earth, flavour=flavour,
                                              geometry=geo)
                c = differential_acceleration(zeta[i], beams, earth=earth, flavour=flavour)
                for f in ("along_beam", "up", "horizontal"):
                    a_c, a_q = float(getattr(c, f)), float(getattr(q, f))
                    if a_c != 0.0:
                        rel.append(abs(a_q / a_c - 1.0))
            entry["quadrature_nadir_angles_deg"] = [float(np.degrees(zeta[i]))
                                                    for i in picks]
        entry["methods_max_rel_difference"] = float(max(rel)) if rel else math.nan
        worst = max(worst, entry["max_abs_horizontal_m_s2"])
        out_nights.append(entry)
    return {
        "experiment": "Washington 2007 (Be − Ti), Earth wake of the solar beam at night",
        "site_deg": SEATTLE_DEG, "flavour": flavour, "earth": earth.name,
        "max_nadir_angle_deg": float(max_nadir_angle_deg),
        "up_at_nadir_m_s2": {k: float(v) for k, v in models.items()},
        "nights": out_nights,
        "max_abs_horizontal_m_s2": worst,
        "max_abs_horizontal_local_flavour_m_s2": worst * abs(models["local"] / models[flavour]),
        "ratio_to_fixed_direction_limit": worst / limit_fixed,
        "ratio_to_sun_direction_limit": worst / limit_sun,
        "ratio_to_north_error": worst / sigma_north,
        "limits_m_s2": {"fixed-direction-2008": limit_fixed, "sun-direction-2026": limit_sun,
                        "north-1sigma-2008": sigma_north},
        "methods_max_rel_difference": float(np.nanmax([n["methods_max_rel_difference"]
                                                       for n in out_nights])),
        "assumptions": (
            "spherically symmetric uniform Earth (mean radius, GM_E/G_N, bulk composition); "
            "body at the surface, much smaller than the Earth; near field (wake width ~3 mm "
            "≪ the column's curvature scale); solar flux and ⟨1/E⟩ from sun_beams; "
            f"flavour '{flavour}'; no topography, atmosphere, lab building or oceans; the "
            "bodies' own radiation pressure (self-force) is a separate channel, not included"),
    }
