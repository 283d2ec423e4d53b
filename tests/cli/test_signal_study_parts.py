"""The pieces of the neutrino-signal studies that need no Monte Carlo: harmonic fits with replica
errors, template projections, [[beams]] validation, the dipole of the Sun-direction basis, and
the table-4 and solar-EP numbers."""

import math
from pathlib import Path

import numpy as np
import pytest

from nusim.errors import ConfigError
from nusim.studies import beam_specs, experiments, harmonics


def test_harmonic_fit_recovers_a_known_curve_with_honest_errors():
    # y = 2 + 3 cos(x − 40°) + 0.5 cos(2x − 100°), R = 400 replicas with a common offset noise
    # (perfectly correlated across points, as with common random numbers) plus small white noise
    rng = np.random.default_rng(1)
    x = np.radians(np.arange(0, 360, 45.0))
    truth = 2 + 3 * np.cos(x - np.radians(40)) + 0.5 * np.cos(2 * x - np.radians(100))
    curves = truth + rng.normal(0, 1.0, (400, 1)) + rng.normal(0, 0.05, (400, x.size))
    rows = harmonics.harmonic_table(x, curves, [1, 2], unit="N m", n_samples=1, replicas=400,
                                    seed=0)
    a1, a2 = rows[0]["amplitude"], rows[1]["amplitude"]
    # the common offset cancels in n ≥ 1: errors ~0.05·√(2/8)/√400 ≈ 1.3e-3, not ~0.05
    assert a1.error < 3e-3 and a2.error < 3e-3
    assert abs(a1.value - 3.0) < 4 * a1.error + 1e-3     # 4σ, plus the 1e-3 bias of |c|
    assert abs(a2.value - 0.5) < 4 * a2.error + 1e-3
    assert rows[0]["phase_deg"] == pytest.approx(40.0, abs=0.5)
    assert rows[1]["phase_deg"] == pytest.approx(100.0, abs=1.0)
    # treating the same points as independent (pointwise errors) would overstate the error
    m, s = curves.mean(0), curves.std(0, ddof=1) / 20
    ind = harmonics.harmonic_table(x, m, [1], unit="N m", n_samples=1, replicas=400, seed=0,
                                   errors=s)
    assert ind[0]["amplitude"].error > 5 * a1.error


def test_template_projection_is_exact_on_noiseless_templates():
    t = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    t1, t2 = np.sin(t) * 0.7, np.cos(t) * 0.7
    y = 0.3 + 1.5 * t1 - 0.25 * t2
    reps = np.vstack([y + 1e-9 * k for k in range(4)])
    co = harmonics.template_projection([t1, t2], reps, unit="N m", n_samples=1, replicas=4,
                                       seed=0, names=["a", "b"])
    assert co["a"].value == pytest.approx(1.5, rel=1e-9, abs=0)
    assert co["b"].value == pytest.approx(-0.25, rel=1e-9, abs=0)


def test_sun_direction_limit_is_eta_times_solar_gravity():
    # η ≤ 2.1e-13 toward the Sun ↔ ≈ 1.25e-15 m s⁻² (the number, checked here):
    # g_⊙ = GM_⊙/au² = 5.93e-3 m s⁻²
    g = experiments.SUN_GRAVITY_AT_1AU_M_S2
    assert g == pytest.approx(5.930e-3, rel=1e-3, abs=0)
    assert experiments.SOLAR_EP_LIMITS["sun-direction-2026"].limit_m_s2 == pytest.approx(
        1.25e-15, rel=0.01, abs=0)
    assert experiments.SOLAR_EP_LIMITS["fixed-direction-2008"].limit_m_s2 == 8.8e-15
    # table 4 of the founding paper
    assert experiments.TABLE_4["washington-1999"].delta_v_over_v == 3.0e-9
    assert experiments.orders_of_magnitude(3e-12, 3e-9) == pytest.approx(3.0, abs=1e-12)


def _doc(**reactor):
    base = {"source": "reactor", "thermal_power_GW": 2.9, "distance_m": 10.0,
            "direction": [-1.0, 0.0, 0.0]}
    base.update(reactor)
    return {"beams": [base]}


@pytest.mark.parametrize(("change", "match"), [
    ({"source": "pulsar"}, r"beams\[0\]\.source: unknown source 'pulsar'"),
    ({"thermal_power_GW": 0.0}, r"beams\[0\]\.thermal_power_GW: must be > 0"),
    ({"position_m": [1.0, 0.0, 0.0]}, r"beams\[0\]\.position_m: give either position_m"),
    ({"direction": [0.0, 0.0, 0.0]}, r"beams\[0\]\.direction: must be a non-zero direction"),
    ({"core_radius_m": 1500.0, "core_height_m": 3.0}, r"core_radius_m: 1500.0 m is not a "
                                                      r"reactor core"),
    ({"core_radius_m": 1.5}, r"give both core_radius_m and core_height_m"),
    ({"colour": "blue"}, r"beams\[0\]\.colour: unknown key"),
])
def test_beam_spec_errors_name_the_field(change, match):
    with pytest.raises(ConfigError, match=match):
        beam_specs.parse_beams(_doc(**change), "study.toml")


def test_reactor_spec_position_and_sun_needs_a_site():
    (spec,) = beam_specs.parse_beams(_doc(direction=[-3.0, 0.0, -4.0]), "s.toml")
    pos = beam_specs.reactor_position(spec, np.array([0.0, 0.0, 1.0]))
    assert np.allclose(pos, [-6.0, 0.0, -7.0], atol=1e-12)
    (sun,) = beam_specs.parse_beams({"beams": [{"source": "sun"}]}, "s.toml")
    with pytest.raises(ConfigError, match=r"needs the apparatus' \[site\]"):
        beam_specs.make_sun(sun, {}, "s.toml")


def test_dipole_angle_follows_the_site_azimuth():
    from nusim.geometry import load_apparatus
    from nusim.studies.day_modulation import dipole

    app = load_apparatus(Path(__file__).parents[2] / "geometries" / "example-torsion-balance.toml")
    theta, k = dipole(app)
    # mass-east (+x) minus mass-west: the lab x axis, at compass bearing 0 + 90° (East);
    # θ counts from North towards West: 270°
    assert theta == pytest.approx(270.0, abs=1e-9)
    m = app.bodies["mass-east"].mass_kg
    assert k == pytest.approx(m * 0.03, rel=1e-9, abs=0)
    assert math.isfinite(theta)


def test_sun_basis_recovers_a_known_acceleration_toward_the_sun():
    # a differential acceleration Δa of the first dipole body toward the Sun: its torque about
    # an upward fibre is τ_z = m ρ (d̂ × Δa ŝ)_z with d̂ = (sin β, cos β) in (East, North), β the
    # dipole's compass bearing, and ŝ's horizontal part cos(alt)(sin az, cos az). Projected on
    # the study's basis with θ = −β, the in-phase coefficient is +K Δa, the quadrature 0.
    from nusim.studies.day_modulation import sun_basis

    rng = np.random.default_rng(4)
    alt = rng.uniform(-60, 70, 48)
    az = rng.uniform(0, 360, 48)
    k_dela, beta = 2.5e-3 * 1e-14, 37.0
    d = np.array([np.sin(np.radians(beta)), np.cos(np.radians(beta))])
    s_e = np.cos(np.radians(alt)) * np.sin(np.radians(az))
    s_n = np.cos(np.radians(alt)) * np.cos(np.radians(az))
    tau = k_dela * (d[0] * s_n - d[1] * s_e)
    t1, t2 = sun_basis(alt, az, -beta)
    reps = np.vstack([tau * (1 + 1e-12 * i) for i in range(4)])
    co = harmonics.template_projection([t1, t2], reps, unit="N m", n_samples=1, replicas=4,
                                       seed=0, names=["in", "quad"])
    assert co["in"].value == pytest.approx(k_dela, rel=1e-9, abs=0)
    assert abs(co["quad"].value) < 1e-9 * k_dela
    # a downward fibre sees the opposite torque
    t1d, _ = sun_basis(alt, az, -beta, fibre_up=-1.0)
    assert np.allclose(t1d, -t1, rtol=0, atol=1e-15)


def test_a_constant_curve_has_exactly_zero_harmonics():
    # the self-torque does not depend on the attractor angle (same seed at every angle): its
    # replica curves are constant, and the pseudo-inverse's rounding must not look significant
    x = np.radians(np.arange(0, 360, 45.0))
    reps = np.outer(np.array([1.1, 0.9, 1.05, 0.95]) * 3e-46, np.ones(x.size))
    rows = harmonics.harmonic_table(x, reps, [1, 2], unit="N m", n_samples=1, replicas=4,
                                    seed=0)
    for r in rows:
        assert r["amplitude"].value == 0.0 and r["amplitude"].exact_zero_reason is not None


def test_phase_error_carries_the_systematics():
    """Replicas identical up to tiny noise (common random numbers) but each point biased by up
    to s (a step bias): the phase error must reflect s, not the replica scatter. For a curve
    A cos(x) with per-point bias s over n points, the quadrature coefficient can shift by
    Σ_k |A⁺_jk| s (≈ s·(2/n)Σ|sin x_k| ≈ 1.3 s), so the phase error is ≳ s/A rad; here
    s/A = 0.1 rad → ≥ 3° (a 2× margin below the expected ~7°)."""
    x = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    base = np.cos(x)
    rng = np.random.default_rng(3)
    reps = base + 1e-9 * rng.normal(size=(8, x.size))
    rows = harmonics.harmonic_table(x, reps, [1], unit="N m", n_samples=1, replicas=8, seed=0,
                                    systematics=np.full(x.size, 0.1))
    assert rows[0]["phase_err_deg"] > 3.0
    assert abs(rows[0]["phase_deg"]) < 1e-3
    plain = harmonics.harmonic_table(x, reps, [1], unit="N m", n_samples=1, replicas=8, seed=0)
    assert plain[0]["phase_err_deg"] < 1e-3
