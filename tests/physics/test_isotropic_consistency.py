"""Below eq. (4.10): the directional potential averaged over directions is the isotropic one.

A flux Φ spread uniformly over directions with energy density g(E) (∫g = 1) is the isotropic
occupation n₊ + n₋ = 2π² Φ g(κ)/κ² (so that ∫ d³k/(2π)³ (n₊ + n₋) = Φ). Eq. (2.8) with this
occupation (general numerics of nusim.physics.isotropic) must equal eq. (4.5) averaged over cos α
and E: −(Φ/π³) ∫ dE g(E) E² ½∫ d(cos α) I(E r, α), computed here from the closed form of I.
"""

import math

import numpy as np
import pytest

from nusim.physics import directional_integral
from nusim.physics.isotropic import general_isotropic_potential

E0, WIDTH, FLUX = 1.0, 0.05, 1.0  # eV, eV, eV³: a narrow line; the check is scale-free


def _g(e):
    return np.exp(-0.5 * ((e - E0) / WIDTH) ** 2) / (math.sqrt(2 * math.pi) * WIDTH)


@pytest.mark.parametrize("r", [0.4, 2.0, 7.0, 25.0])  # eV⁻¹: ℓ = E r from 0.4 to 25
def test_direction_average_of_eq_4_5_is_eq_2_8(r):
    # g(κ) < e^{-200} at κ = 0, so the occupation is set to 0 there instead of 0/0
    occupation = lambda k: 2 * math.pi**2 * FLUX * _g(k) / k**2 if k > 0 else 0.0  # noqa: E731
    iso = general_isotropic_potential(r, occupation, m_nu=0.0, kappa_scale=E0)
    # Gauss–Legendre: 64 nodes in cos α (entire integrand of bandwidth ≤ 2ℓ = 50) and 80 in E
    # over E0 ± 8 WIDTH (Gaussian tails beyond are < 1e-14): both rules converged to round-off.
    xc, wc = np.polynomial.legendre.leggauss(64)
    xe, we = np.polynomial.legendre.leggauss(80)
    e = E0 + 8 * WIDTH * xe
    we = we * 8 * WIDTH
    avg_i = 0.5 * directional_integral(e[:, None] * r, np.arccos(xc)[None, :]) @ wc
    directional = -(FLUX / math.pi**3) * np.sum(we * _g(e) * e**2 * avg_i)
    assert directional == pytest.approx(float(iso), rel=1e-8, abs=0)
