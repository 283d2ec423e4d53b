"""Materials: presets with cited densities, compositions and charges from the physics core."""

import math

import periodictable
import pytest

from nusim.errors import ArgumentError
from nusim.geometry import materials as mat
from nusim.physics import couplings as c

# Round-off of a few float64 operations on O(1e26) numbers (relative).
ROUNDOFF = 1e-13
PURE = {"copper": "Cu", "lead": "Pb", "beryllium": "Be", "titanium": "Ti", "platinum": "Pt",
        "gold": "Au", "aluminium": "Al", "tungsten": "W", "molybdenum": "Mo", "uranium": "U"}
REQUIRED = ("copper", "lead", "beryllium", "titanium", "platinum", "gold", "aluminium",
            "aluminium-6061", "brass", "stainless-steel-304", "tungsten", "tungsten-alloy",
            "fused-silica", "uranium")


def test_required_presets_have_density_source_and_normalised_fractions():
    for name in REQUIRED:
        m = mat.material(name)
        assert m.name == name
        assert m.source.strip()                        # every density is cited
        assert 1000.0 < m.density_kg_m3 < 23000.0      # between water and osmium [kg/m^3]
        # mixture_composition renormalises fractions within 1e-6: sum is 1 to round-off
        assert math.fsum(w for _, w in m.mass_fractions) == pytest.approx(1.0, abs=ROUNDOFF)


@pytest.mark.parametrize(("name", "symbol"), list(PURE.items()))
def test_pure_element_density_against_periodictable(name, symbol):
    # Independent table (periodictable, from CRC/NIST); room-temperature densities of the same
    # metal differ between handbooks by < 1 % (Ti 4.506 vs 4.54, U 19.05 vs 18.95).
    ref = periodictable.elements.symbol(symbol).density * 1000.0
    assert mat.material(name).density_kg_m3 == pytest.approx(ref, rel=0.01, abs=0)


@pytest.mark.parametrize(("name", "symbol"), list(PURE.items()))
def test_pure_element_charges_are_the_physics_core_ones(name, symbol):
    m = mat.material(name)
    comp = c.element_composition(symbol)
    ref = c.charges_per_kg(comp)
    # same function on the same inputs: equal to round-off
    assert m.composition.protons_per_kg == pytest.approx(comp.protons_per_kg, rel=ROUNDOFF, abs=0)
    assert m.charges_per_kg.e == pytest.approx(ref.e, rel=ROUNDOFF, abs=0)
    assert m.charges_per_kg.mu == pytest.approx(ref.mu, rel=ROUNDOFF, abs=0)


def test_lead_neutron_excess_and_charges():
    lead = mat.material("lead").composition
    data = c.element_data("Pb")
    # N_n/N_p = (Ā − Z)/Z for neutral lead (Z = 82, Ā = 207.2): 1.527
    assert lead.neutrons_per_kg / lead.protons_per_kg == pytest.approx(
        (data.mean_mass_number - 82) / 82, rel=ROUNDOFF, abs=0)
    assert lead.neutrons_per_kg / lead.protons_per_kg == pytest.approx(125.2 / 82, rel=1e-3, abs=0)
    q = mat.material("lead").charges_per_kg
    # eqs. (D.2), (D.3) for neutral matter: Q_e = N_p − N_n/2, Q_μ = Q_τ = −N_n/2
    assert q.e == pytest.approx(lead.protons_per_kg - lead.neutrons_per_kg / 2, rel=1e-12, abs=0)
    assert q.mu == pytest.approx(-lead.neutrons_per_kg / 2, rel=1e-12, abs=0)
    assert q.tau == q.mu


def test_alloys_and_compounds_by_mass_fraction():
    brass = mat.material("brass")
    ref = c.mixture_composition({"Cu": 0.7, "Zn": 0.3})
    assert brass.composition.protons_per_kg == pytest.approx(ref.protons_per_kg, rel=ROUNDOFF, abs=0)
    assert dict(mat.material("tungsten-alloy").mass_fractions) == pytest.approx(
        {"W": 0.90, "Ni": 0.07, "Fe": 0.03}, abs=ROUNDOFF)
    # SiO2: w_Si = A_Si/(A_Si + 2 A_O) = 28.085/60.083 = 0.46744 (CIAAW 2021 weights)
    si = dict(mat.material("fused-silica").mass_fractions)["Si"]
    a_si, a_o = c.element_data("Si").atomic_weight, c.element_data("O").atomic_weight
    assert si == pytest.approx(a_si / (a_si + 2 * a_o), rel=1e-9, abs=0)   # periodictable round-off
    ss = dict(mat.material("stainless-steel-304").mass_fractions)
    assert ss["Cr"] == pytest.approx(0.19, abs=ROUNDOFF)
    assert ss["Fe"] == pytest.approx(1 - 0.19 - 0.09 - 0.01 - 0.005 - 0.0004, abs=ROUNDOFF)


def test_z_over_a_ordering_of_the_paper_pairs():
    # Z/A per kg = N_p m_u: Be (0.444) < Ti (0.459); Pt (0.400) < Al (0.482), eq. (5.4) pairs
    zpa = {n: mat.material(n).composition.protons_per_kg for n in ("beryllium", "titanium")}
    assert zpa["beryllium"] < zpa["titanium"]
    assert (mat.material("platinum").composition.protons_per_kg
            < mat.material("aluminium").composition.protons_per_kg)


def test_unknown_material_lists_the_known_ones():
    with pytest.raises(ArgumentError, match=r"unknown material \('unobtainium'\)\. Use one of "
                                         r".*copper.*tungsten-alloy"):
        mat.material("unobtainium")


def test_presets_are_immutable():
    with pytest.raises(TypeError):
        mat.MATERIALS["copper"] = None          # MappingProxyType
    with pytest.raises(AttributeError):
        mat.material("copper").density_kg_m3 = 1.0   # frozen dataclass


def test_make_material_custom_and_errors():
    invar = mat.make_material("invar", 8050.0, {"Fe": 0.64, "Ni": 0.36}, "assumed: typical")
    assert invar.charges_per_kg == c.charges_per_kg(invar.composition)
    with pytest.raises(ArgumentError, match=r"density_kg_m3: must be a finite number > 0 \(-1\.0\)"):
        mat.make_material("x", -1.0, {"Fe": 1.0}, "assumed")
    with pytest.raises(ArgumentError, match=r"source: must cite the density"):
        mat.make_material("x", 1.0, {"Fe": 1.0}, "")
    with pytest.raises(ArgumentError, match=r"mass_fractions sum to 0\.9"):
        mat.make_material("x", 1.0, {"Fe": 0.9}, "assumed")
