"""The surface (wake) estimator of the directional beam energy, forces and torques between meshes.

Why not pair sums. Between macroscopic bodies the directional kernel (eq. 4.12 of [1]) has phase
(1 − cos α)E r ~ 1e12 rad; uniformly sampled pairs return noise many orders above the answer
(design note §2). The structure that makes it computable (design note §3–§4, §7, and
:mod:`nusim.physics.wake_kernel`): in the mixed representation the kernel is
Ṽ(q, z) = −2G_F² ∫dE φ sin(q²|z|/2E), which vanishes at q = 0, so for uniform bodies (densities
n₁, n₂ of weak charge, outward unit normals n̂) the volume double integral becomes a surface
double integral with a smooth, non-oscillating kernel of width √(|z|/E):

    U = n₁ n₂ ∮_{S₁} dA₁ ∮_{S₂} dA₂ (n̂₁⊥ · n̂₂⊥) 𝒢(s₂ − s₁, z₂ − z₁),
    𝒢 = −(G_F² Φ / 2π) a(s²/2|z|),    𝒢_R = 2 θ(z) 𝒢 (retarded: body 2 in the wake of body 1).

(∇ρ = −n n̂ δ_S.) Faces perpendicular to the beam drop out (n̂⊥ = 0); what survives is where the
two bodies' silhouettes and side walls overlap in projection — the Fresnel shadow of the edges.
The representation is exact up to relative corrections 1/(E·feature)² (≈ 1e-22 for a 1 mm
feature at 1 MeV); the spectrum enters through a(w) and b(w) exactly (Gaussian components), the
source's angular profile by sampling the direction of travel k̂′ per sample (a finite reactor
core's real silhouette, not a Gaussian stand-in).

Estimator (unbiased; multiple importance sampling with the balance heuristic [2]):
A: x₁ uniform by area on S₁; a transverse offset δ ⟂ k̂′ from a radial density that is uniform
   inside r_min and ∝ 1/r² (log-uniform radius) out to r_max ≥ every pair's transverse distance;
   every crossing of the line x₁ + δ + t k̂′ with S₂ is a pair (density p(δ)|n̂₂·k̂′|/A₁);
B: the same with the bodies' roles exchanged (density p(δ)|n̂₁·k̂′|/A₂);
C: x₁, x₂ on each surface with density ∝ |n̂⊥| per area (faces perpendicular to the beam carry
   no integrand) — a safety net that reaches every pair;
D, E: for faces nearly parallel to the beam (|n̂·k̂₀| < 0.3: side walls, caps in a horizontal
   beam), which lines along the beam meet rarely or never: x₁ as in C, then an edge-on face of
   the other body (∝ area) and on it a point whose in-plane offset ⟂ the beam is drawn like the
   offsets of A (1/|η| density) and whose position along the beam is uniform on the face's chord
   — the coincident and near-coincident edges that dominate degenerate geometries (coaxial
   cylinders, coplanar caps) are sampled where the kernel lives. C, D, E form one block with a
   mixture density.
Each pair contributes f/Σ_s N_s p_s. With the 1/r² offset density the weight of a pair is
bounded at every offset (𝒢 ≈ const inside the core, its tail ∝ cos(w E)/(wE)), so the variance
is finite for every Fresnel number; the kernel scale r_min only moves variance around. Forces
along the beam come from the exact derivative ∂𝒢/∂z (b(w)); forces and torques in general from
the analytic derivative channels (lab-vector ∇a(w) per pair, and the turning normals for
torques; :mod:`nusim.engine.wake_kernels`) or, in :mod:`nusim.engine.directional`, from central
differences of the energy under rigid motions of the target with common random numbers.
Errors come from independent replicas, as everywhere in nusim.

Units: geometry [m], charge densities [m⁻³], results [J], [N], [N m].

References: [1] M. Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082; [2] E. Veach and
L. Guibas, SIGGRAPH 1995 (multiple importance sampling); design note §3–§7.
"""

import math
from dataclasses import dataclass

import numpy as np
import trimesh

from nusim import units
from nusim.engine import wake_kernels as _wk
from nusim.errors import ArgumentError
from nusim.sources import profiles

#: default share of samples per strategy (A, B, area-pair block C/D/E)
STRATEGY_SHARES = (0.4, 0.4, 0.2)
#: mixture of the area-pair block: C (area pairs), D and E (edge-on faces of mesh 2, mesh 1)
BLOCK_MIXTURE = (0.3, 0.35, 0.35)
#: |n̂·k̂₀| below which a triangle counts as edge-on (parallel to the beam) for D and E
EDGE_ON_THRESHOLD = 0.3
#: probability of the uniform core disk in the offset sampler
CORE_PROBABILITY = 0.2


@dataclass(frozen=True)
class MeshArrays:
    """A watertight triangle mesh prepared for the estimator (lab frame, metres)."""

    v0: np.ndarray
    e1: np.ndarray
    e2: np.ndarray
    normal: np.ndarray
    cdf: np.ndarray
    grid: np.ndarray
    cell_start: np.ndarray
    cell_tri: np.ndarray
    zrange: np.ndarray
    area_m2: float
    perp_weight: np.ndarray
    cdf_perp: np.ndarray
    perp_area_m2: float
    face_group: np.ndarray
    tri_area: np.ndarray
    edge_on: np.ndarray
    edge_on_index: np.ndarray
    edge_on_cdf: np.ndarray
    edge_on_area_m2: float
    vertices: np.ndarray
    faces: np.ndarray


def transverse_base(k0):
    """Rows (b1, b2, k0): a right-handed orthonormal basis with k0 last."""
    k0 = np.asarray(k0, float) / np.linalg.norm(k0)
    b1, b2 = profiles.transverse_basis(k0)
    return np.ascontiguousarray(np.vstack([b1, b2, k0]))


def mesh_arrays(vertices_m, faces, base, groups=None):
    """Prepare (vertices (n, 3) [m], faces (m, 3) int) for :func:`wake_channel_sums`."""
    v = np.ascontiguousarray(vertices_m, float)
    f = np.ascontiguousarray(faces, np.int64)
    tri = v[f]
    v0 = np.ascontiguousarray(tri[:, 0])
    e1 = np.ascontiguousarray(tri[:, 1] - tri[:, 0])
    e2 = np.ascontiguousarray(tri[:, 2] - tri[:, 0])
    cross = np.cross(e1, e2)
    dbl = np.linalg.norm(cross, axis=1)
    if np.any(dbl <= 0):
        raise ArgumentError("mesh_arrays: the mesh has zero-area triangles; repair it "
                            "(trimesh: mesh.update_faces(mesh.nondegenerate_faces()))")
    normal = np.ascontiguousarray(cross / dbl[:, None])
    area = 0.5 * dbl
    cdf = np.cumsum(area)
    total = float(cdf[-1])
    cdf = np.ascontiguousarray(cdf / total)
    grid, start, cell_tri = projection_grid(tri @ base.T)
    z = v @ base[2]
    # strategy C samples triangles ∝ area·|n̂⊥| (faces ⟂ the beam have n̂⊥ = 0: no integrand)
    perp = np.ascontiguousarray(np.sqrt(np.clip(1 - (normal @ base[2]) ** 2, 0, None)))
    cdf_p = np.cumsum(area * perp)
    b_w = float(cdf_p[-1])
    # faces nearly parallel to the beam: the edge-on strategies D, E sample points on them
    eo = np.abs(normal @ base[2]) < EDGE_ON_THRESHOLD
    eo_idx = np.flatnonzero(eo).astype(np.int64)
    eo_cdf = np.cumsum(area[eo_idx])
    eo_area = float(eo_cdf[-1]) if eo_idx.size else 0.0
    eo_cdf = eo_cdf / eo_area if eo_idx.size else np.ones(1)
    if not eo_idx.size:
        eo_idx = np.zeros(1, np.int64)
    return MeshArrays(v0, e1, e2, normal, cdf, grid, start, cell_tri,
                      np.array([z.min(), z.max()]), total, perp,
                      np.ascontiguousarray(cdf_p / b_w), b_w,
                      plane_groups(v, f) if groups is None else groups,
                      np.ascontiguousarray(area), eo.astype(np.int64), eo_idx,
                      np.ascontiguousarray(eo_cdf), eo_area, v, f)


def plane_groups(vertices, faces):
    """An id per triangle, shared by adjacent coplanar triangles (one flat face of the body)."""
    mesh = trimesh.Trimesh(vertices, faces, process=False)
    group = np.arange(len(faces), dtype=np.int64)
    for k, members in enumerate(mesh.facets):
        group[members] = len(faces) + k
    return np.ascontiguousarray(group)


def projection_grid(proj, cells_per_triangle=2.0):
    """Uniform grid over the triangles' projection (m, 3, ≥2) [m] on the transverse plane:
    (grid = (u0, v0, du, dv, nu, nv), cell_start, cell_tri) with the triangles whose bounding
    box overlaps cell c in cell_tri[cell_start[c]:cell_start[c + 1]] (CSR)."""
    lo_u, hi_u = proj[:, :, 0].min(1), proj[:, :, 0].max(1)
    lo_v, hi_v = proj[:, :, 1].min(1), proj[:, :, 1].max(1)
    u0, u1, v0, v1 = lo_u.min(), hi_u.max(), lo_v.min(), hi_v.max()
    span_u, span_v = max(u1 - u0, 1e-12), max(v1 - v0, 1e-12)
    n_cells = max(1.0, cells_per_triangle * proj.shape[0])
    nu = int(np.clip(round(math.sqrt(n_cells * span_u / span_v)), 1, 4096))
    nv = int(np.clip(round(n_cells / nu), 1, 4096))
    du, dv = span_u * (1 + 1e-9) / nu, span_v * (1 + 1e-9) / nv
    iu0 = np.floor((lo_u - u0) / du).astype(np.int64)
    iu1 = np.minimum(np.floor((hi_u - u0) / du).astype(np.int64), nu - 1)
    iv0 = np.floor((lo_v - v0) / dv).astype(np.int64)
    iv1 = np.minimum(np.floor((hi_v - v0) / dv).astype(np.int64), nv - 1)
    nu_j, nv_j = iu1 - iu0 + 1, iv1 - iv0 + 1
    count = nu_j * nv_j
    tris = np.repeat(np.arange(proj.shape[0]), count)
    local = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    cells = ((np.repeat(iu0, count) + local // np.repeat(nv_j, count)) * nv
             + np.repeat(iv0, count) + local % np.repeat(nv_j, count))
    order = np.argsort(cells, kind="stable")
    start = np.searchsorted(cells[order], np.arange(nu * nv + 1)).astype(np.int64)
    grid = np.array([u0, v0, du, dv, nu, nv], float)
    return grid, np.ascontiguousarray(start), np.ascontiguousarray(tris[order].astype(np.int64))


def moved(mesh, base, rotation=None, pivot=None, shift=None):
    """The mesh after a rigid motion x → R (x − pivot) + pivot + shift [m]."""
    v = mesh.vertices
    if rotation is not None:
        v = (v - pivot) @ np.asarray(rotation).T + pivot
    if shift is not None:
        v = v + np.asarray(shift)
    return mesh_arrays(v, mesh.faces, base, groups=mesh.face_group)  # faces stay faces


def offset_range(mesh1, mesh2, table, distance_m):
    """(r_min, r_max) [m] of the offset sampler: r_max ≥ any transverse pair distance, r_min
    half the kernel core √(2D/E_max) (clamped to ≥ 1e-9 r_max)."""
    pts = np.vstack([mesh1.vertices, mesh2.vertices])
    r_max = 1.01 * float(np.linalg.norm(pts.max(0) - pts.min(0)))
    core = math.sqrt(2 * max(distance_m, 1e-3 * r_max) * units.HBARC_EV_M / table.max_energy)
    return max(0.5 * core, 1e-9 * r_max), r_max


@dataclass(frozen=True)
class Emitter:
    """Where the neutrinos come from, for a source at finite distance (a reactor): a point at
    ``position_m`` [m] or a uniform cylindrical core (radius, height [m], axis). The estimator
    then takes each sample's direction of travel from an emission point to the sample (the real
    silhouette and the ~L/R spread of directions across the apparatus) and weights it by the
    local flux 1/d² relative to the flux at the reference point."""

    position_m: tuple
    core_radius_m: float = 0.0
    core_height_m: float = 0.0
    core_axis: tuple = (0.0, 0.0, 1.0)

    def sample(self, n, rng):
        """n emission points (n, 3) [m], uniform in the core volume."""
        pos = np.asarray(self.position_m, float)
        if self.core_radius_m <= 0 and self.core_height_m <= 0:
            return np.tile(pos, (n, 1))
        axis = np.asarray(self.core_axis, float)
        axis = axis / np.linalg.norm(axis)
        e1, e2 = profiles.transverse_basis(axis)
        u = rng.random((n, 3))
        rho = self.core_radius_m * np.sqrt(u[:, 0])
        phi = 2 * math.pi * u[:, 1]
        h = self.core_height_m * (u[:, 2] - 0.5)
        return (pos + np.outer(rho * np.cos(phi), e1) + np.outer(rho * np.sin(phi), e2)
                + np.outer(h, axis))

    def bias_parameters(self, distance_m, separation_m, r_min_m, beta=0.5, p0=0.2):
        """The proposal of emission points used by the edge-on strategies (β, centre, axis,
        radius, height, s0, s1, p0): with probability β the core point is moved along the face
        normal to a signed distance s from the plane through the sample point, |s| log-uniform
        from s0 = r_min·distance/separation (rays within the wake width of the face's plane
        across the apparatus) to the core's diameter. Zeros (no bias) for a point core."""
        if self.core_radius_m <= 0 or self.core_height_m <= 0:
            return np.zeros(12)
        axis = np.asarray(self.core_axis, float)
        axis = axis / np.linalg.norm(axis)
        s1 = 2 * math.hypot(self.core_radius_m, 0.5 * self.core_height_m)
        s0 = min(r_min_m * distance_m / max(separation_m, 1e-12), 0.1 * s1)
        return np.array([beta, *np.asarray(self.position_m, float), *axis, self.core_radius_m,
                         self.core_height_m, s0, s1, p0])

    def flux_norm(self, point_m):
        """⟨1/|point − y|²⟩ over the core [m⁻²] (exact volume average for a cylinder)."""
        from nusim.sources.reactor import mean_inverse_square_distance
        return float(mean_inverse_square_distance(
            np.asarray(point_m, float), position_m=self.position_m,
            core_radius_m=self.core_radius_m, core_height_m=self.core_height_m,
            core_axis=self.core_axis))


def draw(n_samples, rng, k0, profile, shares=STRATEGY_SHARES, emitter=None):
    """Random inputs of one replica: (ua, ka, ub, kb, uc, kc, pa, pb, pc); directions k from
    the profile, or emission points p from the ``emitter`` (then the k are unused)."""
    counts = np.floor(np.asarray(shares) * n_samples).astype(int)
    counts[0] += n_samples - counts.sum()
    out, pts = [], []
    for s_, n in enumerate(counts):
        u = rng.random((n, 6 if s_ < 2 else 13))
        if emitter is None:
            off = profiles.sample_offsets(profile, n, rng)
            k = profiles.directions(k0, off) if n else np.zeros((0, 3))
            pts.append(np.zeros((0, 3)))
        else:
            k = np.zeros((0, 3))
            pts.append(np.ascontiguousarray(emitter.sample(n, rng)))
        out += [np.ascontiguousarray(u), np.ascontiguousarray(k)]
    return tuple(out + pts)


def wake_channel_sums(mesh1, mesh2, table, base, draws, r_min, r_max, p0=CORE_PROBABILITY,
                      n_chunks=64, flux_norm=0.0, skip_same=False, emitter_bias=None,
                      axis=None, mirror=False):
    """The geometric channel sums of :mod:`nusim.engine.wake_kernels` for one replica
    (``N_CHANNELS`` of them: energies, forces, torques; see that module's table).

    Units: channels 0–2 and 15–16 [m⁴], 3–14 [m³] (per unit charge densities). ``flux_norm``
    [m⁻²]: ⟨1/d²⟩ at the reference point when the draws carry emission points. ``axis``:
    (point [m], direction) about which mesh 2 is rotated for the torque channels 15, 16 (None:
    those channels are 0). ``mirror``: the variance-reduced transverse gradient for forces and
    torques — every line of A and B also traced with its mirror image (offset −δ: antithetic
    pairs) and, when the kernel's reach is small (:func:`ibp_radius`), the gradient integrated
    by parts along rays (2.5–4.5× the kernel time); False (default): one line, per-pair
    gradients (fine for energies and the k̂ parts; channels 0–5 are identical either way).
    """
    ua, ka, ub, kb, uc, kc, pa, pb, pc = draws
    emit = pa.shape[0] + pb.shape[0] + pc.shape[0] > 0
    pi = np.array(BLOCK_MIXTURE, float)
    pi[1] *= mesh2.edge_on_area_m2 > 0
    pi[2] *= mesh1.edge_on_area_m2 > 0
    pi /= pi.sum()
    return _wk.wake_pair_sums(
        mesh1.v0, mesh1.e1, mesh1.e2, mesh1.normal, mesh1.cdf, mesh1.grid, mesh1.cell_start,
        mesh1.cell_tri, mesh1.zrange, mesh1.area_m2, mesh1.perp_weight, mesh1.cdf_perp,
        mesh1.perp_area_m2, mesh1.face_group, mesh1.tri_area, mesh1.edge_on,
        mesh1.edge_on_index, mesh1.edge_on_cdf, mesh1.edge_on_area_m2, mesh2.v0, mesh2.e1,
        mesh2.e2, mesh2.normal,
        mesh2.cdf, mesh2.grid, mesh2.cell_start, mesh2.cell_tri, mesh2.zrange, mesh2.area_m2,
        mesh2.perp_weight, mesh2.cdf_perp, mesh2.perp_area_m2, mesh2.face_group,
        mesh2.tri_area, mesh2.edge_on, mesh2.edge_on_index, mesh2.edge_on_cdf,
        mesh2.edge_on_area_m2, base,
        ua, ka, ub, kb, uc, kc, float(r_min), float(r_max), float(p0), table.step, table.a,
        table.da, table.b, table.db, 1.0 / units.HBARC_EV_M, int(n_chunks), emit, pa, pb, pc,
        float(flux_norm), bool(skip_same), pi[0], pi[1], pi[2],
        np.zeros(12) if emitter_bias is None else np.asarray(emitter_bias, float),
        torque_axis(axis), bool(mirror), float(ibp_radius(mesh1, mesh2, table, base)
                                              if mirror else 0.0))


#: the radial integration by parts of the transverse gradient is used while the wake's reach
#: (ibp_radius) is below this fraction of the smaller body's extent (else per-pair gradients)
IBP_MAX_REACH = 0.02


def ibp_radius(mesh1, mesh2, table, base):
    """Reach [m] of the kernel a(w) across the beam for the largest |Δz| between the meshes,
    √(2|Δz|max w_max/w_scale) (a = 0 beyond the table); 0 (per-pair gradients) when it exceeds
    IBP_MAX_REACH × the smaller body's extent, where the edge search would visit many facets."""
    z1, z2 = mesh1.vertices @ base[2], mesh2.vertices @ base[2]
    dz = max(z2.max() - z1.min(), z1.max() - z2.min())
    reach = math.sqrt(2 * dz * table.w_max * units.HBARC_EV_M)
    size = min(float(np.linalg.norm(np.ptp(m.vertices, axis=0))) for m in (mesh1, mesh2))
    return reach if reach < IBP_MAX_REACH * size else 0.0


def torque_axis(axis):
    """(p [m], â) as the 6-array the kernel takes; zeros when ``axis`` is None."""
    if axis is None:
        return np.zeros(6)
    point = np.asarray(axis[0], float)
    direc = np.asarray(axis[1], float)
    return np.concatenate([point, direc / np.linalg.norm(direc)])


def energy_scale_J(table, n1_m3, n2_m3):
    """J per unit of channels 0–2: −(G_F²Φ/2π)(ħc)² n₁n₂ (U = scale × sum)."""
    return (-(units.G_F**2 * table.flux / (2 * math.pi)) * units.HBARC_EV_M**2 * n1_m3 * n2_m3
            * units.JOULE_PER_EV)


def force_scale_N(table, n1_m3, n2_m3):
    """N per unit of channels 3–5: (G_F²Φ/2π)(ħc)³ n₁n₂ (F_z = scale × sum)."""
    return units.eV2_to_N(units.G_F**2 * table.flux / (2 * math.pi) * units.HBARC_EV_M**3
                          * n1_m3 * n2_m3)
