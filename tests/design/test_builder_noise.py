"""The design builder (bodies, masses, clearances) and the thermal-noise model, in closed form."""

import math

import numpy as np
import pytest

from nusim.design import builder, noise
from nusim.design import space as sp


def test_bodies_match_the_parameters():
    d = {**sp.DEFAULTS, "n_plates": 3, "tilt_deg": 5.0, "offset_y_m": 0.004}
    pend = builder.pendulum_bodies(d)
    att = builder.attractor_bodies(d, "in")
    assert [b.name for b in pend] == ["mass-north", "mass-south"]
    assert [b.role for b in att] == ["attractor"] * 3
    # the nearest plate's centre: −(t_p/2 + gap + t_a/2) along x, L + offset across
    c0 = att[0].centre_of_mass_m
    assert c0 == pytest.approx([-(0.01 + 0.05 + 0.01), 0.044, 0.0], abs=1e-12)
    # plates one pitch (t_a + spacing) apart, upstream
    assert att[1].centre_of_mass_m[0] - c0[0] == pytest.approx(-(0.02 + 0.005), abs=1e-12)
    # "out" is the 180° turn about the fibre (z through the origin)
    out = builder.attractor_bodies(d, "out")
    for a, b in zip(att, out, strict=True):
        ca, cb = a.centre_of_mass_m, b.centre_of_mass_m
        assert cb == pytest.approx([-ca[0], -ca[1], ca[2]], abs=1e-12)


def test_masses_and_moment_of_inertia_in_closed_form():
    d = dict(sp.DEFAULTS)
    rho_cu = 8960.0                                    # CRC, the copper preset
    m1 = rho_cu * 0.02**3
    assert builder.pendulum_mass_kg(d) == pytest.approx(2 * m1, rel=1e-12)
    # two 2 cm cubes at 4 cm: 2 m (a² + b²)/12 + 2 m L²
    i_expected = 2 * m1 * (2 * 0.02**2) / 12 + 2 * m1 * 0.04**2
    assert builder.moment_of_inertia_kg_m2(d) == pytest.approx(i_expected, rel=1e-12)
    assert builder.attractor_mass_kg({**d, "n_plates": 2}) == pytest.approx(
        2 * 19250.0 * 0.02 * 0.04 * 0.04, rel=1e-12)


def test_clearances_with_tilt():
    d = {**sp.DEFAULTS, "tilt_deg": 10.0}
    t, w = d["attractor_thickness_m"], d["attractor_width_m"]
    c, s = math.cos(math.radians(10)), math.sin(math.radians(10))
    # the tilted plate reaches (t/2)cos + (w/2)sin − t/2 closer to the mass
    expected = d["gap_m"] - (t / 2 * c + w / 2 * s - t / 2)
    assert builder.clearances_m(d)["gap"] == pytest.approx(expected, rel=1e-12)
    d2 = {**d, "n_plates": 2, "plate_spacing_m": 0.0}
    assert builder.clearances_m(d2)["plates"] < 0       # tilted plates without spacing collide
    assert any("overlap" in v for v in builder.violations(d2, sp.CONSTRAINT_DEFAULTS))


def test_every_constraint_is_reported_with_its_name():
    c = sp.CONSTRAINT_DEFAULTS
    bad = {**sp.DEFAULTS, "gap_m": 0.001, "pendulum_thickness_m": 0.0005,
           "pendulum_height_m": 1.5, "lever_arm_m": 0.005}
    text = " | ".join(builder.violations(bad, c))
    for name in ("max_pendulum_mass_kg", "min_gap_m", "min_thickness_m", "min_lever_arm_m",
                 "min_turntable_clearance_m"):
        assert name in text
    assert builder.violations(dict(sp.DEFAULTS), c) == []


def test_thermal_noise_in_closed_form():
    m = noise.NoiseModel()
    inertia = 2.4e-4                                   # kg m²
    kappa = inertia * (2 * math.pi / 600.0) ** 2
    kb = 1.380649e-23                                  # J/K, exact in the 2019 SI
    s_tau = 4 * kb * 295.0 * kappa / ((2 * math.pi / 1200.0) * 5000.0)
    assert noise.torque_noise_psd(inertia, m) == pytest.approx(s_tau, rel=1e-9)
    assert noise.amplitude_noise_Nm(inertia, m) == pytest.approx(math.sqrt(s_tau / 1e6),
                                                                 rel=1e-9)
    # σ_A ∝ √I at a fixed free period, and ∝ 1/√t
    assert noise.amplitude_noise_Nm(4 * inertia, m) == pytest.approx(
        2 * noise.amplitude_noise_Nm(inertia, m), rel=1e-12)
    assert noise.square_wave_fundamental(-1.0) == pytest.approx(2 / math.pi, rel=1e-15)
    with pytest.raises(ValueError, match="quality_factor"):
        noise.NoiseModel(quality_factor=0.0)


def test_demodulated_amplitude_error_matches_white_noise_simulation():
    # eq. (2): σ_A = √(S/t) for one quadrature of white noise of one-sided density S
    rng = np.random.default_rng(3)
    s, dt, n, f = 2.0, 0.5, 4000, 0.05
    t_total = n * dt
    tt = np.arange(n) * dt
    a = [(2 / t_total) * np.sum(rng.normal(0, math.sqrt(s / (2 * dt)), n)
                                * np.cos(2 * math.pi * f * tt)) * dt for _ in range(800)]
    # 800 draws: the standard deviation is known to ~2.5 %; allow 4σ
    assert np.std(a) == pytest.approx(math.sqrt(s / t_total), rel=0.1)
