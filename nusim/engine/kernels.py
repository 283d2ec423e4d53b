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


#: a spectral component is dropped from χ(t) once σ t exceeds this (e^{−x²/2} < 1e-16)
SIGMA_T_CUT = 8.6


@nb.njit(cache=True, fastmath=False)
def _re_chi(t, flux, mean, sigma, sigma_min):
    """Re χ(t) = Σ Φ_k e^{−σ²t²/2} [μ cos μt − σ²t sin μt] [eV⁴]; twin of BeamSpectrum.chi."""
    acc = 0.0
    if t * sigma_min > SIGMA_T_CUT:      # every component already damped to < 1e-16
        return acc
    for k in range(flux.size):
        st = sigma[k] * t
        if st > SIGMA_T_CUT:
            continue
        ph = mean[k] * t
        acc += flux[k] * math.exp(-0.5 * st * st) * (mean[k] * math.cos(ph)
                                                      - sigma[k] * st * math.sin(ph))
    return acc


@nb.njit(parallel=True, cache=True, fastmath=False)
def beam_point_potential(r_vec, k_hat, flux, mean, sigma, retarded, out):
    """Long-distance beam potential per G_F² g₁g₂ [eV⁵] for pair vectors r_vec (n, 3) [eV⁻¹],
    direction k_hat (3,), Gaussian spectral components; twin of
    ``nusim.physics.beam.point_source_potential``."""
    sigma_min = sigma.min()
    for i in nb.prange(r_vec.shape[0]):
        x, y, z3 = r_vec[i, 0], r_vec[i, 1], r_vec[i, 2]
        r = math.sqrt(x * x + y * y + z3 * z3)
        z = x * k_hat[0] + y * k_hat[1] + z3 * k_hat[2]
        cx = y * k_hat[2] - z3 * k_hat[1]
        cy = z3 * k_hat[0] - x * k_hat[2]
        cz = x * k_hat[1] - y * k_hat[0]
        rho2 = cx * cx + cy * cy + cz * cz
        d_minus = rho2 / (r + z) if z > 0 else r - z
        cos_a = z / r
        fwd = _re_chi(d_minus, flux, mean, sigma, sigma_min)
        if retarded:
            out[i] = -(1.0 + cos_a) * fwd / (math.pi * r)
        else:
            d_plus = rho2 / (r - z) if z < 0 else r + z
            bwd = _re_chi(d_plus, flux, mean, sigma, sigma_min)
            out[i] = -(0.5 * (1.0 + cos_a) * fwd + 0.5 * (1.0 - cos_a) * bwd) / (math.pi * r)


@nb.njit(parallel=True, cache=True, fastmath=False)
def beam_gaussian_profile_near_field(r_vec, k_hat, sigma_rad, flux_inv_e, retarded, out):
    """Beam potential per G_F² g₁g₂ [eV⁵] for a Gaussian angular profile (σ per axis) in the
    regime E r σ² ≫ 1: (2/r³)Φ⟨1/E⟩∇²p(r̂) (retarded) or (1/r³)Φ⟨1/E⟩[∇²p(r̂) + ∇²p(−r̂)],
    ∇²p = p(θ²/σ⁴ − 2/σ²), p = e^{−θ²/2σ²}/(2πσ²); flux_inv_e = Φ⟨1/E⟩ [eV²]. Twin of
    ``nusim.physics.beam.smooth_profile_potential`` with ``gaussian_profile_laplacian``."""
    s2 = sigma_rad * sigma_rad
    norm = 1.0 / (2.0 * math.pi * s2)
    for i in nb.prange(r_vec.shape[0]):
        x, y, z3 = r_vec[i, 0], r_vec[i, 1], r_vec[i, 2]
        r = math.sqrt(x * x + y * y + z3 * z3)
        z = x * k_hat[0] + y * k_hat[1] + z3 * k_hat[2]
        cx = y * k_hat[2] - z3 * k_hat[1]
        cy = z3 * k_hat[0] - x * k_hat[2]
        cz = x * k_hat[1] - y * k_hat[0]
        sin_t = math.sqrt(cx * cx + cy * cy + cz * cz) / r
        th_f = math.atan2(sin_t, z / r)          # angle of r̂ from k̂₀
        lap_f = norm * math.exp(-0.5 * th_f * th_f / s2) * (th_f * th_f / (s2 * s2) - 2.0 / s2)
        scale = flux_inv_e / (r * r * r)
        if retarded:
            out[i] = 2.0 * scale * lap_f
        else:
            th_b = math.pi - th_f                  # angle of −r̂ from k̂₀
            lap_b = norm * math.exp(-0.5 * th_b * th_b / s2) * (th_b * th_b / (s2 * s2) - 2.0 / s2)
            out[i] = scale * (lap_f + lap_b)


# ---------------------------------------------------------------------------------------------
# Pair-sum kernels between two sample sets (geometry and engine issue). Twins: the numpy
# broadcast formulas ``numpy_terms`` of the kernel objects in ``nusim.engine.pairsum``.
#
# Layout: sources as separate contiguous x, y, z, w arrays (m,); targets as x, y, z (n,).
# Parallel over tiles of PAIR_TILE targets (each tile owns its slice of ``acc``: no races);
# inside a tile the loop over sources is outer and the loop over the tile's targets inner,
# so the inner loop has no reduction and vectorises (sqrt and division in SIMD) without
# fastmath; the sum over sources for each target runs in source order, so results do not
# depend on the thread count. error_model="numpy": r = 0 gives inf/nan instead of a Python
# exception inside the loop; each kernel returns the number of targets whose sums are not
# finite (coincident points), and the Python wrapper raises NumericsError.
#
# Outputs per target i (before the target weight): acc[0, i] = Σ_j w_j φ(r_ij) [J per unit
# target weight], acc[1:4, i] = −Σ_j w_j ∇_i φ(r_ij) [N per unit target weight], with
# d = x_i − x_j (from source to target).
# ---------------------------------------------------------------------------------------------

#: targets per parallel tile of the pair-sum kernels (fits L1 with the source stream)
PAIR_TILE = 64


@nb.njit(parallel=True, cache=True, fastmath=False, error_model="numpy")
def gravity_pair_sum(sx, sy, sz, sw, tx, ty, tz, params, acc):
    """Newtonian gravity φ = −G/r: acc[0, i] = −G Σ_j w_j/r_ij,
    acc[1:4, i] = −G Σ_j w_j d_ij/r_ij³. params = (G [m³ kg⁻¹ s⁻²],). Returns #non-finite."""
    g = params[0]
    n = tx.size
    m = sx.size
    ntiles = (n + PAIR_TILE - 1) // PAIR_TILE
    bad = 0
    for k in nb.prange(ntiles):
        i0 = k * PAIR_TILE
        i1 = min(i0 + PAIR_TILE, n)
        e = acc[0, i0:i1]
        fx = acc[1, i0:i1]
        fy = acc[2, i0:i1]
        fz = acc[3, i0:i1]
        xt = tx[i0:i1]
        yt = ty[i0:i1]
        zt = tz[i0:i1]
        nt = i1 - i0
        for i in range(nt):
            e[i] = 0.0
            fx[i] = 0.0
            fy[i] = 0.0
            fz[i] = 0.0
        for j in range(m):
            xs, ys, zs, w = sx[j], sy[j], sz[j], sw[j]
            for i in range(nt):
                dx = xt[i] - xs
                dy = yt[i] - ys
                dz = zt[i] - zs
                inv_r = 1.0 / math.sqrt(dx * dx + dy * dy + dz * dz)
                wi = w * inv_r
                c = wi * inv_r * inv_r
                e[i] += wi
                fx[i] += c * dx
                fy[i] += c * dy
                fz[i] += c * dz
        nb_bad = 0
        for i in range(nt):
            if not math.isfinite(e[i]):
                nb_bad += 1
            e[i] *= -g
            fx[i] *= -g
            fy[i] *= -g
            fz[i] *= -g
        bad += nb_bad
    return bad


@nb.njit(parallel=True, cache=True, fastmath=False, error_model="numpy")
def yukawa_pair_sum(sx, sy, sz, sw, tx, ty, tz, params, acc):
    """Yukawa term of the ISL form, φ = −Gα e^{−r/λ}/r: acc[0, i] = −Gα Σ_j w_j e^{−r/λ}/r,
    acc[1:4, i] = −Gα Σ_j w_j e^{−r/λ}(1 + r/λ) d/r³. params = (Gα [m³ kg⁻¹ s⁻²], 1/λ [m⁻¹]).
    Returns #non-finite."""
    ga = params[0]
    inv_lam = params[1]
    n = tx.size
    m = sx.size
    ntiles = (n + PAIR_TILE - 1) // PAIR_TILE
    bad = 0
    for k in nb.prange(ntiles):
        i0 = k * PAIR_TILE
        i1 = min(i0 + PAIR_TILE, n)
        e = acc[0, i0:i1]
        fx = acc[1, i0:i1]
        fy = acc[2, i0:i1]
        fz = acc[3, i0:i1]
        xt = tx[i0:i1]
        yt = ty[i0:i1]
        zt = tz[i0:i1]
        nt = i1 - i0
        for i in range(nt):
            e[i] = 0.0
            fx[i] = 0.0
            fy[i] = 0.0
            fz[i] = 0.0
        for j in range(m):
            xs, ys, zs, w = sx[j], sy[j], sz[j], sw[j]
            for i in range(nt):
                dx = xt[i] - xs
                dy = yt[i] - ys
                dz = zt[i] - zs
                r2 = dx * dx + dy * dy + dz * dz
                inv_r = 1.0 / math.sqrt(r2)
                x = r2 * inv_r * inv_lam
                wi = w * math.exp(-x) * inv_r
                c = wi * (1.0 + x) * inv_r * inv_r
                e[i] += wi
                fx[i] += c * dx
                fy[i] += c * dy
                fz[i] += c * dz
        nb_bad = 0
        for i in range(nt):
            if not math.isfinite(e[i]):
                nb_bad += 1
            e[i] *= -ga
            fx[i] *= -ga
            fy[i] *= -ga
            fz[i] *= -ga
        bad += nb_bad
    return bad


@nb.njit(parallel=True, cache=True, fastmath=False, error_model="numpy")
def inverse_r5_pair_sum(sx, sy, sz, sw, tx, ty, tz, params, acc):
    """φ = C/r⁵ (vacuum two-neutrino exchange, eq. 2.2 of Ghosh et al. 2023, in SI):
    acc[0, i] = C Σ_j w_j/r⁵, acc[1:4, i] = 5C Σ_j w_j d/r⁷. params = (C [J m⁵],).
    Returns #non-finite."""
    cc = params[0]
    n = tx.size
    m = sx.size
    ntiles = (n + PAIR_TILE - 1) // PAIR_TILE
    bad = 0
    for k in nb.prange(ntiles):
        i0 = k * PAIR_TILE
        i1 = min(i0 + PAIR_TILE, n)
        e = acc[0, i0:i1]
        fx = acc[1, i0:i1]
        fy = acc[2, i0:i1]
        fz = acc[3, i0:i1]
        xt = tx[i0:i1]
        yt = ty[i0:i1]
        zt = tz[i0:i1]
        nt = i1 - i0
        for i in range(nt):
            e[i] = 0.0
            fx[i] = 0.0
            fy[i] = 0.0
            fz[i] = 0.0
        for j in range(m):
            xs, ys, zs, w = sx[j], sy[j], sz[j], sw[j]
            for i in range(nt):
                dx = xt[i] - xs
                dy = yt[i] - ys
                dz = zt[i] - zs
                inv_r = 1.0 / math.sqrt(dx * dx + dy * dy + dz * dz)
                inv_r2 = inv_r * inv_r
                wi = w * inv_r2 * inv_r2 * inv_r
                c = wi * inv_r2
                e[i] += wi
                fx[i] += c * dx
                fy[i] += c * dy
                fz[i] += c * dz
        nb_bad = 0
        for i in range(nt):
            if not math.isfinite(e[i]):
                nb_bad += 1
            e[i] *= cc
            fx[i] *= 5.0 * cc
            fy[i] *= 5.0 * cc
            fz[i] *= 5.0 * cc
        bad += nb_bad
    return bad


@nb.njit(cache=True, fastmath=False)
def _re_chi_and_slope(t, flux, mean, sigma, sigma_min):
    """(Re χ(t) [eV⁴], Re χ'(t) [eV⁵]) of a Gaussian-component spectrum (see _re_chi)."""
    val = 0.0
    slope = 0.0
    if t * sigma_min > SIGMA_T_CUT:
        return val, slope
    for k in range(flux.size):
        s = sigma[k]
        st = s * t
        if st > SIGMA_T_CUT:
            continue
        m = mean[k]
        c = math.cos(m * t)
        sn = math.sin(m * t)
        g = flux[k] * math.exp(-0.5 * st * st)
        val += g * (m * c - s * st * sn)
        slope += g * (-2.0 * m * s * st * c - (m * m - st * st * s * s + s * s) * sn)
    return val, slope


@nb.njit(cache=True, fastmath=False)
def _beam_pair(dx, dy, dz, kx, ky, kz, retarded, flux, mean, sigma, sigma_min):
    """V [eV⁵ per G_F² g₁g₂] and ∇V [eV⁶] of the long-distance beam kernel for the pair vector
    d [eV⁻¹] from the scattering (source) point to the target point; direction k̂ (unit).

    V = −(1/πr) F, F = c₂ Re χ(Δ₋) + s₂ Re χ(Δ₊) (symmetric) or (1 + u) Re χ(Δ₋) (retarded),
    u = cos α = d·k̂/r, Δ∓ = r ∓ d·k̂; ∇u = (k̂ − u r̂)/r, ∇Δ∓ = r̂ ∓ k̂."""
    r = math.sqrt(dx * dx + dy * dy + dz * dz)
    z = dx * kx + dy * ky + dz * kz
    cx = dy * kz - dz * ky
    cy = dz * kx - dx * kz
    cz = dx * ky - dy * kx
    rho2 = cx * cx + cy * cy + cz * cz
    d_minus = rho2 / (r + z) if z > 0 else r - z
    d_plus = rho2 / (r - z) if z < 0 else r + z
    u = z / r
    rx, ry, rz = dx / r, dy / r, dz / r
    gux, guy, guz = (kx - u * rx) / r, (ky - u * ry) / r, (kz - u * rz) / r
    rm, sm = _re_chi_and_slope(d_minus, flux, mean, sigma, sigma_min)
    if retarded:
        f = (1.0 + u) * rm
        gfx = gux * rm + (1.0 + u) * sm * (rx - kx)
        gfy = guy * rm + (1.0 + u) * sm * (ry - ky)
        gfz = guz * rm + (1.0 + u) * sm * (rz - kz)
    else:
        rp, sp = _re_chi_and_slope(d_plus, flux, mean, sigma, sigma_min)
        c2 = 0.5 * (1.0 + u)
        s2 = 0.5 * (1.0 - u)
        f = c2 * rm + s2 * rp
        half = 0.5 * (rm - rp)
        gfx = gux * half + c2 * sm * (rx - kx) + s2 * sp * (rx + kx)
        gfy = guy * half + c2 * sm * (ry - ky) + s2 * sp * (ry + ky)
        gfz = guz * half + c2 * sm * (rz - kz) + s2 * sp * (rz + kz)
    v = -f / (math.pi * r)
    a = f / (math.pi * r * r)
    b = 1.0 / (math.pi * r)
    return v, a * rx - b * gfx, a * ry - b * gfy, a * rz - b * gfz


@nb.njit(parallel=True, cache=True, fastmath=False)
def beam_pair_sum(sx, sy, sz, sw, tx, ty, tz, params, acc):
    """Directional-beam pair sum (long-distance kernel of eq. 4.12 × spectrum; point profile):
    acc[0, i] = C Σ_j w_j V(x_i − x_j), acc[1:4, i] = −(C/ħc) Σ_j w_j ∇V, in J and N per unit
    target weight. params = (ħc [m], C = G_F² [eV⁻⁴] × J/eV, k̂x, k̂y, k̂z, retarded, K,
    flux[K] [eV³], mean[K] [eV], sigma[K] [eV]). The pair vector runs from source j (the body
    that scatters) to target i (the body that feels the force). Returns #non-finite targets."""
    hbarc = params[0]
    cj = params[1]
    kx, ky, kz = params[2], params[3], params[4]
    retarded = params[5] > 0.5
    nk = int(params[6])
    flux = params[7:7 + nk]
    mean = params[7 + nk:7 + 2 * nk]
    sigma = params[7 + 2 * nk:7 + 3 * nk]
    sigma_min = sigma.min()
    n = tx.size
    m = sx.size
    bad = 0
    for i in nb.prange(n):
        e = 0.0
        fx = 0.0
        fy = 0.0
        fz = 0.0
        for j in range(m):
            v, gx, gy, gz = _beam_pair((tx[i] - sx[j]) / hbarc, (ty[i] - sy[j]) / hbarc,
                                       (tz[i] - sz[j]) / hbarc, kx, ky, kz, retarded, flux,
                                       mean, sigma, sigma_min)
            e += sw[j] * v
            fx -= sw[j] * gx
            fy -= sw[j] * gy
            fz -= sw[j] * gz
        acc[0, i] = cj * e
        acc[1, i] = cj * fx / hbarc
        acc[2, i] = cj * fy / hbarc
        acc[3, i] = cj * fz / hbarc
        if not math.isfinite(acc[0, i]):
            bad += 1
    return bad


@nb.njit(parallel=True, cache=True, fastmath=False)
def winding_number(points, tri, out):
    """Generalised winding number of a closed triangle mesh at points (n, 3); tri (f, 3, 3) the
    triangles' vertices; out (n,): Σ_faces Ω/4π with the Van Oosterom–Strackee solid angle
    Ω = 2 atan2(a·(b×c), |a||b||c| + (a·b)|c| + (a·c)|b| + (b·c)|a|). Twin of
    ``nusim.geometry.shapes.winding_number``."""
    for i in nb.prange(points.shape[0]):
        px, py, pz = points[i, 0], points[i, 1], points[i, 2]
        acc = 0.0
        for f in range(tri.shape[0]):
            ax, ay, az = tri[f, 0, 0] - px, tri[f, 0, 1] - py, tri[f, 0, 2] - pz
            bx, by, bz = tri[f, 1, 0] - px, tri[f, 1, 1] - py, tri[f, 1, 2] - pz
            cx, cy, cz = tri[f, 2, 0] - px, tri[f, 2, 1] - py, tri[f, 2, 2] - pz
            la = math.sqrt(ax * ax + ay * ay + az * az)
            lb = math.sqrt(bx * bx + by * by + bz * bz)
            lc = math.sqrt(cx * cx + cy * cy + cz * cz)
            det = (ax * (by * cz - bz * cy) + ay * (bz * cx - bx * cz)
                   + az * (bx * cy - by * cx))
            den = (la * lb * lc + (ax * bx + ay * by + az * bz) * lc
                   + (ax * cx + ay * cy + az * cz) * lb + (bx * cx + by * cy + bz * cz) * la)
            acc += math.atan2(det, den)
        out[i] = acc / (2.0 * math.pi)
