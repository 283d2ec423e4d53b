"""Solar neutrinos at a lab site: SSM fluxes, spectra, MSW-LMA flavour mix, direction and core size.

What is here (SI at the boundary: MeV, cm⁻² s⁻¹, m, UTC; angles in degrees, profiles in radians):

* presets ``SOLAR_MODELS`` ("B16-GS98" default, "B16-AGSS09met", "BS05-OP") and
  ``OSCILLATION_PARAMETERS`` ("NuFIT-5.2" default, "NuFIT-6.0"), immutable, each with "cite as";
* the eight components pp, pep, hep, ⁷Be, ⁸B, ¹³N, ¹⁵O, ¹⁷F: unit-normalised continuum shapes
  (:func:`spectral_shape`), the closed-form allowed β⁺ shape (:func:`allowed_beta_plus_spectrum`),
  the lines ``LINES`` (⁷Be 862 and 384 keV, pep 1442 keV) and the ⁷Be thermal line shapes
  (:func:`line_shape`);
* the adiabatic MSW-LMA survival probability, local (:func:`survival_probability_local`) and
  averaged over each component's production region (:func:`survival_probability`);
* the production profiles (:func:`production_profile`) and their projection on the sky
  (:func:`projected_profile`, a :class:`~nusim.sources.profiles.RadialTable`);
* :class:`Sun`, the source object of ``CONVENTIONS.md``: a lab site, a model and mixing parameters;
  the direction and Earth–Sun distance come from :mod:`nusim.sources.sky` (astropy, offline).

All fluxes are at 1 AU unless a time is given, when they scale as (1 AU / d(t))², d(t) being the
Sun–lab distance from astropy (±3.3 %). Neutrinos only: the antineutrino flavours are zero. The
flavour content at Earth is ν_e with probability P_ee and ν_μ + ν_τ ("nu_x") with 1 − P_ee
(day-time; the Earth-matter regeneration at night, a few % for ⁸B, is neglected).

Constants not in :mod:`nusim.constants` are recorded here as cited frozen records:
``SOLAR_RADIUS``, ``ASTRONOMICAL_UNIT``, ``FINE_STRUCTURE``, ``AVOGADRO``.

References
----------
1. N. Vinyoles et al., "A new generation of standard solar models", ApJ 835, 202 (2017),
   arXiv:1611.09867 (B16 fluxes, Table; production profiles ``nudistr_b16_*.dat``).
2. J. N. Bahcall, A. M. Serenelli, S. Basu, "New solar opacities, abundances, helioseismology,
   and neutrino fluxes", ApJ 621, L85 (2005), arXiv:astro-ph/0412440, Table 1 (BS05(OP)).
3. J. N. Bahcall, "Gallium solar neutrino experiments: absorption cross sections, neutrino spectra,
   and predicted event rates", Phys. Rev. C 56, 3391 (1997), arXiv:hep-ph/9710491 (pp, hep shapes).
4. J. N. Bahcall, R. K. Ulrich, "Solar models, neutrino experiments, and helioseismology",
   Rev. Mod. Phys. 60, 297 (1988) (¹³N, ¹⁵O, ¹⁷F shapes).
5. J. N. Bahcall, "⁷Be solar neutrino line: a reflection of the central temperature distribution
   of the Sun", Phys. Rev. D 49, 3923 (1994), arXiv:astro-ph/9401024 (⁷Be line shapes).
6. W. T. Winter et al., "The ⁸B neutrino spectrum", Phys. Rev. C 73, 025503 (2006),
   arXiv:nucl-ex/0406019 (⁸B shape).
7. I. Esteban et al., "The fate of hints: updated global analysis of three-flavor neutrino
   oscillations", JHEP 09 (2020) 178, arXiv:2007.14792; NuFIT 5.2 (2022), www.nu-fit.org.
8. I. Esteban et al., "NuFit-6.0: updated global analysis of three-flavor neutrino oscillations",
   JHEP 12 (2024) 216, arXiv:2410.05380.
9. S. P. Mikheyev, A. Yu. Smirnov, Sov. J. Nucl. Phys. 42, 913 (1985); L. Wolfenstein, Phys. Rev.
   D 17, 2369 (1978) (MSW); adiabatic averaged form as in the nusim reference data §A2.6.
10. nusim reference data, ``shared/reference/neutrino-sources-and-experiments.md`` §A2.1–A2.6, A4,
    flags 1, 4, 5.
11. M. Ghosh, Y. Grossman, W. Tangarife, X.-J. Xu, B. Yu, "Neutrino forces in neutrino
    backgrounds", JHEP 02 (2023) 092, arXiv:2209.07082, §5.2 (uses BS05(OP) fluxes; flag 1).
"""

import functools
import importlib.resources
import math
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from nusim import constants as _const
from nusim import units as _units
from nusim.constants import Constant
from nusim.errors import ArgumentError, DataError
from nusim.physics import _checks
from nusim.sources import profiles as _profiles
from nusim.sources import sky as _sky

__all__ = [
    "SOLAR_RADIUS", "ASTRONOMICAL_UNIT", "FINE_STRUCTURE", "AVOGADRO",
    "COMPONENTS", "CONTINUUM_COMPONENTS", "LINE_COMPONENTS", "FLAVOURS",
    "SolarModel", "SOLAR_MODELS", "OscillationParameters", "OSCILLATION_PARAMETERS",
    "SolarLine", "LINES", "BETA_PLUS_DECAYS",
    "allowed_beta_plus_spectrum", "spectral_shape", "line_shape",
    "survival_probability_local", "survival_probability",
    "production_profile", "projected_profile",
    "SunTrack", "Sun",
]

# ---------------------------------------------------------------------------------------------
# Constants not in nusim.constants (cited records)

SOLAR_RADIUS = Constant("nominal solar radius", "R_⊙", 6.957e8, "m", 0.0,
                        "IAU 2015 Resolution B3 (nominal value, exact by definition)", exact=True)
ASTRONOMICAL_UNIT = Constant("astronomical unit", "au", 149597870700.0, "m", 0.0,
                             "IAU 2012 Resolution B2 (exact by definition)", exact=True)
FINE_STRUCTURE = Constant("fine-structure constant", "α", 7.2973525693e-3, "1", 0.0000000011e-3,
                          "CODATA 2018")
AVOGADRO = Constant("Avogadro constant", "N_A", 6.02214076e23, "mol^-1", 0.0,
                    "CODATA 2018 (exact, SI 2019)", exact=True)

#: 2√2 G_F n_e E [eV²] for n_e = 1 N_A cm⁻³ and E = 1 MeV (reference §A2.6 quotes 1.527e-7)
_MATTER_EV2_PER_NA_CM3_MEV = (2.0 * math.sqrt(2.0) * _units.G_F * AVOGADRO.value
                              * _units.HBARC_EV_CM**3 * 1.0e6)
_M_E_MEV = _const.ELECTRON_MASS_MEV.value

# ---------------------------------------------------------------------------------------------
# Components, flavours

COMPONENTS = ("pp", "pep", "hep", "7Be", "8B", "13N", "15O", "17F")
CONTINUUM_COMPONENTS = ("pp", "hep", "8B", "13N", "15O", "17F")
LINE_COMPONENTS = ("pep", "7Be")
FLAVOURS = ("nu_e", "nu_x", "nubar_e", "nubar_x")

_FLUX_FILE_ORDER = ("pp", "pep", "hep", "7Be", "8B", "13N", "15O", "17F")
# units of fluxes_b16.dat, from its header: 10^10 (pp), 10^9 (7Be), 10^8 (pep, 13N, 15O),
# 10^6 (8B, 17F), 10^3 (hep) cm⁻² s⁻¹
_FLUX_FILE_SCALE = {"pp": 1e10, "pep": 1e8, "hep": 1e3, "7Be": 1e9, "8B": 1e6, "13N": 1e8,
                    "15O": 1e8, "17F": 1e6}
_NUDISTR_COLUMN = {c: 4 + i for i, c in enumerate(_FLUX_FILE_ORDER)}  # 0-based, after r,T,ne,m
_PROFILE_FILES = {"gs98": "nudistr_b16_gs98.dat", "agss09": "nudistr_b16_agss09.dat"}
_SHAPE_FILES = {"pp": "pp_shape.csv", "hep": "hep_shape.csv", "8B": "8B_shape_Winter_et_al.csv",
                "13N": "n13_shape.csv", "15O": "o15_shape.csv", "17F": "f17_shape.csv"}
_SHAPE_CITES = {
    "pp": "J. N. Bahcall, Phys. Rev. C 56, 3391 (1997) (pp spectrum table)",
    "hep": "J. N. Bahcall, Phys. Rev. C 56, 3391 (1997) (hep spectrum table)",
    "8B": "W. T. Winter et al., Phys. Rev. C 73, 025503 (2006) (8B spectrum)",
    "13N": "J. N. Bahcall, R. K. Ulrich, Rev. Mod. Phys. 60, 297 (1988) (13N spectrum table)",
    "15O": "J. N. Bahcall, R. K. Ulrich, Rev. Mod. Phys. 60, 297 (1988) (15O spectrum table)",
    "17F": "J. N. Bahcall, R. K. Ulrich, Rev. Mod. Phys. 60, 297 (1988) (17F spectrum table)",
    "7Be": "J. N. Bahcall, Phys. Rev. D 49, 3923 (1994) (7Be line shapes)",
}
_ASTROPY_CITE = ("Astropy Collaboration, ApJ 935, 167 (2022), doi:10.3847/1538-4357/ac7c74 "
                 "(Sun position, get_sun/AltAz, offline IERS data)")


def _data_path(name):
    return importlib.resources.files("nusim") / "sources" / "data" / "solar" / name


def _frozen(array):
    array = np.array(array, dtype=float)
    array.setflags(write=False)
    return array


# ---------------------------------------------------------------------------------------------
# Presets


@dataclass(frozen=True)
class SolarModel:
    """A standard-solar-model preset: neutrino fluxes at 1 AU and the production profile used.

    fluxes_per_cm2_s: component → flux [cm⁻² s⁻¹] (⁷Be: both lines); fractional_uncertainty:
    component → 1σ fractional model uncertainty (None where not shipped); profile: which B16
    production-profile table serves this model ("gs98" or "agss09").
    """

    name: str
    fluxes_per_cm2_s: MappingProxyType
    fractional_uncertainty: MappingProxyType
    profile: str
    cite_as: str
    note: str = ""


def _read_b16_fluxes():
    with _data_path("fluxes_b16.dat").open("r", encoding="utf-8") as fh:
        table = np.loadtxt(fh, comments="#", ndmin=2)
    if table.shape != (8, 4):
        raise DataError(f"fluxes_b16.dat: expected 8 rows × 4 columns, got {table.shape}")
    out = {}
    for col, key in ((0, "B16-GS98"), (2, "B16-AGSS09met")):
        fluxes = {c: float(table[i, col]) * _FLUX_FILE_SCALE[c] for i, c in
                  enumerate(_FLUX_FILE_ORDER)}
        sigmas = {c: float(table[i, col + 1]) for i, c in enumerate(_FLUX_FILE_ORDER)}
        out[key] = (fluxes, sigmas)
    return out


def _build_solar_models():
    b16 = _read_b16_fluxes()
    cite_b16 = ("N. Vinyoles et al., ApJ 835, 202 (2017), arXiv:1611.09867 (B16 standard solar "
                "models; fluxes as distributed in fluxes_b16.dat)")
    bs05 = {"pp": 5.991e10, "pep": 1.421e8, "hep": 7.930e3, "7Be": 4.844e9, "8B": 5.691e6,
            "13N": 3.066e8, "15O": 2.331e8, "17F": 5.836e6}
    models = {
        "B16-GS98": SolarModel(
            "B16-GS98", MappingProxyType(b16["B16-GS98"][0]),
            MappingProxyType(b16["B16-GS98"][1]), "gs98",
            cite_b16 + ", GS98 composition (Grevesse & Sauval 1998)"),
        "B16-AGSS09met": SolarModel(
            "B16-AGSS09met", MappingProxyType(b16["B16-AGSS09met"][0]),
            MappingProxyType(b16["B16-AGSS09met"][1]), "agss09",
            cite_b16 + ", AGSS09met composition (Asplund et al. 2009)"),
        "BS05-OP": SolarModel(
            "BS05-OP", MappingProxyType(bs05), MappingProxyType({c: None for c in COMPONENTS}),
            "gs98",
            "J. N. Bahcall, A. M. Serenelli, S. Basu, ApJ 621, L85 (2005), "
            "arXiv:astro-ph/0412440, Table 1 (BS05(OP)); the values the founding paper quotes",
            note="The BS05(OP) production profiles are not shipped; the B16-GS98 profiles (same "
                 "GS98 composition) serve for P_ee and the angular profile."),
    }
    return MappingProxyType(models)


#: Standard-solar-model presets (immutable). Default "B16-GS98".
SOLAR_MODELS = _build_solar_models()


@dataclass(frozen=True)
class OscillationParameters:
    """Three-flavour mixing parameters used by the MSW-LMA survival probability (normal ordering).

    sin2_theta12, sin2_theta13 [1]; dm2_21_eV2 = Δm²₂₁ [eV²].
    """

    name: str
    sin2_theta12: float
    sin2_theta13: float
    dm2_21_eV2: float
    cite_as: str
    note: str = ""


#: Oscillation-parameter presets (immutable). Default "NuFIT-5.2".
OSCILLATION_PARAMETERS = MappingProxyType({
    "NuFIT-5.2": OscillationParameters(
        "NuFIT-5.2", math.sin(math.radians(33.41)) ** 2, math.sin(math.radians(8.54)) ** 2,
        7.41e-5,
        "I. Esteban et al., JHEP 09 (2020) 178, arXiv:2007.14792; NuFIT 5.2 (2022), "
        "www.nu-fit.org, normal ordering: θ12 = 33.41°, θ13 = 8.54°, Δm²21 = 7.41e-5 eV²"),
    "NuFIT-6.0": OscillationParameters(
        "NuFIT-6.0", 0.308, 0.0220, 7.49e-5,
        "I. Esteban et al., JHEP 12 (2024) 216, arXiv:2410.05380 (NuFIT 6.0), normal ordering",
        note="Values as recalled in the nusim reference data §A2.6 [R], not re-read from the "
             "paper."),
})


@dataclass(frozen=True)
class SolarLine:
    """A monochromatic solar neutrino line: laboratory energy [MeV], share of its component's
    flux, thermal FWHM [MeV] and where each number comes from."""

    name: str
    component: str
    energy_MeV: float
    branching: float
    width_MeV: float
    cite_as: str
    note: str = ""


def _table_fwhm(energy, shape):
    i = int(np.argmax(shape))
    half = shape[i] / 2.0
    lo = np.interp(half, shape[:i + 1], energy[:i + 1])
    hi = np.interp(-half, -shape[i:], energy[i:])
    return float(hi - lo)


def _read_two_columns(name):
    with _data_path(name).open("r", encoding="utf-8") as fh:
        data = np.loadtxt(fh, delimiter=",", comments="#", usecols=(0, 1), ndmin=2)
    return data[:, 0], data[:, 1]


def _build_lines():
    e_g, s_g = _read_two_columns("be7ground_shape.csv")
    e_x, s_x = _read_two_columns("be7excited_shape.csv")
    return (
        SolarLine("7Be_862keV", "7Be", 0.8618, 0.896, _table_fwhm(e_g, s_g),
                  "energy 861.8 keV and branching 89.6 % (ENSDF 89.56 %) per reference data "
                  "§A2.2; FWHM from Bahcall, Phys. Rev. D 49, 3923 (1994) line-shape table",
                  note="Bahcall 1994 quotes FWHM 1.6 keV and a mean shift of +1.29 keV in the "
                       "Sun relative to the laboratory energy given here."),
        SolarLine("7Be_384keV", "7Be", 0.3843, 0.104, _table_fwhm(e_x, s_x),
                  "energy 384.3 keV and branching 10.4 % (ENSDF 10.44 %) per reference data "
                  "§A2.2; FWHM from Bahcall, Phys. Rev. D 49, 3923 (1994) line-shape table"),
        SolarLine("pep", "pep", 1.442, 1.0, 3.4e-3,
                  "energy 1.442 MeV (= 2m_p + m_e − m_d) per reference data §A2.2 [R]",
                  note="width assumed: no published pep line shape is shipped; 3.4 keV FWHM is "
                       "the order of the thermal energy of the p + p initial state, cf. the "
                       "3.4 keV thermal excess of the solar pp endpoint (0.42341 MeV) over the "
                       "laboratory 0.420 MeV (reference data §A2.2–A2.3: 'a few keV')."),
    )


#: The solar neutrino lines (immutable tuple of SolarLine).
LINES = _build_lines()

#: (Q [MeV], Z of the daughter) of the allowed β⁺ decays (reference data §A2.4; Q of pp is the
#: solar endpoint of Bahcall's table, thermal energy included)
BETA_PLUS_DECAYS = MappingProxyType({"pp": (0.42341, 1), "13N": (1.199, 6), "15O": (1.732, 7),
                                     "17F": (1.740, 8)})


def _model(model, func):
    _checks.choice("model", model, tuple(SOLAR_MODELS), func)
    return SOLAR_MODELS[model]


def _oscillation(oscillation, func):
    if isinstance(oscillation, OscillationParameters):
        return oscillation
    _checks.choice("oscillation", oscillation, tuple(OSCILLATION_PARAMETERS), func)
    return OSCILLATION_PARAMETERS[oscillation]


def _component(component, func, allowed=COMPONENTS):
    _checks.choice("component", component, allowed, func)
    return component


# ---------------------------------------------------------------------------------------------
# Spectral shapes


def allowed_beta_plus_spectrum(energy_MeV, *, q_MeV, z_daughter, normalised=True):
    """Closed-form allowed β⁺ neutrino spectrum, unit-normalised (pp and CNO shapes).

    dN/dE_ν ∝ E_ν² W p F(Z, W) Θ(Q − E_ν) with W = Q + m_e − E_ν the positron's total energy,
    p = √(W² − m_e²) and the non-relativistic Fermi function F = 2πη / (1 − e^{−2πη}),
    η = −α Z W / p (reference data §A2.4).

    Parameters
    ----------
    energy_MeV : float or array [MeV], any shape
    q_MeV : float [MeV], the neutrino endpoint (``BETA_PLUS_DECAYS``)
    z_daughter : int [1], charge of the daughter nucleus
    normalised : bool; True → ∫ dN/dE dE = 1 [MeV⁻¹], False → unnormalised [MeV⁵]

    Returns
    -------
    numpy.ndarray, shape of ``energy_MeV`` [MeV⁻¹]

    Notes
    -----
    Reproduces Bahcall's tables to 4e-5 (pp) and 0.09–0.14 % (¹³N, ¹⁵O, ¹⁷F) of the peak value
    (tests/sources/test_solar.py); not valid for ⁸B (broad ⁸Be* final state: use the Winter table).
    """
    func = "allowed_beta_plus_spectrum"
    energy = _checks.as_array("energy_MeV", energy_MeV, func)
    q = float(_checks.positive("q_MeV", q_MeV, func, unit="MeV"))
    z = float(_checks.positive("z_daughter", z_daughter, func))
    shape = _beta_plus_unnormalised(energy, q, z)
    if normalised:
        shape = shape / _beta_plus_norm(q, z)
    return shape


def _beta_plus_unnormalised(energy, q, z):
    w = q + _M_E_MEV - energy
    inside = (energy > 0) & (energy < q)
    w = np.where(inside, w, _M_E_MEV + 1.0)
    p = np.sqrt(w**2 - _M_E_MEV**2)
    x = -2.0 * math.pi * FINE_STRUCTURE.value * z * w / p      # 2πη, negative for a positron
    with np.errstate(over="ignore"):
        fermi = x / -np.expm1(-x)
    return np.where(inside, energy**2 * w * p * fermi, 0.0)


@functools.lru_cache(maxsize=32)
def _beta_plus_norm(q, z):
    from scipy.integrate import quad

    value, _ = quad(lambda e: float(_beta_plus_unnormalised(np.array(e), q, z)), 0.0, q,
                    epsabs=0.0, epsrel=1e-12, limit=200)
    return value


@functools.lru_cache(maxsize=None)
def _shape_table(component):
    """(E [MeV], dN/dE [MeV⁻¹]) of a continuum component: the shipped table, (0, 0) prepended
    where it starts above 0, normalised to unit trapezoid integral (exact for the linear
    interpolant used everywhere)."""
    energy, shape = _read_two_columns(_SHAPE_FILES[component])
    if energy[0] > 0:
        energy, shape = np.r_[0.0, energy], np.r_[0.0, shape]
    shape = np.clip(shape, 0.0, None)
    last = int(np.flatnonzero(shape > 0)[-1]) + 1          # first zero after the support
    energy, shape = energy[:last + 1], shape[:last + 1]
    shape = shape / np.trapezoid(shape, energy)
    return _frozen(energy), _frozen(shape)


def spectral_shape(component, energy_MeV):
    """Unit-normalised energy spectrum dN/dE of a continuum component, at 1 AU, from its table.

    Tables: pp and hep from Bahcall 1997 [3]; ¹³N, ¹⁵O, ¹⁷F from Bahcall & Ulrich 1988 [4]; ⁸B
    from Winter et al. 2006 [6]. Linear interpolation, zero outside the table's support.

    Parameters
    ----------
    component : one of ``CONTINUUM_COMPONENTS``
    energy_MeV : float or array [MeV], any shape

    Returns
    -------
    numpy.ndarray, shape of ``energy_MeV`` [MeV⁻¹], ∫ dE = 1 exactly (trapezoid on the table)

    Notes
    -----
    Endpoints (reference data §A2.3): pp 0.42341 MeV (solar; lab Q 0.420), ¹³N 1.199, ¹⁵O 1.732,
    ¹⁷F 1.740, hep 18.784, ⁸B 15.3 (Winter table, zero beyond 15.2 MeV). Mean energies 0.2667,
    0.7067, 0.9965, 0.9996, 9.630, 6.770 MeV.
    """
    func = "spectral_shape"
    _component(component, func, CONTINUUM_COMPONENTS)
    energy = _checks.as_array("energy_MeV", energy_MeV, func)
    e_tab, s_tab = _shape_table(component)
    return np.interp(energy, e_tab, s_tab, left=0.0, right=0.0)


@functools.lru_cache(maxsize=None)
def _line_shape_table(name):
    files = {"7Be_862keV": "be7ground_shape.csv", "7Be_384keV": "be7excited_shape.csv"}
    energy, shape = _read_two_columns(files[name])
    shape = shape / np.trapezoid(shape, energy)
    if name == "7Be_862keV":
        # The table's energy offset is known to be 0.5 keV low (reference data §A2.2: header
        # offset 861.3 keV instead of 861.8 keV): re-centre so that the mean is 861.8 + 1.29 keV
        # (Bahcall 1994's thermal shift).
        mean = np.trapezoid(energy * shape, energy)
        energy = energy + (0.8618 + 1.29e-3 - mean)
    return _frozen(energy), _frozen(shape)


def line_shape(line, energy_MeV):
    """Thermal line profile of a ⁷Be line in the Sun (Bahcall 1994), unit-normalised.

    Parameters
    ----------
    line : "7Be_862keV" or "7Be_384keV"
    energy_MeV : float or array [MeV]

    Returns
    -------
    numpy.ndarray, shape of ``energy_MeV`` [MeV⁻¹], ∫ dE = 1

    Notes
    -----
    The 862 keV table is shifted by +0.51 keV so that its mean lies at 861.8 + 1.29 keV (its
    published offset is 0.5 keV low, reference data §A2.2); the 384 keV table is used as given
    (mean 385.54 keV, i.e. +1.24 keV). FWHM 1.62 and 0.97 keV. For lab-scale forces the lines act as
    δ functions (reference data §A2.2, engineering note); ``Sun.lines`` gives them so.
    """
    func = "line_shape"
    _checks.choice("line", line, ("7Be_862keV", "7Be_384keV"), func)
    energy = _checks.as_array("energy_MeV", energy_MeV, func)
    e_tab, s_tab = _line_shape_table(line)
    return np.interp(energy, e_tab, s_tab, left=0.0, right=0.0)


# ---------------------------------------------------------------------------------------------
# Production profiles and survival probability


@functools.lru_cache(maxsize=None)
def _nudistr(profile):
    with _data_path(_PROFILE_FILES[profile]).open("r", encoding="utf-8") as fh:
        table = np.loadtxt(fh, comments="#", ndmin=2)
    if table.shape[1] != 12:
        raise DataError(f"{_PROFILE_FILES[profile]}: expected 12 columns, got {table.shape[1]}")
    table.setflags(write=False)
    return table


def production_profile(component, model="B16-GS98"):
    """Radial production profile of a component in the model's SSM.

    Parameters
    ----------
    component : one of ``COMPONENTS``
    model : key of ``SOLAR_MODELS`` (BS05-OP uses the B16-GS98 profile)

    Returns
    -------
    dict with numpy arrays (1000,): ``r`` = r/R_⊙ [1] (zone centres, 0.0005 … 0.5),
    ``dphi_dr`` [1/R_⊙] normalised to ∫ dr = 1 (trapezoid), ``electron_density_per_cm3``
    [cm⁻³] and ``temperature_K`` [K]; from ``nudistr_b16_*.dat`` [1].
    """
    func = "production_profile"
    _component(component, func)
    table = _nudistr(_model(model, func).profile)
    r = table[:, 0]
    frac = table[:, _NUDISTR_COLUMN[component]]
    return {"r": r.copy(), "dphi_dr": frac / np.trapezoid(frac, r),
            "electron_density_per_cm3": 10.0 ** table[:, 2] * AVOGADRO.value,
            "temperature_K": table[:, 1] * 1e6}


def survival_probability_local(energy_MeV, electron_density_per_cm3, *,
                               oscillation="NuFIT-5.2"):
    """ν_e survival probability at Earth for a ν_e made at electron density n_e (adiabatic MSW).

    P_ee = cos⁴θ₁₃ [½ + ½ cos2θ₁₂ cos2θ₁₂^m] + sin⁴θ₁₃, with
    cos2θ₁₂^m = (cos2θ₁₂ − β) / √((cos2θ₁₂ − β)² + sin²2θ₁₂) and
    β = 2√2 G_F n_e E cos²θ₁₃ / Δm²₂₁ (reference data §A2.6 [9, 10]).

    Parameters
    ----------
    energy_MeV : float or array [MeV], ≥ 0
    electron_density_per_cm3 : float or array [cm⁻³], ≥ 0; broadcast with energy
    oscillation : key of ``OSCILLATION_PARAMETERS`` or an ``OscillationParameters``

    Returns
    -------
    numpy.ndarray, broadcast shape [1]

    Notes
    -----
    Day-time, incoherent average over the Sun–Earth distance, adiabatic (exact to ≪ 1 % for the
    LMA solution). Limits: vacuum (β → 0) cos⁴θ₁₃(1 − ½ sin²2θ₁₂) + sin⁴θ₁₃ = 0.553, β ≫ 1
    cos⁴θ₁₃ sin²θ₁₂ + sin⁴θ₁₃ = 0.291 (NuFIT 5.2).
    """
    func = "survival_probability_local"
    osc = _oscillation(oscillation, func)
    energy = _checks.positive("energy_MeV", energy_MeV, func, allow_zero=True, unit="MeV")
    n_e = _checks.positive("electron_density_per_cm3", electron_density_per_cm3, func,
                           allow_zero=True, unit="cm^-3")
    return _pee_local(energy, n_e / AVOGADRO.value, osc)


def _pee_local(energy_MeV, ne_over_na, osc):
    s12, s13 = osc.sin2_theta12, osc.sin2_theta13
    c13 = 1.0 - s13
    cos2 = 1.0 - 2.0 * s12
    sin2sq = 4.0 * s12 * (1.0 - s12)
    beta = _MATTER_EV2_PER_NA_CM3_MEV * ne_over_na * energy_MeV * c13 / osc.dm2_21_eV2
    cos2m = (cos2 - beta) / np.sqrt((cos2 - beta) ** 2 + sin2sq)
    return c13**2 * (0.5 + 0.5 * cos2 * cos2m) + s13**2


def survival_probability(energy_MeV, component, *, model="B16-GS98", oscillation="NuFIT-5.2"):
    """ν_e survival probability averaged over a component's production region in the Sun.

    P̄_ee(E) = Σᵢ wᵢ P_ee(E, n_e(rᵢ)) with wᵢ ∝ dφ/dr of the component in zone i of the model's
    production-profile table (:func:`production_profile`) and P_ee of
    :func:`survival_probability_local`.

    Parameters
    ----------
    energy_MeV : float or array [MeV], ≥ 0, any shape
    component : one of ``COMPONENTS``
    model : key of ``SOLAR_MODELS`` (default "B16-GS98"; BS05-OP uses the GS98 profile)
    oscillation : key of ``OSCILLATION_PARAMETERS`` (default "NuFIT-5.2")

    Returns
    -------
    numpy.ndarray, shape of ``energy_MeV`` [1]

    Notes
    -----
    Reproduces the spectrum-averaged values of reference data §A2.6 (pp 0.547, ⁷Be 0.529/0.543,
    pep 0.519, ⁸B 0.371, ...) to < 0.002 (tests/sources/test_solar.py).
    """
    func = "survival_probability"
    _component(component, func)
    osc = _oscillation(oscillation, func)
    table = _nudistr(_model(model, func).profile)
    energy = _checks.positive("energy_MeV", energy_MeV, func, allow_zero=True, unit="MeV")
    weights = table[:, _NUDISTR_COLUMN[component]]
    weights = weights / weights.sum()
    ne = 10.0 ** table[:, 2]
    flat = energy.ravel()
    out = np.empty(flat.shape)
    for start in range(0, flat.size, 2048):
        chunk = flat[start:start + 2048]
        out[start:start + 2048] = weights @ _pee_local(chunk[None, :], ne[:, None], osc)
    return out.reshape(energy.shape)


# ---------------------------------------------------------------------------------------------
# Angular profile of the production region


@functools.lru_cache(maxsize=None)
def _projected_unit(profile, component):
    """(b [R_⊙], Σ(b) [R_⊙⁻²]) with ∫ Σ 2πb db = 1: the production region projected on the sky.

    The emissivity per volume is taken constant in each zone's shell (edges halfway between the
    zone radii, the first shell from r = 0); Σ(b) = Σ_shells j (2√(r_out² − b²) − 2√(r_in² − b²))
    (chord lengths), exact for that piecewise-constant emissivity and free of the 1/√(r² − b²)
    singularity of the Abel integral.
    """
    table = _nudistr(profile)
    r = table[:, 0]
    frac = table[:, _NUDISTR_COLUMN[component]]
    dr = np.diff(r)
    edges = np.concatenate([[0.0], r[:-1] + dr / 2, [r[-1] + dr[-1] / 2]])
    number = frac * np.diff(edges)                      # neutrinos per shell (arbitrary scale)
    number = number / number.sum()
    volume = 4.0 / 3.0 * math.pi * (edges[1:] ** 3 - edges[:-1] ** 3)
    emissivity = number / volume
    b = np.concatenate([np.arange(0.0, edges[-1], 0.0005), [edges[-1]]])
    out2 = np.clip(edges[None, 1:] ** 2 - b[:, None] ** 2, 0.0, None)
    in2 = np.clip(edges[None, :-1] ** 2 - b[:, None] ** 2, 0.0, None)
    sigma = 2.0 * (np.sqrt(out2) - np.sqrt(in2)) @ emissivity
    sigma[-1] = 0.0
    return _frozen(b), _frozen(sigma)


def projected_profile(component=None, *, model="B16-GS98", distance_au=1.0):
    """Angular profile of the neutrino-producing region as seen from a distance d.

    The density per solid angle at impact parameter b (in R_⊙) is
    Σ(b) ∝ ∫_b^R (dφ/dr)/(4πr²) · 2r dr/√(r² − b²); the angle from the Sun's centre is
    θ = b R_⊙ / d (reference data §A2.5).

    Parameters
    ----------
    component : one of ``COMPONENTS``, or None for the flux-weighted sum of all of them
        (dominated by pp)
    model : key of ``SOLAR_MODELS`` (profiles: B16 GS98 or AGSS09; BS05-OP uses GS98)
    distance_au : float [au], Sun–observer distance (1 for the 1 AU reference)

    Returns
    -------
    profiles.RadialTable: theta_rad (1002,) [rad] from 0 to 0.50025 R_⊙/d, density [arb.]

    Notes
    -----
    Projected rms angles ⟨θ²⟩^½ at 1 AU (B16-GS98): pp 4.86e-4, ⁷Be 2.95e-4, ⁸B 2.11e-4 rad,
    within 1 % of reference data §A2.5 (tests/sources/test_solar.py). The photosphere would
    subtend 4.65e-3 rad.
    """
    func = "projected_profile"
    m = _model(model, func)
    distance = float(_checks.positive("distance_au", distance_au, func, unit="au"))
    if component is None:
        parts = COMPONENTS
        weights = np.array([m.fluxes_per_cm2_s[c] for c in COMPONENTS])
    else:
        parts, weights = (_component(component, func),), np.ones(1)
    b = _projected_unit(m.profile, parts[0])[0]
    sigma = sum(w * _projected_unit(m.profile, c)[1] for c, w in zip(parts, weights, strict=True))
    theta = b * (SOLAR_RADIUS.value / ASTRONOMICAL_UNIT.value) / distance
    label = (f"{m.name} {component or 'all components'} production region projected at "
             f"{distance:.6g} au (Σ(b) from {_PROFILE_FILES[m.profile]})")
    return _profiles.RadialTable(tuple(theta), tuple(sigma / sigma.max()), label)


# ---------------------------------------------------------------------------------------------
# The source object


@dataclass(frozen=True)
class SunTrack:
    """The Sun's track over a day at a site (``Sun.track``): arrays of equal length n.

    times_utc (n,) datetime64[s]; altitude_deg, azimuth_deg (n,) [deg] (azimuth from North
    towards East, geometric); direction (n, 3) [1], unit vectors of travel (Sun → lab) in the lab
    frame; distance_au (n,) [au].
    """

    times_utc: np.ndarray
    altitude_deg: np.ndarray
    azimuth_deg: np.ndarray
    direction: np.ndarray
    distance_au: np.ndarray


_LOG_E_GRID = _frozen(np.linspace(math.log(1e-4), math.log(100.0), 1201))  # P̄_ee grid [ln MeV]


class Sun:
    """The Sun as a neutrino source seen from a lab site (CONVENTIONS.md; ``**where`` = time_utc).

    Parameters
    ----------
    latitude_deg, longitude_deg : float [deg], geodetic (WGS84), longitude East positive
    altitude_m : float [m], height above the ellipsoid
    model : key of ``SOLAR_MODELS``: "B16-GS98" (default), "B16-AGSS09met", "BS05-OP"
    oscillation : key of ``OSCILLATION_PARAMETERS``: "NuFIT-5.2" (default), "NuFIT-6.0"
    azimuth_deg : float [deg], rotation of the apparatus about Up in the compass sense (from
        North towards East): the lab y axis points to compass azimuth ``azimuth_deg``, the x axis
        to ``azimuth_deg + 90°``. 0 (default) is East-North-Up.

    Notes
    -----
    ``time_utc=None`` means "at 1 AU" for fluxes and spectra; a time (ISO string, datetime,
    numpy.datetime64, or an array of them) scales them by (1 AU / d(t))². Directions need a time.
    Continuum spectra exclude the lines (``lines``); ``flux`` and ``mean_energy_MeV`` include them.
    P̄_ee(E) in ``spectrum`` is interpolated from a 1201-point log-energy table (1e-4–100 MeV);
    its error against :func:`survival_probability` is < 2e-6 (measured 1.8e-6).
    """

    def __init__(self, latitude_deg, longitude_deg, altitude_m=0.0, model="B16-GS98", *,
                 oscillation="NuFIT-5.2", azimuth_deg=0.0):
        func = "Sun"
        self._site = _sky.Site(latitude_deg, longitude_deg, altitude_m)
        self._model = _model(model, func)
        self._osc = _oscillation(oscillation, func)
        self._azimuth_deg = float(_checks.as_array("azimuth_deg", azimuth_deg, func))
        energies = np.exp(_LOG_E_GRID)
        self._pee_table = {c: _frozen(survival_probability(energies, c, model=self._model.name,
                                                           oscillation=self._osc))
                           for c in CONTINUUM_COMPONENTS}
        # ∫ s dE, ∫ E s dE, ∫ P̄ s dE, ∫ E P̄ s dE per continuum component (s unit-normalised)
        self._moments = {}
        for c in CONTINUUM_COMPONENTS:
            e_tab, _ = _shape_table(c)
            grid = np.concatenate([np.linspace(a, b, 9)[:-1] for a, b in
                                   zip(e_tab[:-1], e_tab[1:], strict=True)] + [e_tab[-1:]])
            s = spectral_shape(c, grid)
            p = self._pee(c, grid)
            self._moments[c] = {"all": (1.0, np.trapezoid(grid * s, grid)),
                                "nu_e": (np.trapezoid(p * s, grid),
                                         np.trapezoid(grid * p * s, grid))}
        self._line_pee = {ln.name: float(survival_probability(ln.energy_MeV, ln.component,
                                                              model=self._model.name,
                                                              oscillation=self._osc))
                          for ln in LINES}

    # -- helpers -------------------------------------------------------------------------------

    def _pee(self, component, energy):
        log_e = np.log(np.clip(energy, 1e-300, None))
        return np.interp(log_e, _LOG_E_GRID, self._pee_table[component])

    @staticmethod
    def _check_flavour(flavour, func):
        if flavour is not None:
            _checks.choice("flavour", flavour, FLAVOURS, func)
        return flavour

    def _components(self, component, func):
        if component is None:
            return COMPONENTS
        return (_component(component, func),)

    def _flavour_weight(self, flavour, p_ee):
        if flavour is None:
            return np.ones_like(p_ee)
        if flavour == "nu_e":
            return p_ee
        if flavour == "nu_x":
            return 1.0 - p_ee
        return np.zeros_like(p_ee)          # no solar antineutrinos

    def _distance_factor(self, time_utc):
        if time_utc is None:
            return np.float64(1.0)
        return 1.0 / self.distance_au(time_utc) ** 2

    @staticmethod
    def _outer(factor, values):
        factor = np.asarray(factor, float)
        return factor.reshape(factor.shape + (1,) * np.ndim(values)) * values

    # -- CONVENTIONS.md interface ----------------------------------------------------------------

    def spectrum(self, energy_MeV, flavour=None, time_utc=None, component=None):
        """Continuum flux spectrum dΦ/dE at the lab, lines excluded.

        Parameters
        ----------
        energy_MeV : float or array [MeV], ≥ 0, shape S
        flavour : None (all), "nu_e", "nu_x", "nubar_e" or "nubar_x" (the last two are zero)
        time_utc : None (1 AU) or UTC time(s) of shape T
        component : None (all) or one of ``COMPONENTS`` (a line component gives zeros)

        Returns
        -------
        numpy.ndarray, shape T + S [cm⁻² s⁻¹ MeV⁻¹]
        """
        func = "Sun.spectrum"
        energy = _checks.positive("energy_MeV", energy_MeV, func, allow_zero=True, unit="MeV")
        self._check_flavour(flavour, func)
        total = np.zeros(energy.shape)
        for c in self._components(component, func):
            if c not in CONTINUUM_COMPONENTS:
                continue
            shape = spectral_shape(c, energy)
            weight = self._flavour_weight(flavour, self._pee(c, energy))
            total = total + self._model.fluxes_per_cm2_s[c] * shape * weight
        return self._outer(self._distance_factor(time_utc), total)

    def lines(self, flavour=None, time_utc=None, component=None):
        """The monochromatic lines (⁷Be 862 and 384 keV, pep) at the lab.

        Parameters
        ----------
        flavour, time_utc, component : as in :meth:`spectrum` (time_utc scalar or None)

        Returns
        -------
        list of dicts {"name", "energy_MeV" [MeV] (laboratory energy), "flux_per_cm2_s"
        [cm⁻² s⁻¹], "width_MeV" [MeV] (thermal FWHM; the pep width is an assumption, see
        ``LINES``)}
        """
        func = "Sun.lines"
        self._check_flavour(flavour, func)
        wanted = self._components(component, func)
        factor = self._distance_factor(time_utc)
        if np.ndim(factor):
            raise ArgumentError(f"{func}: time_utc must be a single time or None; got "
                                f"{np.size(factor)} times")
        out = []
        for ln in LINES:
            if ln.component not in wanted:
                continue
            weight = float(self._flavour_weight(flavour, np.float64(self._line_pee[ln.name])))
            out.append({"name": ln.name, "energy_MeV": ln.energy_MeV,
                        "flux_per_cm2_s": float(factor) * self._model.fluxes_per_cm2_s[
                            ln.component] * ln.branching * weight,
                        "width_MeV": ln.width_MeV})
        return out

    def _totals(self, flavour, component, func):
        """(flux, flux × mean energy) at 1 AU for the flavour and component(s)."""
        self._check_flavour(flavour, func)
        number = energy = 0.0
        for c in self._components(component, func):
            phi = self._model.fluxes_per_cm2_s[c]
            if c in CONTINUUM_COMPONENTS:
                if flavour is None:
                    n0, n1 = self._moments[c]["all"]
                elif flavour in ("nu_e", "nu_x"):
                    n0, n1 = self._moments[c]["nu_e"]
                    if flavour == "nu_x":
                        a0, a1 = self._moments[c]["all"]
                        n0, n1 = a0 - n0, a1 - n1
                else:
                    n0 = n1 = 0.0
                number += phi * n0
                energy += phi * n1
            else:
                for ln in LINES:
                    if ln.component == c:
                        w = float(self._flavour_weight(flavour,
                                                       np.float64(self._line_pee[ln.name])))
                        number += phi * ln.branching * w
                        energy += phi * ln.branching * w * ln.energy_MeV
        return number, energy

    def flux(self, time_utc=None, flavour=None, component=None):
        """Total flux, continuum + lines, at the lab.

        Parameters
        ----------
        time_utc : None (1 AU) or UTC time(s) of shape T
        flavour : None (all flavours) or a flavour key
        component : None (all) or one of ``COMPONENTS``

        Returns
        -------
        float (scalar or None time) or numpy.ndarray of shape T [cm⁻² s⁻¹]
        """
        number, _ = self._totals(flavour, component, "Sun.flux")
        value = self._distance_factor(time_utc) * number
        return float(value) if np.ndim(value) == 0 else value

    def mean_energy_MeV(self, time_utc=None, flavour=None, component=None):
        """Flux-weighted mean energy [MeV], continuum + lines (independent of time_utc)."""
        number, energy = self._totals(flavour, component, "Sun.mean_energy_MeV")
        if number == 0:
            raise ArgumentError(f"Sun.mean_energy_MeV: no flux for flavour={flavour!r}, "
                                f"component={component!r}")
        return energy / number

    @property
    def energy_range_MeV(self):
        """(lo, hi) support of the continuum [MeV]: (0, 18.784), hi the hep endpoint."""
        return 0.0, max(float(_shape_table(c)[0][-1]) for c in CONTINUUM_COMPONENTS)

    def distance_au(self, time_utc):
        """Lab–Sun distance d(t) [au] (astropy, offline); float or array of the times' shape."""
        _, _, dist = _sky.sun_altaz(time_utc, self._site)
        return float(dist) if dist.ndim == 0 else dist

    def altitude_azimuth_deg(self, time_utc):
        """Geometric altitude and compass azimuth (from North towards East) of the Sun [deg].

        Returns
        -------
        (altitude_deg, azimuth_deg): floats for a scalar time, arrays of the times' shape otherwise
        """
        alt, az, _ = _sky.sun_altaz(time_utc, self._site)
        if alt.ndim == 0:
            return float(alt), float(az)
        return alt, az

    def direction(self, time_utc):
        """Unit vector(s) of travel (from the Sun towards the lab) in the lab frame.

        East-North-Up unless ``azimuth_deg`` rotates the apparatus. At night the vector points
        upwards: the neutrinos arrive through the Earth.

        Parameters
        ----------
        time_utc : UTC time (ISO string, datetime, numpy.datetime64) or an array of n of them

        Returns
        -------
        numpy.ndarray, shape (3,) for one time, (n, 3) for n times [1]
        """
        towards, _ = _sky.sun_enu(time_utc, self._site)
        return _sky.enu_to_lab(-towards, self._azimuth_deg)

    def angular_profile(self, time_utc=None, component=None):
        """Angular profile of the neutrino-producing core around :meth:`direction`.

        Parameters
        ----------
        time_utc : None (at 1 AU) or one UTC time (angles scale as 1 AU / d(t))
        component : None (flux-weighted over all components) or one of ``COMPONENTS``

        Returns
        -------
        profiles.RadialTable (see :func:`projected_profile`)
        """
        func = "Sun.angular_profile"
        distance = 1.0 if time_utc is None else self.distance_au(time_utc)
        if np.ndim(distance):
            raise ArgumentError(f"{func}: time_utc must be a single time or None; got "
                                f"{np.size(distance)} times")
        if component is not None:
            _component(component, func)
        return projected_profile(component, model=self._model.name, distance_au=distance)

    def survival_probability(self, energy_MeV, component):
        """Production-averaged P_ee(E) of a component for this Sun's model and mixing [1]."""
        return survival_probability(energy_MeV, component, model=self._model.name,
                                    oscillation=self._osc)

    def track(self, date, step_minutes=10):
        """The Sun's 24-hour track at the site, sampled every ``step_minutes`` from 00:00 UTC.

        Parameters
        ----------
        date : the UTC day (ISO string "2024-06-21", datetime.date, datetime or datetime64; the
            time of day is ignored)
        step_minutes : float [min], 0 < step ≤ 1440; samples from 00:00 to 24:00 inclusive

        Returns
        -------
        SunTrack (times_utc, altitude_deg, azimuth_deg, direction (n, 3), distance_au)
        """
        func = "Sun.track"
        step = float(_checks.positive("step_minutes", step_minutes, func, unit="min"))
        if step > 1440:
            raise ArgumentError(f"{func}: step_minutes must be ≤ 1440 [min]; got {step_minutes!r}")
        day = np.datetime64(_sky.utc_times(date), "D")
        n = int(math.floor(1440.0 / step + 1e-9)) + 1
        times = (day.astype("datetime64[ms]")
                 + np.round(np.arange(n) * step * 60000.0).astype("timedelta64[ms]"))
        alt, az, dist = _sky.sun_altaz(times, self._site)
        towards = _sky.altaz_to_enu(alt, az)
        direction = _sky.enu_to_lab(-towards, self._azimuth_deg)
        arrays = [times.astype("datetime64[s]"), alt, az, direction, dist]
        for a in arrays:
            a.setflags(write=False)
        return SunTrack(*arrays)

    def describe(self):
        """Parameters and citations ("cite as") of the models used, as a plain dict."""
        cites = [self._model.cite_as, self._osc.cite_as]
        cites += [_SHAPE_CITES[c] for c in ("pp", "hep", "8B", "13N", "7Be")]
        cites += [_ASTROPY_CITE,
                  "M. Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082 (founding paper)"]
        return {
            "source": "Sun",
            "latitude_deg": self._site.latitude_deg,
            "longitude_deg": self._site.longitude_deg,
            "altitude_m": self._site.altitude_m,
            "azimuth_deg": self._azimuth_deg,
            "model": self._model.name,
            "model_note": self._model.note,
            "oscillation": self._osc.name,
            "oscillation_parameters": {"sin2_theta12": self._osc.sin2_theta12,
                                       "sin2_theta13": self._osc.sin2_theta13,
                                       "dm2_21_eV2": self._osc.dm2_21_eV2},
            "fluxes_1AU_per_cm2_s": dict(self._model.fluxes_per_cm2_s),
            "lines": [{"name": ln.name, "energy_MeV": ln.energy_MeV, "branching": ln.branching,
                       "width_MeV": ln.width_MeV, "note": ln.note} for ln in LINES],
            "cite_as": cites,
        }

    def __repr__(self):
        s = self._site
        return (f"Sun(latitude_deg={s.latitude_deg!r}, longitude_deg={s.longitude_deg!r}, "
                f"altitude_m={s.altitude_m!r}, model={self._model.name!r}, "
                f"oscillation={self._osc.name!r}, azimuth_deg={self._azimuth_deg!r})")
