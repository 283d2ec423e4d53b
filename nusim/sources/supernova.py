"""A Galactic core-collapse supernova: pinched (α-fit) spectra per flavour, its sky direction.

The burst is modelled as a point source at ``distance_kpc`` (10 kpc default, the benchmark of the
founding paper [1] §5.2) emitting, per neutrino species s, a number rate L_s/⟨E⟩_s with the
Keil–Raffelt–Janka spectrum of :func:`keil_raffelt_janka_2003` [2]. The number flux at Earth is

    Φ_s = (L_s/⟨E⟩_s) / (4π d²)                                              [cm⁻² s⁻¹],

and the all-flavour flux sums the six species: ν_e, ν̄_e and the four heavy-lepton species,
counted by the flavour keys ``"nu_x"`` (ν_μ + ν_τ: two species) and ``"nubar_x"`` (ν̄_μ + ν̄_τ).
With the defaults (5e52 erg/s per species, ⟨E⟩ = 10, 12, 15, 15 MeV) this is 1.17e12 cm⁻² s⁻¹ at
10 kpc, the founding paper's "10¹² cm⁻² s⁻¹" (it is the accretion-phase peak, not a 10 s average;
reference A3). Spectra are those *emitted*: no flavour conversion (MSW, collective) is applied.

Time model: with ``start_utc`` the flux is the constant accretion-phase flux inside
[start, start + duration_s] and zero outside (a box light curve; the window is compared in UTC
calendar time, so a leap second inside it is not counted); without it, the constant flux at
every time. A box at the peak luminosity for 10 s emits 3e54 erg, ten times the ≈3e53 erg
of a real burst (most of it radiated in the first seconds with a falling luminosity); for the
time-integrated fluence of a realistic burst use :func:`equipartition_fluence_per_cm2`.

Direction: the unit vector of travel (from the supernova towards the lab) in East-North-Up at the
lab site and time, from the ICRS position (default the Galactic centre, l = b = 0 of astropy's
Galactic frame: RA 266.405°, Dec −28.936°) through astropy's AltAz transformation, run offline
with the bundled Earth-orientation data by :mod:`nusim.sources.sky`. Angular profile: a point.
The neutrinosphere (radius R_ν ≈ 10–50 km) subtends R_ν/d ≈ 3e-17–2e-16 rad at 10 kpc, far
below the spread eq. (4.14) of [1] tolerates, α² ≲ π/Δ(E r) (α ≲ 2.5e-7 rad even for
Δ(E r) = E r = 5e13, i.e. E = 10 MeV and r = 1 m).

Units at the boundary (CONVENTIONS.md): MeV, cm⁻² s⁻¹, cm⁻² s⁻¹ MeV⁻¹, erg s⁻¹, kpc, degrees,
metres, UTC times (ISO strings, ``datetime`` or ``numpy.datetime64``, scalar or array).

Constants defined here (frozen records, :class:`nusim.constants.Constant`): the erg, the
astronomical unit and the parsec; everything else comes from :mod:`nusim.units`.

References
----------
[1] M. Ghosh, Y. Grossman, W. Tangarife, X.-J. Xu, B. Yu, "Neutrino forces in neutrino
    backgrounds", JHEP 02 (2023) 092, doi:10.1007/JHEP02(2023)028, arXiv:2209.07082, §5.2.
[2] M. T. Keil, G. G. Raffelt, H.-T. Janka, "Monte Carlo study of supernova neutrino spectra
    formation", ApJ 590 (2003) 971, doi:10.1086/375130, arXiv:astro-ph/0208035, eq. (2).
[3] I. Tamborra et al., "High-resolution supernova neutrino spectra represented by a simple fit",
    PRD 86 (2012) 125031, doi:10.1103/PhysRevD.86.125031, arXiv:1211.3920.
[4] nusim reference data, ../shared/reference/neutrino-sources-and-experiments.md, section A3.
[5] Astropy Collaboration, ApJ 935 (2022) 167, doi:10.3847/1538-4357/ac7c74 (coordinates).
"""

# ruff: noqa: N802, N803, N806
# (unit-suffixed names such as energy_MeV, mean_energy_MeV are the boundary convention of
# nusim/sources/CONVENTIONS.md and the style guide)

import math
from types import MappingProxyType

import numpy as np
import scipy.special
import scipy.stats

from nusim import units
from nusim.constants import Constant
from nusim.errors import ArgumentError
from nusim.physics._checks import as_array, positive
from nusim.sources import profiles, sky

# --------------------------------------------------------------------------------------------
# Constants of this module (frozen records; nusim.constants has no astronomical units)
# --------------------------------------------------------------------------------------------

#: 1 erg = 1e-7 J exactly (CGS unit of energy).
ERG = Constant("erg", "erg", 1e-7, "J", 0.0,
               "CGS unit, exact by definition (BIPM SI Brochure, 8th ed. 2006, Table 9)",
               exact=True)
#: The astronomical unit, exact by definition.
ASTRONOMICAL_UNIT = Constant("astronomical unit", "au", 149597870700.0, "m", 0.0,
                             "IAU 2012 Resolution B2 (exact)", exact=True)
#: The parsec: 648000/π au exactly.
PARSEC = Constant("parsec", "pc", 648000.0 / math.pi * 149597870700.0, "m", 0.0,
                  "IAU 2015 Resolution B2 (exact: 648000/π au)", exact=True)

_MEV_PER_ERG = units.J_to_eV(ERG.value) * 1e-6
_CM_PER_KPC = PARSEC.value * 1e3 * 1e2

# --------------------------------------------------------------------------------------------
# Flavours and benchmark parameters
# --------------------------------------------------------------------------------------------

#: Flavour keys (CONVENTIONS.md); "nu_x" is ν_μ + ν_τ, "nubar_x" is ν̄_μ + ν̄_τ.
FLAVOURS = ("nu_e", "nubar_e", "nu_x", "nubar_x")
#: Number of neutrino species each flavour key stands for.
SPECIES_PER_FLAVOUR = MappingProxyType({"nu_e": 1, "nubar_e": 1, "nu_x": 2, "nubar_x": 2})

#: Luminosity per species [erg s⁻¹]: accretion-phase value (3–5)e52 of reference A3 [R], upper end.
DEFAULT_LUMINOSITY_ERG_S = MappingProxyType(
    {"nu_e": 5e52, "nubar_e": 5e52, "nu_x": 5e52, "nubar_x": 5e52})
#: Mean energies [MeV]: benchmark values of reference A3 (ν_e 10–12, ν̄_e 12–15, ν_x 14–18) [R];
#: the founding paper uses "about 10 MeV".
DEFAULT_MEAN_ENERGY_MEV = MappingProxyType(
    {"nu_e": 10.0, "nubar_e": 12.0, "nu_x": 15.0, "nubar_x": 15.0})
#: Pinching α (assumed, within the α = 2–4 of simulations, reference A3 [R]): 3 (pinched) for
#: ν_e and ν̄_e, 2.3 (the width of a Fermi–Dirac spectrum with η = 0) for the heavy flavours.
DEFAULT_ALPHA = MappingProxyType({"nu_e": 3.0, "nubar_e": 3.0, "nu_x": 2.3, "nubar_x": 2.3})

#: Spectral models of this module, each with its "cite as" line.
SPECTRAL_MODELS = MappingProxyType({
    "keil-raffelt-janka-2003": "M. T. Keil, G. G. Raffelt, H.-T. Janka, ApJ 590 (2003) 971, "
                               "arXiv:astro-ph/0208035, eq. (2)",
})

_CITATIONS = MappingProxyType({
    "paper": "Ghosh, Grossman, Tangarife, Xu & Yu, JHEP 02 (2023) 092, arXiv:2209.07082, §5.2",
    "spectrum": SPECTRAL_MODELS["keil-raffelt-janka-2003"],
    "alpha fit": "Tamborra et al., PRD 86 (2012) 125031, arXiv:1211.3920",
    "benchmark parameters": "nusim reference data, neutrino-sources-and-experiments.md, A3 "
                            "(luminosities and mean energies are standard benchmarks [R])",
    "coordinates": "Astropy Collaboration, ApJ 935 (2022) 167 (AltAz, Galactic frame); "
                   "Earth orientation from the bundled IERS tables (offline)",
    "units": f"{ERG.source}; {PARSEC.source}",
})

# --------------------------------------------------------------------------------------------
# The spectrum
# --------------------------------------------------------------------------------------------


def keil_raffelt_janka_2003(energy_MeV, mean_energy_MeV, alpha):
    """Normalised pinched supernova-neutrino spectrum f(E) = dN/dE / N (the "α-fit").

    Implements eq. (2) of [1] (used in the founding paper's §5.2 source, reference A3):

        f(E) = (α+1)^(α+1) / (Γ(α+1) ⟨E⟩) · (E/⟨E⟩)^α · exp[−(α+1) E/⟨E⟩],

    a Gamma distribution of shape α+1 and scale ⟨E⟩/(α+1). It integrates to 1, has mean ⟨E⟩,
    ⟨E²⟩/⟨E⟩² = (2+α)/(1+α) and σ_E/⟨E⟩ = (1+α)^(−1/2).

    Parameters
    ----------
    energy_MeV : array_like, neutrino energy E [MeV], ≥ 0
    mean_energy_MeV : array_like, mean energy ⟨E⟩ [MeV], > 0
    alpha : array_like, pinching parameter α [1], > −1 (α = 2: Maxwell–Boltzmann;
        α ≈ 2.30: Fermi–Dirac with zero degeneracy; α > 2.3: pinched)

    Returns
    -------
    ndarray (float for scalar input), broadcast shape of the arguments: f(E) [MeV⁻¹]

    Notes
    -----
    Exact closed form, evaluated in logarithms (no overflow for α up to ~1e300); f(0) = 0 for
    α > 0, 1/⟨E⟩ for α = 0 and +inf for −1 < α < 0 (integrable). Normalisation, mean, the
    moment relation and the σ_E/⟨E⟩ table of reference A3 are checked to quadrature accuracy
    in tests/sources/test_supernova.py.

    References
    ----------
    [1] M. T. Keil, G. G. Raffelt, H.-T. Janka, ApJ 590 (2003) 971, doi:10.1086/375130,
        arXiv:astro-ph/0208035, eq. (2).
    [2] I. Tamborra et al., PRD 86 (2012) 125031, arXiv:1211.3920, eqs. (1)–(2).
    """
    func = "keil_raffelt_janka_2003"
    energy = positive("energy_MeV", energy_MeV, func, allow_zero=True, unit="MeV")
    mean = positive("mean_energy_MeV", mean_energy_MeV, func, unit="MeV")
    alpha = _check_alpha(alpha, func)
    k = alpha + 1.0
    ratio = energy / mean
    log_f = (scipy.special.xlogy(k, k) - scipy.special.gammaln(k) - np.log(mean)
             + scipy.special.xlogy(alpha, ratio) - k * ratio)
    return np.exp(log_f)[()]


def _check_alpha(alpha, func):
    a = as_array("alpha", alpha, func)
    if np.any(a <= -1.0):
        bad = a[a <= -1.0].flat[0] if a.ndim else float(a)
        raise ArgumentError(f"{func}: alpha must be > −1 (the α-fit spectrum is not normalisable "
                            f"otherwise); got {bad!r}. Typical values are 2–4.") from None
    return a


def equipartition_fluence_per_cm2(total_energy_erg=3e53, distance_kpc=10.0, *,
                                  mean_energy_MeV=DEFAULT_MEAN_ENERGY_MEV, flavour=None):
    """Time-integrated number fluence of a burst whose energy is shared equally by six species.

    Each species carries total_energy_erg/6 emitted as neutrinos of mean energy ⟨E⟩_s, so the
    fluence is Σ_s (E_b/6)/⟨E⟩_s / (4π d²) (reference A3: 1.2e12 cm⁻² for 3e53 erg at 10 kpc
    with ⟨E⟩ = 10, 12, 15 MeV). Background of the founding paper's §5.2 figure.

    Parameters
    ----------
    total_energy_erg : float, energy radiated in neutrinos E_b [erg], > 0 (≈3e53, reference A3)
    distance_kpc : float, distance d [kpc], > 0
    mean_energy_MeV : mapping flavour key → ⟨E⟩ [MeV] (missing keys take the defaults)
    flavour : None (all four keys, six species) or one of :data:`FLAVOURS`

    Returns
    -------
    float, fluence [cm⁻²]

    Notes
    -----
    Exact for the stated assumptions (equipartition, no flavour conversion).

    References
    ----------
    [1] nusim reference data, neutrino-sources-and-experiments.md, section A3.
    [2] C. Lunardini, arXiv:0901.0568 ("∼3·10⁵³ ergs emitted in neutrinos").
    """
    func = "equipartition_fluence_per_cm2"
    e_b = float(positive("total_energy_erg", total_energy_erg, func, unit="erg"))
    d = float(positive("distance_kpc", distance_kpc, func, unit="kpc"))
    means = _per_flavour("mean_energy_MeV", mean_energy_MeV, DEFAULT_MEAN_ENERGY_MEV, func,
                         check=lambda n, v: positive(n, v, func, unit="MeV"))
    keys = _flavour_keys(flavour, func)
    per_species_MeV = e_b / 6.0 * _MEV_PER_ERG
    area = 4.0 * math.pi * (d * _CM_PER_KPC) ** 2
    return sum(SPECIES_PER_FLAVOUR[f] * per_species_MeV / means[f] for f in keys) / area


# --------------------------------------------------------------------------------------------
# Argument helpers
# --------------------------------------------------------------------------------------------

def _flavour_keys(flavour, func):
    if flavour is None:
        return FLAVOURS
    if flavour not in FLAVOURS:
        raise ArgumentError(f"{func}: flavour={flavour!r} is not one of "
                            f"{', '.join(map(repr, FLAVOURS))} (or None for all)")
    return (flavour,)


def _per_flavour(name, value, default, func, check):
    """A dict flavour → float from a scalar (all flavours) or a mapping (missing → default)."""
    if isinstance(value, (int, float, np.floating, np.integer)) and not isinstance(value, bool):
        out = dict.fromkeys(FLAVOURS, float(value))
    else:
        try:
            items = dict(value)
        except (TypeError, ValueError):
            raise ArgumentError(f"{func}: {name}={value!r} must be a number or a mapping with keys "
                                f"{', '.join(map(repr, FLAVOURS))}") from None
        unknown = sorted(set(items) - set(FLAVOURS), key=str)
        if unknown:
            raise ArgumentError(f"{func}: {name} has unknown flavour key(s) "
                                f"{', '.join(map(repr, unknown))}; valid keys are "
                                f"{', '.join(map(repr, FLAVOURS))}")
        out = {f: float(items.get(f, default[f])) for f in FLAVOURS}
    for f, v in out.items():
        check(f"{name}[{f!r}]", v)
    return out


def _times_ms(time_utc, func):
    """UTC time(s) as datetime64[ms] (0-d for a scalar), parsed offline by nusim.sources.sky."""
    try:
        return sky.utc_times(time_utc)
    except ValueError:
        raise ArgumentError(f"{func}: time_utc={time_utc!r} is not a UTC time: give ISO strings "
                            "('2025-06-21T08:00:00'), datetime or numpy.datetime64 values, or an "
                            "array of one of these") from None


# --------------------------------------------------------------------------------------------
# The source
# --------------------------------------------------------------------------------------------

class Supernova:
    """A Galactic core-collapse supernova seen from a lab: flux, pinched spectra and direction.

    Follows nusim/sources/CONVENTIONS.md with ``**where`` = ``time_utc``. Number flux per
    species (L/⟨E⟩)/(4πd²); spectra of :func:`keil_raffelt_janka_2003`; direction of travel in
    East-North-Up from astropy (offline). See the module docstring for the model and its limits.

    Parameters
    ----------
    distance_kpc : float, distance d [kpc], > 0 (default 10, the founding paper's benchmark)
    ra_deg, dec_deg : float or None, ICRS right ascension and declination [deg]; both None
        (default) for the Galactic centre (l = b = 0: RA 266.405°, Dec −28.936°)
    luminosity_erg_s : number (every species) or mapping flavour → L per species [erg s⁻¹]
        (missing keys take :data:`DEFAULT_LUMINOSITY_ERG_S`, 5e52 each); "nu_x"/"nubar_x"
        stand for two species with this luminosity each
    mean_energy_MeV : number or mapping flavour → ⟨E⟩ [MeV] (default 10, 12, 15, 15)
    alpha : number or mapping flavour → α [1], > −1 (default 3, 3, 2.3, 2.3)
    duration_s : float, length of the burst [s], > 0 (default 10)
    start_utc : UTC time or None; with a start the flux is zero outside
        [start, start + duration_s], without one it is the constant accretion-phase flux
    latitude_deg, longitude_deg : float or None, geodetic lab site [deg] (needed for
        :meth:`direction` only); longitude East-positive
    altitude_m : float, height above the WGS84 ellipsoid [m]

    Notes
    -----
    Spectra are as emitted (no flavour conversion). With the defaults the all-flavour flux at
    10 kpc is 1.174e12 cm⁻² s⁻¹ (reference A3: 1.2e12; the paper: ≈1e12) and the flux-weighted
    mean energy 13.3 MeV (the paper: "about 10 MeV"; reference A3: 10–15 MeV by flavour).
    """

    def __init__(self, distance_kpc=10.0, *, ra_deg=None, dec_deg=None,
                 luminosity_erg_s=DEFAULT_LUMINOSITY_ERG_S,
                 mean_energy_MeV=DEFAULT_MEAN_ENERGY_MEV, alpha=DEFAULT_ALPHA, duration_s=10.0,
                 start_utc=None, latitude_deg=None, longitude_deg=None, altitude_m=0.0):
        func = "Supernova"
        self.distance_kpc = float(positive("distance_kpc", distance_kpc, func, unit="kpc"))
        if (ra_deg is None) != (dec_deg is None):
            raise ArgumentError(f"{func}: give both ra_deg and dec_deg (ICRS, degrees), or neither "
                                f"for the Galactic centre; got ra_deg={ra_deg!r}, "
                                f"dec_deg={dec_deg!r}")
        self._radec_input_given = ra_deg is not None
        if ra_deg is not None:
            ra = float(as_array("ra_deg", ra_deg, func))
            dec = float(as_array("dec_deg", dec_deg, func))
            if not -90.0 <= dec <= 90.0:
                raise ArgumentError(f"{func}: dec_deg must lie in [−90, 90] [deg]; got {dec!r}")
            self._radec = (ra % 360.0, dec)
        else:
            self._radec = None
        self.luminosity_erg_s = MappingProxyType(_per_flavour(
            "luminosity_erg_s", luminosity_erg_s, DEFAULT_LUMINOSITY_ERG_S, func,
            check=lambda n, v: positive(n, v, func, allow_zero=True, unit="erg s^-1")))
        self.mean_energy_MeV_by_flavour = MappingProxyType(_per_flavour(
            "mean_energy_MeV", mean_energy_MeV, DEFAULT_MEAN_ENERGY_MEV, func,
            check=lambda n, v: positive(n, v, func, unit="MeV")))
        self.alpha = MappingProxyType(_per_flavour(
            "alpha", alpha, DEFAULT_ALPHA, func, check=lambda n, v: _check_alpha(v, func)))
        self.duration_s = float(positive("duration_s", duration_s, func, unit="s"))
        if start_utc is not None:
            start = _times_ms(start_utc, func)
            if start.ndim != 0:
                raise ArgumentError(f"{func}: start_utc must be one time; got {start_utc!r}")
            #: start of the burst, numpy.datetime64[ms] (UTC), or None
            self.start_utc = start[()]
        else:
            self.start_utc = None
        if (latitude_deg is None) != (longitude_deg is None):
            raise ArgumentError(f"{func}: give both latitude_deg and longitude_deg for the lab "
                                f"site, or neither; got latitude_deg={latitude_deg!r}, "
                                f"longitude_deg={longitude_deg!r}")
        #: the lab site (nusim.sources.sky.Site) or None
        self.site = (None if latitude_deg is None
                     else sky.Site(latitude_deg, longitude_deg, altitude_m))
        area = 4.0 * math.pi * (self.distance_kpc * _CM_PER_KPC) ** 2
        #: number flux per flavour key (all its species) while the burst is on [cm⁻² s⁻¹]
        self._flux_on = MappingProxyType({
            f: SPECIES_PER_FLAVOUR[f] * self.luminosity_erg_s[f] * _MEV_PER_ERG
            / self.mean_energy_MeV_by_flavour[f] / area for f in FLAVOURS})

    # -- sky position -------------------------------------------------------------------------
    @property
    def radec_deg(self):
        """ICRS (RA, Dec) of the supernova [deg]; the Galactic centre unless given."""
        if self._radec is None:
            self._radec = sky.galactic_centre_radec_deg()
        return self._radec

    # -- time model ---------------------------------------------------------------------------
    def _on(self, time_utc, func):
        """1.0 where the burst is on, 0.0 where off; shape of time_utc (0-d for a scalar)."""
        if self.start_utc is None:
            if time_utc is None:
                return np.array(1.0)
            return np.ones(_times_ms(time_utc, func).shape)
        if time_utc is None:
            raise ArgumentError(f"{func}: this Supernova starts at {self.start_utc} UTC and "
                                f"lasts {self.duration_s} s; give time_utc=... to say when (or "
                                "build it without start_utc for the constant accretion-phase flux)")
        dt = (_times_ms(time_utc, func) - self.start_utc) / np.timedelta64(1, "ms") * 1e-3
        return ((dt >= 0.0) & (dt <= self.duration_s)).astype(float)

    # -- CONVENTIONS.md interface -----------------------------------------------------------
    def spectrum(self, energy_MeV, flavour=None, time_utc=None):
        """dΦ/dE at Earth [cm⁻² s⁻¹ MeV⁻¹], summed over ``flavour`` (None: all four keys).

        Implements Φ_s f_KRJ(E; ⟨E⟩_s, α_s) summed over species (eq. 2 of Keil et al. 2003;
        founding paper §5.2).

        Parameters
        ----------
        energy_MeV : array_like, E [MeV], ≥ 0
        flavour : None or one of :data:`FLAVOURS`
        time_utc : None or UTC time(s); required when the burst has a start

        Returns
        -------
        ndarray, shape time.shape + energy.shape (energy.shape for a scalar or no time)
        [cm⁻² s⁻¹ MeV⁻¹]; zero while the burst is off
        """
        func = "Supernova.spectrum"
        keys = _flavour_keys(flavour, func)
        energy = positive("energy_MeV", energy_MeV, func, allow_zero=True, unit="MeV")
        total = np.zeros(energy.shape)
        for f in keys:
            total = total + self._flux_on[f] * keil_raffelt_janka_2003(
                energy, self.mean_energy_MeV_by_flavour[f], self.alpha[f])
        return np.multiply.outer(self._on(time_utc, func), total)[()]

    def lines(self, flavour=None, time_utc=None):
        """Monochromatic lines: none for a supernova (empty list)."""
        _flavour_keys(flavour, "Supernova.lines")
        return []

    def flux(self, time_utc=None, flavour=None):
        """Number flux at Earth [cm⁻² s⁻¹], all flavours unless ``flavour`` is named.

        Φ = Σ_s (L_s/⟨E⟩_s)/(4π d²) while the burst is on, 0 while off.

        Parameters
        ----------
        time_utc : None or UTC time(s); required when the burst has a start
        flavour : None or one of :data:`FLAVOURS`

        Returns
        -------
        float, or ndarray of the shape of time_utc [cm⁻² s⁻¹]
        """
        func = "Supernova.flux"
        keys = _flavour_keys(flavour, func)
        return (self._on(time_utc, func) * sum(self._flux_on[f] for f in keys))[()]

    def mean_energy_MeV(self, time_utc=None, flavour=None):
        """Flux-weighted mean energy [MeV]: Σ Φ_s⟨E⟩_s / Σ Φ_s (the same at every time).

        Parameters
        ----------
        time_utc : ignored beyond validation (the spectral shape does not change in time)
        flavour : None or one of :data:`FLAVOURS`

        Returns
        -------
        float [MeV]
        """
        func = "Supernova.mean_energy_MeV"
        keys = _flavour_keys(flavour, func)
        if time_utc is not None:
            _times_ms(time_utc, func)
        phi = [self._flux_on[f] for f in keys]
        if sum(phi) == 0.0:
            raise ArgumentError(f"{func}: every luminosity of {keys} is zero; no mean energy")
        weighted = sum(p * self.mean_energy_MeV_by_flavour[f]
                       for p, f in zip(phi, keys, strict=True))
        return weighted / sum(phi)

    @property
    def energy_range_MeV(self):
        """(0, E_hi) [MeV]: above E_hi every flavour's spectrum holds < 1e-12 of its flux."""
        hi = max(scipy.stats.gamma.isf(1e-12, self.alpha[f] + 1.0,
                                       scale=self.mean_energy_MeV_by_flavour[f]
                                       / (self.alpha[f] + 1.0)) for f in FLAVOURS)
        return (0.0, float(hi))

    def direction(self, time_utc):
        """Unit vector(s) of travel, from the supernova towards the lab, in East-North-Up.

        Parameters
        ----------
        time_utc : UTC time(s) (ISO string, datetime, numpy.datetime64, or an array of them)

        Returns
        -------
        ndarray (3,) for one time, (n, 3) for n times [1]; the z (Up) component is −sin(alt):
        negative while the supernova is above the horizon

        Notes
        -----
        :func:`nusim.sources.sky.radec_to_enu` (astropy AltAz, offline, bundled IERS; no
        refraction; annual aberration included). Accuracy of a few arcsec; after the bundled
        IERS tables UT1−UTC is held at its last value (hour-angle error < 0.004°).
        """
        func = "Supernova.direction"
        if self.site is None:
            raise ArgumentError(f"{func}: the direction needs the lab site; build the Supernova "
                                "with latitude_deg=..., longitude_deg=... (and altitude_m=...)")
        ra, dec = self.radec_deg
        t = _times_ms(time_utc, func)
        return -sky.radec_to_enu(ra, dec, t, self.site)

    def angular_profile(self, time_utc=None):
        """:class:`nusim.sources.profiles.Point`: the neutrinosphere subtends ≲ 2e-16 rad.

        (R_ν ≈ 10–50 km at 10 kpc; eq. 4.14 of the founding paper tolerates ~1e-7 rad.)
        """
        return profiles.Point()

    # -- extras -------------------------------------------------------------------------------
    def fluence_per_cm2(self, flavour=None):
        """Time integral of this model's flux over the box light curve: Φ × duration_s [cm⁻²].

        With the peak luminosity held for ``duration_s`` this over-counts a real burst (see the
        module docstring); :func:`equipartition_fluence_per_cm2` gives the realistic fluence.
        """
        keys = _flavour_keys(flavour, "Supernova.fluence_per_cm2")
        return sum(self._flux_on[f] for f in keys) * self.duration_s

    @property
    def emitted_energy_erg(self):
        """Energy the box light curve radiates in neutrinos, Σ_s L_s × duration_s [erg]."""
        return sum(SPECIES_PER_FLAVOUR[f] * self.luminosity_erg_s[f] for f in FLAVOURS) \
            * self.duration_s

    def describe(self):
        """Parameters, derived totals and the citations of the models used (a plain dict)."""
        ra, dec = self.radec_deg
        return {
            "source": "supernova",
            "distance_kpc": self.distance_kpc,
            "ra_deg": ra, "dec_deg": dec,
            "sky_position": ("given" if self._radec_input_given
                             else "Galactic centre (l = b = 0)"),
            "luminosity_erg_s_per_species": dict(self.luminosity_erg_s),
            "mean_energy_MeV": dict(self.mean_energy_MeV_by_flavour),
            "alpha": dict(self.alpha),
            "species_per_flavour": dict(SPECIES_PER_FLAVOUR),
            "duration_s": self.duration_s,
            "start_utc": None if self.start_utc is None else str(self.start_utc),
            "site_lat_lon_alt_deg_deg_m": (None if self.site is None else
                                           (self.site.latitude_deg, self.site.longitude_deg,
                                            self.site.altitude_m)),
            "spectral_model": "keil-raffelt-janka-2003",
            "flavour_conversion": "none (spectra as emitted)",
            "flux_on_per_cm2_s": float(sum(self._flux_on.values())),
            "mean_energy_all_MeV": self.mean_energy_MeV(),
            "emitted_energy_erg": self.emitted_energy_erg,
            "cite": dict(_CITATIONS),
        }

    def __repr__(self):
        return (f"Supernova(distance_kpc={self.distance_kpc!r}, radec_deg="
                f"{self._radec if self._radec_input_given else 'Galactic centre'}, "
                f"duration_s={self.duration_s!r}, start_utc="
                f"{None if self.start_utc is None else str(self.start_utc)!r}, site={self.site!r})")
