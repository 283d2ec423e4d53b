"""The directional-beam signal of a whole apparatus: every wake the pendulum sits in, summed.

For one or more beams (one per charge channel: a reactor's ν̄_e; the Sun's ν_e and ν_μ,τ), the
pendulum feels

* the wake of every *upstream* non-pendulum body (attractors, fixed bodies) — "attractor" terms;
* the wakes of the other pendulum bodies — "internal" terms. The retarded force is
  non-reciprocal (design note §7: the downstream body feels the upstream one, not the reverse),
  so internal wakes do not cancel and can give the pendulum a net torque;
* each pendulum body's own radiation-pressure force (the wakes of its parts on its other parts)
  — "self" terms, a force along each ray and a torque about the fibre.

Every ordered pair (source body → pendulum body) is one call of
:func:`nusim.engine.directional.directional_interaction` (forces and torques *on the target*);
every pendulum body's self-interaction one call of ``directional_self_interaction``. Each call is a
pure task with its own seed, ``SeedSequence(seed, spawn_key=(beam, target, source))``, so a
term's numbers do not depend on which other terms ran, and the same seed at another attractor
angle or time gives common random numbers (smooth curves). The self-terms of all pendulum bodies
share one seed per beam (identical, symmetrically placed bodies then cancel replica by replica).
Sums are formed replica by replica, so their errors account for any such correlation; for
independent terms they equal the quadrature sum.

Channels: "retarded" is what a torsion balance feels (pendulum in the wakes); "symmetric" is the
paper's even potential V (eq. 4.12 × spectrum), alongside for comparison (no self-force: an even
potential exerts none). The symmetric energy of an internal pair is counted once.

Exact zeros. A pendulum body that lies upstream of a source body for every direction of travel
in the beam is outside that body's wake: its retarded energy, force and torque from it are
exactly 0 by causality. Such a term is reported with that reason and contributes an exact 0 to
the sums; it is never "0 ± 0".

Gravity for the same bodies and placement (non-pendulum bodies on the pendulum; internal
gravity exerts no net force or torque) comes from :func:`nusim.engine.interact`, so a ratio
δ = neutrino / gravity compares the same observable of the same geometry.

Units: energies [J], forces on the pendulum [N] (lab frame), torques about the fibre axis [N m].
"""

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np

from nusim.engine.result import Estimate
from nusim.errors import ConfigError

KINDS = ("retarded", "symmetric")
#: Gaussian profiles have unbounded tails: for the causal-zero test their directions are cut at
#: this many σ (a weight e^{-n²/2} ~ 1e-11 of the beam lies beyond)
GAUSSIAN_CUT_SIGMAS = 7.0
#: term categories, in the order they are reported
CATEGORIES = ("attractor", "internal", "self")


def task_seed(seed, beam_index, target_index, source_index):
    """The integer seed of one task: ``SeedSequence(seed, spawn_key=(beam, target + 1,
    source + 1))``; source_index = −1 marks a self-interaction, target_index = −1 the seed the
    self-terms of all pendulum bodies share."""
    ss = np.random.SeedSequence(int(seed), spawn_key=(int(beam_index), int(target_index) + 1,
                                                      int(source_index) + 1))
    return int(ss.generate_state(1, np.uint32)[0])


def max_ray_angle(beam, points_m):
    """Largest angle [rad] between a ray of ``beam`` through ``points_m`` (n, 3) [m] and its
    central direction: 0 for a point source at infinity; the emitter's geometry (core radius,
    height and the apparatus' extent over the distance) for a source at finite distance; plus
    the support of the angular profile (a Gaussian cut at ``GAUSSIAN_CUT_SIGMAS``)."""
    angle = 0.0
    if beam.emitter is not None:
        em = beam.emitter
        pos = np.asarray(em.position_m, float)
        d = np.linalg.norm(np.asarray(points_m, float) - pos, axis=1)
        half = math.hypot(em.core_radius_m, 0.5 * em.core_height_m)
        spread = float(np.max(np.linalg.norm(points_m - points_m.mean(0), axis=1)))
        angle = math.asin(min(1.0, (half + spread) / max(float(d.min()), 1e-300)))
    return angle + _profile_angle(beam)


def causal_zero_reason(source, target, beam, sections=64):
    """Why ``target`` feels exactly no retarded force from ``source`` in ``beam``, or None.

    True when every point of the target lies upstream of every point of the source along every
    direction of travel within :func:`max_ray_angle`: with gap g = min z(source) − max z(target)
    > 0 along the central direction and S the largest transverse distance between the bodies'
    points, every tilted ray keeps Δz < 0 when tan θ_max < g / S (the retarded kernel is
    θ(Δz)-supported, design note §7).
    """
    from nusim.engine.directional import body_mesh

    vs, _ = body_mesh(source, sections, sphere_subdivisions=3)
    vt, _ = body_mesh(target, sections, sphere_subdivisions=3)
    k = beam.k_hat
    gap = float(np.min(vs @ k) - np.max(vt @ k))
    if gap <= 0:
        return None
    both = np.vstack([vs, vt])
    trans = both - np.outer(both @ k, k)
    span = float(np.linalg.norm(trans.max(0) - trans.min(0)))
    theta = max_ray_angle(beam, both)
    if theta >= math.pi / 2 or span * math.tan(theta) >= gap:
        return None
    return (f"{target.name} lies {gap * 1e3:.3g} mm upstream of {source.name} along every ray "
            f"of the beam (largest ray tilt {theta:.2g} rad): the wake runs downstream only, so "
            f"the retarded energy, force and torque are exactly 0 (causality, design note §7)")


def _profile_angle(beam):
    """Support of the beam's angular profile [rad] (0 for a point; π when unknown)."""
    from nusim.sources import profiles

    prof = beam.profile
    if isinstance(prof, profiles.Point):
        return 0.0
    if isinstance(prof, profiles.Gaussian):
        return GAUSSIAN_CUT_SIGMAS * prof.sigma_rad
    if isinstance(prof, profiles.UniformDisk):
        return prof.radius_rad
    if isinstance(prof, profiles.RadialTable):
        th, dens = profiles.normalised_radial_density(prof)
        return float(np.max(np.asarray(th)[np.asarray(dens) > 0]))
    return math.pi


def _reach_by_projection(vs, fs, vt, ft, beam, max_pairs=4_000_000):
    """Why no line of the beam joins two meshes, from their projections along k̂₀, or None.

    A line at angle θ ≤ θ_max to k̂₀ joining points x (source) and y (target) shifts across
    the beam by |Δz| tan θ, so the projections of x and y lie within tan θ_max |Δz| (+ the
    kernel's reach √(2|Δz| w_max)) of each other. When, for every pair of triangles, their
    projected boxes widened by that bound (|Δz| bounded by the triangles' z ranges) do not
    overlap, no ray joins the bodies. Exact for the meshes (boxes contain triangles); θ_max
    from :func:`max_ray_angle` plus the turn of the central direction across the apparatus."""
    from nusim import units
    from nusim.engine import wake
    from nusim.physics import wake_kernel

    both = np.vstack([vs, vt])
    theta = max_ray_angle(beam, both)
    if beam.emitter is not None:
        d = float(np.min(np.linalg.norm(both - np.asarray(beam.emitter.position_m), axis=1)))
        spread = float(np.linalg.norm(np.ptp(both, axis=0)))
        theta += math.asin(min(1.0, spread / max(d, 1e-300)))
    if theta >= 1.4 or len(fs) * len(ft) > max_pairs:
        return None
    base = wake.transverse_base(beam.k_hat)
    ps, pt = vs[fs] @ base.T, vt[ft] @ base.T                  # (n, 3 corners, 3)
    lo_s, hi_s, lo_t, hi_t = ps.min(1), ps.max(1), pt.min(1), pt.max(1)
    w_max_m = wake_kernel.surface_kernel_table(beam.spectrum).w_max * units.HBARC_EV_M
    dz = np.maximum(np.abs(hi_t[None, :, 2] - lo_s[:, None, 2]),
                    np.abs(hi_s[:, None, 2] - lo_t[None, :, 2]))
    reach = math.tan(theta) * dz + np.sqrt(2 * dz * w_max_m) + 1e-9
    for c in range(2):
        sep = np.maximum(lo_t[None, :, c] - hi_s[:, None, c], lo_s[:, None, c] - hi_t[None, :, c])
        if c == 0:
            apart = sep > reach
        else:
            apart |= sep > reach
    if not np.all(apart):
        return None
    return (f"their projections along the beam stay farther apart than any line within "
            f"{theta:.2g} rad of its direction can shift across it between them")


def _reach_by_bounding_spheres(vs, vt, beam):
    """Cheap verdict from bounding spheres: True (surely out of reach), False (the centre line
    lies inside the cone of ray directions: treat as reachable), None (decide point by point)."""
    c_s, c_t = vs.mean(0), vt.mean(0)
    r_s = float(np.max(np.linalg.norm(vs - c_s, axis=1)))
    r_t = float(np.max(np.linalg.norm(vt - c_t, axis=1)))
    d = c_t - c_s
    dist = float(np.linalg.norm(d))
    if dist <= 1.5 * (r_s + r_t):
        return None
    em = beam.emitter
    if em is not None:
        rel = c_s - np.asarray(em.position_m, float)
        k = rel / np.linalg.norm(rel)
        # the cone's axis turns by ≤ r_s/|rel| across the source body
        half = (math.asin(min(1.0, math.hypot(em.core_radius_m, 0.5 * em.core_height_m)
                              / (np.linalg.norm(rel) - r_s))) + r_s / (np.linalg.norm(rel) - r_s))
    else:
        k, half = beam.k_hat, 0.0
    half += _profile_angle(beam)
    ang = math.acos(min(1.0, abs(float(d @ k)) / dist))
    spread = math.asin(min(1.0, (r_s + r_t) / dist))
    if ang - spread - half > 0.02:              # 20 mrad to spare beyond the bounding spheres
        return True
    if ang + spread < half:
        return False
    return None


def out_of_reach_reason(source, target, beam, sections=64):
    """Why the two bodies do not interact at all in ``beam`` (every channel 0), or None.

    The surface kernel a(s²/2|Δz|) is tabulated up to w_max, beyond which every spectral
    component is damped below e^{−32} (:mod:`nusim.physics.wake_kernel`): a pair of points x
    (source) and y (target) interacts only when d = y − x lies within √(2|Δz| w_max)/|d| (sub-µrad
    here) of a ray through x, in either sense. The rays through x form a cone about its central
    direction k(x) (k̂₀ for a source at infinity; from the core's centre for an emitter) of half-
    angle θ(x) (the core's half-diagonal over its distance, plus the profile's support). The
    test runs over the vertices of coarse meshes of both bodies, with a margin (largest edge of
    both meshes plus the kernel's reach, over the closest distance) for surface points between
    vertices: when every pair's angle to its cone exceeds the margin, every channel — retarded,
    reverse and the paper's even V — vanishes to e^{−32}.
    """
    from nusim import units
    from nusim.engine.directional import body_mesh
    from nusim.physics import wake_kernel

    import trimesh

    vs, fs = body_mesh(source, sections, sphere_subdivisions=3)
    vt, ft = body_mesh(target, sections, sphere_subdivisions=3)
    quick = _reach_by_bounding_spheres(vs, vt, beam)
    if quick is not None:
        if not quick:
            return None
        return (f"no ray of the beam joins {source.name} and {target.name}: the cone of "
                f"directions through the source, widened by the bodies' bounding spheres, "
                f"misses the target, and the wake reaches only micrometres across a ray (the "
                f"spectrum's coherence damps the kernel below e^-32 beyond): every channel is "
                f"beyond the wake's reach, 0")
    by_projection = _reach_by_projection(vs, fs, vt, ft, beam)
    if by_projection is not None:
        return (f"no ray of the beam joins {source.name} and {target.name}: {by_projection}, "
                f"and the wake reaches only micrometres across a ray (the spectrum's "
                f"coherence damps the kernel below e^-32 beyond): every channel is beyond "
                f"the wake's reach, 0")
    # vertices no farther apart than 5 % of the centres' distance (≥ 0.2 mm): the margin for
    # surface points between vertices stays a few degrees
    centre_d = float(np.linalg.norm(vt.mean(0) - vs.mean(0)))
    edge = max(0.05 * centre_d, 2e-4)
    # never subdivide a mesh beyond ~1000 vertices (≈ area / (0.87 edge²)): a long bar or a
    # tube around a nearby test mass (centre distance ~0) would otherwise ask for 0.2 mm edges
    # over 0.6 m, tens of millions of triangles
    areas = [float(trimesh.Trimesh(v, f, process=False).area) for v, f in ((vs, fs), (vt, ft))]
    edge = max(edge, math.sqrt(max(areas) / 870.0))
    for _ in range(4):                      # at most ~1.5e6 vertex pairs (about 0.2 s)
        vs2, fs2 = trimesh.remesh.subdivide_to_size(vs, fs, edge, max_iter=20)
        vt2, ft2 = trimesh.remesh.subdivide_to_size(vt, ft, edge, max_iter=20)
        pairs = len(vs2) * len(vt2)
        if pairs <= 1.5e6:
            break
        edge *= math.sqrt(pairs / 1.5e6)
    vs, fs, vt, ft = vs2, fs2, vt2, ft2

    def longest_edge(v, f):
        tri = v[f]
        return float(np.max(np.linalg.norm(tri - np.roll(tri, 1, axis=1), axis=2)))

    w_max_m = wake_kernel.surface_kernel_table(beam.spectrum).w_max * units.HBARC_EV_M
    span = float(np.linalg.norm(np.ptp(np.vstack([vs, vt]), axis=0)))
    # a surface point lies within one edge of a vertex: per pair, the angle may be off by
    # (edge_s + edge_t)/|d|; the kernel's reach across a ray adds √(2 Δz w_max)/|d|
    slack = longest_edge(vs, fs) + longest_edge(vt, ft) + math.sqrt(2 * span * w_max_m)
    em = beam.emitter
    if em is not None:
        rel = vs - np.asarray(em.position_m, float)
        dist = np.linalg.norm(rel, axis=1)
        k = rel / dist[:, None]
        half = np.arcsin(np.minimum(1.0, math.hypot(em.core_radius_m, 0.5 * em.core_height_m)
                                    / dist))
    else:
        k = np.broadcast_to(beam.k_hat, vs.shape)
        half = np.zeros(len(vs))
    half = half + _profile_angle(beam)
    if np.max(half) >= math.pi / 4:
        return None
    gap = math.inf
    step = max(1, 1_000_000 // max(len(vt), 1))              # memory-bounded chunks of pairs
    for i in range(0, len(vs), step):
        d = vt[None, :, :] - vs[i:i + step, None, :]          # (chunk, n_t, 3)
        dn = np.linalg.norm(d, axis=2)
        if float(dn.min()) <= 2 * slack:
            return None
        cos = np.abs(np.einsum("stc,sc->st", d, k[i:i + step])) / dn
        # a shift of at most ``slack`` turns d by at most asin(slack / (|d| − slack))
        turn = np.arcsin(np.minimum(1.0, slack / np.maximum(dn - slack, 1e-300)))
        ang = np.arccos(np.clip(cos, -1.0, 1.0)) - half[i:i + step, None] - turn
        gap = min(gap, float(ang.min()))
        if gap <= 0:
            return None
    return (f"no ray of the beam joins {source.name} and {target.name}: every pair of their "
            f"points lies ≥ {math.degrees(gap):.2g}° outside the cone of directions through "
            f"the source point (after a margin for points between mesh vertices), and the "
            f"wake reaches only √(2 Δz w_max) ≲ {math.sqrt(2 * span * w_max_m) * 1e6:.2g} µm "
            f"across a ray (the spectrum's coherence damps the kernel below e^-32 beyond): "
            f"every channel is beyond the wake's reach, 0")


@dataclass(frozen=True)
class Term:
    """One contribution: ``category`` (attractor | internal | self), the ``source`` and
    ``target`` body names (equal for self), the ``beam`` label, its :class:`Estimate`\\ s by name,
    and ``exact_zero`` (the causal reason) when the retarded channel vanishes identically."""

    category: str
    source: str
    target: str
    beam: str
    seed: int
    estimates: dict
    exact_zero: str | None = None
    notes: tuple = ()
    estimator: str = ""
    naive_energy_J: float = 0.0

    def to_dict(self):
        return {"category": self.category, "source": self.source, "target": self.target,
                "beam": self.beam, "seed": self.seed, "estimator": self.estimator,
                "alpha0_energy_J": self.naive_energy_J,
                "exact_zero": self.exact_zero, "notes": list(self.notes),
                "estimates": {k: v.to_dict() for k, v in self.estimates.items()}}


def scaled(est, factor):
    """``est`` × ``factor`` (value, error and replica values; flags kept)."""
    return dataclasses.replace(est, value=factor * est.value, error=abs(factor) * est.error,
                               replica_values=tuple(factor * x for x in est.replica_values),
                               systematic=abs(factor) * est.systematic)


def combine(name, parts, unit, n_samples, replicas, seed, exact_zero_reason=None):
    """The sum of independent :class:`Estimate`\\ s.

    With replica values on every part (R each), the sum is formed replica by replica (replica r
    of the total = Σ replica r of the parts) and its error is the replicas' standard error: the
    same as adding errors in quadrature for independent parts, and it keeps the replica curves
    that harmonic fits over common-random-number scans need. Otherwise values add and errors add
    in quadrature. Known systematics (finite-difference step biases) add linearly — they may
    share a sign — and enter the error in quadrature with the replica error. The total is
    untrusted when a part is (reasons joined), and an exact zero only with
    ``exact_zero_reason`` (every part an exact zero; the caller states why)."""
    untrusted = [p.untrusted_reason or "untrusted part" for p in parts if not p.trusted]
    flags = {"exact_zero_reason": exact_zero_reason, "trusted": not untrusted,
             "untrusted_reason": "; ".join(dict.fromkeys(untrusted)) or None,
             "samples_label": parts[0].samples_label if parts else "samples"}
    reps = [p.replica_values for p in parts]
    if parts and all(len(r) == replicas for r in reps) and replicas >= 2:
        total = np.sum(np.asarray(reps, float), axis=0)
        if exact_zero_reason is None and np.all(total == 0) and flags["trusted"]:
            # exact zeros of different kinds that cancel nothing: report why
            flags["exact_zero_reason"] = "; ".join(
                dict.fromkeys(p.exact_zero_reason for p in parts if p.exact_zero_reason)) or None
        return Estimate.from_replicas(name, total, unit, n_samples, seed,
                                      systematic=sum(p.systematic for p in parts), **flags)
    value = float(sum(p.value for p in parts))
    stat = math.sqrt(sum(p.statistical_error**2 for p in parts))
    sys_ = float(sum(p.systematic for p in parts))
    return Estimate(name, value, math.hypot(stat, sys_), unit, int(n_samples), int(replicas),
                    int(seed), systematic=sys_, **flags)


@dataclass(frozen=True)
class ApparatusSignal:
    """Whole-apparatus result (see the module docstring).

    ``totals``: name → :class:`Estimate` (sums over beams and terms); ``exact_zeros``: name →
    reason for totals that vanish identically; ``terms``: every :class:`Term`; ``gravity``:
    the :class:`nusim.engine.result.InteractionResult` of the same bodies or None;
    ``beams``: labels; ``notes``: what the estimator said, deduplicated.
    """

    totals: dict
    exact_zeros: dict
    terms: tuple
    gravity: object
    beams: tuple
    notes: tuple
    n_samples: int
    replicas: int
    seed: int
    seconds: float
    per_beam: dict = field(default_factory=dict)

    def __getitem__(self, name):
        return self.totals[name]

    @property
    def alpha0_energy_J(self):
        """The paper's α = 0 estimate of the pendulum's energy [J]: eq. 5.3 summed over the
        attractor pairs and, once, over the internal pairs (``naive_energy_J`` of each term)."""
        return float(sum(t.naive_energy_J * (0.5 if t.category == "internal" else 1.0)
                         for t in self.terms))

    def summary(self):
        lines = [f"apparatus signal ({', '.join(self.beams)}; {self.n_samples} samples × "
                 f"{self.replicas} replicas per term, seed {self.seed})"]
        for name, est in self.totals.items():
            if name.startswith("force_") and not name.startswith("force_total_"):
                continue                        # per-category forces: in to_dict()
            if name in self.exact_zeros:
                lines.append(f"  {est.name} = 0 exactly: {self.exact_zeros[name]}")
            else:
                lines.append(f"  {est.summary()}")
        return "\n".join(lines)

    def to_dict(self):
        out = {"totals": {k: v.to_dict() for k, v in self.totals.items()},
               "exact_zeros": dict(self.exact_zeros),
               "terms": [t.to_dict() for t in self.terms], "beams": list(self.beams),
               "notes": list(self.notes), "n_samples": self.n_samples,
               "replicas": self.replicas, "seed": self.seed, "seconds": self.seconds,
               "alpha0_energy_J": self.alpha0_energy_J,
               "per_beam": {b: {k: v.to_dict() for k, v in d.items()}
                            for b, d in self.per_beam.items()}}
        if self.gravity is not None:
            g = self.gravity
            out["gravity"] = {"energy_J": g.estimate("energy_J").to_dict(),
                              "force_N": [g.estimate(f"force_N[{i}]").to_dict()
                                          for i in range(3)],
                              "torque_Nm": (g.estimate("torque_Nm").to_dict()
                                            if g.torque_Nm is not None else None)}
        return out


def _check_bodies(pendulum, others):
    if not pendulum:
        raise ConfigError("<apparatus>", "bodies", "no pendulum body: give at least one body "
                          "with role = \"pendulum\"")
    names = [b.name for b in (*pendulum, *others)]
    if len(set(names)) != len(names):
        raise ConfigError("<apparatus>", "bodies", f"body names must be unique ({names})")


def _pair_estimates(res, axis, forces=True):
    """The estimates of one directional_interaction result that the sums use."""
    out = {}
    for kind in KINDS:
        out[f"energy_{kind}_J"] = res[f"energy_{kind}_J"]
        for c in "xyz" if forces else "":
            out[f"force_{kind}_{c}_N"] = res[f"force_{kind}_{c}_N"]
        if axis is not None:
            out[f"torque_{kind}_Nm"] = res[f"torque_{kind}_Nm"]
    return out


def _self_estimates(res, body, beam, axis, forces=True):
    """A pendulum body's self-terms: the force F_∥ k̂ along the beam (the radiation pressure,
    resolved to per cent) and its torque about the fibre, ((r_cm − p) × k̂)·â F_∥.

    The analytic channels' transverse self-force and intrinsic self-torque are noise-dominated
    in the near field (pairs of adjacent faces at small Δz; docs/directional-estimator.md) and
    are kept beside as ``*_analytic`` figures, not summed. Both vanish for a body that is
    mirror-symmetric in the plane through its centre containing k̂ and the fibre direction (a
    sphere; a cylinder or annulus whose axis is parallel to the fibre), so the lever-arm torque
    is then the whole self-torque up to the tilt of k̂ out of that plane."""
    f_par = res["self_force_body_along_beam_N"]
    k = beam.k_hat
    out = {}
    for i, c in enumerate("xyz" if forces else ""):
        out[f"force_retarded_{c}_N"] = dataclasses.replace(
            scaled(f_par, float(k[i])), name=f"self-force on {body.name} ({c})")
        out[f"force_retarded_{c}_N_analytic"] = res[f"self_force_body_{c}_N"]
    if axis is not None:
        point, direc = (np.asarray(a, float) for a in axis)
        lever = float(np.cross(np.asarray(body.centre_of_mass_m) - point, k) @ direc)
        out["torque_retarded_Nm"] = dataclasses.replace(
            scaled(f_par, lever), name=f"self-torque on {body.name} (lever arm × F_∥)")
        out["torque_retarded_Nm_analytic"] = res["self_torque_body_Nm"]
    return out


def _zeroed(estimates, reason, prefix="retarded"):
    """The same estimates with the ``prefix`` channel an exact 0 for ``reason`` (causal)."""
    out = {}
    for k, v in estimates.items():
        if f"_{prefix}_" in k:
            v = dataclasses.replace(v, value=0.0, error=0.0, replica_values=(0.0,) * v.replicas,
                                    exact_zero_reason=reason, trusted=True,
                                    untrusted_reason=None, systematic=0.0)
        out[k] = v
    return out


def apparatus_signal(pendulum, others, beams, *, axis=None, samples=100_000, replicas=8,
                     seed=0, estimator="auto", gravity=True, gravity_samples=4096,
                     sections=256, forces=True, self_terms=True, progress=False):
    """Energy, force and torque of every directional-beam wake on the pendulum, summed.

    Parameters
    ----------
    pendulum : list of ``Body`` (role pendulum); others : list of ``Body`` (attractors at their
        current angle, fixed bodies) — every one is a potential upstream scatterer
    beams : list of (label, ``DirectionalBeam``) — e.g. one per charge channel
    axis : (point_m (3,), direction (3,)) or None, the fibre [m], for torques
    samples : int, samples per replica of every term (comparable cost for every estimator)
    replicas : int ≥ 2; seed : int ≥ 0 (task seeds: :func:`task_seed`)
    estimator : "auto" | "wake" | "pairs" (``directional_interaction``)
    gravity : bool, also the Newtonian energy, force and torque of ``others`` on the pendulum
        (scrambled Sobol, ``gravity_samples`` points per body)
    forces : bool, also the forces on the pendulum; False computes energies and torques only
        (``derivatives="torque"``: a third of the cost of the step-controlled differences)
    self_terms : bool, the pendulum bodies' radiation-pressure self-terms (forces and torques
        only: no energy total contains them, so energy-only studies may skip them)

    Returns
    -------
    ApparatusSignal
    """
    import time

    from nusim.engine import directional as _dir

    _check_bodies(pendulum, others)
    t0 = time.perf_counter()
    terms, notes = [], []
    from nusim.engine.beams import fit_summary

    for label, beam in beams:
        if getattr(beam.spectrum, "fit_report", None):
            notes.append(f"{label}: {fit_summary(beam.spectrum)}")
    tasks = []
    for bi, (label, beam) in enumerate(beams):
        for ti, target in enumerate(pendulum):
            for si, source in enumerate([*pendulum, *others]):
                if source is target:
                    continue
                cat = "internal" if si < len(pendulum) else "attractor"
                tasks.append((bi, label, beam, cat, ti, target, si, source))
            if self_terms:
                tasks.append((bi, label, beam, "self", ti, target, -1, target))
    from tqdm import tqdm

    for bi, label, beam, cat, ti, target, si, source in tqdm(
            tasks, desc="apparatus terms", unit="term", disable=not progress, leave=False):
        # self-terms of all pendulum bodies share their random numbers: identical bodies
        # placed symmetrically then cancel replica by replica, as they do physically (sums are
        # formed per replica, so the correlation is accounted for in the errors)
        s = task_seed(seed, bi, -1 if cat == "self" else ti, si)
        if cat == "self":
            res = _dir.directional_self_interaction(target, beam, samples=samples,
                                                    replicas=replicas, seed=s, axis=axis,
                                                    sections=sections, progress=False)
            est, zero = _self_estimates(res, target, beam, axis, forces), None
        elif (far := out_of_reach_reason(source, target, beam)) is not None:
            terms.append(_unreachable_term(cat, source, target, label, beam, s, far, axis,
                                           samples, replicas, forces))
            continue
        else:
            res = _dir.directional_interaction(source, target, beam, samples=samples,
                                               replicas=replicas, seed=s, estimator=estimator,
                                               axis=axis, self_force=False, sections=sections,
                                               derivatives=True if forces else "torque",
                                               progress=False)
            est = _pair_estimates(res, axis, forces)
            zero = causal_zero_reason(source, target, beam)
            # the geometric test and the estimator must agree: the kernel is θ(Δz)-supported,
            # so the retarded replicas are exactly 0 too; otherwise keep the numbers
            if zero is not None and any(v != 0.0 for v in
                                        res["energy_retarded_J"].replica_values):
                notes.append(f"{source.name} → {target.name}: the geometric causality test "
                             "said upstream but the estimator found retarded pairs; its "
                             "numbers are kept")
                zero = None
            if zero is not None:
                est = _zeroed(est, zero)
        notes += [n for n in res.notes if n not in notes]
        terms.append(Term(cat, source.name, target.name, label, s, est, zero,
                          tuple(res.notes), res.estimator,
                          0.0 if cat == "self" else float(res.naive_energy_J)))
    totals, zeros, per_beam = _totals(terms, beams, axis, samples, replicas, seed, forces)
    grav = None
    if gravity and others:
        from nusim.engine import Gravity, interact

        grav = interact(others, pendulum, Gravity(), gravity_samples, seed, axis=axis,
                        replicas=replicas, method="sobol", progress=False)
    return ApparatusSignal(totals, zeros, tuple(terms), grav, tuple(lb for lb, _ in beams),
                           tuple(notes), int(samples), int(replicas), int(seed),
                           time.perf_counter() - t0, per_beam)


def _unreachable_term(cat, source, target, label, beam, seed, reason, axis, samples, replicas,
                      forces=True):
    """A pair term that is 0 in every channel (:func:`out_of_reach_reason`): no sums run."""
    from nusim.engine import directional as _dir

    def zero(name, unit):
        return Estimate(name, 0.0, 0.0, unit, int(samples), int(replicas), int(seed),
                        (0.0,) * int(replicas), exact_zero_reason=reason,
                        samples_label="surface samples")

    est = {}
    for kind in KINDS:
        est[f"energy_{kind}_J"] = zero(f"U ({kind})", "J")
        for c in "xyz" if forces else "":
            est[f"force_{kind}_{c}_N"] = zero(f"F_{c} on target ({kind})", "N")
        if axis is not None:
            est[f"torque_{kind}_Nm"] = zero(f"torque on target ({kind})", "N m")
    naive = float(_dir.naive_energy_J(source, target, beam, beam.charge))
    return Term(cat, source.name, target.name, label, seed, est, reason, (), "none", naive)


def _total_names(axis, forces=True):
    """(total name, label, unit, categories, estimate key, weight of internal symmetric)."""
    rows = []
    for kind in KINDS:
        cats = ("attractor", "internal", "self") if kind == "retarded" else (
            "attractor", "internal")
        if axis is not None:
            for cat in cats:
                rows.append((f"torque_{cat}_{kind}_Nm", f"torque from {cat} ({kind})", "N m",
                             (cat,), f"torque_{kind}_Nm"))
            rows.append((f"torque_total_{kind}_Nm", f"torque total ({kind})", "N m", cats,
                         f"torque_{kind}_Nm"))
        for c in "xyz" if forces else "":
            for cat in cats:
                rows.append((f"force_{cat}_{kind}_{c}_N", f"F_{c} on pendulum from {cat} "
                             f"({kind})", "N", (cat,), f"force_{kind}_{c}_N"))
            rows.append((f"force_total_{kind}_{c}_N", f"F_{c} on pendulum ({kind})", "N", cats,
                         f"force_{kind}_{c}_N"))
        rows.append((f"energy_{kind}_J", f"U ({kind})", "J", ("attractor", "internal"),
                     f"energy_{kind}_J"))
    return rows


def _totals(terms, beams, axis, samples, replicas, seed, forces=True):
    totals, zeros, per_beam = {}, {}, {}
    for name, label, unit, cats, key in _total_names(axis, forces):
        for scope in [None, *[lb for lb, _ in beams]]:
            parts, reasons = [], []
            for t in terms:
                if t.category not in cats or key not in t.estimates:
                    continue
                if scope is not None and t.beam != scope:
                    continue
                est = t.estimates[key]
                if key.startswith("energy_symmetric") and t.category == "internal":
                    # the even energy of an internal pair appears in both orders: count it once
                    est = scaled(est, 0.5)
                parts.append(est)
                if est.exact_zero_reason is not None:
                    kind_ = ("beyond the wake's reach" if "reach" in est.exact_zero_reason
                             else "upstream: causal" if "upstream" in est.exact_zero_reason
                             else est.exact_zero_reason)
                    reasons.append((kind_, f"{t.source} → {t.target} ({t.beam})"))
            why = None
            if not parts:
                why = "no such term in this apparatus"
            elif len(reasons) == len(parts):
                kinds = sorted({k for k, _ in reasons})
                why = (f"every term is an exact zero ({' / '.join(kinds)}): "
                       + "; ".join(f"{pair}: {k}" for k, pair in reasons))
            total = combine(label, parts, unit, samples, replicas, seed, why)
            if scope is None:
                totals[name] = total
                if why is not None:
                    zeros[name] = why
            else:
                per_beam.setdefault(scope, {})[name] = total
    return totals, zeros, per_beam


def apparatus_bodies(apparatus, attractor_angle_deg=0.0):
    """(pendulum bodies, other bodies at the attractor angle [deg], fibre axis) of an
    :class:`nusim.geometry.apparatus.Apparatus`."""
    pendulum = apparatus.by_role("pendulum")
    others = [*apparatus.attractors_at(float(attractor_angle_deg)),
              *apparatus.by_role("fixed")]
    return pendulum, others, apparatus.axis
