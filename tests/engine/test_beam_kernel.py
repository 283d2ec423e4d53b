"""The directional-beam kernel in the pair engine: energy = the physics core's beam potential,
force = −∇ of it (finite differences), non-reciprocity of the retarded kernel."""


import numpy as np
import pytest

from nusim import units
from nusim.engine import Beam, pair_sums
from nusim.physics import beam

E = 2e6                                    # eV
HBARC = units.HBARC_EV_M                   # m per eV⁻¹
K = np.array([0.0, 0.6, 0.8])


def _spec():
    e = np.linspace(1e5, 2e7, 2000)
    shape = e**2 * np.exp(-e / 2e6)
    return beam.fit_spectrum(e, 1e-12 * shape / np.trapezoid(shape, e))


@pytest.mark.parametrize("kind", ["symmetric", "retarded"])
def test_energy_is_physics_beam_potential(kind):
    spec = _spec()
    rng = np.random.default_rng(2)
    src = rng.normal(size=(5, 3)) * 1e-11
    tgt = rng.normal(size=(7, 3)) * 1e-11 + 3e-11
    ws, wt = rng.uniform(0.5, 2, 5), rng.uniform(0.5, 2, 7)
    energy, _, _ = pair_sums(src, ws, tgt, wt, Beam(spec, tuple(K), kind))
    d = (tgt[:, None, :] - src[None, :, :]).reshape(-1, 3) / HBARC
    v = beam.point_source_potential(d, K, spec, kind).reshape(7, 5)
    ref = units.eV_to_J(units.G_F**2) * (wt @ v @ ws)
    assert energy == pytest.approx(ref, rel=1e-12, abs=0)


@pytest.mark.parametrize("kind", ["symmetric", "retarded"])
def test_force_is_minus_gradient(kind):
    # central differences of the energy in the target position, step 1e-17 m ≪ 1/E ~ 1e-13 m
    spec = _spec()
    src, ws = np.array([[0.0, 0.0, 0.0]]), np.ones(1)
    tgt, wt = np.array([[1.3e-12, 2.1e-12, 4.0e-12]]), np.ones(1)
    kern = Beam(spec, tuple(K), kind)
    _, force, _ = pair_sums(src, ws, tgt, wt, kern)
    h = 1e-17
    grad = []
    for a in range(3):
        dp, dm = tgt.copy(), tgt.copy()
        dp[0, a] += h
        dm[0, a] -= h
        grad.append((pair_sums(src, ws, dp, wt, kern)[0] - pair_sums(src, ws, dm, wt, kern)[0])
                    / (2 * h))
    # truncation O((hE/ħc)²) ~ 1e-8 and round-off ~ 1e-16 |V|/h relative → 1e-5
    assert np.allclose(force, -np.array(grad), rtol=1e-5, atol=1e-5 * np.abs(force).max())


def test_retarded_kernel_is_not_reciprocal_symmetric_is():
    spec = _spec()
    a, b = np.array([[0.0, 0.0, 0.0]]), K[None, :] * 5e-12 + np.array([[1e-14, 0.0, 0.0]])
    one = np.ones(1)
    for kind, reciprocal in (("symmetric", True), ("retarded", False)):
        kern = Beam(spec, tuple(K), kind)
        _, f_on_b, _ = pair_sums(a, one, b, one, kern)
        _, f_on_a, _ = pair_sums(b, one, a, one, kern)
        assert np.allclose(f_on_a, -f_on_b, rtol=1e-10, atol=0) == reciprocal
    # the wake: the downstream body feels the retarded force, the upstream one almost none
    kern = Beam(spec, tuple(K), "retarded")
    down = pair_sums(a, one, b, one, kern)[0]
    up = pair_sums(b, one, a, one, kern)[0]
    assert abs(up) < 1e-6 * abs(down)


def test_beam_kernel_errors():
    with pytest.raises(ValueError, match="kind='wake' is not"):
        Beam(_spec(), tuple(K), "wake")
