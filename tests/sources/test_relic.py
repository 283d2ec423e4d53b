"""Cosmic neutrino background (nusim.sources.relic) against the founding paper §3 (eqs. 3.4,
3.16, 3.20, 3.25, 3.31), the standard relic density (112 cm⁻³ per flavour, Lesgourgues & Pastor
2006 §3) and the physics-core isotropic potential it is wired to.
"""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from nusim import constants, units
from nusim.physics.isotropic import isotropic_potential
from nusim.sources.relic import (
    DEFAULT_MASSES_EV,
    RELIC_TEMPERATURE,
    RelicBackground,
    relic_number_density_per_cm3,
)

PI3 = math.pi**3
#: Quadrature acceptance of nusim.physics.isotropic (1e-9 relative) with a factor 10 margin.
QUAD_RTOL = 1e-8


def test_temperature_and_default_masses():
    # T_ν0 = (4/11)^{1/3} × 2.72548 K = 1.9454 K; the 1.945 K to its 4 digits
    assert RELIC_TEMPERATURE.value == pytest.approx(1.945, abs=5e-4)
    # normal ordering, m1 = 0, m2 = √7.41e-5, m3 = √2.511e-3 (NuFIT 5.2); the brief's
    # (0, 0.0086, 0.0502) to the 0.2 % by which NuFIT versions differ in Δm²31
    assert DEFAULT_MASSES_EV[0] == 0.0
    assert DEFAULT_MASSES_EV[1] == pytest.approx(0.0086, rel=2e-3, abs=0)
    assert DEFAULT_MASSES_EV[2] == pytest.approx(0.0502, rel=3e-3, abs=0)


def test_number_density_112_per_flavour():
    rb = RelicBackground()
    # founding paper §3: "about 56/cm³" per state; standard value 56 (1 %: the quoted value is
    # rounded to 2 digits)
    assert relic_number_density_per_cm3() == pytest.approx(56.0, rel=0.01, abs=0)
    # 112 cm⁻³ per flavour (or eigenstate) including antineutrinos, within 1 % (brief)
    assert rb.number_density_per_cm3(1) == pytest.approx(112.0, rel=0.01, abs=0)
    assert rb.number_density_per_cm3() == pytest.approx(336.0, rel=0.01, abs=0)
    # the closed form 3ζ(3)T³/(4π²) recomputed from the CODATA records (unit check, round-off)
    t_per_cm = RELIC_TEMPERATURE.value * constants.BOLTZMANN_EV_K.value \
        / (constants.HBAR_C_MEV_FM.value * 1e-7)
    zeta3 = 1.2020569031595942
    assert relic_number_density_per_cm3() == pytest.approx(
        3 * zeta3 * t_per_cm**3 / (4 * math.pi**2), rel=1e-13, abs=0)
    # n ∝ T³ (exact)
    assert relic_number_density_per_cm3(2 * 1.9454) / relic_number_density_per_cm3(1.9454) \
        == pytest.approx(8.0, rel=1e-14, abs=0)


def test_potential_is_the_physics_core_sum():
    rb = RelicBackground()
    r_m = np.array([1e-6, 1e-3, 0.1, 1.0])
    r = units.m_to_inv_eV(r_m)
    t = units.kelvin_to_eV(rb.temperature_K)
    expected = sum(isotropic_potential(r, t, m, 0.0, "FD", "dirac") for m in rb.masses_eV)
    # same calls, summed in the same order: round-off only
    np.testing.assert_allclose(rb.potential_per_g1g2(r_m), expected, rtol=1e-14)
    for i, m in enumerate(rb.masses_eV, start=1):
        np.testing.assert_allclose(rb.potential_per_g1g2(r_m, eigenstate=i),
                                   isotropic_potential(r, t, m), rtol=1e-14)
    maj = RelicBackground(nature="majorana")
    expected_maj = sum(isotropic_potential(r, t, m, 0.0, "FD", "majorana") for m in maj.masses_eV)
    np.testing.assert_allclose(maj.potential_per_g1g2(r_m), expected_maj, rtol=1e-14)


def test_massless_long_range_is_minus_vacuum_per_state():
    # eq. (3.20): −1/(4π³r⁵) per massless state for r ≫ 1/T (1/T = 1.18 mm here; r ≥ 10 cm
    # gives 2πrT ≥ 530, so the csch correction of eq. 3.19 is e^{−530}); tolerance: quadrature
    r_m = np.array([0.1, 1.0, 10.0])
    r = units.m_to_inv_eV(r_m)
    v = RelicBackground(masses_eV=(0.0, 0.0, 0.0)).potential_per_g1g2(r_m)
    np.testing.assert_allclose(v, -3.0 / (4 * PI3 * r**5), rtol=QUAD_RTOL)
    # the massless ν1 of the default background alone
    v1 = RelicBackground().potential_per_g1g2(r_m, eigenstate=1)
    np.testing.assert_allclose(v1, -1.0 / (4 * PI3 * r**5), rtol=QUAD_RTOL)


def test_default_background_long_range_limits():
    # ν1 massless: eq. (3.20); ν2, ν3 non-relativistic (m/T = 51, 299): eq. (3.25),
    # −m/(32π³ T r⁵); at r = 1 m (rT = 850) its relative error is 1/(4(rT)²) = 3.5e-7
    # (isotropic.py Notes), tolerance 1e-5
    rb = RelicBackground()
    r = units.m_to_inv_eV(1.0)
    t = units.kelvin_to_eV(rb.temperature_K)
    expected = -1 / (4 * PI3 * r**5) - sum(m / (32 * PI3 * t * r**5) for m in rb.masses_eV)
    assert rb.potential_per_g1g2(1.0) == pytest.approx(expected, rel=1e-5, abs=0)
    # the massive states dominate the massless one by m/(8T) (eq. 3.25 over 3.20)
    assert rb.potential_per_g1g2(1.0, eigenstate=3) / rb.potential_per_g1g2(1.0, eigenstate=1) \
        == pytest.approx(rb.masses_eV[2] / (8 * t), rel=1e-5, abs=0)


def test_potential_in_eV():
    rb = RelicBackground()
    # V = G_F² g1 g2 × V/(G_F² g1 g2), G_F from nusim.units (exact arithmetic)
    assert rb.potential_eV(0.5, g1g2=0.25) == pytest.approx(
        units.G_F**2 * 0.25 * rb.potential_per_g1g2(0.5), rel=1e-15, abs=0)


def test_scalar_flux_spectrum_and_flavours():
    rb = RelicBackground()
    c_cm_s = constants.SPEED_OF_LIGHT.value * 100
    # a massless state moves at c: Φ1 = n1 c; 1e-9 because (ħc)/ħ of the truncated CODATA
    # records (nusim.constants) equals c only to 2e-10
    massless = RelicBackground(masses_eV=(0.0, 0.0, 0.0))
    assert massless.flux() == pytest.approx(massless.number_density_per_cm3() * c_cm_s,
                                            rel=1e-9, abs=0)
    assert rb.mean_speed(1) == 1.0
    # non-relativistic ⟨v⟩ → (7π⁴/120)/(3ζ(3)/2) T/m (leading order; the next term is
    # O((T/m)²) ≈ 1e-3 relative for ν3, m/T = 299)
    t = units.kelvin_to_eV(rb.temperature_K)
    nr = 7 * math.pi**4 / 120 / (1.5 * 1.2020569031595942) * t / rb.masses_eV[2]
    assert rb.mean_speed(3) == pytest.approx(nr, rel=2e-3, abs=0)
    # the spectrum in total energy integrates to the flux; one mass at a time (support
    # [m, √(m² + (50T)²)], occupation tail e^{−50}), tolerance: quadrature
    for m in rb.masses_eV:
        one = RelicBackground(masses_eV=(m, m, m))
        integral = quad(lambda e, b=one: b.spectrum(e), m * 1e-6,
                        math.hypot(m, 50 * t) * 1e-6, epsabs=0.0, epsrel=1e-11, limit=400)[0]
        assert integral == pytest.approx(one.flux(), rel=QUAD_RTOL, abs=0)
    # flavours add up to the total (unitarity; round-off) and, for equal masses, ν_e + ν̄_e
    # is exactly one third (Σ_i |U_ei|² = 1)
    parts = [rb.flux(flavour=f) for f in ("nu_e", "nubar_e", "nu_x", "nubar_x")]
    assert sum(parts) == pytest.approx(rb.flux(), rel=1e-14, abs=0)
    assert (massless.flux("nu_e") + massless.flux("nubar_e")) / massless.flux() \
        == pytest.approx(1 / 3, rel=1e-14, abs=0)
    assert rb.lines() == []


def test_isotropic_has_no_direction():
    rb = RelicBackground()
    assert rb.direction() is None
    assert rb.direction(time_utc="2025-01-01T00:00:00") is None
    with pytest.raises(ValueError, match="cosmic neutrino background is isotropic"):
        rb.angular_profile()


def test_describe():
    d = RelicBackground().describe()
    assert d["mass_choice"].startswith("normal ordering")
    assert "Fixsen" in d["cite"]["temperature"]
    assert "NuFIT 5.2" in d["cite"]["oscillation parameters"]


def test_errors():
    with pytest.raises(ValueError, match="masses_eV must be three masses"):
        RelicBackground(masses_eV=(0.0, 0.01))
    with pytest.raises(ValueError, match="masses_eV must be non-negative"):
        RelicBackground(masses_eV=(-0.1, 0.0, 0.05))
    with pytest.raises(ValueError, match="nature='weyl' is not one of 'dirac', 'majorana'"):
        RelicBackground(nature="weyl")
    with pytest.raises(ValueError, match="temperature_K must be positive"):
        RelicBackground(temperature_K=0.0)
    with pytest.raises(ValueError, match="r_m must be positive"):
        RelicBackground().potential_per_g1g2(0.0)
    with pytest.raises(ValueError, match="eigenstate=4 is not one of 1, 2, 3"):
        RelicBackground().potential_per_g1g2(1.0, eigenstate=4)
    with pytest.raises(ValueError, match="flavour='nu_tau' is not one of"):
        RelicBackground().flux(flavour="nu_tau")
    with pytest.raises(ValueError, match="unknown argument.*distance_m"):
        RelicBackground().spectrum(1e-10, distance_m=1.0)
