"""Design-note §4 disk references: closed forms vs direct quadrature, limits."""

import math

import numpy as np
import pytest
import scipy.integrate

from nusim.reference_methods.disks import (coaxial_disks_energy, coaxial_disks_ratio_paraxial,
                                           disk_overlap_area, point_disk_integral)


@pytest.mark.parametrize(("a", "z", "e"), [(1.0, 10.0, 3.0), (0.5, 2.0, 40.0), (1.0, 1e4, 1e5)])
def test_point_disk_closed_form_vs_quadrature(a, z, e):
    f = lambda s: 2 * math.pi * s * math.cos(e * s * s / (math.hypot(z, s) + z)) / math.hypot(z, s)  # noqa: E501,E731
    direct = scipy.integrate.quad(f, 0, a, limit=500, epsabs=0, epsrel=1e-12)[0]
    assert point_disk_integral(a, z, e) == pytest.approx(direct, rel=1e-9, abs=1e-12 * a * a / z)
    # paraxial: ratio to naive πa²/z is sin(N_F/2)/(N_F/2), N_F = E a²/z (relative O(a²/z²))
    nf = e * a * a / z
    naive = math.pi * a * a / z
    assert point_disk_integral(a, z, e) / naive == pytest.approx(
        math.sin(nf / 2) / (nf / 2), abs=2 * nf * (a / z) ** 2 + 1e-9)


def test_overlap_area_limits():
    assert disk_overlap_area(0.0, 2.0) == pytest.approx(math.pi * 4.0, rel=1e-15, abs=0)
    assert disk_overlap_area(4.0, 2.0) == 0.0
    # Monte Carlo-free check: dA/dρ = −2√(a² − ρ²/4) (the chord length), by central differences
    a, rho, h = 1.0, 0.7, 1e-6
    slope = (disk_overlap_area(rho + h, a) - disk_overlap_area(rho - h, a)) / (2 * h)
    assert slope == pytest.approx(-2 * math.sqrt(a * a - rho * rho / 4), rel=1e-8, abs=0)


@pytest.mark.parametrize("nf", [0.3, 3.0, 30.0])
def test_disk_disk_exact_vs_paraxial_hankel_formula(nf):
    # Two independent evaluations: exact 1-D quadrature over the centre offset (paraxial
    # corrections O((a/z)²) = 1e-6 at z = 1000 a) against the Hankel-space formula.
    a, z = 1.0, 1000.0
    u, naive = coaxial_disks_energy(a, z, nf * z / a**2)
    assert u / naive == pytest.approx(coaxial_disks_ratio_paraxial(nf), rel=1e-4, abs=1e-6)


def test_disk_disk_limits():
    # N_F → 0: the naive 1/r law; N_F ≫ 1: (2/√π) N_F^{-3/2} from the coincident sharp edges
    assert coaxial_disks_ratio_paraxial(0.03) == pytest.approx(1.0, abs=1e-3)
    for nf, tol in ((30.0, 1e-2), (300.0, 1e-3)):
        assert coaxial_disks_ratio_paraxial(nf) == pytest.approx(
            2 / math.sqrt(math.pi) * nf**-1.5, rel=tol, abs=0)
    assert np.isfinite(coaxial_disks_ratio_paraxial(3.0))
