"""The names later issues and users rely on exist with the documented signatures."""

import inspect

import nusim
from nusim.physics import directional_integral, isotropic_potential, vacuum_potential


def test_required_physics_names_and_signatures():
    sig = inspect.signature(directional_integral)
    assert list(sig.parameters)[:4] == ["ell", "alpha", "method", "kernel"]
    assert sig.parameters["method"].default == "exact"
    assert sig.parameters["kernel"].default == "symmetric"
    sig = inspect.signature(isotropic_potential)
    assert list(sig.parameters) == ["r", "T", "m_nu", "mu", "distribution", "nature"]
    assert (sig.parameters["mu"].default, sig.parameters["distribution"].default,
            sig.parameters["nature"].default) == (0.0, "FD", "dirac")
    assert list(inspect.signature(vacuum_potential).parameters) == ["r"]
    assert nusim.__version__


def test_vacuum_potential_eq_2_2():
    # eq. (2.2): V0/(G_F² g1 g2) = 1/(4π³ r⁵), exact
    assert vacuum_potential(2.0) == 1 / (4 * 3.141592653589793**3 * 32)
