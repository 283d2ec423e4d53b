"""Vacuum two-neutrino exchange potential (massless neutrinos), natural units.

References
----------
[1] M. Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082.
"""

import math

from nusim.physics._checks import positive


def vacuum_potential(r):
    """Spin-independent vacuum neutrino-pair potential per G_F² g₁g₂: 1/(4π³ r⁵).

    Implements eq. (2.2) of [1] (massless-neutrino limit, 1/m_χ ≪ r ≪ 1/m_ν).

    Parameters
    ----------
    r : array_like, separation [eV⁻¹], > 0

    Returns
    -------
    ndarray, V₀/(G_F² g₁g₂) [eV⁵]; positive (repulsive for g₁g₂ > 0)
    """
    r = positive("r", r, "vacuum_potential", unit="eV^-1")
    return 1.0 / (4 * math.pi**3 * r**5)
