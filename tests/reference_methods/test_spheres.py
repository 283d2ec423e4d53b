"""The two-coaxial-spheres reference of the design note (§5): limits, convergence, and agreement
with brute-force Monte Carlo pair sums of the engine's beam kernel where those converge."""

import math

import pytest

from nusim import units
from nusim.engine import Beam, interact
from nusim.geometry import bodies, materials, shapes
from nusim.physics import beam
from nusim.reference_methods.spheres import coaxial_spheres_energy, lens_volume


def test_lens_volume_limits():
    a = 0.7
    assert lens_volume(0.0, a) == pytest.approx(4 * math.pi * a**3 / 3, rel=1e-15, abs=0)
    assert lens_volume(2 * a, a) == 0.0
    # independent: the lens is two spherical caps of height h = a − d/2: 2·πh²(3a − h)/3
    d = 0.5
    h = a - d / 2
    assert lens_volume(d, a) == pytest.approx(2 * math.pi * h**2 * (3 * a - h) / 3, rel=1e-14, abs=0)


def test_small_fresnel_number_is_newtonian():
    # E → 0: the kernel is −1/r and the shell theorem gives exactly −M²/D
    u, naive = coaxial_spheres_energy(1.0, 10.0, 1e-4, panels_per_phase=2.0, nodes=24)
    assert u / naive == pytest.approx(1.0, abs=1e-6)   # quadrature accuracy at the lens edges


def test_quadrature_converged_and_suppression_grows_with_fresnel_number():
    ratios = []
    for e in (0.3, 3.0, 30.0):        # N_F = E a²/D = 0.03, 0.3, 3 (a = 1, D = 10)
        lo = coaxial_spheres_energy(1.0, 10.0, e)
        hi = coaxial_spheres_energy(1.0, 10.0, e, panels_per_phase=2.0, nodes=24)
        assert lo[0] == pytest.approx(hi[0], rel=1e-5, abs=1e-6 * abs(hi[1]))
        ratios.append(hi[0] / hi[1])
    assert ratios[0] > ratios[1] > ratios[2] > 0
    assert ratios[0] == pytest.approx(1.0, abs=1e-3)     # N_F = 0.03: the 1/r law holds


@pytest.mark.parametrize("n_f", [0.03, 0.3])
def test_brute_force_pair_sums_agree_where_they_converge(n_f):
    # Spheres a = 1 cm, D = 5 cm in a monochromatic beam along their axis, E = N_F D/a²; the
    # engine's Beam kernel summed over Sobol samples (8 replicas) against the 2-D quadrature,
    # as ratios to the naive α = 0 energy; agreement within 4σ of the replica error + 1e-5.
    a, dist = 0.01, 0.05
    e_per_m = n_f * dist / a**2
    energy_ev = e_per_m * units.HBARC_EV_M
    spec = beam.line_spectrum(energy_ev, 1.0)
    mat = materials.material("copper")
    s1 = bodies.Body("up", "attractor", mat, shapes.Sphere(a))
    s2 = bodies.Body("down", "pendulum", mat, shapes.Sphere(a),
                     bodies.Pose(position_m=(0.0, 0.0, dist)))
    res = interact([s1], [s2], Beam(spec, (0.0, 0.0, 1.0), "symmetric"), 2048, seed=4,
                   replicas=8, method="sobol", progress=False)
    q = mat.charges_per_kg.e * s1.mass_kg
    naive = units.eV_to_J(-units.G_F**2 * 1.0 * energy_ev / (math.pi * units.m_to_inv_eV(dist))
                          * q * q)
    ref_u, ref_naive = coaxial_spheres_energy(a, dist, e_per_m, panels_per_phase=2.0, nodes=24)
    assert res.energy_J / naive == pytest.approx(ref_u / ref_naive,
                                                 abs=4 * res.energy_err_J / abs(naive) + 1e-5)
