"""Vector couplings of table 1 and the flavour- and material-dependence of appendix D.

Natural units inside (ħ = c = 1, powers of eV): masses and energies [eV], separations [eV⁻¹],
fluxes [eV³], G_F and G_N [eV⁻²] (from :mod:`nusim.units`), potentials [eV]. The one exception is
:class:`Composition`, which stores particle numbers per kilogram [kg⁻¹] because test bodies are
specified by mass; :func:`effective_charges` turns them into pure numbers for a mass in [eV].

Contents:

* table 1: :func:`vector_coupling` g_V of e, u, d, p, n to ν_e and ν_μ/ν_τ;
* particle numbers of a body: :func:`element_data`, :func:`element_composition`,
  :func:`mixture_composition` (real atomic weights and isotopic abundances) and
  :func:`composition_eq_d1` (the paper's simplified counting, eq. D.1);
* effective vector charges per flavour, eqs. (D.2), (D.3) generalised: :func:`charges_per_kg`,
  :func:`effective_charges`;
* the α = 0, r ≫ 1/E background potential between point masses: eq. (5.3)
  (:func:`pair_background_potential`), eq. (D.4) (:func:`background_potential_from_charges`),
  eqs. (D.5)/(D.6) (:func:`background_potential_from_f`, :func:`f_material`), the ratio to
  gravity (D.7)/(D.8) (:func:`ratio_to_gravity`);
* the material variation: δ_{Z/A} of eq. (5.4) (:func:`z_over_a`, :func:`delta_z_over_a`) and
  eq. (D.12) (:func:`material_variation`).

Element data come from the ``periodictable`` package (declared dependency): standard atomic weights
of CIAAW 2021 (Prohaska et al., Pure Appl. Chem. 94 (2022) 573) and isotopic abundances of CIAAW
2013/2021 (Meija et al., Pure Appl. Chem. 88 (2016) 293), isotope masses of AME 2020.

References
----------
[1] M. Ghosh, Y. Grossman, W. Tangarife, X.-J. Xu, B. Yu, "Neutrino forces in neutrino
    backgrounds", JHEP 02 (2023) 092, arXiv:2209.07082 (table 1, eqs. 5.3, 5.4, D.1-D.12).
[2] T. Prohaska et al., "Standard atomic weights of the elements 2021", Pure Appl. Chem. 94 (2022)
    573, doi:10.1515/pac-2019-0603 (via periodictable).
[3] J. Meija et al., "Isotopic compositions of the elements 2013", Pure Appl. Chem. 88 (2016) 293,
    doi:10.1515/pac-2015-0503 (via periodictable).
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import periodictable

from nusim import units
from nusim.constants import SIN2_THETA_W
from nusim.errors import ArgumentError
from nusim.physics._checks import as_array, choice, positive

#: Fermions of table 1 of [1]: electron, up and down quark, proton, neutron.
FERMIONS = ("e", "u", "d", "p", "n")
#: Neutrino flavours.
FLAVOURS = ("e", "mu", "tau")

# Table 1 of [1] as g_V = a + b s_W²: (fermion, flavour) -> (a, b). Only the electron's ν_e entry
# differs between flavours: it carries the charged-current (W-exchange) part, +1 instead of 0.
_TABLE_1 = MappingProxyType({
    **{("e", f): ((0.5, 2.0) if f == "e" else (-0.5, 2.0)) for f in FLAVOURS},
    **{("u", f): (0.5, -4.0 / 3.0) for f in FLAVOURS},
    **{("d", f): (-0.5, 2.0 / 3.0) for f in FLAVOURS},
    **{("p", f): (0.5, -2.0) for f in FLAVOURS},
    **{("n", f): (-0.5, 0.0) for f in FLAVOURS},
})

#: Mass fractions must sum to 1 within this (absolute) tolerance.
MASS_FRACTION_TOLERANCE = 1e-6

_ELEMENT_SYMBOLS = tuple(el.symbol for el in periodictable.elements if el.number >= 1)
_ONE_KG_EV = units.kg_to_eV(1.0)            # 1 kg c² [eV]
_M_U_KG = units.M_U / _ONE_KG_EV            # atomic mass constant m_u [kg]
_M_P_KG = units.M_P / _ONE_KG_EV            # proton mass m_p [kg]


def _out(x):
    """A 0-d array as a Python float; arrays unchanged."""
    x = np.asarray(x, dtype=float)
    return float(x) if x.ndim == 0 else x


def _sin2(value, func):
    s2 = as_array("sin2_theta_w", value, func)
    if s2.ndim != 0 or not 0.0 <= float(s2) <= 1.0:
        raise ArgumentError(f"{func}: sin2_theta_w={value!r} must be one number in [0, 1] "
                            f"(default: PDG 2024 MS-bar value {SIN2_THETA_W.value})") from None
    return float(s2)


def _fraction(name, value, func):
    arr = as_array(name, value, func)
    if ((arr < 0) | (arr > 1)).any():
        bad = arr[(arr < 0) | (arr > 1)].flat[0] if arr.ndim else float(arr)
        raise ArgumentError(f"{func}: {name} is a fraction of the flux and must lie in [0, 1]; "
                            f"got {bad!r}") from None
    return arr


def _z_and_a(Z, A, func, suffix=""):
    A = positive("A" + suffix, A, func)
    Z = positive("Z" + suffix, Z, func, allow_zero=True)
    if (Z > A).any():
        raise ArgumentError(f"{func}: Z{suffix} must not exceed A{suffix} (a nucleus has "
                            f"A - Z >= 0 neutrons); got Z{suffix}={Z!r}, A{suffix}={A!r}") from None
    return Z, A


# --------------------------------------------------------------------------------------------
# Table 1
# --------------------------------------------------------------------------------------------

def vector_coupling(fermion, flavour, sin2_theta_w=SIN2_THETA_W.value):
    """Standard-Model vector coupling g_V of a fermion to a neutrino flavour.

    Implements table 1 of [1] (the couplings of eq. 2.1).

    Parameters
    ----------
    fermion : str, one of ``FERMIONS`` = "e", "u", "d", "p", "n"
    flavour : str, one of ``FLAVOURS`` = "e", "mu", "tau" (the exchanged neutrino)
    sin2_theta_w : float, s_W² = sin²θ_W [1] in [0, 1]; default ``constants.SIN2_THETA_W``
        (PDG 2024, MS-bar at M_Z)

    Returns
    -------
    float, g_V [1]

    Notes
    -----
    ν_μ and ν_τ have identical couplings. The electron's ν_e coupling 1/2 + 2s_W² includes the
    charged-current (W-exchange, Fierz-rearranged) part; for ν_μ/ν_τ it is −1/2 + 2s_W². The proton
    and neutron entries are written as printed in table 1; the tests check that they equal the sums
    over valence quarks (uud, udd), as the text below table 1 states. Tree level: no radiative
    corrections (at the 1 % level for the suppressed proton coupling).
    """
    func = "vector_coupling"
    choice("fermion", fermion, FERMIONS, func)
    choice("flavour", flavour, FLAVOURS, func)
    a, b = _TABLE_1[(fermion, flavour)]
    return a + b * _sin2(sin2_theta_w, func)


# --------------------------------------------------------------------------------------------
# Particle numbers of a body
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ElementData:
    """Atomic data of one element used for particle counting (from ``periodictable``).

    ``Z`` [1]; ``atomic_weight`` A_r [1] (standard atomic weight, or the mass number of the
    longest-lived isotope for elements without one); ``mean_mass_number`` Ā [1], the
    abundance-weighted mean mass number; ``mass_number_source`` says how Ā was obtained.
    """

    symbol: str
    Z: int
    atomic_weight: float
    mean_mass_number: float
    mass_number_source: str


def element_data(symbol):
    """Z, standard atomic weight and abundance-weighted mean mass number of an element.

    Implements the inputs of eq. (D.1) and eq. (5.4) of [1] from real atomic data.

    Parameters
    ----------
    symbol : str, chemical symbol, case-sensitive ("Cu", "Pb"), Z from 1 (H) to 118 (Og)

    Returns
    -------
    ElementData, with Z [1], atomic_weight A_r [1], mean_mass_number Ā [1]

    Notes
    -----
    Ā = Σ_i x_i A_i over the isotopes with natural abundance x_i > 0 (normalised to Σ x_i = 1).
    Fallback: ``periodictable`` 2.1 has no natural abundances for Tc, Pm, Po–Ac and U–Og
    (U included, although U has a natural composition). For those, Ā = round(A_r): for U this is
    238, against 237.978 for natural U (99.274 % ²³⁸U, 0.720 % ²³⁵U, 0.005 % ²³⁴U), i.e. 0.022 too
    many neutrons per atom (1.5e-4 of N); for the others A_r already is the mass number of the
    longest-lived isotope. ``mass_number_source`` records which rule was used.
    """
    func = "element_data"
    if not isinstance(symbol, str) or symbol not in _ELEMENT_SYMBOLS:
        hint = ""
        if isinstance(symbol, str) and symbol.capitalize() in _ELEMENT_SYMBOLS:
            hint = f" (did you mean {symbol.capitalize()!r}? symbols are case-sensitive)"
        raise ArgumentError(f"{func}: symbol={symbol!r} is not a chemical element symbol{hint}. "
                            f"Allowed: the {len(_ELEMENT_SYMBOLS)} symbols "
                            f"{', '.join(_ELEMENT_SYMBOLS)}") from None
    el = periodictable.elements.symbol(symbol)
    isotopes = [(a, el[a].abundance) for a in el.isotopes if el[a].abundance > 0]
    total = sum(x for _, x in isotopes)
    if isotopes:
        mean_a = sum(a * x for a, x in isotopes) / total
        source = "periodictable natural isotopic abundances (CIAAW)"
    else:
        mean_a = float(round(el.mass))
        source = (f"fallback: no natural abundances in periodictable; mass number taken as "
                  f"round(A_r) = {round(el.mass)}")
    return ElementData(symbol, int(el.number), float(el.mass), float(mean_a), source)


@dataclass(frozen=True)
class Composition:
    """Numbers of protons, neutrons and electrons per kilogram of a material.

    ``protons_per_kg``, ``neutrons_per_kg``, ``electrons_per_kg`` [kg⁻¹];
    ``mass_fractions``: ((symbol, mass fraction), ...) the material was built from (empty for
    :func:`composition_eq_d1`); ``counting``: which rule gave the numbers; ``notes``: fallbacks
    used.
    Build it with :func:`element_composition`, :func:`mixture_composition` or
    :func:`composition_eq_d1`.
    """

    name: str
    protons_per_kg: float
    neutrons_per_kg: float
    electrons_per_kg: float
    mass_fractions: tuple = ()
    counting: str = ""
    notes: tuple = ()

    def __post_init__(self):
        for field in ("protons_per_kg", "neutrons_per_kg", "electrons_per_kg"):
            value = getattr(self, field)
            if not (isinstance(value, float | int) and math.isfinite(value) and value >= 0):
                raise ArgumentError(f"Composition: {field}={value!r} must be a finite number >= 0 "
                                    f"[kg^-1]")


def element_composition(symbol):
    """Protons, neutrons and electrons per kilogram of a pure element, from real atomic data.

    Implements eq. (D.1) of [1] with real atomic weights: atoms per kg = 1/(A_r m_u).

    Parameters
    ----------
    symbol : str, chemical symbol, case-sensitive (see :func:`element_data`)

    Returns
    -------
    Composition, numbers per kg [kg⁻¹]

    Notes
    -----
    Per atom: Z protons, Z electrons (neutral matter), Ā − Z neutrons with Ā the
    abundance-weighted mean mass number (:func:`element_data`, which states the fallback for
    elements without natural abundances). m_u = ``units.M_U`` / ``units.kg_to_eV(1)`` (CODATA 2018).
    Unlike eq. (D.1) this counts atoms by their true mass (A_r m_u, binding energy and electrons
    included) rather than A m_p, so N_p differs from eq. (D.1) with A = A_r by the factor
    m_p/m_u = 1.0073.
    """
    return mixture_composition({symbol: 1.0}, name=symbol)


def mixture_composition(mass_fractions, *, name=None):
    """Protons, neutrons and electrons per kilogram of a compound or alloy given by mass fractions.

    Implements eq. (D.1) of [1] generalised to mixtures: the per-kg numbers are the mass-fraction
    weighted sums of the elements' per-kg numbers (:func:`element_composition`).

    Parameters
    ----------
    mass_fractions : mapping str -> float, element symbol -> mass fraction [1], each >= 0, summing
        to 1 within ``MASS_FRACTION_TOLERANCE`` = 1e-6 (e.g. water {"H": 0.1119, "O": 0.8881})
    name : str, optional label (default: the fractions written out)

    Returns
    -------
    Composition, numbers per kg [kg⁻¹]

    Notes
    -----
    Fractions within the tolerance are renormalised to sum to exactly 1. Exact for any mixture
    (chemical binding energies, ~1e-10 of the mass, are ignored).
    """
    func = "mixture_composition"
    if not isinstance(mass_fractions, Mapping) or not mass_fractions:
        raise ArgumentError(f"{func}: mass_fractions={mass_fractions!r} must be a non-empty "
                            f"mapping element symbol -> mass fraction, e.g. "
                            f"{{'Cu': 0.7, 'Zn': 0.3}}")
    fractions = {}
    for symbol, w in mass_fractions.items():
        element_data(symbol)  # validates the symbol
        try:
            w = float(w)
        except (TypeError, ValueError):
            raise ArgumentError(f"{func}: mass_fractions[{symbol!r}]={w!r} is not a "
                                "number") from None
        if not math.isfinite(w) or w < 0:
            raise ArgumentError(f"{func}: mass_fractions[{symbol!r}]={w!r} must be a finite "
                                f"number >= 0 (a mass fraction); drop the element or fix its "
                                f"fraction")
        fractions[symbol] = w
    total = sum(fractions.values())
    if abs(total - 1.0) > MASS_FRACTION_TOLERANCE:
        raise ArgumentError(f"{func}: mass_fractions sum to {total:.12g}, not 1 within "
                            f"{MASS_FRACTION_TOLERANCE:g}; normalise them (divide each by the "
                            f"sum) or add the missing elements")
    n_p = n_n = n_e = 0.0
    notes = []
    for symbol, w in fractions.items():
        data = element_data(symbol)
        atoms_per_kg = 1.0 / (data.atomic_weight * _M_U_KG)
        weight = w / total
        n_p += weight * data.Z * atoms_per_kg
        n_e += weight * data.Z * atoms_per_kg
        n_n += weight * (data.mean_mass_number - data.Z) * atoms_per_kg
        if data.mass_number_source.startswith("fallback"):
            notes.append(f"{symbol}: {data.mass_number_source}")
    frac_tuple = tuple((s, w / total) for s, w in fractions.items())
    if name is None:
        name = " + ".join(f"{w:g} {s}" for s, w in frac_tuple)
    return Composition(name, n_p, n_n, n_e, frac_tuple,
                       "real atomic weights (1/(A_r m_u) atoms per kg) and isotopic abundances",
                       tuple(notes))


def composition_eq_d1(Z, A, *, name=None):
    """Protons, neutrons and electrons per kilogram by the paper's simplified counting.

    Implements eq. (D.1) of [1]: N_p = N_e = m Z/(A m_p), N_n = m (A − Z)/(A m_p), here for
    m = 1 kg.

    Parameters
    ----------
    Z : float, atomic number [1], 0 <= Z <= A
    A : float, mass number or atomic weight [1], > 0 (the paper uses A_r, e.g. 47.87 for Ti)
    name : str, optional label

    Returns
    -------
    Composition, numbers per kg [kg⁻¹]

    Notes
    -----
    Assumption 2 of appendix D: the mass is all nucleons of mass m_p (electrons, binding energy and
    m_n − m_p neglected). Compared with :func:`element_composition` (A = A_r), N_p is smaller by
    m_u/m_p = 0.9928 and N_n differs also through A_r versus the mean mass number. Use it to
    reproduce the paper; use :func:`element_composition` for real bodies.
    """
    func = "composition_eq_d1"
    Z, A = _z_and_a(Z, A, func)
    if Z.ndim or A.ndim:
        raise ArgumentError(f"{func}: Z={Z!r} and A={A!r} must be single numbers") from None
    Z, A = float(Z), float(A)
    n_p = Z / (A * _M_P_KG)
    n_n = (A - Z) / (A * _M_P_KG)
    return Composition(name if name is not None else f"Z={Z:g}, A={A:g}", n_p, n_n, n_p, (),
                       "eq. (D.1): m Z/(A m_p), m (A - Z)/(A m_p)")


# --------------------------------------------------------------------------------------------
# Effective charges (D.2, D.3)
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FlavourCharges:
    """Effective vector charges Q_f of a body for each exchanged flavour f = e, μ, τ.

    Units are those of the particle numbers they were built from: [kg⁻¹] from
    :func:`charges_per_kg`, [1] from :func:`effective_charges`.
    """

    e: float
    mu: float
    tau: float

    def of(self, flavour):
        """Q for ``flavour`` in ``FLAVOURS``."""
        choice("flavour", flavour, FLAVOURS, "FlavourCharges.of")
        return getattr(self, flavour)


def _charges(n_p, n_n, n_e, sin2_theta_w, func):
    s2 = _sin2(sin2_theta_w, func)
    q = {f: n_p * vector_coupling("p", f, s2) + n_e * vector_coupling("e", f, s2)
         + n_n * vector_coupling("n", f, s2) for f in FLAVOURS}
    return FlavourCharges(q["e"], q["mu"], q["tau"])


def charges_per_kg(composition, *, sin2_theta_w=SIN2_THETA_W.value):
    """Effective vector charges per kilogram, Q_f = N_p g_p^f + N_e g_e^f + N_n g_n^f.

    Implements eqs. (D.2) and (D.3) of [1], generalised to N_e ≠ N_p and any s_W².

    Parameters
    ----------
    composition : Composition
    sin2_theta_w : float, s_W² [1]; default ``constants.SIN2_THETA_W``

    Returns
    -------
    FlavourCharges, Q_e, Q_μ, Q_τ [kg⁻¹]

    Notes
    -----
    For neutral matter (N_e = N_p) the s_W² terms cancel and Q_e = N_p − N_n/2 (D.2),
    Q_μ = Q_τ = −N_n/2 (D.3), up to round-off (tests/physics/test_couplings.py).
    """
    if not isinstance(composition, Composition):
        raise ArgumentError(f"charges_per_kg: composition={composition!r} must be a Composition "
                            f"(from element_composition, mixture_composition or composition_eq_d1)")
    return _charges(composition.protons_per_kg, composition.neutrons_per_kg,
                    composition.electrons_per_kg, sin2_theta_w, "charges_per_kg")


def effective_charges(composition, *, mass, sin2_theta_w=SIN2_THETA_W.value):
    """Effective vector charges of a body of given mass, Q_f = N_p g_p^f + N_e g_e^f + N_n g_n^f.

    Implements eqs. (D.2) and (D.3) of [1] for a body of mass m (numbers of eq. D.1).

    Parameters
    ----------
    composition : Composition
    mass : float or array, body mass m [eV] (``units.kg_to_eV(mass_kg)``), >= 0
    sin2_theta_w : float, s_W² [1]; default ``constants.SIN2_THETA_W``

    Returns
    -------
    FlavourCharges, Q_e, Q_μ, Q_τ [1] (floats, or arrays shaped like ``mass``)

    Notes
    -----
    Linear in the mass; see :func:`charges_per_kg`.
    """
    mass = positive("mass", mass, "effective_charges", allow_zero=True, unit="eV")
    per_kg = charges_per_kg(composition, sin2_theta_w=sin2_theta_w)
    kg = mass / _ONE_KG_EV
    return FlavourCharges(_out(per_kg.e * kg), _out(per_kg.mu * kg), _out(per_kg.tau * kg))


# --------------------------------------------------------------------------------------------
# Background potential at α = 0, r ≫ 1/E (5.3, D.4-D.8)
# --------------------------------------------------------------------------------------------

def _beam(r, flux, energy, func):
    r = positive("r", r, func, unit="eV^-1")
    flux = positive("flux", flux, func, allow_zero=True, unit="eV^3")
    energy = positive("energy", energy, func, unit="eV")
    return r, flux, energy


def pair_background_potential(g1, g2, *, r, flux, energy):
    """Background potential of two particles on the beam axis: −g₁g₂ G_F² Φ E/(π r).

    Implements eq. (5.3) of [1] (α = 0, r ≫ 1/E).

    Parameters
    ----------
    g1, g2 : float or array, vector couplings (or effective charges) [1]
    r : float or array, separation [eV⁻¹], > 0
    flux : float or array, number flux Φ [eV³], >= 0
    energy : float or array, neutrino energy E [eV], > 0

    Returns
    -------
    float or ndarray, V [eV] (attractive for g₁g₂ > 0)

    Notes
    -----
    G_F = ``units.G_F``. Valid for r ≫ 1/E and α²Er ≪ 1 (eq. 4.14); equals G_F² g₁g₂ times
    ``directional.directional_potential_small_angle(r, 0, energy, flux)``.
    """
    func = "pair_background_potential"
    g1 = as_array("g1", g1, func)
    g2 = as_array("g2", g2, func)
    r, flux, energy = _beam(r, flux, energy, func)
    return _out(-g1 * g2 * units.G_F**2 * flux * energy / (math.pi * r))


def background_potential_from_charges(q1, q2, *, r, flux, energy, n_e, n_mu=None):
    """Flavour-resolved background potential of two bodies: Σ_f n_f × eq. (5.3) with Q_f¹, Q_f².

    Implements eq. (D.4) of [1]: V = −(G_F² Φ E/πr)[n_e Q_e¹Q_e² + (1 − n_e) Q_μ¹Q_μ²], generalised
    to a μ/τ split.

    Parameters
    ----------
    q1, q2 : FlavourCharges, effective charges of the two bodies [1] (:func:`effective_charges`)
    r : float or array, separation [eV⁻¹], > 0
    flux : float or array, total number flux Φ (ν + ν̄, all flavours) [eV³], >= 0
    energy : float or array, neutrino energy E [eV], > 0
    n_e : float or array, fraction of ν_e + ν̄_e in the flux [1], in [0, 1]
    n_mu : float or array, optional, fraction of ν_μ + ν̄_μ [1]; default 1 − n_e (no ν_τ). The
        ν_τ fraction is 1 − n_e − n_mu.

    Returns
    -------
    float or ndarray, V [eV]

    Notes
    -----
    Point masses at α = 0, r ≫ 1/E, massless neutrinos (assumptions 1–4 of appendix D). In the SM
    Q_μ = Q_τ, so the μ/τ split does not change the result. Like the paper, neutrinos and
    antineutrinos of a flavour enter alike (the reactor flux is ν̄_e, n_e = 1).
    """
    func = "background_potential_from_charges"
    for name, q in (("q1", q1), ("q2", q2)):
        if not isinstance(q, FlavourCharges):
            raise ArgumentError(f"{func}: {name}={q!r} must be FlavourCharges (see "
                                f"effective_charges)")
    n_e = _fraction("n_e", n_e, func)
    n_mu = 1.0 - n_e if n_mu is None else _fraction("n_mu", n_mu, func)
    n_tau = 1.0 - n_e - n_mu
    if (n_tau < -1e-12).any():
        raise ArgumentError(f"{func}: n_e + n_mu must not exceed 1; got n_e={n_e!r}, "
                            f"n_mu={n_mu!r}") from None
    n_tau = np.clip(n_tau, 0.0, None)
    weighted = n_e * q1.e * q2.e + n_mu * q1.mu * q2.mu + n_tau * q1.tau * q2.tau
    return pair_background_potential(weighted, 1.0, r=r, flux=flux, energy=energy)


def f_material(A1, A2, Z1, Z2, n_e):
    """Material factor f(A₁, A₂, Z₁, Z₂, n_e) of the background potential between two bodies.

    Implements eq. (D.6) of [1]:
    f = ¼[n_e (3Z₁/A₁ − 1)(3Z₂/A₂ − 1) + (1 − n_e)(1 − Z₁/A₁)(1 − Z₂/A₂)].

    Parameters
    ----------
    A1, A2 : float or array, mass numbers (or atomic weights) [1], > 0
    Z1, Z2 : float or array, atomic numbers [1], 0 <= Z <= A
    n_e : float or array, ν_e fraction of the flux [1], in [0, 1]

    Returns
    -------
    float or ndarray, f [1]

    Notes
    -----
    Follows from eq. (D.4) with the counting of eq. (D.1) (N_e = N_p); s_W drops out.
    """
    func = "f_material"
    Z1, A1 = _z_and_a(Z1, A1, func, "1")
    Z2, A2 = _z_and_a(Z2, A2, func, "2")
    n_e = _fraction("n_e", n_e, func)
    x1, x2 = Z1 / A1, Z2 / A2
    return _out(0.25 * (n_e * (3 * x1 - 1) * (3 * x2 - 1) + (1 - n_e) * (1 - x1) * (1 - x2)))


def background_potential_from_f(*, m1, m2, r, flux, energy, A1, A2, Z1, Z2, n_e):
    """Background potential of two pure-element point masses via the material factor f.

    Implements eq. (D.5) of [1]: V = −(G_F² Φ E/πr)(m₁m₂/m_p²) f(A₁, A₂, Z₁, Z₂, n_e).

    Parameters
    ----------
    m1, m2 : float or array, masses [eV], >= 0
    r : float or array, separation [eV⁻¹], > 0
    flux : float or array, number flux Φ [eV³], >= 0
    energy : float or array, neutrino energy E [eV], > 0
    A1, A2, Z1, Z2, n_e : see :func:`f_material`

    Returns
    -------
    float or ndarray, V [eV]

    Notes
    -----
    Equal to :func:`background_potential_from_charges` with the charges of
    :func:`composition_eq_d1` (tested to round-off); with real compositions
    (:func:`element_composition`) the two differ at the 1e-2 level (m_u vs m_p, Ā vs A_r).
    m_p = ``units.M_P``.
    """
    func = "background_potential_from_f"
    m1 = positive("m1", m1, func, allow_zero=True, unit="eV")
    m2 = positive("m2", m2, func, allow_zero=True, unit="eV")
    f = f_material(A1, A2, Z1, Z2, n_e)
    return pair_background_potential(m1 * m2 / units.M_P**2, f, r=r, flux=flux, energy=energy)


def ratio_to_gravity(A1, A2, Z1, Z2, n_e, *, flux, energy, nucleon_mass=units.M_P):
    """Ratio of the background potential to the Newtonian potential between two bodies.

    Implements eq. (D.8) of [1] in the form that follows from eqs. (D.5) and (D.7):
    V_bkg/V_grav = G_F² Φ E f/(π G_N m_p²), independent of r and of the masses.

    Parameters
    ----------
    A1, A2, Z1, Z2, n_e : see :func:`f_material`
    flux : float or array, number flux Φ [eV³], >= 0
    energy : float or array, neutrino energy E [eV], > 0
    nucleon_mass : float, the mass in the denominator [eV]; default m_p = ``units.M_P``

    Returns
    -------
    float or ndarray, V_bkg/V_grav [1]

    Notes
    -----
    Eq. (D.8) as printed has m_n², while (D.5), (D.7), (D.9) and (D.11) have m_p²; the m_p form is
    the one that follows from (D.1) and is the default. ``nucleon_mass=units.M_N`` reproduces the
    printed (D.8), smaller by (m_p/m_n)² = 0.99725. Special cases: (D.9) for Z₁/A₁ = Z₂/A₂ and
    n_e = 1, (D.11) for n_e = 0. G_N = ``units.G_N`` (CODATA 2018).
    """
    func = "ratio_to_gravity"
    nucleon_mass = positive("nucleon_mass", nucleon_mass, func, unit="eV")
    flux = positive("flux", flux, func, allow_zero=True, unit="eV^3")
    energy = positive("energy", energy, func, unit="eV")
    f = f_material(A1, A2, Z1, Z2, n_e)
    return _out(units.G_F**2 * flux * energy * f / (math.pi * units.G_N * nucleon_mass**2))


# --------------------------------------------------------------------------------------------
# Material variation (5.4, D.12)
# --------------------------------------------------------------------------------------------

def z_over_a(symbol):
    """Z/A of an element with A its standard atomic weight A_r.

    Implements the Z/A of eq. (5.4) of [1] ("more accurate calculations using A = 47.87").

    Parameters
    ----------
    symbol : str, chemical symbol (see :func:`element_data`)

    Returns
    -------
    float, Z/A_r [1]

    Notes
    -----
    Z/A_r = (protons per kg) × m_u, so it is what :func:`element_composition` counts.
    """
    data = element_data(symbol)
    return data.Z / data.atomic_weight


def delta_z_over_a(symbol1, symbol2):
    """Variation δ_{Z/A} = |Z₁/A₁ − Z₂/A₂| between two elements, from real atomic weights.

    Implements eq. (5.4) of [1].

    Parameters
    ----------
    symbol1, symbol2 : str, chemical symbols (see :func:`element_data`)

    Returns
    -------
    float, δ_{Z/A} [1] (0.016 for Be vs Ti)

    Notes
    -----
    An absolute difference (not relative): this definition reproduces the paper's 1.6 % (Be vs Ti)
    and 8.2 % (Al vs Pt). For Cu vs Pb it gives 6.06 % where the paper prints 4.9 %; no
    definition with Cu and Pb that reproduces the other two pairs was found to give 4.9 %
    (tests/physics/test_couplings.py documents the search).
    """
    return abs(z_over_a(symbol1) - z_over_a(symbol2))


def material_variation(delta_z_over_a, n_e):
    """Relative change of the background potential between materials: 4(4n_e − 1) δ_{Z/A}.

    Implements eq. (D.12) of [1].

    Parameters
    ----------
    delta_z_over_a : float or array, δ_{Z/A} [1] (:func:`delta_z_over_a`)
    n_e : float or array, ν_e fraction of the flux [1], in [0, 1]

    Returns
    -------
    float or ndarray, δV_bkg/V_bkg [1] (signed)

    Notes
    -----
    First order in δ_{Z/A} around Z/A = 1/2, for Z/A changed in *both* bodies (the derivative of
    f(x, x) of eq. D.6 at x = 1/2). Changing one body only gives half of it, 2(4n_e − 1) δ_{Z/A}.
    Vanishes at n_e = 1/4. Relative error O(δ_{Z/A}) and O(|Z/A − 1/2|): poor for heavy elements
    (Z/A ≈ 0.40 for Pb); use :func:`f_material` for real materials.
    """
    func = "material_variation"
    delta = positive("delta_z_over_a", delta_z_over_a, func, allow_zero=True)
    n_e = _fraction("n_e", n_e, func)
    return _out(4.0 * (4.0 * n_e - 1.0) * delta)
