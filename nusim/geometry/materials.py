"""Materials of test bodies and attractors: density, composition and neutrino charges per kg.

SI units: densities [kg m⁻³], particle numbers and charges per kilogram [kg⁻¹].

Each preset in :data:`MATERIALS` is a frozen :class:`Material` with its density, the citation of
that density (``source``; "assumed" marks a typical value where the real one depends on the
supplier or temper), and its composition by mass fraction, turned into protons, neutrons and
electrons per kilogram by :func:`nusim.physics.couplings.mixture_composition` (real standard atomic
weights and isotopic abundances) and into per-flavour effective vector charges by
:func:`nusim.physics.couplings.charges_per_kg` (eqs. D.2, D.3 of [1]).

Compounds and oxide glasses are converted to element mass fractions with ``periodictable``
formulas (standard atomic weights, CIAAW 2021).

References
----------
[1] M. Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082 (appendix D).
[2] CRC Handbook of Chemistry and Physics, 97th ed. (2016), "Physical constants of inorganic
    compounds" / "Density of the elements" (room temperature densities of the pure elements).
[3] ASM Handbook vol. 2, "Properties and Selection: Nonferrous Alloys" (1990) (Al 6061,
    C26000 cartridge brass); ASM Handbook vol. 1 (1990) (AISI 304).
[4] ASTM B777-15, "Standard Specification for Tungsten Base, High-Density Metal" (class 1, 90 % W:
    16.85–17.25 g cm⁻³).
[5] Corning HPFS 7980 fused silica data sheet (2.201 g cm⁻³); SCHOTT BOROFLOAT 33 data sheet
    (2.23 g cm⁻³; 81 % SiO2, 13 % B2O3, 4 % Na2O/K2O, 2 % Al2O3 by mass).
[6] A.M. Dziewonski, D.L. Anderson, "Preliminary reference Earth model", Phys. Earth Planet.
    Inter. 25 (1981) 297, doi:10.1016/0031-9201(81)90046-7 (PREM; mean density 5.514 g cm⁻³).
[7] W.F. McDonough, "Compositional model for the Earth's core", Treatise on Geochemistry vol. 2
    (2003) 547, table 4 (bulk Earth, wt %; values as recalled, not re-checked).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import periodictable

from nusim.errors import ArgumentError
from nusim.physics.couplings import (
    Composition,
    FlavourCharges,
    charges_per_kg,
    mixture_composition,
)


@dataclass(frozen=True)
class Material:
    """A homogeneous material: density, particle numbers per kg and neutrino charges per kg.

    Attributes
    ----------
    name : str
    density_kg_m3 : float, mass density ρ [kg m⁻³], > 0
    composition : couplings.Composition, protons/neutrons/electrons per kg [kg⁻¹] and the mass
        fractions it was built from
    source : str, citation of the density (and composition), or "assumed: <reason>"
    charges_per_kg : couplings.FlavourCharges, Q_e, Q_μ, Q_τ per kg [kg⁻¹] (eqs. D.2, D.3 of [1])
    """

    name: str
    density_kg_m3: float
    composition: Composition
    source: str
    charges_per_kg: FlavourCharges

    def __post_init__(self):
        d = self.density_kg_m3
        if not (isinstance(d, float | int) and d == d and 0 < d < float("inf")):
            raise ArgumentError(f"Material: density_kg_m3: must be a finite number > 0 ({d!r}). "
                                f"Give the density in kg/m^3 (e.g. 8960 for copper)")
        if not isinstance(self.composition, Composition):
            raise ArgumentError(f"Material: composition: must be a couplings.Composition "
                                f"({self.composition!r}). Build it with make_material")
        if not isinstance(self.charges_per_kg, FlavourCharges):
            raise ArgumentError(f"Material: charges_per_kg: must be a couplings.FlavourCharges "
                                f"({self.charges_per_kg!r}). Build it with make_material")

    @property
    def mass_fractions(self):
        """((symbol, mass fraction [1]), ...) of the composition."""
        return self.composition.mass_fractions


def make_material(name, density_kg_m3, mass_fractions, source):
    """A custom :class:`Material` from its density and element mass fractions.

    Parameters
    ----------
    name : str, label
    density_kg_m3 : float, density [kg m⁻³], > 0
    mass_fractions : mapping str -> float, element symbol -> mass fraction [1], summing to 1
        within ``couplings.MASS_FRACTION_TOLERANCE`` (e.g. {"Cu": 0.7, "Zn": 0.3})
    source : str, citation of the density, or "assumed: <reason>"

    Returns
    -------
    Material

    Notes
    -----
    Particle numbers from :func:`couplings.mixture_composition` (real atomic weights), charges from
    :func:`couplings.charges_per_kg` at the default s_W².
    """
    if not isinstance(name, str) or not name:
        raise ArgumentError(f"make_material: name: must be a non-empty string ({name!r}). "
                            f"Give the material a label")
    if not isinstance(source, str) or not source.strip():
        raise ArgumentError(f"make_material: source: must cite the density ({source!r}). "
                            f"Give a citation or 'assumed: <reason>'")
    try:
        density = float(density_kg_m3)
    except (TypeError, ValueError):
        raise ArgumentError(f"make_material: density_kg_m3: is not a number ({density_kg_m3!r}). "
                            f"Give the density in kg/m^3") from None
    try:
        composition = mixture_composition(mass_fractions, name=name)
    except ArgumentError as exc:   # couplings names its own function; say which input it was
        raise ArgumentError(f"make_material: mass_fractions: {exc}") from None
    return Material(name, density, composition, source, charges_per_kg(composition))


def _formula_fractions(parts):
    """Element mass fractions of a mixture of compounds {formula: mass fraction}."""
    out = {}
    for formula, w in parts.items():
        for element, f in periodictable.formula(formula).mass_fraction.items():
            out[element.symbol] = out.get(element.symbol, 0.0) + w * float(f)
    total = sum(out.values())
    return {s: f / total for s, f in out.items()}


def _balance(main, others):
    """Mass fractions with ``main`` taking the balance of ``others``."""
    return {main: 1.0 - sum(others.values()), **others}


def _renormalised(weights):
    """Mass fractions proportional to ``weights`` (e.g. wt % of the major elements only)."""
    total = sum(weights.values())
    return {s: w / total for s, w in weights.items()}


_CRC = "CRC Handbook of Chemistry and Physics, 97th ed. (2016), density at 20-25 C"

# name: (density [kg m^-3], mass fractions, source)
_PRESETS = {
    "copper": (8960.0, {"Cu": 1.0}, _CRC + ": 8.96 g/cm^3"),
    "lead": (11340.0, {"Pb": 1.0}, _CRC + ": 11.34 g/cm^3"),
    "beryllium": (1848.0, {"Be": 1.0}, _CRC + ": 1.848 g/cm^3"),
    "titanium": (4506.0, {"Ti": 1.0}, _CRC + ": 4.506 g/cm^3"),
    "platinum": (21450.0, {"Pt": 1.0}, _CRC + ": 21.45 g/cm^3"),
    "gold": (19300.0, {"Au": 1.0}, _CRC + ": 19.3 g/cm^3"),
    "aluminium": (2699.0, {"Al": 1.0}, _CRC + ": 2.699 g/cm^3"),
    "tungsten": (19250.0, {"W": 1.0}, _CRC + ": 19.25 g/cm^3"),
    "molybdenum": (10280.0, {"Mo": 1.0}, _CRC + ": 10.28 g/cm^3"),
    "uranium": (19050.0, {"U": 1.0}, _CRC + ": 19.05 g/cm^3 (natural uranium, alpha phase)"),
    "aluminium-6061": (
        2700.0,
        _balance("Al", {"Mg": 0.010, "Si": 0.006, "Cu": 0.0028, "Cr": 0.002, "Fe": 0.0035}),
        "ASM Handbook vol. 2 (1990): 2.70 g/cm^3; composition: nominal Mg 1.0, Si 0.6, Cu 0.28, "
        "Cr 0.20 % (ASTM B209); Fe 0.35 % assumed (half the 0.7 % maximum); Al balance",
    ),
    "brass": (
        8530.0, {"Cu": 0.70, "Zn": 0.30},
        "ASM Handbook vol. 2 (1990), C26000 cartridge brass 70/30: 8.53 g/cm^3",
    ),
    "stainless-steel-304": (
        8000.0,
        _balance("Fe", {"Cr": 0.19, "Ni": 0.09, "Mn": 0.01, "Si": 0.005, "C": 0.0004}),
        "ASM Handbook vol. 1 (1990), AISI 304: 8.00 g/cm^3; composition: Cr 19 %, Ni 9 % "
        "(mid-range of ASTM A240), Mn 1 %, Si 0.5 %, C 0.04 % assumed typical; Fe balance",
    ),
    "tungsten-alloy": (
        17000.0, {"W": 0.90, "Ni": 0.07, "Fe": 0.03},
        "ASTM B777 class 1 (90 % W): 16.85-17.25 g/cm^3; assumed: 17.00 g/cm^3 mid-range; "
        "W-Ni-Fe 90/7/3 heavy metal",
    ),
    "fused-silica": (
        2201.0, _formula_fractions({"SiO2": 1.0}),
        "Corning HPFS 7980 data sheet: 2.201 g/cm^3; stoichiometric SiO2",
    ),
    "borosilicate-glass": (
        2230.0, _formula_fractions({"SiO2": 0.81, "B2O3": 0.13, "Na2O": 0.04, "Al2O3": 0.02}),
        "SCHOTT BOROFLOAT 33 data sheet: 2.23 g/cm^3; oxides 81 % SiO2, 13 % B2O3, 2 % Al2O3, "
        "4 % Na2O+K2O (assumed all Na2O)",
    ),
    "silicon": (2329.0, {"Si": 1.0}, _CRC + ": 2.329 g/cm^3 (crystalline)"),
    # The whole Earth as one homogeneous body (for a planetary-scale attractor, e.g. Washington
    # 2007): PREM's mean density and McDonough's bulk-Earth composition (core + mantle), the eight
    # elements above 0.5 wt % (99.0 % of the mass) renormalised to 1.
    "earth-bulk": (
        5514.0,
        _renormalised({"Fe": 32.0, "O": 29.7, "Si": 16.1, "Mg": 15.4, "Ni": 1.82, "Ca": 1.71,
                       "Al": 1.59, "S": 0.64}),
        "PREM (Dziewonski & Anderson 1981): mean density 5.514 g/cm^3; composition: bulk Earth "
        "of McDonough (2003), Treatise on Geochemistry 2, 547, table 4: Fe 32.0, O 29.7, Si 16.1, "
        "Mg 15.4, Ni 1.82, Ca 1.71, Al 1.59, S 0.64 wt % (values as recalled, not re-checked "
        "against the table); minor elements (1.0 %) dropped and the eight renormalised",
    ),
}

#: Preset materials by name (immutable). Look one up with :func:`material`.
MATERIALS: Mapping[str, Material] = MappingProxyType({
    name: make_material(name, density, fractions, source)
    for name, (density, fractions, source) in _PRESETS.items()
})


def material(name):
    """The preset :class:`Material` called ``name`` (see :data:`MATERIALS`).

    Parameters
    ----------
    name : str, e.g. "copper", "tungsten-alloy", "fused-silica"

    Returns
    -------
    Material (frozen; shared, but immutable)
    """
    try:
        return MATERIALS[name]
    except (KeyError, TypeError):
        known = ", ".join(sorted(MATERIALS))
        raise ArgumentError(f"material: name: unknown material ({name!r}). Use one of {known}, "
                            f"or build one with make_material") from None
