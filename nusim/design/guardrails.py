"""Guardrails against a design that exploits an idealisation (issue 12, part 4).

1. **Face flatness and alignment.** Coplanar sharp edges in a *plane wave* are enhanced only
   while they coincide to within the wake width √(Δz/E) (sub-µm) and the beam's direction to
   within √(1/(EΔz)) (µrad): an optimum built on such a coincidence would not survive machining.
   :func:`tolerance_draws` perturbs every attractor plate by a random rotation (rotation vector
   with independent normal components of rms ``tilt_urad`` about each axis) and a random
   displacement (normal, rms ``displacement_um`` per axis) and re-evaluates the objective with
   the *same* random numbers (common random numbers: the change is the geometry's, not noise).
   A face's flatness error δ (peak-to-valley) is taken as a displacement of rms δ and a tilt of
   ~δ/size of the plate: a plate-level model, not a surface map.
2. **The core's power profile.** The production model is a sharp, uniformly glowing cylinder
   (``nusim.engine.wake.Emitter``). A real core's power density falls towards its edges: the
   fundamental mode of a bare cylindrical reactor, P ∝ J₀(2.405 ρ/R) cos(π h/H) (the one-group
   diffusion solution; J.R. Lamarsh, A.J. Baratta, *Introduction to Nuclear Engineering*, 3rd
   ed. (2001), §6.5, table 6.2), is the most peaked shape a core can have and the uniform
   cylinder the flattest, so the two bracket any real profile (a PWR's is flattened by fuel
   zoning and reflectors, i.e. between them). :func:`profile_beams` turns both into axially
   symmetric angular profiles about the beam's central direction (a tabulated flux per
   steradian from the 1/d²-weighted emission points, ``profiles.RadialTable``), so the ratio
   of the two evaluations isolates the profile; the uniform table next to the production
   emitter shows what the axial-symmetry approximation itself changes.
"""

import dataclasses
import math

import numpy as np
from scipy.spatial.transform import Rotation
from nusim.errors import ArgumentError

#: first zero of J₀: the bare cylinder's radial buckling ν₀ = 2.405 (Lamarsh & Baratta §6.5)
J0_FIRST_ZERO = 2.404825557695773


def perturbations(n_plates, *, tilt_urad, displacement_um, rng):
    """Per-plate (rotation (3, 3), displacement (3,) [m]): random rotation vectors with rms
    ``tilt_urad`` [µrad] per component and displacements with rms ``displacement_um`` [µm] per
    axis."""
    out = []
    for _ in range(int(n_plates)):
        rot = Rotation.from_rotvec(rng.normal(0.0, tilt_urad * 1e-6, 3)).as_matrix()
        out.append((rot, rng.normal(0.0, displacement_um * 1e-6, 3)))
    return out


def tolerance_draws(d, evaluate_fn, *, tilt_urad, displacement_um, draws, seed):
    """The objective records of ``draws`` random misalignments of design ``d``.

    ``evaluate_fn(d, perturbations)`` → record (the same Monte Carlo seeds as the nominal
    evaluation). The draws' geometry comes from ``SeedSequence(seed, spawn_key=(7,))``."""
    rng = np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(7,)))
    return [evaluate_fn(d, perturbations(d["n_plates"], tilt_urad=tilt_urad,
                                         displacement_um=displacement_um, rng=rng))
            for _ in range(int(draws))]


def tolerance_summary(nominal, draws):
    """The ratio of the perturbed to the nominal modulated torque: each draw's Δτ_i / Δτ_nom
    (common random numbers: its replica error mostly cancels, so the scatter between draws is
    the tolerance's effect), their mean, the standard error of the mean and the range."""
    dt0 = nominal["delta_torque"].value
    ratios = [r["delta_torque"].value / dt0 for r in draws if r.get("delta_torque")] if dt0 \
        else []
    if not ratios:
        return {"ratios": [], "mean": None, "error": None, "min": None, "max": None}
    a = np.asarray(ratios, float)
    err = float(a.std(ddof=1) / math.sqrt(a.size)) if a.size > 1 else None
    return {"ratios": a.tolist(), "mean": float(a.mean()), "error": err,
            "min": float(a.min()), "max": float(a.max())}


def power_density(rho_m, h_m, radius_m, height_m, shape):
    """Relative power density [1] at cylindrical coordinates (ρ, h) of the core: "uniform" or
    "bare-cylinder" (J₀(2.405 ρ/R) cos(π h/H), Lamarsh & Baratta §6.5)."""
    from scipy.special import j0

    if shape == "uniform":
        return np.ones_like(np.asarray(rho_m, float))
    if shape == "bare-cylinder":
        return (np.clip(j0(J0_FIRST_ZERO * np.asarray(rho_m) / radius_m), 0, None)
                * np.clip(np.cos(math.pi * np.asarray(h_m) / height_m), 0, None))
    raise ArgumentError(f"power_density: shape={shape!r}: use 'uniform' or 'bare-cylinder'")


def angular_table(beam, shape, *, n_points=400_000, bins=96, seed=12345):
    """A ``profiles.RadialTable`` of the core's flux per steradian about the beam's central
    direction, seen from the beam's reference point, for the power ``shape``.

    Emission points uniform in the core (fixed quadrature seed, not a result's seed), each
    weighted by the power density and 1/d²; the density per steradian in θ bins,
    interpolated to nodes from θ = 0."""
    from nusim.sources import profiles

    em = beam.emitter
    rng = np.random.default_rng(seed)
    pts = em.sample(n_points, rng)
    axis = np.asarray(em.core_axis, float)
    axis /= np.linalg.norm(axis)
    rel = pts - np.asarray(em.position_m, float)
    h = rel @ axis
    rho = np.linalg.norm(rel - np.outer(h, axis), axis=1)
    x = np.asarray(beam.reference_point_m, float)
    dvec = x - pts
    dist = np.linalg.norm(dvec, axis=1)
    w = power_density(rho, h, em.core_radius_m, em.core_height_m, shape) / dist**2
    k = dvec / dist[:, None]
    theta = np.arccos(np.clip(k @ beam.k_hat, -1.0, 1.0))
    edges = np.linspace(0.0, float(theta.max()) * 1.0001, bins + 1)
    hist, _ = np.histogram(theta, edges, weights=w)
    solid = 2 * math.pi * (np.cos(edges[:-1]) - np.cos(edges[1:]))
    dens = hist / solid
    mid = 0.5 * (edges[1:] + edges[:-1])
    nodes = np.concatenate([[0.0], mid, [edges[-1]]])
    vals = np.concatenate([[dens[0]], dens, [0.0]])
    return profiles.RadialTable(tuple(nodes.tolist()), tuple(np.clip(vals, 0, None).tolist()),
                                label=f"{shape} core power, axially symmetric about the "
                                      "central direction")


def profile_beams(beams, shape):
    """The beams with each reactor emitter replaced by the angular table of ``shape``."""
    out = []
    for label, b in beams:
        if b.emitter is None:
            out.append((label, b))
            continue
        out.append((f"{label} ({shape} table)",
                    dataclasses.replace(b, profile=angular_table(b, shape), emitter=None)))
    return out
