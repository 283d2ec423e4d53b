"""The near-field estimator for extended sources: the wake energy averaged over the source's
directions, a smooth surface-pair integral (``estimator="nearfield"``).

Derivation. For one direction of travel k̂ the retarded near-field energy of design note §8 is

    U_R(k̂) = −2 G_F² Φ⟨1/E⟩ ∫dz₁dz₂ θ(Δz) Δz ∫d²s ∇⊥ρ₁(s, z₁)·∇⊥ρ₂(s, z₂),

valid when the bodies' features are ≫ the wake's width √(Δz/E) (every macroscopic body). For
uniform bodies ∇ρ = −n n̂ δ_S (n the weak-charge density, n̂ the outward normal), so
U_R(k̂) = −2G_F²Φ⟨1/E⟩ n₁n₂ ∮∮ dA₁dA₂ (n̂₁⊥·n̂₂⊥) θ(Δz) Δz δ²(s), s the offset of x₂ from the
line x₁ + t k̂. A source of finite angular size sends k̂ with a flux per steradian Φ w(k̂; x)
(∫w dΩ = Φ(x)/Φ_ref); for a pair r = x₂ − x₁, ∫dΩ_k w(k̂) θ(Δz) Δz δ²(s) = w(r̂)/r (near k̂ = r̂,
s = r|δk̂| and d²s = r² dΩ), with ⊥ taken relative to r̂. Hence

    U_R = −2 G_F² Φ⟨1/E⟩ n₁n₂ ∮_{S₁}dA₁ ∮_{S₂}dA₂ g w(r̂; x₁)/r,   g = n̂₁·n̂₂ − (n̂₁·r̂)(n̂₂·r̂),

exact in the angles (no paraxial step), bounded (w is bounded for every physical source), and
non-oscillating: plain Monte Carlo converges on it (:mod:`nusim.engine.nearfield_kernels`). The
even potential of the paper is V = ½[U_R(r) + U_R(−r)]; the force on 2 along each ray is
+2G_F²Φ⟨1/E⟩ n₁n₂ ∮∮ g w/r² (§7), which gives the self-force (radiation pressure) of one body.

Where it holds. The exact wake kernel has width √(Δz/E); blurred over zθ by the source it
differs from its near-field limit by a relative O(1/N), N = E Δz θ² (the kernel's second moment
∝ Δz/E against the blur's curvature 1/(Δzθ)², design note §4). Contributing pairs lie within θ
of the beam, so Δz ≳ the gap between the bodies; :func:`validity` evaluates N per spectral
component at the gap, with θ the source's rms angular radius, and the flux/E-weighted
1/N is carried as a systematic error of every figure and named in the result. ``"auto"`` picks
this estimator when that residual is ≤ ``MAX_RESIDUAL`` (every metre-size reactor core in a lab:
N ~ 1e9; the Sun's neutrino-producing core for gaps ≳ 0.1 mm); the wake estimator stays the
reference (tests/engine/test_nearfield.py compares the two).

Units: geometry [m], results [J], [N], [N m] (SI at the boundary, as in
:mod:`nusim.engine.directional`).

References: [1] M. Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082; design note §4, §7, §8.
"""

import math

import numpy as np

from nusim import units
from nusim.engine import nearfield_kernels as _nk
from nusim.engine import wake
from nusim.sources import profiles

#: samples per strategy: F (lines from S₁), B (lines from S₂), A (area pairs), E (pairs of
#: faces nearly parallel to the beam; folded into A when a body has none)
SHARES = (0.4, 0.4, 0.1, 0.1)
#: "auto" uses this estimator while the flux/E-weighted 1/N (module docstring) is at most this
MAX_RESIDUAL = 1e-2
#: lines of F and B traced with their mirror images (2: antithetic directions; 1: single lines)
MIRROR = 1
#: θ nodes of a tabulated angular profile
PROFILE_NODES = 2048


def supports(beam):
    """Whether the beam's directions have a bounded density (an angular profile of finite
    width, or a cylindrical core with radius and height > 0): the estimator's domain."""
    em = beam.emitter
    if em is not None:
        return em.core_radius_m > 0 and em.core_height_m > 0
    p = beam.profile
    if isinstance(p, profiles.Gaussian):
        return p.sigma_rad > 0
    return isinstance(p, (profiles.UniformDisk, profiles.RadialTable))


def _profile_table(profile):
    """(θ nodes [rad], density per sr at the nodes, ∫ w dΩ = 1 for the interpolant)."""
    if isinstance(profile, profiles.Gaussian):
        s = profile.sigma_rad
        th = np.linspace(0.0, min(8.0 * s, 1.5), PROFILE_NODES + 1)
        ratio = np.where(th > 0, th / np.sin(np.where(th > 0, th, 1.0)), 1.0)
        wv = np.exp(-0.5 * (th / s) ** 2) * ratio       # exponential map: θ/sin θ per sr
    elif isinstance(profile, profiles.UniformDisk):
        th = np.linspace(0.0, profile.radius_rad, PROFILE_NODES + 1)
        wv = np.ones_like(th)
    else:
        t0, d0 = (np.asarray(a, float) for a in (profile.theta_rad, profile.density))
        th = np.linspace(0.0, t0[-1], PROFILE_NODES + 1)
        wv = np.interp(th, t0, d0)
    cell = _cell_mass(th, wv)
    return th, wv / cell.sum(), cell / cell.sum()


def _cell_mass(th, wv):
    """∫ w 2π sin θ dθ per cell of the linear interpolant (Simpson per cell: exact to O(Δθ⁴))."""
    mid = 0.5 * (th[1:] + th[:-1])
    wm = 0.5 * (wv[1:] + wv[:-1])
    f0, f1, fm = wv[:-1] * np.sin(th[:-1]), wv[1:] * np.sin(th[1:]), wm * np.sin(mid)
    return 2 * math.pi * np.diff(th) * (f0 + 4 * fm + f1) / 6


def source_model(beam):
    """(src, th, wv, pcdf, pcell): the numba description of the beam's directions
    (:mod:`nusim.engine.nearfield_kernels`)."""
    src = np.zeros(_nk.SRC_SIZE)
    src[1:4] = beam.k_hat
    em = beam.emitter
    if em is not None:
        axis = np.asarray(em.core_axis, float)
        axis = axis / np.linalg.norm(axis)
        e1, e2 = profiles.transverse_basis(axis)
        src[0] = 1.0
        src[4:7] = em.position_m
        src[7:10], src[10:13], src[13:16] = axis, e1, e2
        src[16], src[17] = em.core_radius_m, em.core_height_m
        src[18] = math.pi * em.core_radius_m**2 * em.core_height_m
        src[19] = em.flux_norm(beam.reference_point_m)
        # the profile tables are unused for a core (placeholders of the kernel's signature)
        return src, np.array([0.0, 1.0]), np.zeros(2), np.ones(1), np.zeros(1)
    b1, b2 = profiles.transverse_basis(beam.k_hat)
    src[10:13], src[13:16] = b1, b2
    th, wv, pcell = _profile_table(beam.profile)
    pcdf = np.cumsum(pcell)
    pcdf /= pcdf[-1]
    return src, th, wv, np.ascontiguousarray(pcdf), np.ascontiguousarray(pcell)


def rms_angle_rad(beam):
    """The source's rms angular radius √⟨|δ|²⟩ [rad] at the reference point (flux-weighted)."""
    em = beam.emitter
    if em is None:
        return math.sqrt(profiles.mean_square_angle(beam.profile))
    rng = np.random.default_rng(12345)           # a fixed quadrature, not a result's seed
    pts = em.sample(20_000, rng)
    x = np.asarray(beam.reference_point_m, float)
    d = x - pts
    dist = np.linalg.norm(d, axis=1)
    k = d / dist[:, None]
    wgt = 1.0 / dist**2
    mean = wgt @ k / wgt.sum()
    mean /= np.linalg.norm(mean)
    ang = np.arccos(np.clip(k @ mean, -1.0, 1.0))
    return float(math.sqrt(wgt @ ang**2 / wgt.sum()))


def gap_m(v1, f1, v2, f2, n_points=4000):
    """An estimate of the smallest distance [m] between two meshes' surfaces (nearest of
    surface points; an upper bound converging from above)."""
    import trimesh
    from scipy.spatial import cKDTree

    pts = []
    for v, f in ((v1, f1), (v2, f2)):
        mesh = trimesh.Trimesh(v, f, process=False)
        sample = trimesh.sample.sample_surface(mesh, n_points, seed=1)[0]
        pts.append(np.vstack([v, sample]))
    return float(cKDTree(pts[0]).query(pts[1])[0].min())


def validity(beam, gap):
    """(N_min, residual): N = E Δz θ² at Δz = ``gap`` [m] for the lowest component, and the
    flux/E-weighted ⟨1/N⟩ over the spectrum's components (the estimator's relative bias
    scale; module docstring). Residual inf when the source is not extended."""
    theta = rms_angle_rad(beam) if supports(beam) else 0.0
    f, m, _ = beam.spectrum.arrays()
    e_m = m / units.HBARC_EV_M
    n = e_m * max(gap, 0.0) * theta**2
    if not np.all(n > 0):
        return 0.0, math.inf
    weight = f / m
    return float(n.min()), float(weight @ (1.0 / n) / weight.sum())


def energy_scale_J(spectrum, n1_m3, n2_m3):
    """J per unit of channels 0–2: −2 G_F² Φ⟨1/E⟩ (ħc)³ n₁n₂ (U = scale × sum [m³ sr⁻¹]);
    forces along rays: F = −scale × channels 3–7 [N], torques −scale × channel 8 [N m]."""
    phi_over_e = spectrum.total_flux * spectrum.mean_inverse_energy      # eV²
    return (-2 * units.G_F**2 * phi_over_e * units.HBARC_EV_M**3 * n1_m3 * n2_m3
            * units.JOULE_PER_EV)


def draw(n_samples, rng):
    """Uniform random numbers of one replica: (uf, ub, ua, ue), each (n_s, 6)."""
    counts = np.floor(np.asarray(SHARES) * n_samples).astype(int)
    counts[0] += n_samples - counts.sum()
    return tuple(np.ascontiguousarray(rng.random((n, 6))) for n in counts)


def max_angle_rad(model, points_m):
    """An upper bound [rad] on the angle between k̂₀ and any direction of travel the source
    sends through the box of ``points_m`` (n, 3) [m]: the profile's last node, or for a core
    the widest direction from its surface to the box's corners (× 1.05)."""
    src, th = model[0], model[1]
    if src[0] != 1.0:
        return float(th[-1])
    lo, hi = points_m.min(0), points_m.max(0)
    corners = np.array([[a, b, c] for a in (lo[0], hi[0]) for b in (lo[1], hi[1])
                        for c in (lo[2], hi[2])])
    phi = np.linspace(0, 2 * math.pi, 64, endpoint=False)
    ring = np.outer(np.cos(phi), src[10:13]) + np.outer(np.sin(phi), src[13:16])
    rim = np.vstack([src[4:7] + src[16] * ring + h * src[17] * src[7:10] for h in (-0.5, 0.5)])
    d = corners[:, None, :] - rim[None, :, :]
    cos = (d @ src[1:4]) / np.linalg.norm(d, axis=2)
    return float(min(1.05 * np.arccos(np.clip(cos.min(), -1.0, 1.0)), math.pi))


def starts(mesh1, mesh2, model, base, margin_m=0.0):
    """(cdf₁, density₁, cdf₂, density₂, ecdf₁, edensity₁, ecdf₂, edensity₂): the start
    weights of strategies F and B (:func:`start_weights`) and the edge-on weights of E
    (:func:`edge_on_weights`) for this pair. Computed once per term and reused for every rigid
    motion of it, so the motions see the same points (common random numbers); ``margin_m``
    [m] widens the reach by the motions' size."""
    theta = max_angle_rad(model, np.vstack([mesh1.vertices, mesh2.vertices]))
    return (*start_weights(mesh1, mesh2, base, theta, margin_m),
            *start_weights(mesh2, mesh1, base, theta, margin_m),
            *edge_on_weights(mesh1), *edge_on_weights(mesh2))


def edge_on_weights(mesh):
    """(cdf, density per m²) of strategy E on ``mesh``: uniform on its triangles nearly
    parallel to the beam (``wake.EDGE_ON_THRESHOLD``); zeros when it has none."""
    flag = (mesh.edge_on > 0).astype(float)
    wgt = mesh.tri_area * flag
    total = float(wgt.sum())
    if total <= 0:
        return np.ones(len(wgt)), np.zeros(len(wgt))
    return np.ascontiguousarray(np.cumsum(wgt) / total), np.ascontiguousarray(flag / total)


def start_weights(mesh, other, base, theta_max, margin_m=0.0):
    """(cdf, density per m² on each triangle) of the points where strategy F (or B) starts
    its lines on ``mesh``: triangles whose projection along k̂₀, widened by the lines' spread
    tan θ_max × the largest |Δz| to ``other``, overlaps ``other``'s projected box, each with
    weight area × (0.1 + |n̂ × k̂₀|) (faces facing the beam carry g ≤ θ); all zeros when no
    triangle can reach the other body. Lines tilted by more than ~80° are not restricted."""
    tri = np.stack([mesh.v0, mesh.v0 + mesh.e1, mesh.v0 + mesh.e2], axis=1) @ base.T
    other_uv = other.vertices @ base.T
    dz = max(other.zrange[1] - mesh.zrange[0], mesh.zrange[1] - other.zrange[0], 0.0)
    reach = math.inf if theta_max > 1.4 else math.tan(theta_max) * dz + margin_m
    lo, hi = other_uv[:, :2].min(0) - reach, other_uv[:, :2].max(0) + reach
    ok = np.all((tri[:, :, :2].max(1) >= lo) & (tri[:, :, :2].min(1) <= hi), axis=1)
    wgt = mesh.tri_area * ok * (0.1 + mesh.perp_weight)
    total = float(wgt.sum())
    if total <= 0:
        return np.ones(len(wgt)), np.zeros(len(wgt))
    return np.ascontiguousarray(np.cumsum(wgt) / total), np.ascontiguousarray(
        ok * (0.1 + mesh.perp_weight) / total)


def channel_sums(mesh1, mesh2, model, draws, base, axis=None, skip_same=False, n_chunks=64,
                 start=None):
    """The ``N_CHANNELS`` geometric sums of one replica (:mod:`nearfield_kernels`) for
    ``wake.MeshArrays`` mesh1 (S₁, scatterer) and mesh2 (S₂); ``model`` from
    :func:`source_model`; ``axis`` (point [m], direction) for channel 8; ``start`` from
    :func:`starts` (computed here when None)."""
    src, th, wv, pcdf, pcell = model
    uf, ub, ua, ue = draws
    m1, m2 = mesh1, mesh2
    c1, d1, c2, d2, ec1, ed1, ec2, ed2 = (starts(m1, m2, model, base) if start is None
                                          else start)
    if not (ed1.any() and ed2.any()):
        ua, ue = np.ascontiguousarray(np.vstack([ua, ue])), ue[:0]
    # a strategy with nowhere to start draws nothing (its samples are not spent elsewhere:
    # the sum stays an unbiased estimate with the remaining strategies' densities)
    if not d1.any():
        uf = uf[:0]
    if not d2.any():
        ub = ub[:0]
    return _nk.nearfield_pair_sums(
        m1.v0, m1.e1, m1.e2, m1.normal, m1.cdf, m1.grid, m1.cell_start, m1.cell_tri, m1.zrange,
        m1.area_m2, m1.face_group, c1, d1, ec1, ed1, m2.v0, m2.e1, m2.e2, m2.normal, m2.cdf,
        m2.grid, m2.cell_start, m2.cell_tri, m2.zrange, m2.area_m2, m2.face_group, c2, d2,
        ec2, ed2, base, src, th, wv, pcdf, pcell, uf, ub, ua, ue, bool(skip_same),
        wake.torque_axis(axis), int(MIRROR), int(n_chunks))


def residual_note(beam, gap):
    """(relative systematic, note) of the near-field approximation for a pair ``gap`` [m]
    apart (:func:`validity`)."""
    n_min, resid = validity(beam, gap)
    return resid, (f"near-field estimator for an extended source (the wake averaged over the "
                   f"source's directions, design note §8): its relative bias ~⟨1/N⟩ = "
                   f"{resid:.1g} (N = E·Δz·θ_rms² ≥ {n_min:.3g} at the gap {gap:.3g} m, "
                   f"θ_rms = {rms_angle_rad(beam):.3g} rad) is in every error as a systematic")


def _rows(pairs, model, base, samples, replicas, seed, progress, desc):
    """Channel sums per replica for {key: (mesh1, mesh2, axis, skip_same)} on common draws,
    every key with the start weights of the first pair (common random numbers)."""
    from tqdm import tqdm

    rows = {key: [] for key in pairs}
    ma, mb = next(iter(pairs.values()))[:2]
    size = float(np.linalg.norm(np.ptp(np.vstack([ma.vertices, mb.vertices]), axis=0)))
    start = starts(ma, mb, model, base, margin_m=0.05 * size)
    bar = tqdm(total=replicas * len(pairs), desc=desc, unit="sum", disable=not progress,
               leave=False)
    try:
        for r in range(replicas):
            rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(r,)))
            draws = draw(samples, rng)
            for key, (ma, mb, ax, same) in pairs.items():
                rows[key].append(channel_sums(ma, mb, model, draws, base, axis=ax,
                                              skip_same=same, start=start))
                bar.update()
    finally:
        bar.close()
    return {k: np.asarray(v) for k, v in rows.items()}


def pair_estimates(m1, m2, n1, n2, beam, *, samples, replicas, seed, axis, derivatives,
                   fd_step, distance_m, gap, progress=False):
    """Energies [J], forces [N] and torques [N m] on the target (mesh m2, charge density n2
    [m⁻³]) in the wake of the source (m1, n1): {name: Estimate} and notes, as
    ``directional_interaction`` returns them. Forces and torques by step-controlled
    differences (:mod:`nusim.engine.differences`); ``derivatives`` False, True or "torque"."""
    from nusim.engine import differences as _diff
    from nusim.engine.result import Estimate

    base = wake.transverse_base(beam.k_hat)
    resid, note = residual_note(beam, gap)
    scale = energy_scale_J(beam.spectrum, n1, n2)
    forces = derivatives not in (False, "torque")
    moves, src_moves, steps = ({}, {}, None) if not derivatives else _diff.motions(
        m1, m2, base, axis, fd_step, distance_m, forces=forces, along_beam=True)
    pairs = {"base": (m1, m2, None, False)}
    pairs.update({k: (m1, mm, None, False) for k, mm in moves.items()})
    pairs.update({k: (mm, m2, None, False) for k, mm in src_moves.items()})
    rows = _rows(pairs, source_model(beam), base, samples, replicas, seed, progress,
                 "near-field estimator")
    b = rows["base"]
    est = {}
    for name, label, ch in (("energy_symmetric_J", "U (symmetric, paper)", 0),
                            ("energy_retarded_J", "U_R (target in the wake)", 1),
                            ("energy_retarded_reverse_J", "U_R (source in the target's wake)",
                             2)):
        vals = scale * b[:, ch]
        est[name] = Estimate.from_replicas(label, vals, "J", samples, seed,
                                           systematic=resid * abs(float(vals.mean())))
    notes = [note]
    if derivatives:
        for k, e in _diff.estimates(rows, scale, base, steps, axis, samples, seed,
                                    forces=forces).items():
            est[k] = _with_residual(e, resid)
        if forces:
            est["force_on_source_retarded_along_beam_N"] = _with_residual(
                Estimate.from_replicas("F·k̂ on source (in the target's wake)",
                                       _diff.source_force_along_beam(rows, 2, scale, steps),
                                       "N", samples, seed), resid)
        notes.append(_diff.note(fd_step, forces, True))
    return est, notes


def _with_residual(est, resid):
    """``est`` with the near-field bias resid × |value| added (linearly) to its systematic."""
    import dataclasses

    sys_ = est.systematic + resid * abs(est.value)
    return dataclasses.replace(est, systematic=sys_,
                               error=math.hypot(est.statistical_error, sys_))


def self_estimates(mm, n, beam, body_name, *, samples, replicas, seed, axis, gap,
                   progress=False):
    """One body's radiation-pressure self-force [N] (vector and along the beam) and its torque
    about ``axis`` [N m]: the force along each ray, +2G_F²Φ⟨1/E⟩ n² ∮∮ g w r̂/r² over ordered
    pairs of the body's surface (pairs on one flat face skipped, as in the wake estimator),
    applied at the point that feels it. Keys as ``directional_self_interaction``."""
    from nusim.engine.result import Estimate

    base = wake.transverse_base(beam.k_hat)
    resid, note = residual_note(beam, gap)
    scale = energy_scale_J(beam.spectrum, n, n)
    rows = _rows({"self": (mm, mm, axis, True)}, source_model(beam), base, samples, replicas,
                 seed, progress, "near-field self-interaction")["self"]
    out = {}

    def add(key, label, vals, unit):
        out[key] = Estimate.from_replicas(label, vals, unit, samples, seed,
                                          systematic=resid * abs(float(np.mean(vals))))

    for i, c in enumerate("xyz"):
        add(f"self_force_body_{c}_N", f"self-force on {body_name} ({c}, along rays)",
            -scale * rows[:, 5 + i], "N")
    add("self_force_body_along_beam_N", f"self-force on {body_name} along the beam",
        -scale * rows[:, 3], "N")
    if axis is not None:
        add("self_torque_body_Nm", f"self-torque on {body_name} (forces along rays)",
            -scale * rows[:, 8], "N m")
    return out, [note, "self-force: the force along each ray of the source, summed over "
                       "ordered pairs of the body's faces (pairs on one flat face skipped)"]
