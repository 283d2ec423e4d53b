"""Numba kernels of the near-field estimator for extended sources (:mod:`nusim.engine.nearfield`).

The quantity (design note §8, averaged over the source's directions; derivation in
:mod:`nusim.engine.nearfield`) is a surface-pair integral with a smooth, bounded kernel:

    S = ∮_{S₁} dA₁ ∮_{S₂} dA₂ g(x₁, x₂) w(r̂; x₁) / r,    g = n̂₁·n̂₂ − (n̂₁·r̂)(n̂₂·r̂),

r = x₂ − x₁, w the source's flux per steradian in the direction of travel r̂ at x₁ relative to
the reference flux [sr⁻¹]. Estimator (unbiased; multiple importance sampling [1]):


F: x₁ on S₁ with density σ₁(x₁) per area (uniform on the triangles whose lines within the
   source's cone can reach S₂, weighted by 0.1 + |n̂₁ × k̂₀|; :func:`nusim.engine.nearfield.
   start_weights`), a direction k̂ from the source's direction density q(k̂; x₁) [sr⁻¹], every
   crossing of the line x₁ + t k̂ (t ∈ ℝ) with S₂ is a pair; density per dA₁ dA₂
   p_F = σ₁(x₁) [q(r̂; x₁) + q(−r̂; x₁)] |n̂₂·r̂| / r²;
B: the same with the roles exchanged, p_B = σ₂(x₂) [q(r̂; x₂) + q(−r̂; x₂)] |n̂₁·r̂| / r²;
A: x₁, x₂ uniform by area, p_A = 1/(A₁ A₂) — the safety net that reaches every pair;
E: x₁, x₂ uniform on the faces of each body nearly parallel to the beam (|n̂·k̂₀| < 0.3),
   p_E = 1/(E₁ E₂) there: coplanar side faces of plates and caps in a horizontal beam
   (coincident edges, which the blur turns into a finite, dominant term), which lines along
   the beam meet with probability 0.

Tried and dropped (no gain at twice the cost, measured on the benchmark's geometries): pairing
every crossing of a line with both bodies (the variance left is the cancellation between a
body's opposite faces within the blur, e.g. the caps of cylinders seen nearly edge-on, not
between the crossings of one line), antithetic (mirrored) directions (``n_mirror`` = 2), and an
analytic derivative of w (its 1/θ-large terms cancel only on average).

A pair drawn by strategy s adds f N_s p_s / Σ_t (N_t p_t)² (the power heuristic, β = 2 [1]):
unbiased like the balance heuristic, and continuous where a line grazes a silhouette (p_F ∝
|n̂₂·r̂| → 0 there, so two merging crossings fade out instead of jumping), which keeps
differences of the energy under rigid motions (common random numbers) smooth. Channels
(geometric sums; densities and physical prefactors applied by the caller):

0: ½ g (w(r̂; x₁) + w(−r̂; x₂)) / r      symmetric energy (the paper's even V)
1: g w(r̂; x₁) / r                      retarded: 2 in the wake of 1
2: g w(−r̂; x₂) / r                     reverse: 1 in the wake of 2
3: g w(r̂; x₁) (r̂·k̂₀) / r²              force on 2 along each ray, projected on k̂₀
4: g w(−r̂; x₂) (−r̂·k̂₀) / r²            the same on 1 in the wake of 2
5–7: g w(r̂; x₁) r̂ / r²                 force on 2 along each ray, lab vector
8: g w(r̂; x₁) ((x₂ − p) × r̂)·â / r²     torque of those forces about the axis (p, â)

Units: geometry [m]; channels 0–2 [m³ sr⁻¹], 3–7 [m² sr⁻¹], 8 [m³ sr⁻¹].

The source (``src``): kind 0, an axisymmetric profile around k̂₀ (the Sun, Gaussian, uniform
disk) tabulated on θ nodes ``th`` with density per steradian ``wv`` (linear interpolation,
0 beyond the last node; w = q: the profile is sampled exactly by cells ``pcdf`` with θ uniform
in each cell, so q = P_cell/(Δθ 2π sin θ)); kind 1, a uniform cylindrical core at finite
distance: emission points uniform in the volume V, so q(k̂; x) = ∫ d² dd / V over the chord of
the backward ray x − d k̂ through the core, and w = chord / (V ⟨1/d²⟩_ref) (flux per steradian
relative to the flux at the reference point). src = (kind, k̂₀, c, â, ê₁, ê₂, R, H, V, ⟨1/d²⟩_ref).

References: [1] E. Veach and L. Guibas, SIGGRAPH 1995 (multiple importance sampling).
"""

import math

import numba as nb
import numpy as np

from nusim.engine.wake_kernels import MAX_HITS, _pick, _point_on, line_hits

N_CHANNELS = 9
#: src layout: kind, k0 (1-3), centre (4-6), axis (7-9), e1 (10-12), e2 (13-15), R, H, V, fn
SRC_SIZE = 20


@nb.njit(cache=True, fastmath=False)
def cylinder_chord(px, py, pz, ux, uy, uz, src):
    """(d_in, d_out) [m] of the ray p + d û, d ≥ 0, inside the cylinder of ``src``; (0, 0)
    when the ray misses it."""
    cx, cy, cz = px - src[4], py - src[5], pz - src[6]
    ax, ay, az = src[7], src[8], src[9]
    rad, half = src[16], 0.5 * src[17]
    h0 = cx * ax + cy * ay + cz * az
    hu = ux * ax + uy * ay + uz * az
    lo, hi = 0.0, 1e300
    if hu == 0.0:
        if abs(h0) > half:
            return 0.0, 0.0
    else:
        t1 = (-half - h0) / hu
        t2 = (half - h0) / hu
        lo = max(lo, min(t1, t2))
        hi = min(hi, max(t1, t2))
    wx, wy, wz = cx - h0 * ax, cy - h0 * ay, cz - h0 * az
    vx, vy, vz = ux - hu * ax, uy - hu * ay, uz - hu * az
    qa = vx * vx + vy * vy + vz * vz
    qb = 2.0 * (wx * vx + wy * vy + wz * vz)
    qc = wx * wx + wy * wy + wz * wz - rad * rad
    if qa == 0.0:
        if qc > 0.0:
            return 0.0, 0.0
    else:
        disc = qb * qb - 4.0 * qa * qc
        if disc <= 0.0:
            return 0.0, 0.0
        s = math.sqrt(disc)
        lo = max(lo, (-qb - s) / (2.0 * qa))
        hi = min(hi, (-qb + s) / (2.0 * qa))
    if hi <= lo:
        return 0.0, 0.0
    return lo, hi


@nb.njit(cache=True, fastmath=False)
def _angle(kx, ky, kz, src):
    """Angle [rad] between (kx, ky, kz) and k̂₀ (accurate at small angles)."""
    c = kx * src[1] + ky * src[2] + kz * src[3]
    cx = ky * src[3] - kz * src[2]
    cy = kz * src[1] - kx * src[3]
    cz = kx * src[2] - ky * src[1]
    return math.atan2(math.sqrt(cx * cx + cy * cy + cz * cz), c)


@nb.njit(cache=True, fastmath=False)
def densities(x, y, z, kx, ky, kz, src, th, wv, pcell):
    """(w, q) [sr⁻¹] of travel direction k̂ at the point (x, y, z): the flux per steradian
    relative to the reference flux, and the direction density the samplers use."""
    if src[0] == 1.0:
        d0, d1 = cylinder_chord(x, y, z, -kx, -ky, -kz, src)
        if d1 <= d0:
            return 0.0, 0.0
        return (d1 - d0) / (src[18] * src[19]), (d1 ** 3 - d0 ** 3) / (3.0 * src[18])
    t = _angle(kx, ky, kz, src)
    n = th.size - 1
    if t >= th[n]:
        return 0.0, 0.0
    step = th[1] - th[0]
    i = min(int(t / step), n - 1)
    f = t / step - i
    w = wv[i] * (1.0 - f) + wv[i + 1] * f
    q = pcell[i] / (step * 2.0 * math.pi * max(math.sin(t), 1e-300))
    return w, q


@nb.njit(cache=True, fastmath=False)
def sample_direction(x, y, z, u1, u2, u3, src, th, pcdf):
    """A direction of travel (unit vector) at (x, y, z) from the source's direction density."""
    if src[0] == 1.0:
        rho = src[16] * math.sqrt(u1)
        phi = 2.0 * math.pi * u2
        h = src[17] * (u3 - 0.5)
        ca, sa = rho * math.cos(phi), rho * math.sin(phi)
        ex = src[4] + ca * src[10] + sa * src[13] + h * src[7]
        ey = src[5] + ca * src[11] + sa * src[14] + h * src[8]
        ez = src[6] + ca * src[12] + sa * src[15] + h * src[9]
        dx, dy, dz = x - ex, y - ey, z - ez
        d = math.sqrt(dx * dx + dy * dy + dz * dz)
        return dx / d, dy / d, dz / d
    i = _pick(pcdf, u1)
    lo = pcdf[i - 1] if i > 0 else 0.0
    span = pcdf[i] - lo
    step = th[1] - th[0]
    frac = (u1 - lo) / span if span > 0.0 else 0.5
    t = (i + min(max(frac, 0.0), 1.0)) * step
    phi = 2.0 * math.pi * u2
    st, ct = math.sin(t), math.cos(t)
    cp, sp = math.cos(phi), math.sin(phi)
    return (ct * src[1] + st * (cp * src[10] + sp * src[13]),
            ct * src[2] + st * (cp * src[11] + sp * src[14]),
            ct * src[3] + st * (cp * src[12] + sp * src[15]))


@nb.njit(cache=True, fastmath=False)
def _add_pair(acc, c, x1, y1, z1, n1x, n1y, n1z, x2, y2, z2, n2x, n2y, n2z, src, th, wv,
              pcell, nf, nb_, s1, s2, d_a, d_e, strategy, ax):
    """Add one pair's channels: nf, nb_ lines of F and B, s1, s2 their start densities at x₁
    and x₂ [m⁻²], d_a = N_A/(A₁A₂), d_e = N_E × the edge-on densities at x₁ and x₂ [m⁻⁴];
    ``strategy`` the one that drew it (power heuristic)."""
    rx, ry, rz = x2 - x1, y2 - y1, z2 - z1
    r = math.sqrt(rx * rx + ry * ry + rz * rz)
    if r == 0.0:
        return
    ux, uy, uz = rx / r, ry / r, rz / r
    c1 = n1x * ux + n1y * uy + n1z * uz
    c2 = n2x * ux + n2y * uy + n2z * uz
    g = n1x * n2x + n1y * n2y + n1z * n2z - c1 * c2
    w_r, q1f = densities(x1, y1, z1, ux, uy, uz, src, th, wv, pcell)
    w_v, q2b = densities(x2, y2, z2, -ux, -uy, -uz, src, th, wv, pcell)
    if g == 0.0 or (w_r == 0.0 and w_v == 0.0):
        return
    _, q1b = densities(x1, y1, z1, -ux, -uy, -uz, src, th, wv, pcell)
    _, q2f = densities(x2, y2, z2, ux, uy, uz, src, th, wv, pcell)
    r2 = r * r
    d_f = nf * s1 * (q1f + q1b) * abs(c2) / r2
    d_b = nb_ * s2 * (q2f + q2b) * abs(c1) / r2
    if strategy == 0:
        mine = d_f
    elif strategy == 1:
        mine = d_b
    elif strategy == 2:
        mine = d_a
    else:
        mine = d_e
    gr = g * mine / ((d_f * d_f + d_b * d_b + d_a * d_a + d_e * d_e) * r)
    acc[c, 0] += 0.5 * gr * (w_r + w_v)
    acc[c, 1] += gr * w_r
    acc[c, 2] += gr * w_v
    k0u = ux * src[1] + uy * src[2] + uz * src[3]
    fr = gr * w_r / r
    acc[c, 3] += fr * k0u
    acc[c, 4] -= gr * w_v / r * k0u
    acc[c, 5] += fr * ux
    acc[c, 6] += fr * uy
    acc[c, 7] += fr * uz
    if ax[3] != 0.0 or ax[4] != 0.0 or ax[5] != 0.0:
        px, py, pz = x2 - ax[0], y2 - ax[1], z2 - ax[2]
        tx = py * uz - pz * uy
        ty = pz * ux - px * uz
        tz = px * uy - py * ux
        acc[c, 8] += fr * (tx * ax[3] + ty * ax[4] + tz * ax[5])


@nb.njit(cache=True, parallel=True, fastmath=False)
def nearfield_pair_sums(a_v0, a_e1, a_e2, a_n, a_cdf, a_grid, a_cs, a_ct, a_z, a_area, a_grp,
                        a_scdf, a_sden, a_ecdf, a_eden,
                        b_v0, b_e1, b_e2, b_n, b_cdf, b_grid, b_cs, b_ct, b_z, b_area, b_grp,
                        b_scdf, b_sden, b_ecdf, b_eden,
                        base, src, th, wv, pcdf, pcell, uf, ub, ua, ue, skip_same, ax, n_mirror,
                        n_chunks):
    """The channel sums (module docstring) of one replica for meshes a (S₁) and b (S₂).

    uf, ub, ua, ue (n, 6): uniform random numbers of strategies F, B, A and E; each chunk
    of samples is summed in a fixed order (the result does not depend on the thread count).
    The lines of F (B) start on a's (b's) triangles drawn by the cumulative weights ``a_scdf``
    (``b_scdf``), with density ``a_sden[j]`` per m² on triangle j (0 on triangles whose lines
    cannot reach the other body: strategy A still covers every pair). ``skip_same``: pairs on
    one face group are skipped (a body's self-interaction). E draws x₁, x₂ on the faces of each
    mesh that are nearly parallel to the beam, by the cumulative weights ``*_ecdf``, with
    density ``*_eden[j]`` per m² (0 elsewhere). ``n_mirror`` = 2 traces every
    line of F and B with its mirror image (antithetic directions: offsets δ and −δ from the
    source's centre, whose first-order terms cancel).
    """
    nf, nb_, na, ne = uf.shape[0], ub.shape[0], ua.shape[0], ue.shape[0]
    nfm, nbm = n_mirror * nf, n_mirror * nb_        # lines traced per strategy
    total = nf + nb_ + na + ne
    d_a = na / (a_area * b_area)
    acc = np.zeros((n_chunks, N_CHANNELS))
    for c in nb.prange(n_chunks):
        t_out = np.empty(MAX_HITS)
        j_out = np.empty(MAX_HITS, np.int64)
        for i in range(c * total // n_chunks, (c + 1) * total // n_chunks):
            if i < nf + nb_:
                fwd = i < nf
                u = uf[i] if fwd else ub[i - nf]
                if fwd:
                    j = _pick(a_scdf, u[0])
                    ox, oy, oz = _point_on(a_v0, a_e1, a_e2, j, u[1], u[2])
                    nox, noy, noz = a_n[j, 0], a_n[j, 1], a_n[j, 2]
                else:
                    j = _pick(b_scdf, u[0])
                    ox, oy, oz = _point_on(b_v0, b_e1, b_e2, j, u[1], u[2])
                    nox, noy, noz = b_n[j, 0], b_n[j, 1], b_n[j, 2]
                for m in range(n_mirror):
                    # the mirror line: φ + π and the core point reflected through the
                    # core's centre (antithetic directions, same distribution)
                    u4 = u[4] if m == 0 else (u[4] + 0.5) % 1.0
                    u5 = u[5] if m == 0 else 1.0 - u[5]
                    kx, ky, kz = sample_direction(ox, oy, oz, u[3], u4, u5, src, th, pcdf)
                    if fwd:
                        nh = line_hits(ox, oy, oz, kx, ky, kz, b_v0, b_e1, b_e2, b_grid, b_cs,
                                       b_ct, base, b_z, t_out, j_out)
                    else:
                        nh = line_hits(ox, oy, oz, kx, ky, kz, a_v0, a_e1, a_e2, a_grid, a_cs,
                                       a_ct, base, a_z, t_out, j_out)
                    for h in range(nh):
                        t = t_out[h]
                        j2 = j_out[h]
                        if t == 0.0:
                            continue
                        px, py, pz = ox + t * kx, oy + t * ky, oz + t * kz
                        if fwd:
                            if skip_same and a_grp[j] == b_grp[j2]:
                                continue
                            _add_pair(acc, c, ox, oy, oz, nox, noy, noz, px, py, pz,
                                      b_n[j2, 0], b_n[j2, 1], b_n[j2, 2], src, th, wv, pcell,
                                      nfm, nbm, a_sden[j], b_sden[j2], d_a,
                                      ne * a_eden[j] * b_eden[j2], 0, ax)
                        else:
                            if skip_same and a_grp[j2] == b_grp[j]:
                                continue
                            _add_pair(acc, c, px, py, pz, a_n[j2, 0], a_n[j2, 1], a_n[j2, 2],
                                      ox, oy, oz, nox, noy, noz, src, th, wv, pcell, nfm, nbm,
                                      a_sden[j2], b_sden[j], d_a, ne * a_eden[j2] * b_eden[j],
                                      1, ax)
            else:
                area_pair = i < nf + nb_ + na
                u = ua[i - nf - nb_] if area_pair else ue[i - nf - nb_ - na]
                j1 = _pick(a_cdf if area_pair else a_ecdf, u[0])
                j2 = _pick(b_cdf if area_pair else b_ecdf, u[3])
                if skip_same and a_grp[j1] == b_grp[j2]:
                    continue
                x1, y1, z1 = _point_on(a_v0, a_e1, a_e2, j1, u[1], u[2])
                x2, y2, z2 = _point_on(b_v0, b_e1, b_e2, j2, u[4], u[5])
                _add_pair(acc, c, x1, y1, z1, a_n[j1, 0], a_n[j1, 1], a_n[j1, 2], x2, y2, z2,
                          b_n[j2, 0], b_n[j2, 1], b_n[j2, 2], src, th, wv, pcell, nfm, nbm,
                          a_sden[j1], b_sden[j2], d_a, ne * a_eden[j1] * b_eden[j2],
                          2 if area_pair else 3, ax)
    out = np.zeros(N_CHANNELS)
    for c in range(n_chunks):
        for k in range(N_CHANNELS):
            out[k] += acc[c, k]
    return out
