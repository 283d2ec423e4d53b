"""Constants carry sources; the units module converts with the CODATA values."""

import math

import pytest

from nusim import constants, units


def test_every_constant_has_source_unit_and_consistent_uncertainty():
    # astropy-style records: a source and a unit on each; exact constants have zero uncertainty.
    for c in constants.ALL:
        assert c.source and c.unit
        if c.exact:
            assert c.uncertainty == 0.0
        else:
            assert 0 < c.uncertainty < 1e-3 * abs(c.value)


def test_hbar_c_consistent_with_hbar_and_c():
    # ħc = ħ[eV s]·c: both truncated exact values; agree to their printed 10 digits (the
    # truncation of ħ = 6.582119569|509…e-16 alone is 1.4e-10 relative, observed 2.2e-10).
    assert units.HBAR_EV_S * units.C_M_S == pytest.approx(units.HBARC_EV_M, rel=4e-10, abs=0)


def test_length_and_flux_conversions():
    # 1 m = 5.067731e6 eV⁻¹ (1/ħc); round trips are exact to round-off.
    assert units.m_to_inv_eV(1.0) == pytest.approx(5.0677307e6, rel=1e-7, abs=0)
    assert units.inv_eV_to_m(units.m_to_inv_eV(0.37)) == pytest.approx(0.37, rel=1e-15, abs=0)
    # 1 cm⁻² s⁻¹ = (ħc)² ħ in eV³ = (1.973270e-5 eV cm)² × 6.582120e-16 eV s
    assert units.flux_per_cm2_s_to_eV3(1.0) == pytest.approx(
        (1.973269804e-5) ** 2 * 6.582119569e-16, rel=1e-9, abs=0)
    assert units.eV3_to_flux_per_cm2_s(units.flux_per_cm2_s_to_eV3(5e13)) == pytest.approx(5e13, abs=0)


def test_gravitational_constant_in_natural_units():
    # G_N = 1/M_Pl² with M_Pl = 1.220890e19 GeV (CODATA 2018: G/ħc = 6.70883e-39 GeV⁻²).
    assert units.G_N == pytest.approx(6.70883e-39 * 1e-18, rel=1e-5, abs=0)
    assert 1 / math.sqrt(units.G_N) == pytest.approx(1.220890e28, rel=1e-5, abs=0)


def test_force_and_power_conversions():
    # 1 eV² = e / ħc N = 1.602176634e-19 J / 1.973269804e-7 m = 8.1193997e-13 N
    assert units.eV2_to_N(1.0) == pytest.approx(8.1193997e-13, rel=1e-7, abs=0)
    # 1 W = ħ/e eV² = 6.582120e-16 / 1.602177e-19 eV² ... i.e. 1 W × ħ[J s] / e² in eV²
    assert units.W_to_eV2(1.0) == pytest.approx(6.582119569e-16 / 1.602176634e-19, rel=1e-12, abs=0)
    assert units.kelvin_to_eV(1.945) == pytest.approx(1.6761e-4, rel=1e-4, abs=0)
    assert units.kg_to_eV(1.67262192369e-27) == pytest.approx(units.M_P, rel=1e-9, abs=0)
