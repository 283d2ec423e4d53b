"""Numba kernels of the surface (wake) estimator: triangle sampling, line–mesh intersection and
the multiple-importance-sampled surface-pair sums of :mod:`nusim.engine.wake`.

Geometry in metres. A mesh is given as arrays: triangle corner v0 and edges
e1 = v1 − v0, e2 = v2 − v0 (m × 3), outward unit normals, the cumulative area fraction (m,), and
a uniform grid over its projection on the plane ⟂ the base direction listing the triangles
that overlap each cell, so a line meets only the triangles of the cells its transverse
footprint crosses before the exact Möller–Trumbore test.

Channels returned by :func:`wake_pair_sums` (geometric sums Σ n̂₁⊥·n̂₂⊥ × kernel / (Σ_s N_s p_s),
densities and physical prefactors applied by the caller):
0: a(w)                 (symmetric energy)          3: sign(Δz) b(w)/|Δz|   (sym force on 2)
1: 2θ(Δz) a(w)          (2 in the wake of 1)        4: 2θ(Δz) b(w)/|Δz|     (force on 2, wake)
2: 2θ(−Δz) a(w)         (1 in the wake of 2)        5: 2θ(−Δz) b(w)/|Δz|    (force on 1, wake)
6–8:   ∇_d a(w)          lab (x, y, z): gradient in the pair separation d = x₂ − x₁ (symmetric)
9–11:  2θ(Δz) ∇_d a(w)   (retarded: F₂ = −scale × these)
12–14: 2θ(−Δz) ∇_d a(w)  (reverse wake: F₁ = +scale × these)
15:    dU/dφ (symmetric) of rotating mesh 2 about the axis (p, â):
       n̂₁⊥·(â × n̂₂)⊥ a(w) + n̂₁⊥·n̂₂⊥ ∇_d a · (â × (x₂ − p))
16:    2θ(Δz) × the same (retarded)
with Δz = (x₂ − x₁)·k̂′, w = δ²/2|Δz| [m] (δ the transverse offset), a and b the tables of
:mod:`nusim.physics.wake_kernel` with w scaled to metres, and

    ∇_d a = a′(w) w_scale (δ/|Δz| − δ²/(2Δz²) sign(Δz) k̂′),   a′(w) = −b(w)/w,

a lab vector (k̂′ the sample's own direction), so its k̂′-component is exactly channel 3's summand
and tilted directions (angular profiles, emitters) get the shift across each ray. Each is an
unbiased estimate of the derivative integral (the surfaces move rigidly; area elements are
invariant). Variance: the transverse part a′ w_scale δ/|Δz| is ~1/width of the wake per pair and
averages to the force only through cancellations. So (i) each line of A and B is traced with its
mirror image (−δ, same density: antithetic pairs, ½ weight each, ``mirror``); (ii) the
transverse part is shared between A and B by power weights (β = 4; of |n̂·k̂| alone when (iii)
is on), which hand each body's silhouette to the strategy whose lines start on the other body;
(iii) when the kernel's reach across the beam, ``rib`` = √(2|Δz|max w_max/w_scale), is small
against the bodies (:func:`nusim.engine.wake.ibp_radius`), the transverse gradient is integrated
by parts along the ray from the first point's line in the sampled direction û:

    ∫d²s Φ ∂_s a = σ ∫dφ û {−∫dr a Φ − ∫r dr Φ ∂_Δz a dΔz/dr + Σ_T Φ_T [r a]_in^out},

Φ = w_s fw n̂₁⊥·n̂₂⊥/|n̂_h·k̂| constant on a triangle pair, σ = ±1 for A, B, so the per-pair
weights carry a (bounded), ∂_Δz a = sign(Δz) b/|Δz| times the hit's slope, and the facet
edges enter as boundary terms of the triangles the half-plane meets within ``rib``
(:func:`_edge_terms`) instead of ~1/width jumps between the two lines of a pair. The same for
the torque's lever term (V = û·(â × (x₂ − p)) inside the integral). What remains heavy-tailed
is where the two silhouettes cross (both |n̂·k̂| → 0; docs/directional-estimator.md).
"""

import math

import numba as nb
import numpy as np

from nusim.physics.wake_kernel import table_eval

N_CHANNELS = 17
MAX_HITS = 256
#: triangles gathered around a line for the boundary terms (fans of a cap meet at its centre)
MAX_NEAR = 8192


@nb.njit(cache=True, fastmath=False)
def _basis(kx, ky, kz):
    """Two unit vectors ⟂ (kx, ky, kz) (right-handed with it)."""
    if abs(kx) < 0.9:
        ax, ay, az = 1.0, 0.0, 0.0
    else:
        ax, ay, az = 0.0, 1.0, 0.0
    # t1 = a − (a·k)k, normalised
    d = ax * kx + ay * ky + az * kz
    t1x, t1y, t1z = ax - d * kx, ay - d * ky, az - d * kz
    n = math.sqrt(t1x * t1x + t1y * t1y + t1z * t1z)
    t1x, t1y, t1z = t1x / n, t1y / n, t1z / n
    t2x = ky * t1z - kz * t1y
    t2y = kz * t1x - kx * t1z
    t2z = kx * t1y - ky * t1x
    return t1x, t1y, t1z, t2x, t2y, t2z


@nb.njit(cache=True, fastmath=False)
def _pick(cdf, u):
    j = np.searchsorted(cdf, u)
    if j >= cdf.size:
        j = cdf.size - 1
    return j


@nb.njit(cache=True, fastmath=False)
def _point_on(v0, e1, e2, j, r1, r2):
    if r1 + r2 > 1.0:
        r1 = 1.0 - r1
        r2 = 1.0 - r2
    return (v0[j, 0] + r1 * e1[j, 0] + r2 * e2[j, 0],
            v0[j, 1] + r1 * e1[j, 1] + r2 * e2[j, 1],
            v0[j, 2] + r1 * e1[j, 2] + r2 * e2[j, 2])


@nb.njit(cache=True, fastmath=False)
def line_hits(ox, oy, oz, kx, ky, kz, v0, e1, e2, grid, cell_start, cell_tri, base, zrange,
              t_out, j_out):
    """All intersections o + t k̂ (t ∈ ℝ) with the mesh: parameters t and triangle indices.

    ``base`` = (b1, b2, k0) rows (3 × 3); ``grid`` = (u0, v0, du, dv, nu, nv) a uniform grid of
    the mesh's projection on (b1, b2) whose cell c lists triangles
    cell_tri[cell_start[c]:cell_start[c + 1]]; ``zrange`` the mesh's extent along k0. Returns
    the number of hits (≤ MAX_HITS).
    """
    ok = base[2, 0] * ox + base[2, 1] * oy + base[2, 2] * oz
    kk = base[2, 0] * kx + base[2, 1] * ky + base[2, 2] * kz
    u_lo = 1e300
    u_hi = -1e300
    v_lo = 1e300
    v_hi = -1e300
    ue0 = ve0 = ue1 = ve1 = 0.0
    for end in range(2):
        t = (zrange[end] - ok) / kk
        px, py, pz = ox + t * kx, oy + t * ky, oz + t * kz
        u = base[0, 0] * px + base[0, 1] * py + base[0, 2] * pz
        v = base[1, 0] * px + base[1, 1] * py + base[1, 2] * pz
        if end == 0:
            ue0, ve0 = u, v
        else:
            ue1, ve1 = u, v
        u_lo = min(u_lo, u)
        u_hi = max(u_hi, u)
        v_lo = min(v_lo, v)
        v_hi = max(v_hi, v)
    # the footprint is a segment: skip the cells of its bounding box that it cannot touch
    su, sv = ue1 - ue0, ve1 - ve0
    slen = math.sqrt(su * su + sv * sv)
    half_diag = 0.5 * math.sqrt(grid[2] * grid[2] + grid[3] * grid[3])
    nu = int(grid[4])
    nv = int(grid[5])
    iu0 = int(math.floor((u_lo - grid[0]) / grid[2]))
    iu1 = int(math.floor((u_hi - grid[0]) / grid[2]))
    iv0 = int(math.floor((v_lo - grid[1]) / grid[3]))
    iv1 = int(math.floor((v_hi - grid[1]) / grid[3]))
    if iu1 < 0 or iv1 < 0 or iu0 >= nu or iv0 >= nv:
        return 0
    iu0 = max(iu0, 0)
    iv0 = max(iv0, 0)
    iu1 = min(iu1, nu - 1)
    iv1 = min(iv1, nv - 1)
    single = iu0 == iu1 and iv0 == iv1
    n_hit = 0
    for iu in range(iu0, iu1 + 1):
        for iv in range(iv0, iv1 + 1):
            if not single and slen > 0.0:
                cu = grid[0] + (iu + 0.5) * grid[2] - ue0
                cv = grid[1] + (iv + 0.5) * grid[3] - ve0
                if abs(cu * sv - cv * su) / slen > half_diag:
                    continue
            cell = iu * nv + iv
            for q in range(cell_start[cell], cell_start[cell + 1]):
                j = cell_tri[q]
                if not single:
                    seen = False
                    for h in range(n_hit):
                        if j_out[h] == j:
                            seen = True
                            break
                    if seen:
                        continue
                # Möller–Trumbore for the full line
                px = ky * e2[j, 2] - kz * e2[j, 1]
                py = kz * e2[j, 0] - kx * e2[j, 2]
                pz = kx * e2[j, 1] - ky * e2[j, 0]
                det = e1[j, 0] * px + e1[j, 1] * py + e1[j, 2] * pz
                if det == 0.0:
                    continue
                inv = 1.0 / det
                tx, ty, tz = ox - v0[j, 0], oy - v0[j, 1], oz - v0[j, 2]
                u = (tx * px + ty * py + tz * pz) * inv
                if u < 0.0 or u > 1.0:
                    continue
                qx = ty * e1[j, 2] - tz * e1[j, 1]
                qy = tz * e1[j, 0] - tx * e1[j, 2]
                qz = tx * e1[j, 1] - ty * e1[j, 0]
                v = (kx * qx + ky * qy + kz * qz) * inv
                if v < 0.0 or u + v > 1.0:
                    continue
                if n_hit < MAX_HITS:
                    t_out[n_hit] = (e2[j, 0] * qx + e2[j, 1] * qy + e2[j, 2] * qz) * inv
                    j_out[n_hit] = j
                    n_hit += 1
    return n_hit


@nb.njit(cache=True, fastmath=False)
def tris_near_line(ox, oy, oz, kx, ky, kz, rad, v0, e1, e2, grid, cell_start, cell_tri, base,
                   zrange, j_out):
    """Triangles whose grid cells lie within ``rad`` [m] of the line o + t k̂ (a superset of
    those within rad of it): their number (≤ j_out.size, MAX_NEAR) and indices in j_out."""
    ok = base[2, 0] * ox + base[2, 1] * oy + base[2, 2] * oz
    kk = base[2, 0] * kx + base[2, 1] * ky + base[2, 2] * kz
    u_lo = 1e300
    u_hi = -1e300
    v_lo = 1e300
    v_hi = -1e300
    ue0 = ve0 = ue1 = ve1 = 0.0
    for end in range(2):
        t = (zrange[end] - ok) / kk
        px, py, pz = ox + t * kx, oy + t * ky, oz + t * kz
        u = base[0, 0] * px + base[0, 1] * py + base[0, 2] * pz
        v = base[1, 0] * px + base[1, 1] * py + base[1, 2] * pz
        if end == 0:
            ue0, ve0 = u, v
        else:
            ue1, ve1 = u, v
        u_lo = min(u_lo, u)
        u_hi = max(u_hi, u)
        v_lo = min(v_lo, v)
        v_hi = max(v_hi, v)
    su, sv = ue1 - ue0, ve1 - ve0
    slen = math.sqrt(su * su + sv * sv)
    half_diag = 0.5 * math.sqrt(grid[2] * grid[2] + grid[3] * grid[3])
    nu = int(grid[4])
    nv = int(grid[5])
    iu0 = int(math.floor((u_lo - rad - grid[0]) / grid[2]))
    iu1 = int(math.floor((u_hi + rad - grid[0]) / grid[2]))
    iv0 = int(math.floor((v_lo - rad - grid[1]) / grid[3]))
    iv1 = int(math.floor((v_hi + rad - grid[1]) / grid[3]))
    if iu1 < 0 or iv1 < 0 or iu0 >= nu or iv0 >= nv:
        return 0
    iu0 = max(iu0, 0)
    iv0 = max(iv0, 0)
    iu1 = min(iu1, nu - 1)
    iv1 = min(iv1, nv - 1)
    n_out = 0
    for iu in range(iu0, iu1 + 1):
        for iv in range(iv0, iv1 + 1):
            cu = grid[0] + (iu + 0.5) * grid[2] - ue0
            cv = grid[1] + (iv + 0.5) * grid[3] - ve0
            if slen > 0.0:
                # distance of the cell centre from the footprint segment
                tt = min(max((cu * su + cv * sv) / (slen * slen), 0.0), 1.0)
                du, dv = cu - tt * su, cv - tt * sv
            else:
                du, dv = cu, cv
            if math.sqrt(du * du + dv * dv) > half_diag + rad:
                continue
            cell = iu * nv + iv
            for q in range(cell_start[cell], cell_start[cell + 1]):
                j = cell_tri[q]
                seen = False
                for h in range(n_out):
                    if j_out[h] == j:
                        seen = True
                        break
                if not seen and n_out < j_out.size:
                    j_out[n_out] = j
                    n_out += 1
    return n_out


@nb.njit(cache=True, fastmath=False)
def _edge_terms(acc, c, ox, oy, oz, nox, noy, noz, grp_o, ux, uy, uz, kx, ky, kz, sigma, pref,
                fw, n_a, n_b, area1, area2, is_a, hv0, he1, he2, hn, hgrp, hgrid, hcs, hct, base,
                hz, rib, skip_same, step, a_v, a_d, w_scale, tax, j_buf):
    """Boundary terms of the radially integrated transverse gradient (integration by parts
    along the ray from the line through o in the transverse direction û): for every triangle T
    of the other mesh crossed by that half-plane within ``rib``, σ·pref·2π·Φ_T·[r a(w) V] between
    where the ray enters and leaves T's projection (V = 1 for forces, û·(â × (x₂ − p)) for the
    torque), Φ_T = w_s fw n̂₁⊥·n̂₂⊥/|n̂_T·k̂| with the A/B power weights of :func:`_pair`."""
    nt = tris_near_line(ox, oy, oz, kx, ky, kz, rib, hv0, he1, he2, hgrid, hcs, hct, base, hz,
                        j_buf)
    tx = ky * uz - kz * uy
    ty = kz * ux - kx * uz
    tz = kx * uy - ky * ux
    co = nox * kx + noy * ky + noz * kz
    for q in range(nt):
        j = j_buf[q]
        if skip_same and grp_o == hgrp[j]:
            continue
        nhx, nhy, nhz = hn[j, 0], hn[j, 1], hn[j, 2]
        ch = nhx * kx + nhy * ky + nhz * kz
        if ch == 0.0:
            continue
        perp = nox * nhx + noy * nhy + noz * nhz - co * ch
        if perp == 0.0:
            continue
        c1 = co if is_a else ch
        c2 = ch if is_a else co
        qa = n_a * abs(c2) / area1
        qb = n_b * abs(c1) / area2
        qm = max(qa, qb)
        ra, rb = qa / qm, qb / qm
        ra2, rb2 = ra * ra, rb * rb
        ws = (ra2 * ra2 if is_a else rb2 * rb2) / (ra2 * ra2 + rb2 * rb2)
        phi = ws * fw * perp / abs(ch)
        if phi == 0.0:
            continue
        # the triangle's cut with the plane t = 0 (t along k̂ × û) through the line
        n_pt = 0
        r_a = z_a = r_b = z_b = 0.0
        for e in range(3):
            f = (e + 1) % 3
            pix = hv0[j, 0] + (he1[j, 0] if e == 1 else 0.0) + (he2[j, 0] if e == 2 else 0.0)
            piy = hv0[j, 1] + (he1[j, 1] if e == 1 else 0.0) + (he2[j, 1] if e == 2 else 0.0)
            piz = hv0[j, 2] + (he1[j, 2] if e == 1 else 0.0) + (he2[j, 2] if e == 2 else 0.0)
            pjx = hv0[j, 0] + (he1[j, 0] if f == 1 else 0.0) + (he2[j, 0] if f == 2 else 0.0)
            pjy = hv0[j, 1] + (he1[j, 1] if f == 1 else 0.0) + (he2[j, 1] if f == 2 else 0.0)
            pjz = hv0[j, 2] + (he1[j, 2] if f == 1 else 0.0) + (he2[j, 2] if f == 2 else 0.0)
            ti = (pix - ox) * tx + (piy - oy) * ty + (piz - oz) * tz
            tj = (pjx - ox) * tx + (pjy - oy) * ty + (pjz - oz) * tz
            if (ti >= 0.0) == (tj >= 0.0):
                continue
            lam = ti / (ti - tj)
            ri = (pix - ox) * ux + (piy - oy) * uy + (piz - oz) * uz
            rj = (pjx - ox) * ux + (pjy - oy) * uy + (pjz - oz) * uz
            zi = (pix - ox) * kx + (piy - oy) * ky + (piz - oz) * kz
            zj = (pjx - ox) * kx + (pjy - oy) * ky + (pjz - oz) * kz
            if n_pt == 0:
                r_a, z_a = ri + lam * (rj - ri), zi + lam * (zj - zi)
            else:
                r_b, z_b = ri + lam * (rj - ri), zi + lam * (zj - zi)
            n_pt += 1
        if n_pt != 2:
            continue
        if r_a > r_b:
            r_a, r_b = r_b, r_a
            z_a, z_b = z_b, z_a
        for end in range(2):
            r = r_a if end == 0 else r_b
            zz = z_a if end == 0 else z_b
            if r <= 0.0:
                continue
            dz = sigma * zz
            if dz == 0.0:
                continue
            av = table_eval(r * r / (2.0 * abs(dz)) * w_scale, step, a_v, a_d)
            if av == 0.0:
                continue
            val = sigma * pref * 2.0 * math.pi * phi * r * av * (1.0 if end == 1 else -1.0)
            # torque lever: the point on mesh 2 (the endpoint for A, the origin for B)
            if is_a:
                px, py, pz = ox + r * ux + zz * kx, oy + r * uy + zz * ky, oz + r * uz + zz * kz
            else:
                px, py, pz = ox, oy, oz
            qx, qy, qz = px - tax[0], py - tax[1], pz - tax[2]
            vx = tax[4] * qz - tax[5] * qy
            vy = tax[5] * qx - tax[3] * qz
            vz = tax[3] * qy - tax[4] * qx
            tv = val * (ux * vx + uy * vy + uz * vz)
            acc[c, 6] += val * ux
            acc[c, 7] += val * uy
            acc[c, 8] += val * uz
            acc[c, 15] += tv
            if dz > 0.0:
                acc[c, 9] += 2.0 * val * ux
                acc[c, 10] += 2.0 * val * uy
                acc[c, 11] += 2.0 * val * uz
                acc[c, 16] += 2.0 * tv
            else:
                acc[c, 12] += 2.0 * val * ux
                acc[c, 13] += 2.0 * val * uy
                acc[c, 14] += 2.0 * val * uz


@nb.njit(cache=True, fastmath=False)
def _offset_origin(x, y, z, kx, ky, kz, u_mix, u_rad, u_phi, sign, rmin, p0, log_range):
    """x + sign·δ: δ ⟂ k̂ with |δ| uniform-in-area inside r_min (probability p0) or
    log-uniform out to r_max, azimuth uniform (the offset sampler of strategies A and B)."""
    if u_mix < p0:
        r = rmin * math.sqrt(u_rad)
    else:
        r = rmin * math.exp(u_rad * log_range)
    phi = 2.0 * math.pi * u_phi
    t1x, t1y, t1z, t2x, t2y, t2z = _basis(kx, ky, kz)
    cp, sp = sign * r * math.cos(phi), sign * r * math.sin(phi)
    return x + cp * t1x + sp * t2x, y + cp * t1y + sp * t2y, z + cp * t1z + sp * t2z


@nb.njit(cache=True, fastmath=False)
def _offset_density(r, rmin, rmax, p0, log_range):
    """Density per unit area [m⁻²] of the transverse offset sampler at radius r."""
    if r < rmin:
        return p0 / (math.pi * rmin * rmin)
    if r <= rmax:
        return (1.0 - p0) / (2.0 * math.pi * r * r * log_range)
    return 0.0


@nb.njit(cache=True, fastmath=False)
def _plane_frame(nx, ny, nz, kx, ky, kz):
    """(u, v) orthonormal in the plane with normal n: u = n × k̂/|n × k̂| (⟂ the beam), v = n × u."""
    ux = ny * kz - nz * ky
    uy = nz * kx - nx * kz
    uz = nx * ky - ny * kx
    nu = math.sqrt(ux * ux + uy * uy + uz * uz)
    ux, uy, uz = ux / nu, uy / nu, uz / nu
    return ux, uy, uz, ny * uz - nz * uy, nz * ux - nx * uz, nx * uy - ny * ux


@nb.njit(cache=True, fastmath=False)
def _chord(v0, e1, e2, j, ox, oy, oz, ux, uy, uz, vx, vy, vz, eta):
    """(ζ_a, ζ_b) of triangle j cut by the line η = const of the in-plane frame (u, v) about o
    (ζ_a > ζ_b when the line misses it)."""
    za = 1e300
    zb = -1e300
    for q in range(3):
        px = v0[j, 0] + (e1[j, 0] if q == 1 else 0.0) + (e2[j, 0] if q == 2 else 0.0) - ox
        py = v0[j, 1] + (e1[j, 1] if q == 1 else 0.0) + (e2[j, 1] if q == 2 else 0.0) - oy
        pz = v0[j, 2] + (e1[j, 2] if q == 1 else 0.0) + (e2[j, 2] if q == 2 else 0.0) - oz
        r = (q + 1) % 3
        qx = v0[j, 0] + (e1[j, 0] if r == 1 else 0.0) + (e2[j, 0] if r == 2 else 0.0) - ox
        qy = v0[j, 1] + (e1[j, 1] if r == 1 else 0.0) + (e2[j, 1] if r == 2 else 0.0) - oy
        qz = v0[j, 2] + (e1[j, 2] if r == 1 else 0.0) + (e2[j, 2] if r == 2 else 0.0) - oz
        ea = px * ux + py * uy + pz * uz
        eb = qx * ux + qy * uy + qz * uz
        if (ea - eta) * (eb - eta) > 0.0 or ea == eb:
            continue
        fa = px * vx + py * vy + pz * vz
        fb = qx * vx + qy * vy + qz * vz
        z = fa + (eta - ea) * (fb - fa) / (eb - ea)
        za = min(za, z)
        zb = max(zb, z)
    return za, zb


@nb.njit(cache=True, fastmath=False)
def _line_density(eta, rmin, rmax, p0, log_range):
    """Density [m⁻¹] of the signed in-plane offset η of the edge-on strategy."""
    a = abs(eta)
    if a < rmin:
        return p0 / (2.0 * rmin)
    if a <= rmax:
        return (1.0 - p0) / (2.0 * a * log_range)
    return 0.0


@nb.njit(cache=True, fastmath=False)
def _edge_on_density(j, ox, oy, oz, x, y, z, kx, ky, kz, v0, e1, e2, nrm, tri_area, eo_flag,
                     eo_area, rmin, rmax, p0, log_range):
    """Density per area of x on triangle j given the other point o under the edge-on strategy
    (0 when j is not edge-on)."""
    if eo_flag[j] == 0 or eo_area <= 0.0:
        return 0.0
    ux, uy, uz, vx, vy, vz = _plane_frame(nrm[j, 0], nrm[j, 1], nrm[j, 2], kx, ky, kz)
    eta = (x - ox) * ux + (y - oy) * uy + (z - oz) * uz
    za, zb = _chord(v0, e1, e2, j, ox, oy, oz, ux, uy, uz, vx, vy, vz, eta)
    if zb <= za:
        return 0.0
    return tri_area[j] / eo_area * _line_density(eta, rmin, rmax, p0, log_range) / (zb - za)


@nb.njit(cache=True, fastmath=False)
def _a_prime(w, step, b_v, b_d):
    """a'(w) = −b(w)/w [eV] from the b table (b(w) = −w a'(w)), stable at w → 0: in the first
    cell b(0) = 0 and the Hermite interpolant divided by w is a polynomial in t = w/step
    (a'(0) = −b'(0) = −⟨E⟩ exactly); 0 beyond the table like b."""
    x = w / step
    if not x < b_v.size - 1:     # before int(): see table_eval (x ≥ 2**63, inf, nan)
        return 0.0
    j = int(x)
    if j == 0:
        t = x
        # p(w)/w with p = h10·step·b'₀ + h01·b₁ + h11·step·b'₁ and h10/t = (t − 1)²,
        # h01/t = t(3 − 2t), h11/t = t(t − 1)
        return -((t - 1.0) * (t - 1.0) * b_d[0] + t * (3.0 - 2.0 * t) * b_v[1] / step
                 + t * (t - 1.0) * b_d[1])
    return -table_eval(w, step, b_v, b_d) / w


@nb.njit(cache=True, fastmath=False)
def _pair(acc, c, n1x, n1y, n1z, n2x, n2y, n2z, kx, ky, kz, dx, dy, dz, area1, area2,
          n_a, n_b, pcd, rmin, rmax, p0, log_range, step, a_v, a_d, b_v, b_d, w_scale, fw,
          x2, y2, z2, tax, ew, gw, strat, rib):
    """Add one surface pair's contributions to acc[c, :]; ``fw`` is the flux weight of the
    sample (1 for a beam from infinity); (x2, y2, z2) the point on mesh 2 and ``tax`` = (p, â)
    the torque axis (zeros: no torque). ``ew`` weights everything but the transverse gradient
    (energies, the k̂ part of the gradient, the torque's normal-rotation term), ``gw`` the
    transverse gradient a'(w) w_scale s/|Δz| (the antithetic lines of A and B: ew = 1, gw = ½
    on the sampled line, ew = 0, gw = ½ on its mirror image)."""
    dz_ = dx * kx + dy * ky + dz * kz
    if dz_ == 0.0:
        return
    sx, sy, sz = dx - dz_ * kx, dy - dz_ * ky, dz - dz_ * kz
    s2 = sx * sx + sy * sy + sz * sz
    c1 = n1x * kx + n1y * ky + n1z * kz
    c2 = n2x * kx + n2y * ky + n2z * kz
    perp = n1x * n2x + n1y * n2y + n1z * n2z - c1 * c2
    # normal-rotation term of the torque: n̂₁⊥·(â × n̂₂)⊥ (faces ⟂ the beam rotate into view)
    rnx = tax[4] * n2z - tax[5] * n2y
    rny = tax[5] * n2x - tax[3] * n2z
    rnz = tax[3] * n2y - tax[4] * n2x
    rperp = (n1x * rnx + n1y * rny + n1z * rnz
             - c1 * (rnx * kx + rny * ky + rnz * kz))
    if perp == 0.0 and (rperp == 0.0 or ew == 0.0):
        return
    pd = _offset_density(math.sqrt(s2), rmin, rmax, p0, log_range)
    qa = n_a * pd * abs(c2) / area1
    qb = n_b * pd * abs(c1) / area2
    dens = qa + qb + pcd
    if dens <= 0.0:
        return
    wd = fw / dens
    wgt = wd * perp
    # the transverse gradient uses the power heuristic (β = 4) instead of the balance one: it
    # hands the neighbourhood of each body's silhouette to the strategy that sees the other
    # body there (near the rim of mesh 2, where |n̂₂·k̂| → 0, to B, whose antithetic lines then
    # difference the smooth geometry of mesh 1), where the balance weights leave a share with
    # lines that cross the rim (one hits, its mirror misses: a 1/δ term, δ the wake's width)
    qm = max(qa, qb, pcd)
    ra, rb, rc = qa / qm, qb / qm, pcd / qm
    rs = ra if strat == 0 else (rb if strat == 1 else rc)
    ra2, rb2, rc2 = ra * ra, rb * rb, rc * rc
    wt = fw * perp * rs * rs * rs / (qm * (ra2 * ra2 + rb2 * rb2 + rc2 * rc2))
    adz = abs(dz_)
    w = s2 / (2.0 * adz) * w_scale
    a = table_eval(w, step, a_v, a_d)
    b = table_eval(w, step, b_v, b_d) / adz
    down = 1.0 if dz_ > 0 else 0.0
    sgn = 1.0 if dz_ > 0 else -1.0
    # ∇_d a(w) = a'(w) w_scale (s/|Δz| − s²/(2Δz²) sign(Δz) k̂) = a'(w) w_scale s/|Δz|
    # + sign(Δz) (b/|Δz|) k̂ (b = −w a'): written so, its k̂-component is channel 3's summand
    # torque: rotating mesh 2 about (p, â) moves x₂ by â × (x₂ − p) and turns n̂₂ into â × n̂₂
    qx, qy, qz = x2 - tax[0], y2 - tax[1], z2 - tax[2]
    vx = tax[4] * qz - tax[5] * qy
    vy = tax[5] * qx - tax[3] * qz
    vz = tax[3] * qy - tax[4] * qx
    if rib <= 0.0:
        ap = gw * wt * _a_prime(w, step, b_v, b_d) * w_scale / adz
        gx, gy, gz = ap * sx, ap * sy, ap * sz
        tq = gx * vx + gy * vy + gz * vz
    else:
        # integration by parts along the ray from the first point's line (module docstring):
        # A and B share the pair by power weights of |n̂·k̂| alone (constant on a triangle
        # pair); the block only where both vanish (per pair, as above)
        gx = gy = gz = tq = 0.0
        qa_ = n_a * abs(c2) / area1
        qb_ = n_b * abs(c1) / area2
        if strat == 2:
            if qa_ + qb_ == 0.0 and pcd > 0.0:
                ap = gw * fw * perp / pcd * _a_prime(w, step, b_v, b_d) * w_scale / adz
                gx, gy, gz = ap * sx, ap * sy, ap * sz
                tq = gx * vx + gy * vy + gz * vz
        elif s2 > 0.0:
            qm_ = max(qa_, qb_)
            ra_, rb_ = qa_ / qm_, qb_ / qm_
            ra_, rb_ = ra_ * ra_ * ra_ * ra_, rb_ * rb_ * rb_ * rb_
            sig = 1.0 if strat == 0 else -1.0
            ch = c2 if strat == 0 else c1
            if ch != 0.0:
                ws = (ra_ if strat == 0 else rb_) / (ra_ + rb_)
                phi = ws * fw * perp / abs(ch)
                pref = area1 / n_a if strat == 0 else area2 / n_b
                r = math.sqrt(s2)
                ux, uy, uz = sig * sx / r, sig * sy / r, sig * sz / r
                if strat == 0:
                    nhu = n2x * ux + n2y * uy + n2z * uz
                else:
                    nhu = n1x * ux + n1y * uy + n1z * uz
                dt_dr = -nhu / ch                 # slope of the hit's height along û
                dzr = sig * dt_dr                 # d(Δz)/dr
                vu = ux * vx + uy * vy + uz * vz
                dv = 0.0
                if strat == 0:                    # the lever moves with the hit on mesh 2
                    akx = tax[4] * kz - tax[5] * ky
                    aky = tax[5] * kx - tax[3] * kz
                    akz = tax[3] * ky - tax[4] * kx
                    dv = dt_dr * (ux * akx + uy * aky + uz * akz)
                base_ = -gw * pref * sig * phi / pd
                fco = base_ * (a / r + sgn * b * dzr)
                gx, gy, gz = fco * ux, fco * uy, fco * uz
                tq = base_ * (a * (vu + r * dv) / r + vu * sgn * b * dzr)
    if ew != 0.0:
        acc[c, 0] += wgt * a
        acc[c, 1] += wgt * 2.0 * down * a
        acc[c, 2] += wgt * 2.0 * (1.0 - down) * a
        acc[c, 3] += wgt * sgn * b
        acc[c, 4] += wgt * 2.0 * down * b
        acc[c, 5] += wgt * 2.0 * (1.0 - down) * b
        kb_ = ew * wgt * sgn * b
        gx += kb_ * kx
        gy += kb_ * ky
        gz += kb_ * kz
        tq += ew * wd * rperp * a + kb_ * (kx * vx + ky * vy + kz * vz)
    acc[c, 6] += gx
    acc[c, 7] += gy
    acc[c, 8] += gz
    acc[c, 15] += tq
    if down > 0.0:
        acc[c, 9] += 2.0 * gx
        acc[c, 10] += 2.0 * gy
        acc[c, 11] += 2.0 * gz
        acc[c, 16] += 2.0 * tq
    else:
        acc[c, 12] += 2.0 * gx
        acc[c, 13] += 2.0 * gy
        acc[c, 14] += 2.0 * gz


@nb.njit(cache=True, fastmath=False)
def _core_chord(px, py, pz, nx, ny, nz, eb):
    """Length [m] of the chord through p along n of the cylindrical core described by eb
    (0 when p is outside it). eb = [β, centre (3), axis (3), radius, height, s0, s1, p0s]."""
    dx, dy, dz = px - eb[1], py - eb[2], pz - eb[3]
    ax, ay, az = eb[4], eb[5], eb[6]
    rad, hgt = eb[7], eb[8]
    h = dx * ax + dy * ay + dz * az
    wx, wy, wz = dx - h * ax, dy - h * ay, dz - h * az
    if abs(h) > 0.5 * hgt or wx * wx + wy * wy + wz * wz > rad * rad:
        return 0.0
    na = nx * ax + ny * ay + nz * az
    lo, hi = -1e300, 1e300
    if na != 0.0:
        t1, t2 = (-0.5 * hgt - h) / na, (0.5 * hgt - h) / na
        lo, hi = max(lo, min(t1, t2)), min(hi, max(t1, t2))
    mx, my, mz = nx - na * ax, ny - na * ay, nz - na * az
    mm = mx * mx + my * my + mz * mz
    if mm > 0.0:
        wm = wx * mx + wy * my + wz * mz
        disc = wm * wm - mm * (wx * wx + wy * wy + wz * wz - rad * rad)
        root = math.sqrt(max(disc, 0.0))
        lo, hi = max(lo, (-wm - root) / mm), min(hi, (-wm + root) / mm)
    return max(hi - lo, 0.0)


@nb.njit(cache=True, fastmath=False)
def _slab_ratio(fx, fy, fz, nx, ny, nz, ex, ey, ez, eb):
    """p_prop(y)/p_core(y) of the emission-point proposal of D and E: with probability β the
    core point is moved along the face normal n to a signed distance s from the plane through
    the first point f (density q(s)), so the ratio is (1 − β) + β L_n(y) q(s)."""
    beta = eb[0]
    if beta <= 0.0:
        return 1.0
    sd = (ex - fx) * nx + (ey - fy) * ny + (ez - fz) * nz
    a = abs(sd)
    s0, s1, p0s = eb[9], eb[10], eb[11]
    if a < s0:
        q = p0s / (2.0 * s0)
    elif a <= s1:
        q = (1.0 - p0s) / (2.0 * a * math.log(s1 / s0))
    else:
        q = 0.0
    return (1.0 - beta) + beta * _core_chord(ex, ey, ez, nx, ny, nz, eb) * q


@nb.njit(cache=True, fastmath=False)
def _mix(n_c, pi_c, pi_d, pi_e, j1, j2, x1, y1, z1, x2, y2, z2, kx, ky, kz,
         m1_v0, m1_e1, m1_e2, m1_n, m1_pw, m1_bw, m1_ta, m1_eof, m1_eoa,
         m2_v0, m2_e1, m2_e2, m2_n, m2_pw, m2_bw, m2_ta, m2_eof, m2_eoa,
         rmin, rmax, p0, log_range, ex, ey, ez, eb):
    """n_c × the mixture density per dA₁dA₂ of the area-pair block: C (both ∝ |n̂⊥| area), D
    (x₁ ∝ |n̂⊥| area, x₂ on an edge-on face of mesh 2 near the line through x₁), E (mirror),
    relative to the core density of the emission point (ex, ey, ez) when D, E bias it."""
    d = pi_c * m1_pw[j1] * m2_pw[j2] / (m1_bw * m2_bw)
    if pi_d > 0.0:
        pd_ = _edge_on_density(j2, x1, y1, z1, x2, y2, z2, kx, ky, kz, m2_v0, m2_e1, m2_e2, m2_n,
                               m2_ta, m2_eof, m2_eoa, rmin, rmax, p0, log_range)
        if pd_ > 0.0:
            d += pi_d * m1_pw[j1] / m1_bw * pd_ * _slab_ratio(
                x1, y1, z1, m2_n[j2, 0], m2_n[j2, 1], m2_n[j2, 2], ex, ey, ez, eb)
    if pi_e > 0.0:
        pe_ = _edge_on_density(j1, x2, y2, z2, x1, y1, z1, kx, ky, kz, m1_v0, m1_e1, m1_e2, m1_n,
                               m1_ta, m1_eof, m1_eoa, rmin, rmax, p0, log_range)
        if pe_ > 0.0:
            d += pi_e * m2_pw[j2] / m2_bw * pe_ * _slab_ratio(
                x2, y2, z2, m1_n[j1, 0], m1_n[j1, 1], m1_n[j1, 2], ex, ey, ez, eb)
    return n_c * d


@nb.njit(parallel=True, cache=True, fastmath=False)
def wake_pair_sums(m1_v0, m1_e1, m1_e2, m1_n, m1_cdf, m1_grid, m1_cs, m1_ct, m1_z, area1,
                   m1_pw, m1_cdfc, m1_bw, m1_grp, m1_ta, m1_eof, m1_eoi, m1_eoc, m1_eoa,
                   m2_v0, m2_e1, m2_e2, m2_n, m2_cdf, m2_grid, m2_cs, m2_ct, m2_z, area2,
                   m2_pw, m2_cdfc, m2_bw, m2_grp, m2_ta, m2_eof, m2_eoi, m2_eoc, m2_eoa,
                   base, ua, ka, ub, kb, uc, kc, rmin, rmax, p0,
                   step, a_v, a_d, b_v, b_d, w_scale, n_chunks, emit, pa, pb, pc, flux_norm,
                   skip_same, pi_c, pi_d, pi_e, eb, tax, mirror, rib):
    """Channel sums of the three-strategy estimator (see module docstring).

    ua, ub (N_a × 6, N_b × 6): [u_triangle, r1, r2, u_mix, u_radius, u_phi] for strategy A
    (point on mesh 1, offset line through mesh 2) and B (point on mesh 2, line through mesh 1);
    uc (N_c × 9): the area-pair block, a mixture with probabilities pi_c, pi_d, pi_e (chosen by
    uc[:, 0]) of C (a point on each mesh, density ∝ |n̂⊥| per area: pw = |n̂⊥| relative to the
    base direction per triangle, cdfc its area-weighted cumulative fraction, bw = Σ area·pw),
    D (x₁ like C, then a point on an edge-on triangle of mesh 2 — |n̂·k̂₀| below the threshold:
    eof flag, eoi indices, eoc cumulative area, eoa their area — near x₁'s line) and E (mirror);
    ka, kb, kc: the unit direction of travel drawn from the source's profile, per sample;
    or, when ``emit``, pa, pb, pc: emission points (N × 3) [m] of a source at finite distance:
    the direction is then from the emission point to the sample's first point (x₁ for A and C,
    x₂ for B — the same ray up to δ/R), and each sample is weighted by the flux ratio
    1/(|x₁ − y|² flux_norm), flux_norm = ⟨1/|x_ref − y|²⟩ at the reference point.
    ``skip_same``: drop pairs on the same plane face (m_grp: coplanar group of each triangle) in
    the self-interaction of one mesh: those terms live at separations ≲ |∇h|/E, below the
    continuum model; see nusim.engine.directional.
    """
    n_a, n_b, n_c = ua.shape[0], ub.shape[0], uc.shape[0]
    log_range = math.log(rmax / rmin)
    acc = np.zeros((n_chunks, N_CHANNELS))
    total = n_a + n_b + n_c
    gw_ab = 0.5 if mirror else 1.0
    for c in nb.prange(n_chunks):
        t_hit = np.empty(MAX_HITS)
        j_hit = np.empty(MAX_HITS, dtype=np.int64)
        j_near = np.empty(MAX_NEAR, dtype=np.int64)
        ea = np.zeros(3)
        lo = c * total // n_chunks
        hi = (c + 1) * total // n_chunks
        for i in range(lo, hi):
            if i < n_a:
                j1 = _pick(m1_cdf, ua[i, 0])
                x1, y1, z1 = _point_on(m1_v0, m1_e1, m1_e2, j1, ua[i, 1], ua[i, 2])
                fw = 1.0
                if emit:
                    ea[0], ea[1], ea[2] = pa[i, 0], pa[i, 1], pa[i, 2]
                    kx, ky, kz = x1 - pa[i, 0], y1 - pa[i, 1], z1 - pa[i, 2]
                    d2 = kx * kx + ky * ky + kz * kz
                    nk = math.sqrt(d2)
                    kx, ky, kz = kx / nk, ky / nk, kz / nk
                    fw = 1.0 / (d2 * flux_norm)
                else:
                    kx, ky, kz = ka[i, 0], ka[i, 1], ka[i, 2]
                # the sampled line and its mirror image (offset −δ: the same marginal density,
                # so either alone is unbiased); the mirror feeds only the transverse gradient,
                # whose ±δ terms cancel up to the geometry's variation across 2δ
                for mir in range(2 if mirror else 1):
                    ox, oy, oz = _offset_origin(x1, y1, z1, kx, ky, kz, ua[i, 3], ua[i, 4],
                                                ua[i, 5], 1.0 - 2.0 * mir, rmin, p0, log_range)
                    if rib > 0.0:
                        ux, uy, uz = ox - x1, oy - y1, oz - z1
                        un = math.sqrt(ux * ux + uy * uy + uz * uz)
                        if un > 0.0:
                            _edge_terms(acc, c, x1, y1, z1, m1_n[j1, 0], m1_n[j1, 1],
                                        m1_n[j1, 2], m1_grp[j1], ux / un, uy / un, uz / un,
                                        kx, ky, kz, 1.0, gw_ab * area1 / n_a, fw, n_a, n_b,
                                        area1, area2, True, m2_v0, m2_e1, m2_e2, m2_n, m2_grp,
                                        m2_grid, m2_cs, m2_ct, base, m2_z, rib, skip_same, step,
                                        a_v, a_d, w_scale, tax, j_near)
                    nh = line_hits(ox, oy, oz, kx, ky, kz, m2_v0, m2_e1, m2_e2, m2_grid,
                                   m2_cs, m2_ct, base, m2_z, t_hit, j_hit)
                    for h in range(nh):
                        j2 = j_hit[h]
                        t = t_hit[h]
                        if skip_same and m1_grp[j1] == m2_grp[j2]:
                            continue
                        x2, y2, z2 = ox + t * kx, oy + t * ky, oz + t * kz
                        pm = _mix(n_c, pi_c, pi_d, pi_e, j1, j2, x1, y1, z1, x2, y2, z2,
                                  kx, ky, kz,
                                  m1_v0, m1_e1, m1_e2, m1_n, m1_pw, m1_bw, m1_ta, m1_eof, m1_eoa,
                                  m2_v0, m2_e1, m2_e2, m2_n, m2_pw, m2_bw, m2_ta, m2_eof, m2_eoa,
                                  rmin, rmax, p0, log_range, ea[0], ea[1], ea[2], eb)
                        _pair(acc, c, m1_n[j1, 0], m1_n[j1, 1], m1_n[j1, 2],
                              m2_n[j2, 0], m2_n[j2, 1], m2_n[j2, 2], kx, ky, kz,
                              x2 - x1, y2 - y1, z2 - z1, area1, area2,
                              n_a, n_b, pm, rmin, rmax,
                              p0, log_range, step, a_v, a_d, b_v, b_d, w_scale, fw, x2, y2, z2,
                              tax, 1.0 - mir, gw_ab, 0, rib)
            elif i < n_a + n_b:
                k = i - n_a
                j2 = _pick(m2_cdf, ub[k, 0])
                x2, y2, z2 = _point_on(m2_v0, m2_e1, m2_e2, j2, ub[k, 1], ub[k, 2])
                if emit:
                    ea[0], ea[1], ea[2] = pb[k, 0], pb[k, 1], pb[k, 2]
                    kx, ky, kz = x2 - pb[k, 0], y2 - pb[k, 1], z2 - pb[k, 2]
                    nk = math.sqrt(kx * kx + ky * ky + kz * kz)
                    kx, ky, kz = kx / nk, ky / nk, kz / nk
                else:
                    kx, ky, kz = kb[k, 0], kb[k, 1], kb[k, 2]
                for mir in range(2 if mirror else 1):
                    ox, oy, oz = _offset_origin(x2, y2, z2, kx, ky, kz, ub[k, 3], ub[k, 4],
                                                ub[k, 5], -1.0 + 2.0 * mir, rmin, p0,
                                                log_range)
                    if rib > 0.0:
                        ux, uy, uz = ox - x2, oy - y2, oz - z2
                        un = math.sqrt(ux * ux + uy * uy + uz * uz)
                        if un > 0.0:
                            fw0 = 1.0
                            if emit:
                                qx = x2 - pb[k, 0]
                                qy = y2 - pb[k, 1]
                                qz = z2 - pb[k, 2]
                                fw0 = 1.0 / ((qx * qx + qy * qy + qz * qz) * flux_norm)
                            _edge_terms(acc, c, x2, y2, z2, m2_n[j2, 0], m2_n[j2, 1],
                                        m2_n[j2, 2], m2_grp[j2], ux / un, uy / un, uz / un,
                                        kx, ky, kz, -1.0, gw_ab * area2 / n_b, fw0, n_a, n_b,
                                        area1, area2, False, m1_v0, m1_e1, m1_e2, m1_n, m1_grp,
                                        m1_grid, m1_cs, m1_ct, base, m1_z, rib, skip_same, step,
                                        a_v, a_d, w_scale, tax, j_near)
                    nh = line_hits(ox, oy, oz, kx, ky, kz, m1_v0, m1_e1, m1_e2, m1_grid,
                                   m1_cs, m1_ct, base, m1_z, t_hit, j_hit)
                    for h in range(nh):
                        j1 = j_hit[h]
                        t = t_hit[h]
                        if skip_same and m1_grp[j1] == m2_grp[j2]:
                            continue
                        fw = 1.0
                        if emit:
                            qx = ox + t * kx - pb[k, 0]
                            qy = oy + t * ky - pb[k, 1]
                            qz = oz + t * kz - pb[k, 2]
                            fw = 1.0 / ((qx * qx + qy * qy + qz * qz) * flux_norm)
                        x1, y1, z1 = ox + t * kx, oy + t * ky, oz + t * kz
                        pm = _mix(n_c, pi_c, pi_d, pi_e, j1, j2, x1, y1, z1, x2, y2, z2,
                                  kx, ky, kz,
                                  m1_v0, m1_e1, m1_e2, m1_n, m1_pw, m1_bw, m1_ta, m1_eof, m1_eoa,
                                  m2_v0, m2_e1, m2_e2, m2_n, m2_pw, m2_bw, m2_ta, m2_eof, m2_eoa,
                                  rmin, rmax, p0, log_range, ea[0], ea[1], ea[2], eb)
                        _pair(acc, c, m1_n[j1, 0], m1_n[j1, 1], m1_n[j1, 2],
                              m2_n[j2, 0], m2_n[j2, 1], m2_n[j2, 2], kx, ky, kz,
                              x2 - x1, y2 - y1, z2 - z1,
                              area1, area2, n_a, n_b, pm, rmin, rmax, p0,
                              log_range, step, a_v, a_d, b_v, b_d, w_scale, fw, x2, y2, z2, tax,
                              1.0 - mir, gw_ab, 1, rib)
            else:
                k = i - n_a - n_b
                mode = uc[k, 0]
                if mode < pi_c + pi_d:     # C or D: x₁ first, ∝ |n̂⊥| area on mesh 1
                    j1 = _pick(m1_cdfc, uc[k, 1])
                    x1, y1, z1 = _point_on(m1_v0, m1_e1, m1_e2, j1, uc[k, 2], uc[k, 3])
                    fx, fy, fz = x1, y1, z1
                else:                      # E: x₂ first, ∝ |n̂⊥| area on mesh 2
                    j2 = _pick(m2_cdfc, uc[k, 1])
                    x2, y2, z2 = _point_on(m2_v0, m2_e1, m2_e2, j2, uc[k, 2], uc[k, 3])
                    fx, fy, fz = x2, y2, z2
                jt = 0
                if mode >= pi_c:
                    # D, E: an edge-on face of the other mesh, ∝ area
                    if mode < pi_c + pi_d:
                        jt = m2_eoi[_pick(m2_eoc, uc[k, 4])]
                        tv0, te1, te2, tn = m2_v0, m2_e1, m2_e2, m2_n
                    else:
                        jt = m1_eoi[_pick(m1_eoc, uc[k, 4])]
                        tv0, te1, te2, tn = m1_v0, m1_e1, m1_e2, m1_n
                if emit:
                    ea[0], ea[1], ea[2] = pc[k, 0], pc[k, 1], pc[k, 2]
                    if mode >= pi_c and uc[k, 9] < eb[0]:
                        # move the core point along the face normal to a small signed distance
                        # s from the plane through f: rays nearly parallel to the face
                        nx, ny, nz = tn[jt, 0], tn[jt, 1], tn[jt, 2]
                        if uc[k, 10] < eb[11]:
                            sd = eb[9] * uc[k, 11]
                        else:
                            sd = eb[9] * math.exp(uc[k, 11] * math.log(eb[10] / eb[9]))
                        if uc[k, 12] < 0.5:
                            sd = -sd
                        cur = (ea[0] - fx) * nx + (ea[1] - fy) * ny + (ea[2] - fz) * nz
                        ea[0] += (sd - cur) * nx
                        ea[1] += (sd - cur) * ny
                        ea[2] += (sd - cur) * nz
                        if _core_chord(ea[0], ea[1], ea[2], nx, ny, nz, eb) <= 0.0:
                            continue  # moved out of the core: zero weight
                    kx, ky, kz = fx - ea[0], fy - ea[1], fz - ea[2]
                    nk = math.sqrt(kx * kx + ky * ky + kz * kz)
                    kx, ky, kz = kx / nk, ky / nk, kz / nk
                else:
                    kx, ky, kz = kc[k, 0], kc[k, 1], kc[k, 2]
                if mode < pi_c:
                    j2 = _pick(m2_cdfc, uc[k, 4])
                    x2, y2, z2 = _point_on(m2_v0, m2_e1, m2_e2, j2, uc[k, 5], uc[k, 6])
                else:
                    # on the face, a point whose in-plane offset η ⟂ the beam is drawn like the
                    # line strategies' offsets and whose position along the beam is uniform on
                    # the face's chord at that η
                    nx, ny, nz = tn[jt, 0], tn[jt, 1], tn[jt, 2]
                    ux, uy, uz, vx, vy, vz = _plane_frame(nx, ny, nz, kx, ky, kz)
                    if uc[k, 5] < p0:
                        eta = rmin * uc[k, 6]
                    else:
                        eta = rmin * math.exp(uc[k, 6] * log_range)
                    if uc[k, 7] < 0.5:
                        eta = -eta
                    za, zb = _chord(tv0, te1, te2, jt, fx, fy, fz, ux, uy, uz, vx, vy, vz, eta)
                    if zb <= za:
                        continue
                    zeta = za + uc[k, 8] * (zb - za)
                    dn = ((tv0[jt, 0] - fx) * nx + (tv0[jt, 1] - fy) * ny
                          + (tv0[jt, 2] - fz) * nz)
                    px = fx + dn * nx + eta * ux + zeta * vx
                    py = fy + dn * ny + eta * uy + zeta * vy
                    pz = fz + dn * nz + eta * uz + zeta * vz
                    if mode < pi_c + pi_d:
                        j2, x2, y2, z2 = jt, px, py, pz
                    else:
                        j1, x1, y1, z1 = jt, px, py, pz
                if skip_same and m1_grp[j1] == m2_grp[j2]:
                    continue
                fw = 1.0
                if emit:
                    qx, qy, qz = x1 - ea[0], y1 - ea[1], z1 - ea[2]
                    fw = 1.0 / ((qx * qx + qy * qy + qz * qz) * flux_norm)
                pm = _mix(n_c, pi_c, pi_d, pi_e, j1, j2, x1, y1, z1, x2, y2, z2, kx, ky, kz,
                         m1_v0, m1_e1, m1_e2, m1_n, m1_pw, m1_bw, m1_ta, m1_eof, m1_eoa,
                         m2_v0, m2_e1, m2_e2, m2_n, m2_pw, m2_bw, m2_ta, m2_eof, m2_eoa,
                         rmin, rmax, p0, log_range, ea[0], ea[1], ea[2], eb)
                _pair(acc, c, m1_n[j1, 0], m1_n[j1, 1], m1_n[j1, 2],
                      m2_n[j2, 0], m2_n[j2, 1], m2_n[j2, 2], kx, ky, kz,
                      x2 - x1, y2 - y1, z2 - z1, area1, area2, n_a, n_b, pm, rmin, rmax, p0,
                      log_range, step, a_v, a_d, b_v, b_d, w_scale, fw, x2, y2, z2, tax, 1.0,
                      1.0, 2, rib)
    out = np.zeros(N_CHANNELS)
    for c in range(n_chunks):
        for q in range(N_CHANNELS):
            out[q] += acc[c, q]
    return out
