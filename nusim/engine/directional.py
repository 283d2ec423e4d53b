"""``directional_interaction``: the directional beam energy, forces and torques between two bodies.

The user-facing estimator of the neutrino force in a directional background (reactor, Sun,
supernova): the wake (retarded) channel a torsion balance feels, the paper's even potential
alongside, and each body's self-force (neutrino radiation pressure) as its own channel.

Estimators (``estimator=``):

* ``"wake"`` — the surface estimator of :mod:`nusim.engine.wake` (unbiased, finite variance at
  every Fresnel number; needs features ≫ 1/E, i.e. E·L_min ≳ 30 — every macroscopic case);
* ``"pairs"`` — brute-force volume pair sums of the exact kernel (eq. 4.12 × spectrum), which
  converge only while N_F = E_max L²/D ≲ 3 (design note §2); point profile or point-core
  reactor (a plane wave along k̂ at the reference point); ``samples`` pair evaluations per
  replica from ⌈√samples⌉ points per body; errors flagged untrusted below PAIRS_MIN_COHERENT
  pairs within the spectrum's coherence length;
* ``"nearfield"`` — :mod:`nusim.engine.nearfield`: the wake energy averaged over the
  directions of an extended source (an angular profile of finite width, or a reactor core with
  radius and height), a smooth surface-pair integral; valid when the source blurs each wake
  over many wake widths (N = E·Δz·θ² ≫ 1 at the gap; its relative bias ~⟨1/N⟩ is carried
  as a systematic error); 10–100× less CPU than the wake estimator at equal precision;
* ``"auto"`` (default) — ``"pairs"`` when N_F ≤ ``PAIRS_MAX_FRESNEL`` and the profile is a
  point; ``"nearfield"`` for an extended source where ⟨1/N⟩ ≤ ``nearfield.MAX_RESIDUAL``;
  else ``"wake"``.

Conventions: the *source* body scatters, the *target* body (the pendulum) feels its wake;
"retarded" channels are the target in the source's wake (design note §7), "symmetric" the
paper's even V. Energies [J], forces on the target [N] (lab frame), torques on the target about
``axis`` [N m], self-forces [N] along the beam. Every figure is an :class:`Estimate` from
independent replicas; one whose error exceeds half its value is reported as an upper bound.

Self-force: the exact paraxial value for the given (sharp) surfaces, between distinct faces.
The design note's near-field formula (G_F²Φ⟨1/E⟩) n² ∫d²s |∇⊥Σ|² holds for densities smooth
on the wake's width √(Δz/E). For a sharp flat face its "same surface" terms |∇h|² come only from
pairs on that face closer than ~|∇h|/E (sub-pm for ordinary faces: specular reflection off an
atomically flat plane, outside the continuum model and erased by any real roughness; they grow
as 1/|n̂·k̂| at grazing incidence). The channel therefore excludes pairs on the same mesh
triangle and reports the cross terms between different faces (for a cube seen along its
diagonal, one third of the smooth formula — tested). Real surfaces are rough on the 30 nm wake
scale, so for a machined body the truth lies between the two.

The α = 0 estimate of the paper (eq. 5.3 summed over the bodies, as in its figure 5 and eq. D.7)
is returned as ``naive_energy_J`` = −G_F² Φ⟨E⟩ Q₁Q₂/(π D), D the centre distance, for the
suppression ratio U/U_(α=0).
"""

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np
import trimesh

from nusim import units
from nusim.engine import differences as _differences
from nusim.engine import nearfield, wake
from nusim.engine.result import Estimate
from nusim.errors import ArgumentError
from nusim.physics import wake_kernel
from nusim.sources import profiles

ESTIMATORS = ("auto", "wake", "pairs", "nearfield")
#: brute-force pair sums are used by "auto" up to this Fresnel number (they converge below ~10)
PAIRS_MAX_FRESNEL = 3.0
#: paraxial bias of the wake estimator ≈ WAKE_PARAXIAL_COEFF/(E_min L)², L the smallest feature
#: (smallest half-extent of either body, :func:`smallest_feature_m`): measured −0.5 % for two
#: coaxial spheres at E a = 30 (tests/engine/test_wake.py, docs/directional-estimator.md)
WAKE_PARAXIAL_COEFF = 4.5
#: the result gets a note (with the estimate) when that bias exceeds this
WAKE_PARAXIAL_NOTE = 1e-3
#: E_min L below which the note fires, √(4.5/1e-3) ≈ 67
WAKE_MIN_EL = math.sqrt(WAKE_PARAXIAL_COEFF / WAKE_PARAXIAL_NOTE)
#: brute-force pairs: replica errors are trusted only when each replica is expected to hold at
#: least this many pairs inside the spectrum's coherence length (σ Δ < SIGMA_T_CUT, Δ = r ∓ z
#: the path difference, σ the spectrum's spread: a fraction ~2 SIGMA_T_CUT D/(σ L²) of pairs);
#: the kernel is < 1e-16 of its peak elsewhere, so replicas with none are exactly 0 and
#: replicas with few are heavy-tailed. Coverage measured on two coaxial 1 cm copper spheres
#: 10 cm apart, a Gaussian line of relative width 0.1, reference from the wake estimator, 20
#: seeds × 8 replicas ("covers": the 95 % interval, or bound, contains the reference):
#: expected coherent pairs per replica n_c = 0.17 → 11/20 (3/20 runs all exactly 0, |z| up
#: to 5e5); 1.6 → 20/20 (mostly bounds); 17 → 19/20 and 20/20; 155 → 18/20 and 20/20;
#: 1.7e3-1.7e5 → 19-20/20. Monochromatic lines (no cut, every pair contributes): 17-20/20
#: (|z| < 2: 17-19/20, 18.3 expected for Student t₇) at N_F = 0.3, 3, 10, 30 from 900 to 1e6
#: pairs. The threshold keeps a margin of 6 over n_c = 1.6 and of 60 over the failure.
PAIRS_MIN_COHERENT = 10.0


@dataclass(frozen=True)
class DirectionalBeam:
    """A directional neutrino beam at the apparatus.

    spectrum : ``nusim.physics.beam.BeamSpectrum`` (natural units; e.g. from
        ``nusim.sources.pair_potential.beam_spectrum``); direction : (3,) unit vector of travel
    in the lab frame; profile : angular profile (``nusim.sources.profiles``), default a point;
    charge : "e" (ν_e, ν̄_e) or "mu" (ν_μ, ν_τ) — which charges of the materials couple;
    emitter : ``nusim.engine.wake.Emitter`` or None — for a source at finite distance (a
    reactor), its emission points replace ``profile`` in the wake estimator (per-sample
    directions and 1/d² flux weights); reference_point_m : where ``spectrum``'s flux holds [m]
    (required with an emitter). Build one for a reactor with :func:`reactor_beam`.
    """

    spectrum: object
    direction: tuple
    profile: object = field(default_factory=profiles.Point)
    charge: str = "e"
    emitter: object = None
    reference_point_m: tuple | None = None

    def __post_init__(self):
        d = np.asarray(self.direction, float)
        if d.shape != (3,) or not np.all(np.isfinite(d)) or np.linalg.norm(d) == 0:
            raise ArgumentError(f"DirectionalBeam: direction: must be a non-zero 3-vector "
                                f"({self.direction!r}); give the direction of travel in the "
                                f"lab")
        if self.charge not in ("e", "mu"):
            raise ArgumentError(f"DirectionalBeam: charge={self.charge!r} is not 'e' or 'mu' "
                                f"(give 'e' for ν_e, ν̄_e or 'mu' for ν_μ, ν_τ)")
        if self.emitter is not None and self.reference_point_m is None:
            raise ArgumentError("DirectionalBeam: reference_point_m: needed with an emitter "
                                "(give the point where the spectrum's flux was evaluated)")

    @property
    def k_hat(self):
        d = np.asarray(self.direction, float)
        return d / np.linalg.norm(d)


def reactor_beam(reactor, point_m, flavour=None, **spectrum_options):
    """The DirectionalBeam of a ``nusim.sources.reactor.Reactor`` at the apparatus point
    ``point_m`` [m]: its ν̄_e spectrum there (flux with the core's exact ⟨1/d²⟩), direction
    from the core centre, and an :class:`~nusim.engine.wake.Emitter` with the core's geometry
    (a point core when its radius and height are 0)."""
    from nusim.sources.pair_potential import beam_spectrum

    point = np.asarray(point_m, float)
    spec = beam_spectrum(reactor, flavour, point_m=point, **spectrum_options)
    emitter = wake.Emitter(tuple(reactor.position_m), reactor.core_radius_m,
                           reactor.core_height_m, tuple(reactor.core_axis))
    return DirectionalBeam(spec, tuple(reactor.direction(point)), profiles.Point(), "e",
                           emitter, tuple(point))


@dataclass(frozen=True)
class DirectionalResult:
    """Estimates of one directional interaction (see the module docstring for the channels)."""

    estimator: str
    fresnel_number: float
    naive_energy_J: float
    estimates: dict
    notes: tuple = ()
    n_samples: int = 0
    replicas: int = 0
    seed: int = 0
    seconds: float = 0.0

    def __getitem__(self, name):
        return self.estimates[name]

    def summary(self):
        lines = [f"directional interaction ({self.estimator} estimator, N_F = "
                 f"{self.fresnel_number:.3g}, α = 0 estimate {self.naive_energy_J:.4g} J)"]
        lines += [f"  {est.summary()}" for est in self.estimates.values()]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def to_dict(self):
        return {"estimator": self.estimator, "fresnel_number": self.fresnel_number,
                "naive_energy_J": self.naive_energy_J, "notes": list(self.notes),
                "n_samples": self.n_samples, "replicas": self.replicas, "seed": self.seed,
                "seconds": self.seconds,
                "estimates": {k: v.to_dict() for k, v in self.estimates.items()}}


def body_mesh(body, sections=256, sphere_subdivisions=5):
    """(vertices [m] lab frame, faces) of a body's surface: an icosphere for a sphere, the
    shape's own mesh otherwise (``sections`` facets around round shapes)."""
    shape = body.shape
    if type(shape).__name__ == "Sphere":
        mesh = trimesh.creation.icosphere(subdivisions=sphere_subdivisions,
                                          radius=shape.radius_m)
    else:
        mesh = shape.to_mesh(sections=sections)
    return body.pose.apply(np.asarray(mesh.vertices, float)), np.asarray(mesh.faces)


def mesh_volume(vertices, faces):
    """Volume of a closed triangle mesh [m³] (divergence theorem)."""
    tri = vertices[faces]
    return float(np.einsum("ij,ij->i", tri[:, 0], np.cross(tri[:, 1], tri[:, 2])).sum() / 6)


def charge_density(body, flavour):
    """Weak-charge density n = ρ Q_f per kg [m⁻³] of a body's material."""
    return body.material.density_kg_m3 * body.material.charges_per_kg.of(flavour)


def fresnel_number(source, target, beam):
    """N_F = E_max L²/D (design note §2): L the larger half-extent of the two bodies' bounding
    boxes (a sphere's radius, as in the note's N_F = E a²/D), D the centre distance, E_max the
    top of the spectrum (μ + 3σ of its highest component)."""
    f, m, s = beam.spectrum.arrays()
    e_max_m = float(np.max(m + 3 * s)) / units.HBARC_EV_M
    sizes = [0.5 * float(np.max(np.diff(b.bounds_m, axis=0))) for b in (source, target)]
    dist = float(np.linalg.norm(target.centre_of_mass_m - source.centre_of_mass_m))
    return e_max_m * max(sizes) ** 2 / max(dist, 1e-300)


def smallest_feature_m(body):
    """The smallest half-extent of a body's shape [m] (paraxial scale of the wake estimator):
    a sphere's radius, min(radius, height/2) of a cylinder or cone, half the smallest edge of a
    box, min(wall/2, height/2) of an annulus, half the smallest local bounding-box edge of a
    mesh (its own frame)."""
    shape = body.shape
    lo, hi = np.asarray(shape.bounds_m, float)
    half = 0.5 * float(np.min(hi - lo))
    if type(shape).__name__ == "Annulus":
        half = min(half, 0.5 * (shape.outer_radius_m - shape.inner_radius_m))
    return half


def naive_energy_J(source, target, beam, flavour):
    """The paper's α = 0 estimate −G_F²Φ⟨E⟩Q₁Q₂⟨1/r⟩/π [J] (eq. 5.3 summed, as eq. D.7).

    ⟨1/r⟩ = 1/D for bodies far apart (D the centres' distance, as in the paper); for bodies
    whose bounding spheres overlap (a test mass inside a tube: D → 0) the mean inverse distance
    over their volumes, from 4096 fixed-seed points per body (a quadrature, ~1 % here)."""
    from nusim.geometry.bodies import sample_body

    q1 = source.mass_kg * source.material.charges_per_kg.of(flavour)
    q2 = target.mass_kg * target.material.charges_per_kg.of(flavour)
    dist = float(np.linalg.norm(target.centre_of_mass_m - source.centre_of_mass_m))
    (_, r1), (_, r2) = _bounding(source), _bounding(target)
    if dist > r1 + r2:
        inv_r = 1.0 / dist
    else:
        rng = np.random.default_rng(20230092)          # fixed: a quadrature, not a result
        p1 = sample_body(source, 4096, rng).positions_m
        p2 = sample_body(target, 4096, rng).positions_m
        inv_r = float(np.mean(1.0 / np.linalg.norm(p1 - p2, axis=1)))
    sp = beam.spectrum
    return units.eV_to_J(-units.G_F**2 * sp.total_flux * sp.mean_energy * q1 * q2
                         * units.inv_eV_to_m(1.0) * inv_r / math.pi)


def _point_core(beam):
    """True for an emitter that is a point (core radius and height 0)."""
    em = beam.emitter
    return em is not None and em.core_radius_m == 0 and em.core_height_m == 0


def _choose(estimator, n_f, beam):
    if estimator not in ESTIMATORS:
        raise ArgumentError(f"directional_interaction: estimator={estimator!r} is not one of "
                            f"{', '.join(map(repr, ESTIMATORS))}")
    point_profile = isinstance(beam.profile, profiles.Point)
    point = point_profile and beam.emitter is None
    if estimator == "pairs" and not (point or (point_profile and _point_core(beam))):
        what = ("a finite reactor core (radius or height > 0)" if beam.emitter is not None
                else f"the angular profile {type(beam.profile).__name__}")
        raise ArgumentError(f"directional_interaction: estimator='pairs' supports only a point "
                            f"profile or a point-core reactor_beam, not {what}; use "
                            f"estimator='wake' or 'auto' for a finite source")
    if estimator == "nearfield" and not nearfield.supports(beam):
        raise ArgumentError("directional_interaction: estimator='nearfield' needs an extended "
                            "source (an angular profile of finite width, or a reactor core "
                            "with radius and height > 0); use 'wake' or 'auto'")
    if estimator != "auto":
        return estimator
    # a point core stays with the wake estimator under "auto": its per-sample directions and
    # 1/d² weights are exact there, while pairs neglect their O(L/R) variation
    return "pairs" if (n_f <= PAIRS_MAX_FRESNEL and point) else "wake"


def directional_interaction(source, target, beam, *, samples=200_000, replicas=8, seed=0,
                            estimator="auto", axis=None, derivatives=True, self_force=True,
                            fd_step=0.02, sections=256, progress=True):
    """Directional beam energy, force and torque on ``target`` from ``source`` (two Bodies).

    Parameters
    ----------
    source, target : ``nusim.geometry.bodies.Body`` (the target is the pendulum)
    beam : DirectionalBeam
    samples : int ≥ 10, kernel evaluations per replica, a comparable cost for both estimators
        (wake: surface samples; pairs: pair evaluations, from ⌈√samples⌉ points per body, so
        samples = 4_000_000 is 2000 points per body; the result's notes say how many)
    replicas : int ≥ 2; seed : int ≥ 0 (reproducible: replica r uses SeedSequence(seed, (r,)))
    estimator : "auto", "wake" or "pairs" (module docstring)
    axis : (point_m, direction) or None — the fibre, for torques [m], [1]
    derivatives : True (= "difference"), "torque" (the differences' torque alone, no forces),
        "analytic" or False — forces and torques (wake only
        distinguishes): "difference": transverse forces, torques and (extended sources) forces
        along the beam by central differences of the energy with common random numbers at
        the steps ``fd_step`` and ``fd_step``/2 × target size (× distance along the beam): the
        half step is reported, and the measured step bias |D(h) − D(h/2)| is in its error as
        a systematic (``Estimate.systematic``; a kink of the energy — nearly tangent
        silhouettes, −52 % at a single 0.05 step in the review's case — shows up there);
        noise ∝ step^{-1/2}; "analytic": the analytic derivative of the surface
        estimator on the same samples (unbiased, no step, one sum; more precise at moderate
        Fresnel numbers, resolved but noisier than the differences in the near field, and
        heavy-tailed where two silhouettes cross: see docs/directional-estimator.md)
    self_force : bool, each body's radiation-pressure self-force (vector, and along the beam)
        and, with an axis, its self-torque (wake only)
    sections : facets around round shapes (cylinders, annuli, cones)

    Returns
    -------
    DirectionalResult
    """
    import time

    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 10:
        raise ArgumentError(f"directional_interaction: samples={samples!r} must be an integer "
                            f"≥ 10 (kernel evaluations per replica)")
    if isinstance(replicas, bool) or not isinstance(replicas, (int, np.integer)) or replicas < 2:
        raise ArgumentError(f"directional_interaction: replicas={replicas!r} must be an "
                            f"integer ≥ 2 (errors come from the scatter of replicas)")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ArgumentError(f"directional_interaction: seed={seed!r} must be a non-negative "
                            f"integer (results are reproducible from it)")
    flavour = beam.charge
    n_f = fresnel_number(source, target, beam)
    chosen = _choose(estimator, n_f, beam)
    gap = None
    # "auto" keeps the wake estimator for derivatives="analytic" (only it has that derivative)
    if chosen == "nearfield" or (chosen == "wake" and estimator == "auto"
                                 and derivatives != "analytic" and nearfield.supports(beam)):
        gap = nearfield.gap_m(*body_mesh(source, sections), *body_mesh(target, sections))
        if chosen == "wake" and nearfield.validity(beam, gap)[1] <= nearfield.MAX_RESIDUAL:
            chosen = "nearfield"
    naive = naive_energy_J(source, target, beam, flavour)
    t0 = time.perf_counter()
    if chosen == "nearfield":
        estimates, notes = _nearfield(source, target, beam, samples, replicas, seed, axis,
                                      derivatives, self_force, fd_step, sections, gap,
                                      progress)
        estimates = {k: dataclasses.replace(v, samples_label="samples (lines and pairs)",
                                            **_causal_zero(k, v, source, target, beam))
                     for k, v in estimates.items()}
    elif chosen == "pairs":
        estimates, notes = _pairs(source, target, beam, samples, replicas, seed, axis,
                                  progress)
    else:
        estimates, notes = _wake(source, target, beam, samples, replicas, seed, axis,
                                 derivatives, self_force, fd_step, sections, progress)
        estimates = {k: dataclasses.replace(v, samples_label="surface samples",
                                            **_causal_zero(k, v, source, target, beam))
                     for k, v in estimates.items()}
    return DirectionalResult(chosen, n_f, naive, estimates, tuple(notes), int(samples),
                             int(replicas), int(seed), time.perf_counter() - t0)


def _causal_zero(name, est, source, target, beam):
    """Fields marking a wake channel whose replicas are all 0 as an exact, causal zero: the
    retarded kernel vanishes for z < 0, so the body in the other's wake contributes nothing
    when it lies entirely upstream (checked on the bodies' bounding boxes along k̂, with a
    margin for the rays' tilt from an emitter; for an angular profile the test of
    :func:`nusim.engine.apparatus_signal.causal_zero_reason` over its support). {} otherwise."""
    if not est.is_blind or "retarded" not in name:
        return {}
    if not isinstance(beam.profile, profiles.Point):
        # an angular profile: the geometric test with the profile's support (every ray tilt)
        from nusim.engine.apparatus_signal import causal_zero_reason

        reverse = "reverse" in name or "on_source" in name
        why = (causal_zero_reason(target, source, beam) if reverse
               else causal_zero_reason(source, target, beam))
        return {} if why is None else {"exact_zero_reason": f"causal: {why}", "trusted": True,
                                       "untrusted_reason": None}
    k = beam.k_hat

    def span(body):
        lo, hi = np.asarray(body.bounds_m, float)
        z = np.array([[x, y, w] for x in (lo[0], hi[0]) for y in (lo[1], hi[1])
                      for w in (lo[2], hi[2])]) @ k
        return float(z.min()), float(z.max())

    reverse = "reverse" in name or "on_source" in name
    wake_of, inside = (target, source) if reverse else (source, target)
    gap = span(wake_of)[0] - span(inside)[1]
    need = 0.0
    if beam.emitter is not None:      # rays tilt by up to (reach + core size)/R
        em = beam.emitter
        ref = np.asarray(beam.reference_point_m, float)
        (c1, r1), (c2, r2) = _bounding(source), _bounding(target)
        reach = max(float(np.linalg.norm(c - ref)) + r for c, r in ((c1, r1), (c2, r2)))
        dist_src = float(np.linalg.norm(ref - np.asarray(em.position_m, float)))
        tilt = (reach + em.core_radius_m + em.core_height_m) / dist_src
        need = tilt * (float(np.linalg.norm(c2 - c1)) + r1 + r2)
    if gap < need:
        return {}
    return {"exact_zero_reason": f"causal: {inside.name} lies entirely upstream of "
                                 f"{wake_of.name}, outside its wake (θ(z) kernel)",
            "trusted": True, "untrusted_reason": None}


def _bounding(body):
    """(centre [m] (3,), radius [m]) of a sphere containing the body (its lab bounding box)."""
    lo, hi = np.asarray(body.bounds_m, float)
    return 0.5 * (lo + hi), 0.5 * float(np.linalg.norm(hi - lo))


def points_per_body(samples):
    """⌈√samples⌉: the points per body of brute-force pairs for ``samples`` pair evaluations."""
    n = math.isqrt(int(samples))
    return n if n * n >= samples else n + 1


def _pairs(source, target, beam, samples, replicas, seed, axis, progress):
    from nusim.engine.interact import interact
    from nusim.engine.kernels import SIGMA_T_CUT
    from nusim.engine.pairsum import Beam

    n_pts = points_per_body(samples)
    notes = [f"brute-force pair sums of the exact kernel: samples = {samples} pair evaluations "
             f"per replica, {n_pts} points per body ({n_pts ** 2} pairs); no self-force channel"]
    (c1, r1), (c2, r2) = _bounding(source), _bounding(target)
    k = beam.k_hat
    if beam.emitter is not None:        # a point core (_choose refused finite ones)
        ref = np.asarray(beam.reference_point_m, float)
        dist_src = float(np.linalg.norm(ref - np.asarray(beam.emitter.position_m, float)))
        reach = max(float(np.linalg.norm(c - ref)) + r for c, r in ((c1, r1), (c2, r2)))
        notes.append(f"point core {dist_src:.4g} m away treated as a plane wave: k̂ and the flux "
                     f"are those at the reference point; across the apparatus (L = {reach:.3g} "
                     f"m from it) directions vary by L/R = {reach / dist_src:.2g} rad and the "
                     f"flux by 2L/R = {2 * reach / dist_src:.2g}, neglected")
    # the spectrum's coherence cut: the kernel is < 1e-16 of its peak for pairs whose path
    # difference Δ = r ∓ z exceeds SIGMA_T_CUT/σ, i.e. ρ² ≳ 2 SIGMA_T_CUT D/σ; the fraction
    # of pairs inside is ~ that area over L², L the larger half-extent. σ: the whole
    # spectrum's spread (a fitted continuum's narrow components cancel beyond ~1/σ, though
    # each alone is cut only at SIGMA_T_CUT/σ_min); 0 when a component is a pure line
    flux, mean, sig = (np.asarray(x, float) for x in beam.spectrum.arrays())
    sigma_min = float(np.min(sig)) / units.HBARC_EV_M
    e_avg = float(np.sum(flux * mean) / np.sum(flux))
    spread = math.sqrt(max(0.0, float(np.sum(flux * (sig**2 + mean**2)) / np.sum(flux))
                           - e_avg**2)) / units.HBARC_EV_M
    sigma_c = spread if sigma_min > 0 else 0.0
    size = max(0.5 * float(np.max(np.diff(b.bounds_m, axis=0))) for b in (source, target))
    dist = float(np.linalg.norm(target.centre_of_mass_m - source.centre_of_mass_m))
    frac = 1.0 if sigma_c == 0 else min(1.0, 2 * SIGMA_T_CUT * dist / (sigma_c * size**2))
    coherent = n_pts**2 * frac
    trusted, why = True, None
    if coherent < PAIRS_MIN_COHERENT:
        min_pairs = PAIRS_MIN_COHERENT / frac
        trusted = False
        why = (f"replica errors untrustworthy below {min_pairs:.2g} pair samples: "
               f"heavy-tailed replicas ({coherent:.2g} pairs per replica expected within the "
               f"spectrum's coherence length, the only ones that contribute); the bound may "
               f"exclude the truth — use estimator='wake' or more samples")
        notes.append(why)
    # all replicas exactly 0: an exact zero of the kernel when no pair of the two bodies can
    # come within the coherence cut (Δ ≥ ρ_min²/(2 r_max), ρ_min the bounding spheres' gap
    # across the beam), else a blind estimate (no sampled pair inside the cut)
    sep = c2 - c1
    rho_min = max(0.0, float(np.linalg.norm(sep - (sep @ k) * k)) - r1 - r2)
    delta_min = rho_min**2 / (2 * (float(np.linalg.norm(sep)) + r1 + r2))
    exact_zero = sigma_min > 0 and sigma_min * delta_min > SIGMA_T_CUT
    zero_reason = (f"the bodies lie ≥ {rho_min:.3g} m apart across the beam: every pair's path "
                   f"difference exceeds the coherence length {SIGMA_T_CUT:g}/σ_min = "
                   f"{SIGMA_T_CUT / sigma_min:.2g} m, where the kernel is < 1e-16 of its peak"
                   if exact_zero else None)
    blind = ("every replica is exactly 0: no sampled pair came within the spectrum's "
             "coherence length of the beam line, where all the value lies — not a measurement;"
             " use estimator='wake'")

    def est(label, vals, unit):
        vals = np.asarray(vals, float)
        if bool(np.all(vals == 0)):
            ok, reason = exact_zero, None if exact_zero else blind
            return Estimate.from_replicas(label, vals, unit, samples, seed,
                                          samples_label="pair samples",
                                          exact_zero_reason=zero_reason, trusted=ok,
                                          untrusted_reason=reason)
        return Estimate.from_replicas(label, vals, unit, samples, seed,
                                      samples_label="pair samples", trusted=trusted,
                                      untrusted_reason=why)

    out = {}
    for kind in ("symmetric", "retarded"):
        res = interact([source], [target], Beam(beam.spectrum, tuple(k), kind, beam.charge),
                       n_pts, seed, axis=axis, replicas=replicas, progress=progress)
        reps = res.replica_values
        out[f"energy_{kind}_J"] = est(f"U ({kind})", reps["energy_J"], "J")
        for i, c in enumerate("xyz"):
            out[f"force_{kind}_{c}_N"] = est(f"F_{c} ({kind})",
                                            np.asarray(reps["force_N"])[:, i], "N")
        if axis is not None:
            out[f"torque_{kind}_Nm"] = est(f"torque ({kind})", reps["torque_Nm"], "N m")
    if exact_zero:
        notes.append(f"exact zero: {zero_reason}")
    elif any(e.is_blind for e in out.values()):
        notes.append(f"unresolved channels: {blind}")
    return out, notes


def _nearfield(source, target, beam, samples, replicas, seed, axis, derivatives, self_force,
               fd_step, sections, gap, progress):
    if derivatives not in (False, True, "difference", "torque"):
        raise ArgumentError(f"directional_interaction: derivatives={derivatives!r}: the "
                            f"near-field estimator takes True, False, 'difference' or 'torque' "
                            f"(its derivatives are step-controlled differences)")
    base = wake.transverse_base(beam.k_hat)
    v1, f1 = body_mesh(source, sections)
    v2, f2 = body_mesh(target, sections)
    m1, m2 = wake.mesh_arrays(v1, f1, base), wake.mesh_arrays(v2, f2, base)
    n1, n2 = charge_density(source, beam.charge), charge_density(target, beam.charge)
    dist = float(np.linalg.norm(v2.mean(0) - v1.mean(0)))
    est, notes = nearfield.pair_estimates(
        m1, m2, n1, n2, beam, samples=samples, replicas=replicas, seed=seed, axis=axis,
        derivatives=True if derivatives == "difference" else derivatives, fd_step=fd_step,
        distance_m=dist, gap=gap, progress=progress)
    for key, body, mm, n in (("source", source, m1, n1), ("target", target, m2, n2)):
        if not self_force:
            break
        s_est, s_notes = nearfield.self_estimates(
            mm, n, beam, body.name, samples=samples, replicas=replicas, seed=seed, axis=axis,
            gap=smallest_feature_m(body))
        est.update({k.replace("_body_", f"_{key}_"): v for k, v in s_est.items()})
        notes += [x for x in s_notes if x not in notes]
    return est, notes


def _wake(source, target, beam, samples, replicas, seed, axis, derivatives, self_force,
          fd_step, sections, progress):
    from tqdm import tqdm

    notes = []
    table = wake_kernel.surface_kernel_table(beam.spectrum)
    if table.regulated:
        notes.append(f"a line narrower than {wake_kernel.MIN_RELATIVE_WIDTH:g} × E was given "
                     f"that width (Abel regulator of a monochromatic beam)")
    k0 = beam.k_hat
    base = wake.transverse_base(k0)
    v1, f1 = body_mesh(source, sections)
    v2, f2 = body_mesh(target, sections)
    m1 = wake.mesh_arrays(v1, f1, base)
    m2 = wake.mesh_arrays(v2, f2, base)
    n1, n2 = charge_density(source, beam.charge), charge_density(target, beam.charge)
    dist = float(np.linalg.norm(v2.mean(0) - v1.mean(0)))
    size = min(smallest_feature_m(b) for b in (source, target))     # smallest half-extent
    e_min_m = table.min_energy / units.HBARC_EV_M
    paraxial = WAKE_PARAXIAL_COEFF / (e_min_m * size) ** 2
    if paraxial > WAKE_PARAXIAL_NOTE:
        notes.append(f"paraxial bias ≈ {WAKE_PARAXIAL_COEFF:g}/(E_min L)² = {paraxial:.2g} "
                     f"relative (E_min·L = {e_min_m * size:.3g}, L = {size:.3g} m the smallest "
                     f"half-extent of the bodies; two coaxial spheres: −0.5 % at E a = 30), "
                     f"above {WAKE_PARAXIAL_NOTE:g}")
    r_min, r_max = wake.offset_range(m1, m2, table, dist)
    flux_norm, bias = 0.0, None
    if beam.emitter is not None:
        flux_norm = beam.emitter.flux_norm(beam.reference_point_m)
        bias = beam.emitter.bias_parameters(
            float(np.linalg.norm(np.asarray(beam.reference_point_m)
                                 - np.asarray(beam.emitter.position_m))), dist, r_min)
        notes.append("directions and 1/d² flux weights per sample from the source's emission "
                     "points; O(Δz/R) corrections to the Fresnel scale of a spherical wave "
                     "(1 % at 10 cm from a source 10 m away) are neglected")
    e_scale = wake.energy_scale_J(table, n1, n2)
    f_scale = wake.force_scale_N(table, n1, n2)

    if derivatives not in (False, True, "difference", "analytic", "torque"):
        raise ArgumentError(f"directional_interaction: derivatives={derivatives!r} is not "
                            f"True, False, 'difference', 'torque' or 'analytic'")
    analytic = derivatives == "analytic"
    differences = bool(derivatives) and not analytic
    # "torque": the step-controlled torque alone (no force sums: a third of the cost)
    forces = derivatives != "torque"
    extended = extended_beam(beam)
    # "difference": rigid motions of the target (common random numbers). Along the beam the
    # kernel's own derivative (channels 3-5) is exact only when every sample travels along k̂₀:
    # with an extended source a shift along k̂₀ also moves the target across each tilted ray,
    # so there the derivative is a difference too (step fd_step × distance: the energy varies
    # on the scale of the distance along the beam). "analytic": channels 6-16 of the kernel
    # (lab-vector gradients, torques) on the same samples, no motions.
    motions, source_motions, steps = {}, {}, None
    if differences:
        motions, source_motions, steps = _differences.motions(
            m1, m2, base, axis, fd_step, dist, forces=forces, along_beam=extended)
    # each body's self-interaction (one mesh as both, pairs on one flat face skipped): its
    # self-force vector and, rotating the target copy only, the torque of its internal wake
    # forces about the axis, from the analytic channels
    self_meshes = {"source": m1, "target": m2} if self_force else {}
    n_eval = 1 + len(motions) + len(source_motions) + len(self_meshes)
    bar = tqdm(total=replicas * n_eval, desc="wake estimator", unit="sum",
               disable=not progress, leave=False)
    rows = {key: [] for key in ("base", *motions, *source_motions, *self_meshes)}
    kw = dict(flux_norm=flux_norm, emitter_bias=bias)
    try:
        for r in range(replicas):
            rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(r,)))
            draws = wake.draw(samples, rng, k0, beam.profile, emitter=beam.emitter)
            rows["base"].append(wake.wake_channel_sums(m1, m2, table, base, draws, r_min, r_max,
                                                        axis=axis, mirror=analytic, **kw))
            bar.update()
            for key, mm in motions.items():
                rows[key].append(wake.wake_channel_sums(m1, mm, table, base, draws, r_min, r_max,
                                                       mirror=False, **kw))
                bar.update()
            for key, mm in source_motions.items():
                rows[key].append(wake.wake_channel_sums(mm, m2, table, base, draws, r_min, r_max,
                                                       mirror=False, **kw))
                bar.update()
            for key, mm in self_meshes.items():
                rs, rx = wake.offset_range(mm, mm, table, dist)
                rows[key].append(wake.wake_channel_sums(mm, mm, table, base, draws, rs, rx,
                                                       skip_same=True, axis=axis,
                                                       mirror=True, **kw))
                bar.update()
    finally:
        bar.close()
    rows = {k: np.asarray(v) for k, v in rows.items()}
    b = rows["base"]
    est = {}

    def add(name, label, vals, unit, systematic=0.0):
        est[name] = Estimate.from_replicas(label, vals, unit, samples, seed,
                                           systematic=systematic)

    add("energy_symmetric_J", "U (symmetric, paper)", e_scale * b[:, 0], "J")
    add("energy_retarded_J", "U_R (target in the wake)", e_scale * b[:, 1], "J")
    add("energy_retarded_reverse_J", "U_R (source in the target's wake)", e_scale * b[:, 2], "J")
    if analytic:
        for kind, ch, tch in (("symmetric", 6, 15), ("retarded", 9, 16)):
            vec = -e_scale * b[:, ch:ch + 3]          # F₂ = −∇_{x₂}U
            for i, c in enumerate("xyz"):
                add(f"force_{kind}_{c}_N", f"F_{c} on target ({kind})", vec[:, i], "N")
            add(f"force_{kind}_along_beam_N", f"F·k̂ on target ({kind})", vec @ k0, "N")
            if axis is not None:
                add(f"torque_{kind}_Nm", f"torque on target ({kind})", -e_scale * b[:, tch],
                    "N m")
        # F₁ = −∇_{x₁}U = +∇_d U of the reverse wake (the source in the target's wake)
        add("force_on_source_retarded_along_beam_N", "F·k̂ on source (in the target's wake)",
            e_scale * b[:, 12:15] @ k0, "N")
        notes.append("forces and torques: analytic derivative of the surface estimator on the "
                     "same samples (unbiased; lab vectors, so tilted rays of an extended source "
                     "are included)")
    elif differences:
        along = None if extended else {"symmetric": f_scale * b[:, 3],
                                       "retarded": f_scale * b[:, 4]}
        est.update(_differences.estimates(rows, e_scale, base, steps, axis, samples, seed,
                                          forces=forces, along_exact=along))
        if forces:
            f_src = (_differences.source_force_along_beam(rows, 2, e_scale, steps) if extended
                     else f_scale * b[:, 5])
            add("force_on_source_retarded_along_beam_N",
                "F·k̂ on source (in the target's wake)", f_src, "N")
        notes.append(_differences.note(fd_step, forces, extended))
    if self_meshes and extended_beam(beam):
        notes.append("self-forces with an extended source: along the beam, the mean over "
                     "directions of the component along each direction of travel (radiation "
                     "pressure along each ray); the vectors are the full −∇U_R")
    for key in self_meshes:
        body = source if key == "source" else target
        est.update(_self_estimates(key, body, rows[key], table, beam, axis, samples, seed))
    return est, notes


def extended_beam(beam):
    """Whether the beam's directions spread (an angular profile, or an emitter with a core)."""
    return not isinstance(beam.profile, profiles.Point) or (
        beam.emitter is not None and (beam.emitter.core_radius_m > 0
                                      or beam.emitter.core_height_m > 0))


def _self_estimates(key, body, rows, table, beam, axis, samples, seed):
    """Self-force vector, along-beam component and self-torque of one body from its
    self-interaction channel sums (replicas × N_CHANNELS)."""
    n = charge_density(body, beam.charge)
    e_self = wake.energy_scale_J(table, n, n)
    out = {}
    vec = -e_self * rows[:, 9:12]                    # retarded gradient of the copy
    for i, c in enumerate("xyz"):
        out[f"self_force_{key}_{c}_N"] = Estimate.from_replicas(
            f"self-force on {body.name} ({c})", vec[:, i], "N", samples, seed)
    out[f"self_force_{key}_along_beam_N"] = Estimate.from_replicas(
        f"self-force on {body.name} along the beam",
        wake.force_scale_N(table, n, n) * rows[:, 4], "N", samples, seed)
    if axis is not None:
        out[f"self_torque_{key}_Nm"] = Estimate.from_replicas(
            f"self-torque on {body.name}", -e_self * rows[:, 16], "N m", samples, seed)
    return out


def directional_self_interaction(body, beam, *, samples, replicas=8, seed=0, axis=None,
                                 sections=256, estimator="auto", progress=False):
    """One body's neutrino radiation-pressure self-force and self-torque in a directional beam.

    The self-interaction of the body's surface (one mesh as both, pairs on one flat face
    skipped; see the module docstring) in the retarded (wake) kernel: the force on the body is
    −∇U_R of moving one copy, the torque −dU_R/dφ of rotating one copy about ``axis`` (the
    torque of the body's internal wake forces). For an apparatus, call this per pendulum body
    and :func:`directional_interaction` with ``self_force=False`` for the pairs.

    Parameters
    ----------
    body : ``nusim.geometry.bodies.Body``; beam : DirectionalBeam
    samples : int ≥ 10, surface samples per replica; replicas : int ≥ 2; seed : int ≥ 0
    axis : (point_m, direction) or None — the fibre [m], [1]
    sections : facets around round shapes
    estimator : "auto", "wake" or "nearfield" ("auto": the near-field estimator for an
        extended source where its bias ⟨1/N⟩ at the body's smallest half-extent is ≤
        ``nearfield.MAX_RESIDUAL``; its vector and torque are those of the forces along each
        ray, which is what the wake estimator's along-beam figure also reports)

    Returns
    -------
    DirectionalResult with ``self_force_body_{x,y,z}_N``, ``self_force_body_along_beam_N`` [N]
    and, with an axis, ``self_torque_body_Nm`` [N m] (``fresnel_number`` is E_max L with L the
    body's half-extent, ``naive_energy_J`` NaN: there is no pair)
    """
    import time

    from tqdm import tqdm

    for name, val, low in (("samples", samples, 10), ("replicas", replicas, 2), ("seed", seed, 0)):
        if isinstance(val, bool) or not isinstance(val, (int, np.integer)) or val < low:
            raise ArgumentError(f"directional_self_interaction: {name}={val!r} must be an "
                                f"integer ≥ {low}")
    if estimator not in ("auto", "wake", "nearfield"):
        raise ArgumentError(f"directional_self_interaction: estimator={estimator!r} is not "
                            f"'auto', 'wake' or 'nearfield'")
    if estimator == "nearfield" and not nearfield.supports(beam):
        raise ArgumentError("directional_self_interaction: estimator='nearfield' needs an "
                            "extended source; use 'wake' or 'auto'")
    t0 = time.perf_counter()
    size = smallest_feature_m(body)
    if estimator == "nearfield" or (estimator == "auto" and nearfield.supports(beam) and
                                    nearfield.validity(beam, size)[1] <= nearfield.MAX_RESIDUAL):
        v, f = body_mesh(body, sections)
        mm = wake.mesh_arrays(v, f, wake.transverse_base(beam.k_hat))
        est, notes = nearfield.self_estimates(
            mm, charge_density(body, beam.charge), beam, body.name, samples=samples,
            replicas=replicas, seed=seed, axis=axis, gap=size, progress=progress)
        est = {k: dataclasses.replace(e, samples_label="samples (lines and pairs)")
               for k, e in est.items()}
        f_, m_, s_ = beam.spectrum.arrays()
        e_max_m = float(np.max(m_ + 3 * s_)) / units.HBARC_EV_M
        extent = float(np.linalg.norm(np.ptp(v, axis=0)))
        return DirectionalResult("nearfield", e_max_m * 0.5 * extent, math.nan, est,
                                 tuple(notes), int(samples), int(replicas), int(seed),
                                 time.perf_counter() - t0)
    notes = []
    table = wake_kernel.surface_kernel_table(beam.spectrum)
    if table.regulated:
        notes.append(f"a line narrower than {wake_kernel.MIN_RELATIVE_WIDTH:g} × E was given "
                     f"that width (Abel regulator of a monochromatic beam)")
    k0 = beam.k_hat
    base = wake.transverse_base(k0)
    v, f = body_mesh(body, sections)
    mm = wake.mesh_arrays(v, f, base)
    extent = float(np.linalg.norm(np.ptp(v, axis=0)))
    r_min, r_max = wake.offset_range(mm, mm, table, extent)
    flux_norm, bias = 0.0, None
    if beam.emitter is not None:
        flux_norm = beam.emitter.flux_norm(beam.reference_point_m)
        bias = beam.emitter.bias_parameters(
            float(np.linalg.norm(np.asarray(beam.reference_point_m)
                                 - np.asarray(beam.emitter.position_m))), extent, r_min)
    rows = []
    for r in tqdm(range(replicas), desc="wake self-interaction", disable=not progress,
                  leave=False):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(r,)))
        draws = wake.draw(samples, rng, k0, beam.profile, emitter=beam.emitter)
        rows.append(wake.wake_channel_sums(mm, mm, table, base, draws, r_min, r_max,
                                           flux_norm=flux_norm, skip_same=True,
                                           emitter_bias=bias, axis=axis, mirror=True))
    est = _self_estimates("body", body, np.asarray(rows), table, beam, axis, samples, seed)
    est = {k: dataclasses.replace(e, samples_label="surface samples") for k, e in est.items()}
    f_, m_, s_ = beam.spectrum.arrays()
    e_max_m = float(np.max(m_ + 3 * s_)) / units.HBARC_EV_M
    notes.append("self-interaction between distinct faces (pairs on one flat face skipped); "
                 "forces and torques: analytic derivative of the surface estimator")
    return DirectionalResult("wake", e_max_m * 0.5 * extent, math.nan, est, tuple(notes),
                             int(samples), int(replicas), int(seed), time.perf_counter() - t0)
