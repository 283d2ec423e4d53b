"""The source-level smeared pair potential: SI boundary, method choice, physical sources."""

import math

import numpy as np
import pytest

from nusim import units
from nusim.physics import beam
from nusim.physics.directional import directional_potential_long_distance
from nusim.sources import Reactor, profiles
from nusim.sources.pair_potential import beam_spectrum, pair_potential


class LineSource:
    """A minimal CONVENTIONS.md source: one monochromatic line along +z, point profile."""

    energy_range_MeV = (0.0, 0.0)

    def __init__(self, energy_MeV, flux_per_cm2_s, profile=None):
        self.e, self.phi = energy_MeV, flux_per_cm2_s
        self.profile = profile or profiles.Point()

    def spectrum(self, energy_MeV, flavour=None, **where):
        return np.zeros_like(np.asarray(energy_MeV, float))

    def lines(self, flavour=None, **where):
        return [{"name": "line", "energy_MeV": self.e, "flux_per_cm2_s": self.phi,
                 "width_MeV": 0.0}]

    def direction(self, **where):
        return np.array([0.0, 0.0, 1.0])

    def angular_profile(self, **where):
        return self.profile


def test_point_line_source_is_eq_4_12_in_joules():
    # Monochromatic point source: the SI wrapper must equal eq. (4.12) × G_F², converted to J.
    src = LineSource(2.0, 5e13)
    alpha = np.array([0.0, 1e-7, 2e-7, 0.3, 2.0])
    r_m = 0.1
    pairs = r_m * np.column_stack([np.sin(alpha), 0 * alpha, np.cos(alpha)])
    got = pair_potential(src, pairs)
    ref = units.eV_to_J(units.G_F**2 * directional_potential_long_distance(
        units.m_to_inv_eV(r_m), alpha, units.MeV_to_eV(2.0), units.flux_per_cm2_s_to_eV3(5e13)))
    scale = abs(ref[0])
    # float64: phases E r ~ 1e12 rad carry ~1e-4 rad of round-off at α ~ 1
    assert np.all(np.abs(got - ref) <= scale * (1e-12 + 1e-15 * 2e12 * alpha**2 + 1e-4 * (alpha > 0.1)))


def test_gaussian_profile_method_choice_near_field_vs_exact():
    # σ = 0.01 rad at r = 10 cm: E r σ² ~ 1e8 ≫ 1 → near-field kernel; the exact paraxial path
    # (method="exact") must agree to O(1/(E r σ²)) + O(σ²) (paraxial) + the fit's ⟨1/E⟩ accuracy.
    e = np.linspace(0.01, 10, 3000)
    shape = e**2 * np.exp(-e)

    class Cont(LineSource):
        energy_range_MeV = (0.01, 10.0)

        def spectrum(self, energy_MeV, flavour=None, **where):
            x = np.asarray(energy_MeV, float)
            return 1e13 * x**2 * np.exp(-x) / 2

        def lines(self, flavour=None, **where):
            return []

    src = Cont(1.0, 1.0, profiles.Gaussian(0.01))
    th = np.linspace(0, 0.03, 7)
    pairs = 0.1 * np.column_stack([np.sin(th), 0 * th, np.cos(th)])
    near = pair_potential(src, pairs, kernel="retarded")
    exact = pair_potential(src, pairs, kernel="retarded", method="exact")
    assert np.max(np.abs(near - exact)) <= 1e-3 * abs(near[0])
    assert shape.size == e.size  # (the shape above documents the spectrum used)


def test_reactor_pair_potential_finite_core_is_tiny_point_core_is_eq_5_3():
    # A point reactor core on the beam axis gives eq. (5.3) with the flux-weighted ⟨E⟩ (no
    # phase at α = 0); a 3 m core seen from 10 m washes the 1/r term out by many orders.
    pt = Reactor(2.9, position_m=(-10.0, 0.0, 0.0), antineutrinos_per_fission=7.1)
    where = {"point_m": np.zeros(3)}
    spec = beam_spectrum(pt, **where)
    pair = np.array([[0.1, 0.0, 0.0]])          # 10 cm downstream along the beam
    v_point = pair_potential(pt, pair, kernel="retarded", spectrum=spec, **where)[0]
    phi = spec.total_flux
    mean_e = spec.mean_energy
    eq53 = -2 * units.G_F**2 * phi * mean_e / (math.pi * units.m_to_inv_eV(0.1))
    assert v_point == pytest.approx(units.eV_to_J(eq53), rel=1e-9, abs=0)
    assert units.eV3_to_flux_per_cm2_s(phi) == pytest.approx(pt.flux(np.zeros(3)), rel=1e-6, abs=0)
    core = Reactor(2.9, position_m=(-10.0, 0.0, 0.0), antineutrinos_per_fission=7.1,
                   core_radius_m=1.5, core_height_m=3.0)
    v_core = pair_potential(core, pair, kernel="retarded", **where)[0]
    assert abs(v_core) < 1e-6 * abs(v_point)


def test_beam_spectrum_of_reactor_preserves_flux_and_mean_energy():
    r = Reactor(2.9, position_m=(-10.0, 0.0, 0.0))
    where = {"point_m": np.zeros(3)}
    spec = beam_spectrum(r, **where)
    assert units.eV3_to_flux_per_cm2_s(spec.total_flux) == pytest.approx(r.flux(np.zeros(3)),
                                                                         rel=1e-6, abs=0)
    # the fit smooths the spectrum's edges: ⟨E⟩ within 0.5 %
    assert spec.mean_energy / 1e6 == pytest.approx(r.mean_energy_MeV(np.zeros(3)), rel=5e-3, abs=0)
    assert isinstance(spec, beam.BeamSpectrum) and spec.fit_residual < 1e-2
