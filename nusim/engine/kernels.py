"""Numba pair kernels. Each has a numpy twin in ``nusim.physics`` that the tests compare it with.

Kernels take flat float64 arrays and write into a preallocated output; the public wrappers in
``nusim.physics`` broadcast, check arguments and reshape, so no numba error reaches a user.
"""

import math

import numba as nb
import numpy as np

_PI2 = math.pi**2


@nb.njit(parallel=True, cache=True, fastmath=False)
def directional_integral_exact(ell, alpha, out):
    """I(ℓ, α), closed form of eq. (4.8) (design note §1); twin of
    ``nusim.physics.directional._exact_symmetric``. ℓ [1] > 0, α [rad] in [0, π]; out[i] [1]."""
    for i in nb.prange(ell.size):
        l = ell[i]
        h = 0.5 * alpha[i]
        sh = math.sin(h)
        ch = math.cos(h)
        s2 = sh * sh
        c2 = ch * ch
        c = c2 - s2
        p1 = 2.0 * l * s2
        p2 = 2.0 * l * c2
        # cos ℓ sin(cℓ) = [sin((1+c)ℓ) − sin((1−c)ℓ)]/2: two phases instead of four
        out[i] = (_PI2 / l) * (c2 * math.cos(p1) + s2 * math.cos(p2)
                               + (0.5 * c / l) * (math.sin(p2) - math.sin(p1)))


@nb.njit(parallel=True, cache=True, fastmath=False)
def directional_integral_retarded(ell, alpha, out):
    """I_R(ℓ, α), retarded kernel of design note §7; twin of
    ``nusim.physics.directional._exact_retarded``. ℓ [1] > 0, α [rad] in [0, π]; out[i] [1]."""
    for i in nb.prange(ell.size):
        l = ell[i]
        h = 0.5 * alpha[i]
        sh = math.sin(h)
        ch = math.cos(h)
        s2 = sh * sh
        c2 = ch * ch
        phase = 2.0 * l * s2
        out[i] = (_PI2 / l) * (2.0 * c2 * math.cos(phase) - ((c2 - s2) / l) * math.sin(phase))


def run_flat(kernel, ell, alpha):
    """Call ``kernel`` on C-contiguous float64 copies of broadcast ``ell`` and ``alpha``."""
    ell_b, alpha_b = np.broadcast_arrays(np.asarray(ell, float), np.asarray(alpha, float))
    shape = ell_b.shape
    ell_f = np.ascontiguousarray(ell_b).ravel()
    alpha_f = np.ascontiguousarray(alpha_b).ravel()
    out = np.empty(ell_f.size)
    kernel(ell_f, alpha_f, out)
    return out.reshape(shape)
