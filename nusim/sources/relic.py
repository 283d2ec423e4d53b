"""The cosmic neutrino background (CνB): relic Fermi–Dirac neutrinos and their isotropic potential.

Since decoupling the relic neutrinos keep the occupation of eq. (3.4) of [1] in *momentum*,
n₊(κ) = n₋(κ) = 1/(e^{κ/T} + 1) (μ = 0), for every mass eigenstate ν_i, with
T = T_ν0 = (4/11)^{1/3} T_γ0 = 1.9454 K today [2, 3]. Per eigenstate this gives two occupied
states per momentum (ν and ν̄ for Dirac neutrinos, the two helicities for Majorana ones), i.e.

    n_i = 2 × 3ζ(3) T³/(4π²) = 2 × 56.0 cm⁻³ = 112 cm⁻³,   336 cm⁻³ in all three,

the "56/cm³" of [1] §3 being the per-state value. The background is isotropic; its contribution
to the two-body potential is eq. (3.16) (Dirac) or (3.31) (Majorana) of [1] per eigenstate, as
computed by :func:`nusim.physics.isotropic.isotropic_potential`, summed over ν₁, ν₂, ν₃.

Masses. Default: normal ordering with the lightest neutrino massless, m₁ = 0, m₂ = √Δm²₂₁,
m₃ = √Δm²₃₁ with NuFIT 5.2 [4]: (0, 0.00861, 0.0501) eV. m₁ = 0 is the lightest allowed value
(the paper notes "the lightest active neutrino can still be massless", §3.1); m₂ and m₃ are then
the smallest masses oscillation data allow, so at most one state is relativistic today
(T_ν0 = 1.68e-4 eV: m₂/T = 51, m₃/T = 299).

Couplings. The potential is returned per G_F² g₁g₂ and summed over eigenstates with one g₁g₂:
right for flavour-universal (neutral-current) couplings, i.e. protons and neutrons (table 1 of
[1]). For electrons g_V differs between ν_e and ν_μ,τ; use ``eigenstate=`` to weigh the states
yourself.

Flavours (for :meth:`RelicBackground.spectrum` and :meth:`RelicBackground.flux`): eigenstate
ν_i holds a fraction |U_ei|² of "nu_e" (|U_e1|² = c₁₂²c₁₃², |U_e2|² = s₁₂²c₁₃², |U_e3|² = s₁₃²,
NuFIT 5.2 [4]) and 1 − |U_ei|² of "nu_x"; neutrino and antineutrino (helicity) states are equal.

"Flux" of an isotropic gas: the scalar flux Φ = Σ_i n_i ⟨v_i⟩ [cm⁻² s⁻¹] (density × speed,
integrated over all directions; the one-sided current through a plane is Φ/4). Energies are
total energies E = √(κ² + m²) [MeV], so the spectrum of ν_i starts at m_i.

Constants defined here (frozen records, :class:`nusim.constants.Constant`): the CMB temperature
today and the CνB temperature derived from it.

References
----------
[1] M. Ghosh, Y. Grossman, W. Tangarife, X.-J. Xu, B. Yu, "Neutrino forces in neutrino
    backgrounds", JHEP 02 (2023) 092, doi:10.1007/JHEP02(2023)028, arXiv:2209.07082, §3.
[2] D. J. Fixsen, "The temperature of the cosmic microwave background", ApJ 707 (2009) 916,
    doi:10.1088/0004-637X/707/2/916 (T_γ0 = 2.72548 ± 0.00057 K).
[3] J. Lesgourgues, S. Pastor, "Massive neutrinos and cosmology", Phys. Rep. 429 (2006) 307,
    doi:10.1016/j.physrep.2006.04.001, arXiv:astro-ph/0603494, §3 (T_ν = (4/11)^{1/3} T_γ,
    n = 3ζ(3)T³/(4π²) per state, 112 cm⁻³ per flavour).
[4] I. Esteban, M. C. Gonzalez-Garcia, M. Maltoni, T. Schwetz, A. Zhou, NuFIT 5.2 (2022),
    www.nu-fit.org; method JHEP 09 (2020) 178, arXiv:2007.14792. Δm²₂₁, θ₁₂, θ₁₃ as in nusim's
    reference data (A2.6, [V]); Δm²₃₁ = 2.511e-3 eV² as transcribed from NuFIT 5.2 ([R]).
"""

# ruff: noqa: N802, N803, N806
# (unit-suffixed names such as energy_MeV, temperature_K, masses_eV are the boundary convention
# of nusim/sources/CONVENTIONS.md and the style guide)

import math
from types import MappingProxyType

import numpy as np
import scipy.special
from scipy.integrate import quad

from nusim import units
from nusim.constants import Constant
from nusim.errors import ArgumentError, NumericsError
from nusim.physics._checks import as_array, choice, positive
from nusim.physics.isotropic import NATURES, isotropic_potential

# --------------------------------------------------------------------------------------------
# Constants and presets
# --------------------------------------------------------------------------------------------

#: CMB temperature today.
CMB_TEMPERATURE = Constant("CMB temperature today", "T_γ0", 2.72548, "K", 0.00057,
                           "Fixsen 2009, ApJ 707, 916, doi:10.1088/0004-637X/707/2/916")
_CNB_OVER_CMB = (4.0 / 11.0) ** (1.0 / 3.0)
#: CνB temperature today, (4/11)^{1/3} T_γ0 (instantaneous decoupling; the O(1e-3) correction of
#: non-instantaneous decoupling goes into the effective number of species, not into T_ν).
RELIC_TEMPERATURE = Constant(
    "cosmic neutrino background temperature today", "T_ν0", _CNB_OVER_CMB * CMB_TEMPERATURE.value,
    "K", _CNB_OVER_CMB * CMB_TEMPERATURE.uncertainty,
    "(4/11)^(1/3) T_γ0 (Lesgourgues & Pastor 2006, arXiv:astro-ph/0603494, §3) with T_γ0 of "
    "Fixsen 2009")

#: Oscillation parameters (normal ordering); immutable; each entry with its "cite as" line.
OSCILLATION_PARAMETERS = MappingProxyType({
    "NuFIT-5.2-NO": MappingProxyType({
        "sin2_theta12": 0.3032,
        "sin2_theta13": 0.02205,
        "dm2_21_eV2": 7.41e-5,
        "dm2_31_eV2": 2.511e-3,
        "cite": "NuFIT 5.2 (2022), www.nu-fit.org, normal ordering (Esteban et al., JHEP 09 "
                "(2020) 178, arXiv:2007.14792); θ12, θ13, Δm²21 [V] in nusim reference data "
                "A2.6, Δm²31 [R]",
    }),
})
_DEFAULT_OSC = OSCILLATION_PARAMETERS["NuFIT-5.2-NO"]
#: Default masses m₁, m₂, m₃ [eV]: normal ordering, lightest massless, NuFIT 5.2 splittings.
DEFAULT_MASSES_EV = (0.0, math.sqrt(_DEFAULT_OSC["dm2_21_eV2"]),
                     math.sqrt(_DEFAULT_OSC["dm2_31_eV2"]))

FLAVOURS = ("nu_e", "nubar_e", "nu_x", "nubar_x")
EIGENSTATES = (1, 2, 3)
#: Occupied states per momentum per eigenstate: ν + ν̄ (Dirac) or two helicities (Majorana).
_STATES_PER_EIGENSTATE = 2
#: Occupation e^{−y} below 2e-22 beyond y = κ/T = 50: the upper edge of the tabulated support.
_Y_MAX = 50.0
_ZETA3 = float(scipy.special.zeta(3.0))

_CITATIONS = MappingProxyType({
    "paper": "Ghosh, Grossman, Tangarife, Xu & Yu, JHEP 02 (2023) 092, arXiv:2209.07082, "
             "§3, eqs. (3.4), (3.16), (3.31)",
    "temperature": RELIC_TEMPERATURE.source,
    "number density": "Lesgourgues & Pastor, Phys. Rep. 429 (2006) 307, "
                      "arXiv:astro-ph/0603494, §3",
    "oscillation parameters": _DEFAULT_OSC["cite"],
})


def relic_number_density_per_cm3(temperature_K=RELIC_TEMPERATURE.value):
    """Number density of one relic neutrino state (one helicity of one eigenstate) [cm⁻³].

    n = ∫ d³κ/(2π)³ 1/(e^{κ/T} + 1) = 3ζ(3) T³/(4π²), the integral of the occupation (3.4)
    of [1] at μ = 0 (its value does not depend on the mass, as κ ∝ 1/a).

    Parameters
    ----------
    temperature_K : array_like, T [K], > 0 (default T_ν0 = 1.9454 K)

    Returns
    -------
    ndarray (float for scalar input) [cm⁻³]: 56.0 at T_ν0

    Notes
    -----
    Exact closed form; float64 round-off.

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eq. (3.4) and §3 ("56/cm³").
    [2] Lesgourgues & Pastor, Phys. Rep. 429 (2006) 307, arXiv:astro-ph/0603494, §3.
    """
    t_K = positive("temperature_K", temperature_K, "relic_number_density_per_cm3", unit="K")
    t_per_cm = units.kelvin_to_eV(t_K) / units.HBARC_EV_CM
    return (3.0 * _ZETA3 * t_per_cm**3 / (4.0 * math.pi**2))[()]


def fermi_dirac_momentum_occupation(momentum_eV, temperature_eV):
    """Relic occupation per state, n(κ) = 1/(e^{κ/T} + 1), in momentum κ = |k|.

    Implements eq. (3.4) of [1] at μ = 0 (κ, not E_k, in the exponent: κ ∝ 1/a after
    decoupling).

    Parameters
    ----------
    momentum_eV : array_like, κ [eV], ≥ 0
    temperature_eV : array_like, T [eV], > 0

    Returns
    -------
    ndarray (float for scalar input), broadcast shape [1]

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eq. (3.4).
    """
    func = "fermi_dirac_momentum_occupation"
    kappa = positive("momentum_eV", momentum_eV, func, allow_zero=True, unit="eV")
    t = positive("temperature_eV", temperature_eV, func, unit="eV")
    return scipy.special.expit(-kappa / t)[()]


class RelicBackground:
    """The cosmic neutrino background: densities, spectra and the isotropic potential it adds.

    Follows nusim/sources/CONVENTIONS.md where an isotropic background allows it:
    :meth:`direction` returns None and :meth:`angular_profile` raises ArgumentError.

    Parameters
    ----------
    masses_eV : three floats ≥ 0, m₁, m₂, m₃ [eV] (PMNS labels; default
        :data:`DEFAULT_MASSES_EV` = (0, 0.00861, 0.0501): normal ordering, lightest massless,
        NuFIT 5.2)
    temperature_K : float, T_ν [K], > 0 (default 1.9454 = (4/11)^{1/3} × 2.72548)
    nature : {"dirac", "majorana"}

    Notes
    -----
    The occupation is eq. (3.4) of Ghosh et al. 2023 with μ = 0 (BBN bounds ζ ≲ 1e-2; the
    correction is O(ζ²), eq. 3.15).
    """

    def __init__(self, masses_eV=DEFAULT_MASSES_EV, temperature_K=RELIC_TEMPERATURE.value,
                 nature="dirac"):
        func = "RelicBackground"
        m = positive("masses_eV", masses_eV, func, allow_zero=True, unit="eV")
        if m.shape != (3,):
            raise ArgumentError(f"{func}: masses_eV must be three masses (m1, m2, m3) [eV]; got "
                                f"{masses_eV!r}")
        self.masses_eV = tuple(float(v) for v in m)
        self.temperature_K = float(positive("temperature_K", temperature_K, func, unit="K"))
        self.nature = choice("nature", nature, NATURES, func)
        self.temperature_eV = float(units.kelvin_to_eV(self.temperature_K))
        s13 = _DEFAULT_OSC["sin2_theta13"]
        s12 = _DEFAULT_OSC["sin2_theta12"]
        #: |U_ei|² for i = 1, 2, 3 (NuFIT 5.2)
        self.electron_fraction = ((1 - s12) * (1 - s13), s12 * (1 - s13), s13)
        n_state_eV3 = 3.0 * _ZETA3 * self.temperature_eV**3 / (4.0 * math.pi**2)
        # Scalar flux per eigenstate [eV³]: g/(2π²) T³ ∫ y³/√(y² + x²) n(y) dy.
        self._flux_eV3 = tuple(
            _STATES_PER_EIGENSTATE / (2 * math.pi**2) * self.temperature_eV**3
            * _speed_moment(mi / self.temperature_eV) for mi in self.masses_eV)
        self._mean_speed = tuple(f / (_STATES_PER_EIGENSTATE * n_state_eV3)
                                 for f in self._flux_eV3)

    # -- densities and speeds -----------------------------------------------------------------
    def number_density_per_cm3(self, eigenstate=None):
        """Number density [cm⁻³] of one eigenstate (ν + ν̄, 112) or of all three (None, 336)."""
        idx = self._eigenstates(eigenstate, "RelicBackground.number_density_per_cm3")
        return len(idx) * _STATES_PER_EIGENSTATE * float(
            relic_number_density_per_cm3(self.temperature_K))

    def mean_speed(self, eigenstate):
        """⟨v⟩/c of eigenstate 1, 2 or 3: ∫ κ² n v dκ / ∫ κ² n dκ [1] (1 if massless)."""
        (i,) = self._eigenstates(eigenstate, "RelicBackground.mean_speed", allow_none=False)
        return self._mean_speed[i]

    # -- the potential ------------------------------------------------------------------------
    def potential_per_g1g2(self, r_m, eigenstate=None):
        """Background part of the two-body potential, V_bkg/(G_F² g₁g₂) [eV⁵], at separation r.

        Implements eq. (3.16) (Dirac) or (3.31) (Majorana) of [1] with the relic occupation
        (3.4), μ = 0, summed over the eigenstates (or for one), by
        :func:`nusim.physics.isotropic.isotropic_potential`.

        Parameters
        ----------
        r_m : array_like, separation r [m], > 0
        eigenstate : None (sum over 1, 2, 3) or 1, 2 or 3

        Returns
        -------
        ndarray (float for scalar input), shape of r_m [eV⁵]; negative (attractive for
        g₁g₂ > 0)

        Notes
        -----
        Accuracy that of isotropic_potential (≤ 1e-9 relative). Limits (tested): a massless
        state gives −1/(4π³r⁵) for r ≫ 1/T (eq. 3.20; 1/T = 1.18 mm at 1.9454 K), a massive
        Dirac state −m/(32π³ T r⁵) (eq. 3.25).

        References
        ----------
        [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eqs. (3.16), (3.31).
        """
        func = "RelicBackground.potential_per_g1g2"
        idx = self._eigenstates(eigenstate, func)
        r = units.m_to_inv_eV(positive("r_m", r_m, func, unit="m"))
        total = np.zeros(r.shape)
        for i in idx:
            total = total + isotropic_potential(r, self.temperature_eV, self.masses_eV[i],
                                                0.0, "FD", self.nature)
        return total[()]

    def potential_eV(self, r_m, g1g2=1.0, eigenstate=None):
        """V_bkg [eV] = G_F² g₁g₂ × :meth:`potential_per_g1g2` (G_F from nusim.units).

        Parameters
        ----------
        r_m : array_like [m], > 0
        g1g2 : array_like, product of the two vector couplings g_V¹ g_V² [1]
        eigenstate : None or 1, 2, 3

        Returns
        -------
        ndarray (float for scalar input), broadcast shape [eV]
        """
        g = as_array("g1g2", g1g2, "RelicBackground.potential_eV")
        return (units.G_F**2 * g * self.potential_per_g1g2(r_m, eigenstate))[()]

    # -- CONVENTIONS.md interface -----------------------------------------------------------
    def spectrum(self, energy_MeV, flavour=None, **where):
        """Scalar-flux spectrum dΦ/dE [cm⁻² s⁻¹ MeV⁻¹] in total energy E = √(κ² + m²).

        dΦ_i/dE = g κ² n(κ)/(2π²) per eigenstate (g = 2 states; v dκ/dE = 1), weighted by the
        flavour fractions of the module docstring and summed over eigenstates.

        Parameters
        ----------
        energy_MeV : array_like, E [MeV], ≥ 0 (the relic energies are ~1e-10 MeV)
        flavour : None (all) or one of "nu_e", "nubar_e", "nu_x", "nubar_x"
        **where : time_utc / point_m accepted and ignored (the CνB is uniform and constant)

        Returns
        -------
        ndarray (float for scalar input), shape of energy_MeV [cm⁻² s⁻¹ MeV⁻¹]; zero below m_i
        for eigenstate i
        """
        func = "RelicBackground.spectrum"
        _check_where(where, func)
        weights = self._flavour_weights(flavour, func)
        e = units.MeV_to_eV(positive("energy_MeV", energy_MeV, func, allow_zero=True,
                                     unit="MeV"))
        total = np.zeros(e.shape)
        for w, m in zip(weights, self.masses_eV, strict=True):
            above = e > m
            k2 = np.where(above, (e - m) * (e + m), 0.0)
            occ = scipy.special.expit(-np.sqrt(k2) / self.temperature_eV)
            total = total + w * np.where(above, _STATES_PER_EIGENSTATE * k2 * occ
                                         / (2 * math.pi**2), 0.0)
        return (units.eV3_to_flux_per_cm2_s(total) * 1e6)[()]

    def lines(self, flavour=None, **where):
        """Monochromatic lines: none (empty list)."""
        _check_where(where, "RelicBackground.lines")
        self._flavour_weights(flavour, "RelicBackground.lines")
        return []

    def flux(self, flavour=None, **where):
        """Scalar flux Φ = Σ_i n_i⟨v_i⟩ [cm⁻² s⁻¹] (all directions; one-sided current is Φ/4).

        Parameters
        ----------
        flavour : None (all) or one of "nu_e", "nubar_e", "nu_x", "nubar_x"
        **where : time_utc / point_m accepted and ignored

        Returns
        -------
        float [cm⁻² s⁻¹]
        """
        func = "RelicBackground.flux"
        _check_where(where, func)
        weights = self._flavour_weights(flavour, func)
        return float(units.eV3_to_flux_per_cm2_s(
            sum(w * f for w, f in zip(weights, self._flux_eV3, strict=True))))

    def mean_energy_MeV(self, **where):
        """Flux-weighted mean total energy ∫E dΦ / Φ [MeV] (~1e-10 MeV).

        ∫E dΦ_i = g/(2π²) ∫ κ³ n dκ = g/(2π²) (7π⁴/120) T⁴ per eigenstate, whatever its mass.
        """
        _check_where(where, "RelicBackground.mean_energy_MeV")
        e_flux = 3 * _STATES_PER_EIGENSTATE / (2 * math.pi**2) * 7 * math.pi**4 / 120 \
            * self.temperature_eV**4
        return e_flux / sum(self._flux_eV3) * 1e-6

    @property
    def energy_range_MeV(self):
        """(min m_i, E at κ = 50 T for the heaviest state) [MeV]; occupation < 2e-22 above."""
        hi = math.hypot(max(self.masses_eV), _Y_MAX * self.temperature_eV)
        return (min(self.masses_eV) * 1e-6, hi * 1e-6)

    def direction(self, **where):
        """None: the background is isotropic, it has no direction of travel."""
        _check_where(where, "RelicBackground.direction")
        return None

    def angular_profile(self, **where):
        """Not defined: raises ArgumentError (the background is isotropic)."""
        raise ArgumentError("RelicBackground.angular_profile: the cosmic neutrino background is "
                            "isotropic; it has no direction and no angular profile. Its force is "
                            "the isotropic potential: use RelicBackground.potential_per_g1g2 "
                            "(eqs. 3.16/3.31 of Ghosh et al. 2023).")

    def describe(self):
        """Parameters, derived totals and the citations of the models used (a plain dict)."""
        return {
            "source": "cosmic neutrino background",
            "masses_eV": self.masses_eV,
            "mass_choice": "normal ordering, lightest massless, NuFIT 5.2 splittings"
                           if self.masses_eV == DEFAULT_MASSES_EV else "user",
            "temperature_K": self.temperature_K,
            "temperature_eV": self.temperature_eV,
            "nature": self.nature,
            "occupation": "Fermi–Dirac in momentum, eq. (3.4), mu = 0",
            "number_density_per_cm3_per_eigenstate": self.number_density_per_cm3(1),
            "number_density_per_cm3_total": self.number_density_per_cm3(),
            "mean_speed_c": self._mean_speed,
            "scalar_flux_per_cm2_s": self.flux(),
            "electron_fraction_per_eigenstate": self.electron_fraction,
            "cite": dict(_CITATIONS),
        }

    def __repr__(self):
        return (f"RelicBackground(masses_eV={self.masses_eV!r}, "
                f"temperature_K={self.temperature_K!r}, nature={self.nature!r})")

    # -- helpers ------------------------------------------------------------------------------
    def _eigenstates(self, eigenstate, func, allow_none=True):
        if eigenstate is None and allow_none:
            return (0, 1, 2)
        if eigenstate not in EIGENSTATES or isinstance(eigenstate, bool):
            raise ArgumentError(f"{func}: eigenstate={eigenstate!r} is not one of 1, 2, 3"
                                + (" (or None for all)" if allow_none else ""))
        return (eigenstate - 1,)

    def _flavour_weights(self, flavour, func):
        if flavour is None:
            return (1.0, 1.0, 1.0)
        if flavour not in FLAVOURS:
            raise ArgumentError(f"{func}: flavour={flavour!r} is not one of "
                                f"{', '.join(map(repr, FLAVOURS))} (or None for all)")
        if flavour in ("nu_e", "nubar_e"):
            return tuple(0.5 * u for u in self.electron_fraction)
        return tuple(0.5 * (1.0 - u) for u in self.electron_fraction)


def _check_where(where, func):
    unknown = sorted(set(where) - {"time_utc", "point_m"})
    if unknown:
        raise ArgumentError(f"{func}: unknown argument(s) {', '.join(unknown)}; the cosmic "
                            "background only accepts (and ignores) time_utc and point_m")


def _speed_moment(x):
    """∫₀^∞ y³/√(y² + x²) /(e^y + 1) dy (3ζ(3)/2 at x = 0), QUADPACK to 1e-12 relative."""
    if x == 0.0:
        return 1.5 * _ZETA3
    val, err = quad(lambda y: y**3 / math.hypot(y, x) / (math.exp(y) + 1.0), 0.0,
                    _Y_MAX + 20.0, epsabs=0.0, epsrel=1e-12, limit=200)
    if not err <= 1e-10 * val:
        raise NumericsError(f"RelicBackground: speed moment at m/T={x!r} did not converge "
                            f"(value {val!r}, estimated error {err!r})")
    return val
