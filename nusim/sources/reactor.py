"""Reactor antineutrinos: per-isotope spectra, fuel presets, and the :class:`Reactor` source.

SI at the boundary (see ``CONVENTIONS.md``): energies [MeV], spectra per fission [ν̄ fission⁻¹
MeV⁻¹], fluxes [cm⁻² s⁻¹], spectra [cm⁻² s⁻¹ MeV⁻¹], lengths [m], times UTC.

Spectral models
---------------
One function per published parametrisation, named after its paper, each the published formula
and nothing else (valid 2–8 MeV, extrapolations outside):

* :func:`huber_2011` — dN/dE = exp(Σ_{k=0}^{5} a_k E^k) for ²³⁵U, ²³⁹Pu, ²⁴¹Pu [1];
* :func:`mueller_2011` — the same form for all four isotopes [2];
* :func:`vogel_engel_1989` — dN/dE = exp(a₀ + a₁E + a₂E²) for all four isotopes [3].

:data:`REACTOR_SPECTRA` combines them into full-range models ("huber-mueller": Huber for ²³⁵U,
²³⁹Pu, ²⁴¹Pu and Mueller for ²³⁸U, the standard HM combination; "mueller-2011"; "vogel-engel-1989"),
and :func:`isotope_spectrum` extends any of them to the support [0, E_max] = [0, 12] MeV:

* **2 ≤ E ≤ 10 MeV**: the published fit itself.
* **Low-energy extension, 0 < E < 2 MeV.** Below 2 MeV no conversion spectrum exists (the ILL
  β spectra start there), and the exp(5th-order polynomial) fits blow up: HM ²³⁵U gives 79 ν̄/MeV
  at E = 0. The quadratic Vogel–Engel fit of the same isotope stays finite and smooth down to E = 0
  and is the usual full-range shape ([3]; reference §A1.2). We therefore continue each model with
  the Vogel–Engel shape of the same isotope, scaled and bent so that the join at E₀ = 2 MeV is C²
  (value, slope and curvature of ln S continuous):

      ln S(E) = ln S_VE(E) + Δ₀ + (Δ₁ t + ½ d₂ t²) e^{t/w},   t = E − E₀ < 0,
      d₂ = Δ₂ − 2Δ₁/w,  Δ_k = d^k/dE^k [ln S_model − ln S_VE] at E₀,  w = 0.25 MeV,

  i.e. a global rescale e^{Δ₀} (0.996–1.097 for HM) and a slope/curvature correction that dies
  off within ≈ 3w = 0.75 MeV below the join (it changes ln S by ≤ 0.061 for HM, ≤ 0.083 for
  Mueller ²³⁹Pu). Then S is multiplied by the phase-space factor P(E) = 1 − exp(−E²/E_ps²),
  E_ps = 0.1 MeV. Each β branch of a fission product gives dN/dE_ν ∝ E_ν² p_e W_e F(Z, W_e),
  → ∝ E_ν² as E_ν → 0 (the electron sits at its end point), so the summed spectrum vanishes like
  E² at E → 0. It departs from E² once E_ν is a fraction of the lowest end points of the abundant
  equilibrium fission products (¹⁰³Ru, ¹⁴⁴Ce, ¹³³Xe, ⁹⁵Zr: 0.1–0.4 MeV), hence E_ps = 0.1 MeV
  (P = 0.99 at 0.21 MeV); this scale is an assumed modelling choice, and P removes ≈ 0.2
  ν̄/fission. S(E) is then analytic on (0, 2) MeV, ∝ E² at E → 0, and C² at 2 MeV (P(2 MeV) = 1
  in double precision), which keeps Fourier integrals over E free of artificial slow tails. For
  "vogel-engel-1989" Δ_k = 0 (the fit simply continues). The 0–2 MeV region holds ≈ 3.8 of the
  5.37 ν̄/fission (HM, Daya Bay fuel) and is a model, not a measurement; its uncertainty is not
  quantified here (totals in use range from 5.2, VE over 0–10 MeV, to ≈ 7 with the ²³⁸U
  neutron-capture chain; reference §A1.5).
* **High-energy cut.** The fits fall steeply above 8 MeV (HM ²³⁵U: 1.5e-3 at 8 MeV, 2e-9 at
  10 MeV ν̄/fission/MeV; faster than the measured spectra, which is irrelevant for totals); the
  ν̄ above 10 MeV are < 6e-5 of the 2–8 MeV integral for every isotope and model (the largest,
  VE ²³⁸U, 5e-5; HM ²³⁸U 5e-6). The spectrum is multiplied by a C^∞ smooth step from 1 at
  10 MeV to 0 at E_max = 12 MeV (ψ(1−x)/(ψ(1−x)+ψ(x)), ψ(y) = e^{−1/y}, x = (E − 10)/2), so that
  it ends smoothly, again for Fourier integrals; this removes ≤ 2e-5 ν̄/fission (VE ²³⁸U; 5e-7
  for HM). The fits are not validated above 8 MeV (reference §A1.1).

Normalisation
-------------
Integrated over [0, 12] MeV the extended spectra give 5.37 ν̄/fission for the Daya Bay fuel
(HM; mean energy 1.59 MeV), close to the textbook ≈ 6 (reference §A1.5). The founding paper's
flux, 5e13 cm⁻² s⁻¹ at 10 m from 2.9 GW_th [4, §5.2, citing Kopeikin 2012], implies ≈ 7.1
ν̄/fission (reference flag 2; the extra ≈ 1 plausibly from the ²³⁸U(n,γ)²³⁹U→²³⁹Np chain).
:class:`Reactor` therefore exposes ``antineutrinos_per_fission``: ``None`` keeps the spectrum's
own integral, a number rescales the shape to that total (7.1 reproduces the paper, 6.0 gives
4.2e13).

Flavour
-------
At lab distances the beam is pure ν̄_e: the oscillation phase 1.27 Δm²₃₁[eV²] L[km]/E[GeV] is
≈ 0.008 rad at L = 10 m and E = 4 MeV (reference §A1.5), so 1 − P_ee = sin²2θ₁₃ sin²(phase)
< 1e-4 for L ≤ 10 m and E ≥ 1 MeV. Other flavours are returned as 0.

References
----------
[1] P. Huber, "Determination of antineutrino spectra from nuclear reactors", Phys. Rev. C 84,
    024617 (2011), doi:10.1103/PhysRevC.84.024617, table III.
[2] Th.A. Mueller et al., "Improved predictions of reactor antineutrino spectra", Phys. Rev. C 83,
    054615 (2011), doi:10.1103/PhysRevC.83.054615, table VI.
[3] P. Vogel, J. Engel, "Neutrino electromagnetic form factors", Phys. Rev. D 39, 3378 (1989),
    doi:10.1103/PhysRevD.39.3378, table I (fits to the ILL spectra).
[4] M. Ghosh, Y. Grossman, W. Tangarife, X.-J. Xu, B. Yu, "Neutrino forces in neutrino
    backgrounds", JHEP 02 (2023) 092, arXiv:2209.07082, §5.2.
[5] X.B. Ma et al., "Improved calculation of the energy release in neutron-induced fission",
    Phys. Rev. C 88, 014605 (2013), doi:10.1103/PhysRevC.88.014605, table IX.
[6] nusim reference data, shared/reference/neutrino-sources-and-experiments.md, §A1.1–A1.5 and
    flag 2 (coefficients, fission fractions, energies per fission, integrals).
"""

import datetime
import functools
import math
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import scipy.integrate
import scipy.stats.qmc

from nusim import units
from nusim.errors import ArgumentError
from nusim.physics._checks import as_array, choice, positive
from nusim.sources import profiles

#: Isotope keys, in the order of every table here.
ISOTOPES = ("U235", "U238", "Pu239", "Pu241")
#: Flavour keys of CONVENTIONS.md; a reactor emits only "nubar_e".
FLAVOURS = ("nu_e", "nu_x", "nubar_e", "nubar_x")

#: Join between the low-energy extension and the published fits [MeV] (lower end of validity).
JOIN_MeV = 2.0
#: Range over which the C² slope/curvature correction of the extension dies off [MeV].
JOIN_WIDTH_MeV = 0.25
#: Phase-space scale of the E² behaviour at E → 0 [MeV] (assumed; see the module docstring).
PHASE_SPACE_MeV = 0.1
#: Start of the smooth high-energy cut [MeV].
TAPER_START_MeV = 10.0
#: Upper end of the spectrum's support [MeV].
E_MAX_MeV = 12.0
#: Fission fractions may miss 1 by this much (rounding of published sets); they are renormalised.
FRACTION_SUM_TOLERANCE = 1e-3

# SI prefixes (not physical constants): nusim.units has no GW -> W or m⁻² -> cm⁻² conversion.
_W_PER_GW = 1e9
_M2_PER_CM2 = 1e-4

# --------------------------------------------------------------------------------------------
# Published coefficients (reference §A1.1, §A1.2; each row verified there against the papers)
# --------------------------------------------------------------------------------------------
_HUBER_2011 = MappingProxyType({
    "U235": (4.367, -4.577, 2.100, -5.294e-1, 6.186e-2, -2.777e-3),
    "Pu239": (4.757, -5.392, 2.563, -6.596e-1, 7.820e-2, -3.536e-3),
    "Pu241": (2.990, -2.882, 1.278, -3.343e-1, 3.905e-2, -1.754e-3),
})
_MUELLER_2011 = MappingProxyType({
    "U235": (3.217, -3.111, 1.395, -3.690e-1, 4.445e-2, -2.053e-3),
    "U238": (4.833e-1, 1.927e-1, -1.283e-1, -6.762e-3, 2.233e-3, -1.536e-4),
    "Pu239": (6.413, -7.432, 3.535, -8.820e-1, 1.025e-1, -4.550e-3),
    "Pu241": (3.251, -3.204, 1.428, -3.675e-1, 4.254e-2, -1.896e-3),
})
_VOGEL_ENGEL_1989 = MappingProxyType({
    "U235": (0.870, -0.160, -0.0910),
    "U238": (0.976, -0.162, -0.0790),
    "Pu239": (0.896, -0.239, -0.0981),
    "Pu241": (0.793, -0.080, -0.1085),
})

_CITE_HUBER = ("P. Huber, Phys. Rev. C 84, 024617 (2011), doi:10.1103/PhysRevC.84.024617, "
               "table III")
_CITE_MUELLER = ("Th.A. Mueller et al., Phys. Rev. C 83, 054615 (2011), "
                 "doi:10.1103/PhysRevC.83.054615, table VI")
_CITE_VE = ("P. Vogel, J. Engel, Phys. Rev. D 39, 3378 (1989), doi:10.1103/PhysRevD.39.3378, "
            "table I")
_CITE_EXTENSION = ("nusim low-energy extension (Vogel-Engel shape joined C² at 2 MeV, E² phase "
                   "space below 0.1 MeV) and smooth cut 10-12 MeV; nusim/sources/reactor.py")


def _exp_poly(coeffs, energy):
    """exp(Σ a_k E^k) for E [MeV] (array)."""
    return np.exp(np.polynomial.polynomial.polyval(energy, coeffs))


def _fit(table, isotope, energy_MeV, func):
    coeffs = table.get(isotope) if isinstance(isotope, str) else None
    if coeffs is None:
        raise ArgumentError(f"{func}: isotope={isotope!r} is not one of "
                            f"{', '.join(map(repr, table))}") from None
    energy = positive("energy_MeV", energy_MeV, func, allow_zero=True, unit="MeV")
    out = _exp_poly(coeffs, energy)
    return float(out) if out.ndim == 0 else out


def huber_2011(isotope, energy_MeV):
    """Huber's antineutrino spectrum per fission, dN/dE = exp(Σ_{k=0}^{5} a_k E^k).

    Implements eq. (19) with table III of [1] (converted ILL β spectra).

    Parameters
    ----------
    isotope : str, one of "U235", "Pu239", "Pu241" (Huber gives no ²³⁸U spectrum: use
        :func:`mueller_2011` for it, as in the "huber-mueller" combination)
    energy_MeV : float or array, ν̄ energy E [MeV], ≥ 0

    Returns
    -------
    float or ndarray, dN/dE [ν̄ fission⁻¹ MeV⁻¹], same shape as ``energy_MeV``

    Notes
    -----
    Valid 2–8 MeV (the range of the ILL data); outside it the formula is an extrapolation and
    diverges at low energy (79 MeV⁻¹ for ²³⁵U at E = 0). For a full-range spectrum use
    :func:`isotope_spectrum`. The integrals over 2–8 MeV reproduce reference table A1.5 to its
    printed digits (tests/sources/test_reactor.py).

    References
    ----------
    [1] P. Huber, Phys. Rev. C 84, 024617 (2011), doi:10.1103/PhysRevC.84.024617.
    """
    return _fit(_HUBER_2011, isotope, energy_MeV, "huber_2011")


def mueller_2011(isotope, energy_MeV):
    """Mueller et al.'s antineutrino spectrum per fission, dN/dE = exp(Σ_{k=0}^{5} a_k E^k).

    Implements the fit of table VI of [1] (ab initio summation improved with ILL data).

    Parameters
    ----------
    isotope : str, one of "U235", "U238", "Pu239", "Pu241"
    energy_MeV : float or array, ν̄ energy E [MeV], ≥ 0

    Returns
    -------
    float or ndarray, dN/dE [ν̄ fission⁻¹ MeV⁻¹]

    Notes
    -----
    Valid 2–8 MeV; an extrapolation outside. Integrals over 2–8 MeV match reference table A1.5.

    References
    ----------
    [1] Th.A. Mueller et al., Phys. Rev. C 83, 054615 (2011), doi:10.1103/PhysRevC.83.054615.
    """
    return _fit(_MUELLER_2011, isotope, energy_MeV, "mueller_2011")


def vogel_engel_1989(isotope, energy_MeV):
    """Vogel and Engel's antineutrino spectrum per fission, dN/dE = exp(a₀ + a₁E + a₂E²).

    Implements eq. (4) with table I of [1] (fits to the ILL/Schreckenbach spectra).

    Parameters
    ----------
    isotope : str, one of "U235", "U238", "Pu239", "Pu241"
    energy_MeV : float or array, ν̄ energy E [MeV], ≥ 0

    Returns
    -------
    float or ndarray, dN/dE [ν̄ fission⁻¹ MeV⁻¹]

    Notes
    -----
    Fitted for 2–8 MeV; the quadratic form stays finite down to E = 0 (≈ 2.2–2.7 MeV⁻¹ there),
    which makes it the usual extrapolation below 2 MeV (reference §A1.2) and the shape of the
    low-energy extension of :func:`isotope_spectrum`. It does not vanish at E = 0 (the physical
    spectrum does, like E²). Integrals over 0–10 MeV match reference table A1.5.

    References
    ----------
    [1] P. Vogel, J. Engel, Phys. Rev. D 39, 3378 (1989), doi:10.1103/PhysRevD.39.3378.
    """
    return _fit(_VOGEL_ENGEL_1989, isotope, energy_MeV, "vogel_engel_1989")


# --------------------------------------------------------------------------------------------
# Presets (immutable, each with its citation)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SpectrumModel:
    """A full-range spectral model: per-isotope log-polynomial coefficients and citations."""

    name: str
    coefficients: MappingProxyType  # isotope -> (a_0, ..., a_k), ln dN/dE polynomial in E [MeV]
    functions: MappingProxyType     # isotope -> published function name, for describe()
    citation: str


@dataclass(frozen=True)
class IsotopeValues:
    """One value per isotope (fission fractions [1] or energies per fission [MeV]), with source."""

    U235: float
    U238: float
    Pu239: float
    Pu241: float
    citation: str

    def as_dict(self):
        """{isotope: value} in the order of :data:`ISOTOPES`."""
        return {iso: getattr(self, iso) for iso in ISOTOPES}


REACTOR_SPECTRA = MappingProxyType({
    "huber-mueller": SpectrumModel(
        "huber-mueller",
        MappingProxyType({"U235": _HUBER_2011["U235"], "U238": _MUELLER_2011["U238"],
                          "Pu239": _HUBER_2011["Pu239"], "Pu241": _HUBER_2011["Pu241"]}),
        MappingProxyType({"U235": "huber_2011", "U238": "mueller_2011",
                          "Pu239": "huber_2011", "Pu241": "huber_2011"}),
        f"Huber-Mueller combination: {_CITE_HUBER} (U235, Pu239, Pu241); {_CITE_MUELLER} (U238)"),
    "mueller-2011": SpectrumModel(
        "mueller-2011", _MUELLER_2011,
        MappingProxyType(dict.fromkeys(ISOTOPES, "mueller_2011")), _CITE_MUELLER),
    "vogel-engel-1989": SpectrumModel(
        "vogel-engel-1989", _VOGEL_ENGEL_1989,
        MappingProxyType(dict.fromkeys(ISOTOPES, "vogel_engel_1989")), _CITE_VE),
})

FISSION_FRACTIONS = MappingProxyType({
    "daya-bay": IsotopeValues(0.564, 0.076, 0.304, 0.056,
                              "Daya Bay average fission fractions (LEU PWR, mid-cycle), "
                              "F.P. An et al., arXiv:2210.01068; reference §A1.3"),
    "typical-pwr": IsotopeValues(0.58, 0.08, 0.29, 0.05,
                                 "typical commercial PWR, as cited by the nurecoil flux module "
                                 "(arXiv:2310.11307); reference §A1.3"),
    "conus": IsotopeValues(0.491, 0.074, 0.361, 0.074,
                           "CONUS, Brokdorf PWR, arXiv:2401.07684; reference §A1.3"),
    "kuo-sheng": IsotopeValues(0.55, 0.07, 0.32, 0.06,
                               "Kuo-Sheng reactor, arXiv:2402.06416; reference §A1.3"),
    "begin-of-cycle": IsotopeValues(0.763, 0.0476, 0.162, 0.027,
                                    "begin of cycle (fresh fuel), A. Bernstein et al. 2010 as "
                                    "used by the ERNIE defaults; reference §A1.3 (sums to 0.9996, "
                                    "renormalised)"),
})

ENERGY_PER_FISSION_MEV = MappingProxyType({
    "ma-2013": IsotopeValues(202.36, 205.99, 211.12, 214.26,
                             "X.B. Ma et al., Phys. Rev. C 88, 014605 (2013), "
                             "doi:10.1103/PhysRevC.88.014605, table IX; reference §A1.4"),
    "kopeikin-2004": IsotopeValues(201.92, 205.52, 209.99, 213.60,
                                   "V. Kopeikin, L. Mikaelyan, V. Sinev, Phys. Atom. Nucl. 67, "
                                   "1892 (2004) (also Bemporad et al. 2002); reference §A1.4"),
    "james-1969": IsotopeValues(201.7, 205.0, 210.0, 212.4,
                                "M.F. James, J. Nucl. Energy 23, 517 (1969) (Meulenberg/James "
                                "values); reference §A1.4"),
})

_CITE_PAPER_FLUX = ("founding paper §5.2: 2.9 GW_th -> 5e13 cm^-2 s^-1 at 10 m, citing V.I. "
                    "Kopeikin, Phys. Atom. Nucl. 75, 143 (2012); implies about 7.1 antineutrinos "
                    "per fission (reference flag 2)")


# --------------------------------------------------------------------------------------------
# Full-range spectra
# --------------------------------------------------------------------------------------------
def _model(model, func):
    choice("model", model, tuple(REACTOR_SPECTRA), func)
    return REACTOR_SPECTRA[model]


@functools.lru_cache(maxsize=None)
def _join_parameters(model, isotope):
    """(Δ₀, Δ₁, d₂) of the C² join at JOIN_MeV between the model and the VE shape."""
    P = np.polynomial.polynomial
    diff = P.polysub(REACTOR_SPECTRA[model].coefficients[isotope], _VOGEL_ENGEL_1989[isotope])
    d0 = P.polyval(JOIN_MeV, diff)
    d1 = P.polyval(JOIN_MeV, P.polyder(diff, 1))
    d2 = P.polyval(JOIN_MeV, P.polyder(diff, 2))
    return float(d0), float(d1), float(d2 - 2.0 * d1 / JOIN_WIDTH_MeV)


def _smooth_step_down(x):
    """C^∞ step: 1 for x ≤ 0, 0 for x ≥ 1, ψ(1−x)/(ψ(1−x)+ψ(x)) between, ψ(y) = e^{−1/y}."""
    x = np.clip(x, 0.0, 1.0)
    inner = (x > 0) & (x < 1)
    xs = np.where(inner, x, 0.5)
    a, b = np.exp(-1.0 / (1.0 - xs)), np.exp(-1.0 / xs)
    return np.where(x <= 0, 1.0, np.where(x >= 1, 0.0, a / (a + b)))


def _isotope_spectrum(model, isotope, energy):
    """Extended spectrum (no checks) for a float array ``energy`` [MeV]."""
    coeffs = REACTOR_SPECTRA[model].coefficients[isotope]
    e_hi = np.clip(energy, JOIN_MeV, E_MAX_MeV)
    high = _exp_poly(coeffs, e_hi) * _smooth_step_down(
        (e_hi - TAPER_START_MeV) / (E_MAX_MeV - TAPER_START_MeV))
    e_lo = np.clip(energy, 0.0, JOIN_MeV)
    t = e_lo - JOIN_MeV
    d0, d1, d2 = _join_parameters(model, isotope)
    log_low = (np.polynomial.polynomial.polyval(e_lo, _VOGEL_ENGEL_1989[isotope]) + d0
               + (d1 * t + 0.5 * d2 * t * t) * np.exp(t / JOIN_WIDTH_MeV))
    low = np.exp(log_low) * -np.expm1(-(e_lo / PHASE_SPACE_MeV) ** 2)
    out = np.where(energy < JOIN_MeV, low, high)
    return np.where((energy <= 0) | (energy >= E_MAX_MeV), 0.0, out)


def isotope_spectrum(isotope, energy_MeV, *, model="huber-mueller"):
    """Full-range antineutrino spectrum per fission of one isotope, on [0, 12] MeV.

    The published fit of ``model`` on 2–10 MeV, the C² Vogel–Engel-shaped low-energy extension
    with E² phase space below 2 MeV, and a C^∞ cut from 10 to 12 MeV; formulas and justification
    in the module docstring.

    Parameters
    ----------
    isotope : str, one of "U235", "U238", "Pu239", "Pu241"
    energy_MeV : float or array, ν̄ energy E [MeV] (any real; 0 outside (0, 12))
    model : str, a key of :data:`REACTOR_SPECTRA`

    Returns
    -------
    float or ndarray, dN/dE [ν̄ fission⁻¹ MeV⁻¹], same shape as ``energy_MeV``

    Notes
    -----
    Equals the published fit on [2, 10] MeV exactly; continuous with continuous first and second
    derivatives at 2 MeV; ∝ E² as E → 0. Shown in tests/sources/test_reactor.py.
    """
    func = "isotope_spectrum"
    _model(model, func)
    choice("isotope", isotope, ISOTOPES, func)
    energy = as_array("energy_MeV", energy_MeV, func)
    out = _isotope_spectrum(model, isotope, energy)
    return float(out) if out.ndim == 0 else out


@functools.lru_cache(maxsize=None)
def _isotope_moments(model, isotope):
    """(∫ S dE, ∫ E S dE) over [0, E_max] of the extended spectrum, to ~1e-12 relative."""
    pieces = ((0.0, JOIN_MeV), (JOIN_MeV, TAPER_START_MeV), (TAPER_START_MeV, E_MAX_MeV))
    moments = []
    for power in (0, 1):
        total = 0.0
        for lo, hi in pieces:
            total += scipy.integrate.quad(
                lambda e: e**power * float(_isotope_spectrum(model, isotope, np.asarray(e))),
                lo, hi, epsabs=0.0, epsrel=1e-12, limit=200)[0]
        moments.append(total)
    return tuple(moments)


def _fractions(fuel, func, name="fuel"):
    """(label, {isotope: fraction}) from a preset key or a mapping; checks the sum."""
    if isinstance(fuel, str):
        choice(name, fuel, tuple(FISSION_FRACTIONS), func)
        label, values = fuel, FISSION_FRACTIONS[fuel].as_dict()
    elif hasattr(fuel, "keys"):
        if set(fuel) != set(ISOTOPES):
            presets = ", ".join(map(repr, FISSION_FRACTIONS))
            raise ArgumentError(f"{func}: {name} must be a preset ({presets}) or a mapping with "
                                f"exactly the keys {', '.join(map(repr, ISOTOPES))}; got keys "
                                f"{sorted(fuel)!r}")
        label = "custom"
        values = {iso: float(positive(f"{name}[{iso!r}]", fuel[iso], func, allow_zero=True))
                  for iso in ISOTOPES}
    else:
        raise ArgumentError(f"{func}: {name}={fuel!r} is not one of "
                            f"{', '.join(map(repr, FISSION_FRACTIONS))} nor a mapping of fission "
                            f"fractions {{isotope: fraction}}")
    total = sum(values.values())
    if abs(total - 1.0) > FRACTION_SUM_TOLERANCE:
        raise ArgumentError(f"{func}: {name} fission fractions sum to {total!r}, not 1 (tolerance "
                            f"{FRACTION_SUM_TOLERANCE}); give fractions of fissions of "
                            f"{', '.join(ISOTOPES)} that sum to 1, or a preset: "
                            f"{', '.join(map(repr, FISSION_FRACTIONS))}")
    return label, {iso: v / total for iso, v in values.items()}


def fission_spectrum(energy_MeV, *, fuel="daya-bay", model="huber-mueller"):
    """Antineutrino spectrum per fission of a fuel mix, Σ_i f_i S_i(E), on [0, 12] MeV.

    Parameters
    ----------
    energy_MeV : float or array, ν̄ energy [MeV]
    fuel : str (a key of :data:`FISSION_FRACTIONS`) or mapping {isotope: fraction of fissions}
        summing to 1 (± 1e-3, renormalised)
    model : str, a key of :data:`REACTOR_SPECTRA`

    Returns
    -------
    float or ndarray, dN/dE [ν̄ fission⁻¹ MeV⁻¹]
    """
    func = "fission_spectrum"
    _model(model, func)
    _, frac = _fractions(fuel, func)
    energy = as_array("energy_MeV", energy_MeV, func)
    out = sum(f * _isotope_spectrum(model, iso, energy) for iso, f in frac.items())
    return float(out) if np.ndim(out) == 0 else out


def fission_spectrum_totals(*, fuel="daya-bay", model="huber-mueller"):
    """ν̄ per fission and mean ν̄ energy of the full-range spectrum of a fuel mix.

    Parameters
    ----------
    fuel : str or mapping, as for :func:`fission_spectrum`
    model : str, a key of :data:`REACTOR_SPECTRA`

    Returns
    -------
    dict {"antineutrinos_per_fission": ∫₀^{12} S dE [1],
          "mean_energy_MeV": ∫ E S dE / ∫ S dE [MeV]}

    Notes
    -----
    Adaptive quadrature (QUADPACK, 1e-12 relative) on [0, 2], [2, 10], [10, 12] MeV, cached per
    isotope. About 5.37 ν̄/fission and 1.59 MeV for HM with the Daya Bay fuel.
    """
    func = "fission_spectrum_totals"
    _model(model, func)
    _, frac = _fractions(fuel, func)
    n = sum(f * _isotope_moments(model, iso)[0] for iso, f in frac.items())
    m1 = sum(f * _isotope_moments(model, iso)[1] for iso, f in frac.items())
    return {"antineutrinos_per_fission": n, "mean_energy_MeV": m1 / n}


def _energies_per_fission(energy_per_fission, func):
    if isinstance(energy_per_fission, str):
        choice("energy_per_fission", energy_per_fission, tuple(ENERGY_PER_FISSION_MEV), func)
        return energy_per_fission, ENERGY_PER_FISSION_MEV[energy_per_fission].as_dict()
    if hasattr(energy_per_fission, "keys") and set(energy_per_fission) == set(ISOTOPES):
        return "custom", {iso: float(positive(f"energy_per_fission[{iso!r}]",
                                              energy_per_fission[iso], func, unit="MeV"))
                          for iso in ISOTOPES}
    raise ArgumentError(f"{func}: energy_per_fission={energy_per_fission!r} is not one of "
                        f"{', '.join(map(repr, ENERGY_PER_FISSION_MEV))} nor a mapping "
                        f"{{isotope: MeV}} with keys {', '.join(map(repr, ISOTOPES))}")


def mean_energy_per_fission_MeV(*, fuel="daya-bay", energy_per_fission="ma-2013"):
    """Thermal energy released per fission of a fuel mix, ē = Σ_i f_i E_i [MeV].

    Parameters
    ----------
    fuel : str or mapping, as for :func:`fission_spectrum`
    energy_per_fission : str (a key of :data:`ENERGY_PER_FISSION_MEV`) or mapping {isotope: MeV}

    Returns
    -------
    float, ē [MeV]; 205.97 MeV for Daya Bay fractions with Ma 2013 energies (reference §A1.4)
    """
    func = "mean_energy_per_fission_MeV"
    _, frac = _fractions(fuel, func)
    _, e = _energies_per_fission(energy_per_fission, func)
    return sum(frac[iso] * e[iso] for iso in ISOTOPES)


def fission_rate_per_s(thermal_power_GW, energy_per_fission_MeV):
    """Fissions per second of a core, P_th / ē.

    Parameters
    ----------
    thermal_power_GW : float, thermal power P_th [GW], ≥ 0
    energy_per_fission_MeV : float, ē [MeV], > 0

    Returns
    -------
    float, fission rate [s⁻¹] (3.03e19 s⁻¹ per GW_th at ē = 205.97 MeV, reference §A1.4)
    """
    func = "fission_rate_per_s"
    p = positive("thermal_power_GW", thermal_power_GW, func, allow_zero=True, unit="GW")
    e = positive("energy_per_fission_MeV", energy_per_fission_MeV, func, unit="MeV")
    return float(p * _W_PER_GW / units.eV_to_J(units.MeV_to_eV(e)))


# --------------------------------------------------------------------------------------------
# Core geometry: volume average of 1/d² and the angular profile
# --------------------------------------------------------------------------------------------
#: Gauss–Legendre orders used for the axial integral; disagreement > _GL_RTOL -> adaptive quad.
_GL_ORDERS = (48, 96)
_GL_RTOL = 1e-11


def _disk_log(zeta, s, R):
    """ln G with π ln G = ∫_disk dA / d², for a disk of radius R at axial offset ζ, radial s.

    G = 1 + q with q = 2R²/(D + Y) (Y ≥ 0) or (D − Y)/(2ζ²) (Y < 0), Y = ζ² + s² − R²,
    D = √((R² − s²)² + ζ²(2(R² + s²) + ζ²)); both forms free of cancellation.
    """
    z2 = zeta * zeta
    R2, s2 = R * R, s * s
    D = np.sqrt((R2 - s2) ** 2 + z2 * (2.0 * (R2 + s2) + z2))
    Y = z2 + s2 - R2
    pos = Y >= 0
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.where(pos, 2.0 * R2 / np.where(pos, D + Y, 1.0),
                     (D - Y) / np.where(pos, 1.0, 2.0 * z2))
    return np.log1p(q)


def _cylinder_axial_integral(s, h, R, H):
    """∫_{−H/2−h}^{H/2−h} ln G(ζ) dζ for arrays s, h (point outside the cylinder)."""
    lo, hi = -0.5 * H - h, 0.5 * H - h
    # pieces split at ζ = 0 (where the integrand varies fastest for points beside the core)
    pieces = [(lo, np.minimum(hi, 0.0)), (np.maximum(lo, 0.0), hi)]
    results = []
    for order in _GL_ORDERS:
        x, w = np.polynomial.legendre.leggauss(order)
        total = np.zeros_like(s)
        for a, b in pieces:
            span = np.maximum(b - a, 0.0)
            zeta = 0.5 * (a + b)[:, None] + 0.5 * span[:, None] * x
            total += 0.5 * span * (_disk_log(zeta, s[:, None], R) @ w)
        results.append(total)
    coarse, fine = results
    bad = np.abs(fine - coarse) > _GL_RTOL * np.abs(fine)
    for i in np.flatnonzero(bad):
        brk = [0.0] if lo[i] < 0 < hi[i] else None
        fine[i] = scipy.integrate.quad(lambda z, i=i: float(_disk_log(np.asarray(z), s[i], R)),
                                       lo[i], hi[i], points=brk, epsabs=0.0, epsrel=1e-13,
                                       limit=500)[0]
    return fine


def _core_frame(point, position, axis):
    """(s, h): radial and axial coordinates of point(s) (n, 3) in the core frame."""
    v = point - position
    h = v @ axis
    s = np.linalg.norm(v - h[:, None] * axis, axis=1)
    return s, h


def _inside_core(s, h, R, H):
    """True where the point lies in the closed core (or on the point/segment/disk core)."""
    if R > 0 and H > 0:
        return (s <= R) & (np.abs(h) <= 0.5 * H)
    if R > 0:
        return (h == 0) & (s <= R)
    if H > 0:
        return (s == 0) & (np.abs(h) <= 0.5 * H)
    return (s == 0) & (h == 0)


def mean_inverse_square_distance(point_m, *, position_m=(0.0, 0.0, 0.0), core_radius_m=0.0,
                                 core_height_m=0.0, core_axis=(0.0, 0.0, 1.0)):
    """Volume average ⟨1/d²⟩ over a uniformly emitting cylindrical core, seen from lab points.

    Φ = (ν̄ rate) ⟨1/d²⟩ / 4π is the exact flux of an isotropic, uniformly emitting cylinder
    (radius R, height H, centred at ``position_m``, axis ``core_axis``) at a point outside it.

    Parameters
    ----------
    point_m : array (3,) or (n, 3), lab point(s) [m], outside the core
    position_m : array (3,), core centre [m]
    core_radius_m, core_height_m : float, R and H [m], ≥ 0 (0 and 0: point core; R > 0, H = 0:
        a disk; R = 0, H > 0: a segment)
    core_axis : array (3,), direction of the cylinder axis (normalised here)

    Returns
    -------
    float or ndarray (n,), ⟨1/d²⟩ [m⁻²]

    Notes
    -----
    The disk integral is done in closed form, ∫_disk dA/d² = π ln G(ζ, s) (s: distance of the
    point from the axis, ζ: axial offset), written without cancellation; the remaining axial
    integral (1/(R²H)) ∫ ln G dζ is 1-D and smooth for a point outside the core. It is done by
    Gauss–Legendre quadrature (orders 48 and 96 on the two sides of ζ = 0), falling back to
    adaptive QUADPACK quadrature (1e-13 relative) wherever the two orders differ by > 1e-11
    relative (points within ~R/10 of the surface). Accurate to ≲ 1e-10 relative; checked in the
    tests against an independent 2-D cubature (axial integral in closed form) to 1e-8, against
    Monte Carlo, and far away against 1/L² [1 + c (size/L)²] with the exact second moment c.
    A point inside the core raises ArgumentError: 1/d² is integrable there, but a flux "at a point
    inside the source" with a direction of travel is not what this model describes.
    """
    func = "mean_inverse_square_distance"
    point = as_array("point_m", point_m, func)
    if point.shape[-1:] != (3,) or point.ndim > 2:
        raise ArgumentError(f"{func}: point_m must have shape (3,) or (n, 3) [m]; got "
                            f"{point.shape}")
    pts = np.atleast_2d(point)
    position = as_array("position_m", position_m, func).reshape(3)
    R = float(positive("core_radius_m", core_radius_m, func, allow_zero=True, unit="m"))
    H = float(positive("core_height_m", core_height_m, func, allow_zero=True, unit="m"))
    axis = _unit_axis(core_axis, func)
    s, h = _core_frame(pts, position, axis)
    inside = _inside_core(s, h, R, H)
    if inside.any():
        bad = pts[inside][0]
        raise ArgumentError(f"{func}: point_m={bad.tolist()!r} lies inside (or on) the core "
                            f"(radius {R} m, height {H} m, centre {position.tolist()}); 1/d² is "
                            f"integrable there but the flux of a source at a point inside it is "
                            f"not modelled. Move the point outside the core.")
    if R > 0 and H > 0:
        out = _cylinder_axial_integral(s, h, R, H) / (R * R * H)
    elif R > 0:
        out = _disk_log(h, s, R) / (R * R)
    elif H > 0:
        lo, hi = -0.5 * H - h, 0.5 * H - h
        with np.errstate(divide="ignore", invalid="ignore"):
            segment = np.where(s > 0, np.arctan2(s * (hi - lo), s * s + lo * hi)
                               / np.where(s > 0, s, 1.0), (hi - lo) / (lo * hi))
        out = segment / H
    else:
        out = 1.0 / (s * s + h * h)
    return float(out[0]) if point.ndim == 1 else out


def _unit_axis(core_axis, func):
    axis = as_array("core_axis", core_axis, func)
    norm = float(np.linalg.norm(axis)) if axis.shape == (3,) else 0.0
    if axis.shape != (3,) or norm == 0:
        raise ArgumentError(f"{func}: core_axis must be a non-zero 3-vector; got {core_axis!r}")
    return axis / norm


def core_angular_samples(point_m, *, position_m=(0.0, 0.0, 0.0), core_radius_m=0.0,
                         core_height_m=0.0, core_axis=(0.0, 0.0, 1.0), n=4096, seed=0):
    """Angular profile of a cylindrical core seen from a lab point, as weighted samples.

    Parameters
    ----------
    point_m : array (3,), the lab point [m], outside the core
    position_m, core_radius_m, core_height_m, core_axis : the core, as in
        :func:`mean_inverse_square_distance`
    n : int ≥ 1, number of emission points (a power of 2 keeps the Sobol net balanced)
    seed : int, seed of the scrambled Sobol sequence (deterministic for a seed)

    Returns
    -------
    profiles.Point for a point core, else profiles.Samples: offsets (n, 2) [rad] of the travel
    directions (emission point → lab point) around k̂₀ = (point − centre)/|point − centre|, in the
    basis ``profiles.transverse_basis(k̂₀)`` (exponential map), with weights ∝ 1/d² (the flux
    each emission point contributes) normalised to sum to 1.

    Notes
    -----
    Emission points are uniform in the cylinder: ρ = R√u₁, φ = 2πu₂, z = H(u₃ − ½) from a
    scrambled Sobol sequence (scipy.stats.qmc.Sobol). Weighted means over the samples converge
    like ~1/n (QMC); the mean of 1/d² over the points estimates ⟨1/d²⟩ of
    :func:`mean_inverse_square_distance`. Far away, ⟨|δ|²⟩ → (transverse second moment of the
    core)/L² (tests).
    """
    func = "core_angular_samples"
    point = as_array("point_m", point_m, func)
    if point.shape != (3,):
        raise ArgumentError(f"{func}: point_m must be one lab point of shape (3,) [m]; got "
                            f"{point.shape}")
    position = as_array("position_m", position_m, func).reshape(3)
    R = float(positive("core_radius_m", core_radius_m, func, allow_zero=True, unit="m"))
    H = float(positive("core_height_m", core_height_m, func, allow_zero=True, unit="m"))
    axis = _unit_axis(core_axis, func)
    if not (isinstance(n, (int, np.integer)) and n >= 1):
        raise ArgumentError(f"{func}: n must be an integer ≥ 1 (a power of 2 is best); got {n!r}")
    s, h = _core_frame(point[None, :], position, axis)
    if _inside_core(s, h, R, H)[0]:
        raise ArgumentError(f"{func}: point_m={point.tolist()!r} lies inside (or on) the core "
                            f"(radius {R} m, height {H} m); the angular profile is defined only "
                            f"outside it. Move the point outside the core.")
    if R == 0 and H == 0:
        return profiles.Point()
    m = max(0, math.ceil(math.log2(n)))
    try:  # scipy ≥ 1.15 names the seed ``rng``; older releases (≥ 1.11 supported) ``seed``
        sobol = scipy.stats.qmc.Sobol(3, scramble=True, rng=seed)
    except TypeError:
        sobol = scipy.stats.qmc.Sobol(3, scramble=True, seed=seed)
    u = sobol.random_base2(m)[:n]
    b1, b2 = profiles.transverse_basis(axis)
    rho, phi, z = R * np.sqrt(u[:, 0]), 2.0 * np.pi * u[:, 1], H * (u[:, 2] - 0.5)
    emit = (position + (rho * np.cos(phi))[:, None] * b1 + (rho * np.sin(phi))[:, None] * b2
            + z[:, None] * axis)
    travel = point - emit
    d2 = np.einsum("ij,ij->i", travel, travel)
    k = travel / np.sqrt(d2)[:, None]
    k0 = (point - position) / np.linalg.norm(point - position)
    e1, e2 = profiles.transverse_basis(k0)
    x, y, c = k @ e1, k @ e2, k @ k0
    sin_t = np.hypot(x, y)
    theta = np.arctan2(sin_t, c)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(sin_t > 0, theta / np.where(sin_t > 0, sin_t, 1.0), 1.0)
    offsets = np.column_stack([x * scale, y * scale])
    weights = (1.0 / d2) / np.sum(1.0 / d2)
    label = (f"reactor core R={R} m H={H} m seen from {point.tolist()} m: {n} scrambled-Sobol "
             f"emission points (seed {seed}), weights ∝ 1/d²")
    return profiles.Samples(tuple(map(tuple, offsets)), tuple(weights), label)


# --------------------------------------------------------------------------------------------
# Times
# --------------------------------------------------------------------------------------------
def _one_time(t, name, func):
    if isinstance(t, np.datetime64):
        return t.astype("datetime64[ns]")
    if isinstance(t, str):
        try:
            t = datetime.datetime.fromisoformat(t)
        except ValueError:
            raise ArgumentError(f"{func}: {name}={t!r} is not an ISO 8601 time "
                                f"(e.g. '2024-06-21T12:00:00Z')") from None
    if isinstance(t, datetime.datetime):
        if t.tzinfo is not None:
            t = t.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return np.datetime64(t, "ns")
    if isinstance(t, datetime.date):
        return np.datetime64(t, "ns")
    raise ArgumentError(f"{func}: {name}={t!r} is not a time (ISO string, datetime or "
                        f"numpy.datetime64, UTC)")


def _as_datetime64(time_utc, name, func):
    """UTC times (ISO strings, datetime, numpy.datetime64, or arrays of them) -> datetime64[ns]."""
    if isinstance(time_utc, np.ndarray) and np.issubdtype(time_utc.dtype, np.datetime64):
        return time_utc.astype("datetime64[ns]")
    if isinstance(time_utc, (list, tuple, np.ndarray)):
        arr = np.asarray(time_utc, dtype=object)
        flat = [_one_time(t, name, func) for t in arr.ravel()]
        return np.array(flat, dtype="datetime64[ns]").reshape(arr.shape)
    return _one_time(time_utc, name, func)


# --------------------------------------------------------------------------------------------
# The source
# --------------------------------------------------------------------------------------------
class Reactor:
    """A nuclear reactor as an antineutrino source (state only; the physics is in the functions).

    Parameters
    ----------
    thermal_power_GW : float, thermal power P_th [GW], ≥ 0
    position_m : array (3,), core centre in the lab frame (East-North-Up) [m]
    fuel : str, a key of :data:`FISSION_FRACTIONS` (default "daya-bay"), or a mapping
        {isotope: fraction of fissions} summing to 1 (± 1e-3, renormalised)
    spectrum_model : str, a key of :data:`REACTOR_SPECTRA` (default "huber-mueller")
    energy_per_fission : str, a key of :data:`ENERGY_PER_FISSION_MEV` (default "ma-2013"), or a
        mapping {isotope: MeV}
    antineutrinos_per_fission : None or float > 0. None: the integral of the full-range spectrum
        (5.37 for HM with Daya Bay fuel). A number rescales the spectrum to that total: 7.1
        reproduces the founding paper's 5e13 cm⁻² s⁻¹ at 10 m from 2.9 GW_th, 6.0 (the textbook
        total) gives 4.2e13 (reference §A1.5, flag 2).
    core_radius_m, core_height_m : float ≥ 0, the cylindrical core [m] (0, 0: a point core)
    core_axis : array (3,), the cylinder axis (default vertical)
    schedule : None (always on) or a list of (start_utc, end_utc) "on" intervals [start, end)

    Notes
    -----
    Methods follow ``nusim/sources/CONVENTIONS.md`` with ``**where`` = ``point_m`` (and an
    optional ``time_utc``). Only ν̄_e (see the module docstring for the oscillation estimate).
    """

    def __init__(self, thermal_power_GW, position_m=(0, 0, 0), *, fuel="daya-bay",
                 spectrum_model="huber-mueller", energy_per_fission="ma-2013",
                 antineutrinos_per_fission=None, core_radius_m=0.0, core_height_m=0.0,
                 core_axis=(0, 0, 1), schedule=None):
        func = "Reactor"
        self.thermal_power_GW = float(positive("thermal_power_GW", thermal_power_GW, func,
                                               allow_zero=True, unit="GW"))
        position = as_array("position_m", position_m, func)
        if position.shape != (3,):
            raise ArgumentError(f"{func}: position_m must be a 3-vector [m]; got {position_m!r}")
        position.setflags(write=False)
        self.position_m = position
        self.fuel, fractions = _fractions(fuel, func)
        self.fission_fractions = MappingProxyType(fractions)
        choice("spectrum_model", spectrum_model, tuple(REACTOR_SPECTRA), func)
        self.spectrum_model = spectrum_model
        self.energy_per_fission, e_fission = _energies_per_fission(energy_per_fission, func)
        self.energy_per_fission_by_isotope_MeV = MappingProxyType(e_fission)
        self.core_radius_m = float(positive("core_radius_m", core_radius_m, func,
                                            allow_zero=True, unit="m"))
        self.core_height_m = float(positive("core_height_m", core_height_m, func,
                                            allow_zero=True, unit="m"))
        axis = _unit_axis(core_axis, func)
        axis.setflags(write=False)
        self.core_axis = axis
        self.schedule = self._check_schedule(schedule, func)

        self.mean_energy_per_fission_MeV = sum(fractions[i] * e_fission[i] for i in ISOTOPES)
        self.fission_rate_per_s = fission_rate_per_s(self.thermal_power_GW,
                                                     self.mean_energy_per_fission_MeV)
        own = sum(f * _isotope_moments(spectrum_model, iso)[0] for iso, f in fractions.items())
        m1 = sum(f * _isotope_moments(spectrum_model, iso)[1] for iso, f in fractions.items())
        self._own_per_fission = own
        self._mean_energy = m1 / own
        if antineutrinos_per_fission is None:
            self.antineutrinos_per_fission = own
            self.antineutrinos_per_fission_source = (
                f"integral of the {spectrum_model} spectrum over [0, {E_MAX_MeV}] MeV "
                f"(with the low-energy extension)")
        else:
            self.antineutrinos_per_fission = float(positive(
                "antineutrinos_per_fission", antineutrinos_per_fission, func))
            self.antineutrinos_per_fission_source = "set by the user (spectrum rescaled)"
        self.antineutrino_rate_per_s = self.fission_rate_per_s * self.antineutrinos_per_fission
        self._scale = self.antineutrinos_per_fission / own

    @staticmethod
    def _check_schedule(schedule, func):
        if schedule is None:
            return None
        try:
            pairs = list(schedule)
        except TypeError:
            raise ArgumentError(f"{func}: schedule must be None (always on) or a list of "
                                f"(start_utc, end_utc) pairs; got {schedule!r}") from None
        out = []
        for k, pair in enumerate(pairs):
            if isinstance(pair, str) or len(pair) != 2:
                raise ArgumentError(f"{func}: schedule[{k}]={pair!r} is not a (start_utc, end_utc) "
                                    f"pair")
            start = _one_time(pair[0], f"schedule[{k}][0]", func)
            end = _one_time(pair[1], f"schedule[{k}][1]", func)
            if not end > start:
                raise ArgumentError(f"{func}: schedule[{k}] ends ({end}) at or before it starts "
                                    f"({start}); give (start_utc, end_utc) with end after start")
            out.append((start, end))
        return tuple(out)

    def __repr__(self):
        return (f"Reactor(thermal_power_GW={self.thermal_power_GW!r}, "
                f"position_m={self.position_m.tolist()!r}, fuel={self.fuel!r}, "
                f"spectrum_model={self.spectrum_model!r}, "
                f"energy_per_fission={self.energy_per_fission!r}, "
                f"antineutrinos_per_fission={self.antineutrinos_per_fission!r}, "
                f"core_radius_m={self.core_radius_m!r}, core_height_m={self.core_height_m!r})")

    # -- time -------------------------------------------------------------------------------
    def is_on(self, time_utc):
        """Whether the reactor runs at ``time_utc`` (ISO string, datetime, datetime64 or array).

        Returns bool, or a bool array of the times' shape. ``schedule=None``: always True.
        """
        t = _as_datetime64(time_utc, "time_utc", "Reactor.is_on")
        on = np.zeros(np.shape(t), dtype=bool)
        if self.schedule is None:
            on[...] = True
        else:
            for start, end in self.schedule:
                on |= (t >= start) & (t < end)
        return bool(on) if on.ndim == 0 else on

    def _on_factor(self, time_utc):
        if time_utc is None:
            return 1.0
        on = self.is_on(time_utc)
        return float(on) if np.ndim(on) == 0 else on.astype(float)

    # -- geometry ---------------------------------------------------------------------------
    def _geometry(self):
        return dict(position_m=self.position_m, core_radius_m=self.core_radius_m,
                    core_height_m=self.core_height_m, core_axis=self.core_axis)

    def flux(self, point_m, time_utc=None):
        """Total ν̄_e flux at lab point(s) [cm⁻² s⁻¹].

        Φ = (ν̄ rate) ⟨1/d²⟩/4π: rate/(4πL²) for a point core, the exact volume average over the
        cylinder otherwise (:func:`mean_inverse_square_distance`, ≲ 1e-10 relative).

        Parameters
        ----------
        point_m : array (3,) or (n, 3) [m], outside the core
        time_utc : None (on) or time(s) UTC; 0 while the reactor is off. Broadcast with the
            points (numpy rules).

        Returns
        -------
        float or ndarray, Φ [cm⁻² s⁻¹]
        """
        inv_d2 = mean_inverse_square_distance(point_m, **self._geometry())
        phi = self.antineutrino_rate_per_s * inv_d2 / (4.0 * math.pi) * _M2_PER_CM2
        out = phi * self._on_factor(time_utc)
        return float(out) if np.ndim(out) == 0 else out

    def spectrum(self, energy_MeV, flavour=None, *, point_m, time_utc=None):
        """dΦ/dE at lab point(s) [cm⁻² s⁻¹ MeV⁻¹]: flux × (normalised per-fission spectrum).

        Parameters
        ----------
        energy_MeV : float or array (m...) [MeV]; 0 outside (0, 12) MeV
        flavour : None (all) or one of "nu_e", "nu_x", "nubar_e", "nubar_x"; only "nubar_e"
            (and None) is non-zero
        point_m : array (3,) or (n, 3) [m]
        time_utc : None (on) or time(s) UTC

        Returns
        -------
        ndarray: the energies' shape for one point and one time, else (flux shape) + (energy
        shape).
        """
        func = "Reactor.spectrum"
        if flavour is not None:
            choice("flavour", flavour, FLAVOURS, func)
        energy = as_array("energy_MeV", energy_MeV, func)
        phi = self.flux(point_m, time_utc)
        shape = fission_spectrum(energy, fuel=dict(self.fission_fractions),
                                 model=self.spectrum_model) / self._own_per_fission
        if flavour not in (None, "nubar_e"):
            phi = phi * 0.0
        out = np.multiply.outer(phi, shape)
        return float(out) if out.ndim == 0 else out

    def lines(self, flavour=None, *, point_m=None, time_utc=None):
        """Monochromatic lines: none for a reactor (an empty list)."""
        if flavour is not None:
            choice("flavour", flavour, FLAVOURS, "Reactor.lines")
        return []

    def mean_energy_MeV(self, point_m=None, time_utc=None):
        """Flux-weighted mean ν̄ energy [MeV] (independent of the point; the spectrum's shape).

        ≈ 1.6 MeV for HM with Daya Bay fuel: most ν̄ lie below 2 MeV, in the extension.
        """
        return self._mean_energy

    @property
    def energy_range_MeV(self):
        """(lo, hi) support of the continuum [MeV]: (0, 12)."""
        return (0.0, E_MAX_MeV)

    def direction(self, point_m):
        """Unit vector(s) of travel, from the core centre towards the lab point(s); (3,) or (n, 3).
        """
        func = "Reactor.direction"
        point = as_array("point_m", point_m, func)
        if point.shape[-1:] != (3,) or point.ndim > 2:
            raise ArgumentError(f"{func}: point_m must have shape (3,) or (n, 3) [m]; got "
                                f"{point.shape}")
        v = point - self.position_m
        norm = np.linalg.norm(v, axis=-1, keepdims=True)
        if np.any(norm == 0):
            raise ArgumentError(f"{func}: point_m coincides with the core centre "
                                f"{self.position_m.tolist()}; the direction is undefined there")
        return v / norm

    def angular_profile(self, point_m, n=4096, seed=0):
        """The core as seen from one lab point: profiles.Point (point core) or profiles.Samples.

        See :func:`core_angular_samples` (scrambled Sobol, weights ∝ 1/d², deterministic for a
        seed).
        """
        return core_angular_samples(point_m, n=n, seed=seed, **self._geometry())

    # -- description ------------------------------------------------------------------------
    def describe(self):
        """Parameters, derived totals and the citations of the models used ("cite as")."""
        model = REACTOR_SPECTRA[self.spectrum_model]
        cite = [model.citation, _CITE_EXTENSION]
        if self.fuel in FISSION_FRACTIONS:
            cite.append(FISSION_FRACTIONS[self.fuel].citation)
        if self.energy_per_fission in ENERGY_PER_FISSION_MEV:
            cite.append(ENERGY_PER_FISSION_MEV[self.energy_per_fission].citation)
        cite.append(_CITE_PAPER_FLUX)
        return {
            "source": "reactor",
            "thermal_power_GW": self.thermal_power_GW,
            "position_m": self.position_m.tolist(),
            "fuel": self.fuel,
            "fission_fractions": dict(self.fission_fractions),
            "spectrum_model": self.spectrum_model,
            "spectrum_functions": dict(model.functions),
            "energy_per_fission": self.energy_per_fission,
            "energy_per_fission_MeV": dict(self.energy_per_fission_by_isotope_MeV),
            "mean_energy_per_fission_MeV": self.mean_energy_per_fission_MeV,
            "fission_rate_per_s": self.fission_rate_per_s,
            "antineutrinos_per_fission": self.antineutrinos_per_fission,
            "antineutrinos_per_fission_source": self.antineutrinos_per_fission_source,
            "spectrum_integral_per_fission": self._own_per_fission,
            "antineutrino_rate_per_s": self.antineutrino_rate_per_s,
            "mean_energy_MeV": self._mean_energy,
            "energy_range_MeV": list(self.energy_range_MeV),
            "low_energy_extension": (f"Vogel-Engel shape joined C² at {JOIN_MeV} MeV "
                                     f"(width {JOIN_WIDTH_MeV} MeV), times 1 - exp(-E²/"
                                     f"{PHASE_SPACE_MeV}² MeV²)"),
            "high_energy_cut": (f"C-infinity smooth step from {TAPER_START_MeV} to "
                                f"{E_MAX_MeV} MeV"),
            "flavours": "nubar_e only (oscillation phase ≈ 0.008 rad at 10 m and 4 MeV)",
            "core_radius_m": self.core_radius_m,
            "core_height_m": self.core_height_m,
            "core_axis": self.core_axis.tolist(),
            "schedule": (None if self.schedule is None else
                         [[np.datetime_as_string(t, unit="s") + "Z" for t in pair]
                          for pair in self.schedule]),
            "cite_as": cite,
        }
