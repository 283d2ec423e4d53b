"""The smearing study's physics: one point of a scan, for a point pair or for two bodies.

A *point* is a configuration (mean energy E, relative Gaussian spread σ_E/E, separation r, the
beam's angle α to the pair axis, a Gaussian source profile of σ_θ per axis, and for bodies the
sphere radii). For it this module gives

* the surviving fraction U/U_(α=0) of a **point pair** in closed form: eq. (4.12) of [1] summed
  over the beam's Gaussian line as eq. (C.9) (:func:`nusim.physics.beam.point_source_potential`),
  averaged over a Gaussian angular profile in closed form per energy
  (:func:`nusim.physics.beam.gaussian_profile_potential`), divided by the α = 0 value
  −Φ⟨E⟩/(πr) (eq. 5.3); its small-α limit is eq. (4.13), cos(α²Er/2), times the washing-out of
  the spread (eq. 4.14);
* the **criterion variable** of eq. (4.14), x = Δ(α² E r)/π, with Δ the rms spread of the phase
  variable α²Er over everything that spreads it (energies, source directions, positions in the
  bodies) and α the angle between the pair vector and the direction of travel (computed as
  α²r → 2(r − k̂·r) = 2ρ²/(r + |z|), exact for any angle and free of cancellation), in total and
  factor by factor (energy spread, source angular size, body size), so the dominant factor of
  every point can be named;
* the two **bodies** (uniform spheres, the target downstream at angle α) and the **beam**
  (:func:`nusim.engine.beams.monochromatic_beam`, SI inputs) of the Monte Carlo points.

The paper's Δ(E r) is "the spread of the energy E_ν and the location of the test masses" (§4.1);
with σ_θ = 0 and point masses, x = α² σ_E r/π exactly. The α = 0 reference curves of the figure:
a Gaussian energy spread gives the envelope exp[−(πx/2)²/2], a Gaussian source on the pair axis
gives 1/(1 + (πx/2)²) (design note §4: 1/(1 + (E z σ²)²)).

References: [1] M. Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eqs. (4.12)-(4.14), (C.9),
(5.3); [2] nusim design note shared/design/directional-force-between-bodies.md §2, §4.
"""

# ruff: noqa: N803
# (unit-suffixed names such as energy_MeV are the boundary convention of the style guide)

import math

import numpy as np

from nusim import units

#: |fraction| below this is not resolved by the closed forms' round-off (sums of oscillating
#: Gauss–Hermite terms of size ~1 cancel to ~1e-16 each; 64 nodes, margin ×1000): reported as
#: an upper bound
CLOSED_FORM_FLOOR = 1e-13
#: the three factors that spread the phase α²Er (the names used in the output)
FACTORS = ("energy spread", "source angular size", "body size")


def fwhm_MeV(energy_MeV, energy_spread):
    """FWHM [MeV] of a Gaussian line of mean ``energy_MeV`` [MeV] and σ_E/E ``energy_spread``."""
    from nusim.sources.pair_potential import FWHM_PER_SIGMA

    return energy_spread * energy_MeV * FWHM_PER_SIGMA


def beam_of(pt):
    """The DirectionalBeam of a point: a Gaussian line along +z with a Gaussian (or point)
    angular profile, built from SI inputs by :func:`nusim.engine.beams.monochromatic_beam`."""
    from nusim.engine.beams import monochromatic_beam
    from nusim.sources import profiles

    prof = (profiles.Point() if pt["source_sigma_rad"] == 0
            else profiles.Gaussian(pt["source_sigma_rad"]))
    return monochromatic_beam(pt["energy_MeV"], pt["flux_per_cm2_s"], (0.0, 0.0, 1.0),
                              width_MeV=fwhm_MeV(pt["energy_MeV"], pt["energy_spread"]),
                              profile=prof)


def pair_axis(beam_angle_rad):
    """Unit vector (3,) of the pair axis at angle α [rad] to the beam (+z), in the x-z plane."""
    return np.array([math.sin(beam_angle_rad), 0.0, math.cos(beam_angle_rad)])


def bodies_of(pt):
    """(source, target): uniform spheres of ``pt["material"]``, radii a and ratio × a [m], the
    target's centre ``separation_m`` away along the pair axis (downstream: in the source's wake)."""
    from nusim.geometry.bodies import Body, Pose
    from nusim.geometry.shapes import Sphere

    a = pt["body_radius_m"]
    src = Body("source sphere", "attractor", pt["material"], Sphere(radius_m=a))
    tgt = Body("target sphere", "pendulum", pt["material"],
               Sphere(radius_m=pt["target_ratio"] * a),
               Pose(position_m=tuple(pt["separation_m"] * pair_axis(pt["beam_angle_rad"]))))
    return src, tgt


def fresnel_number(pt):
    """N_F = E a²/D [1] (design note §2) with E the mean energy, a the source sphere's radius and
    D the centre distance; 0 for a point pair."""
    if pt["body_radius_m"] == 0:
        return 0.0
    e_per_m = pt["energy_MeV"] * 1e6 / units.HBARC_EV_M
    return e_per_m * pt["body_radius_m"] ** 2 / pt["separation_m"]


def point_pair_fraction(pt):
    """Surviving fraction U/U_(α=0) of two point masses, closed form (no sampling).

    Implements eq. (4.12) of [1] summed over the spectrum as eq. (C.9) and averaged over the
    Gaussian angular profile (paraxial, weights cos²(α/2), sin²(α/2) at the mean direction; see
    :func:`nusim.physics.beam.gaussian_profile_potential`), divided by −Φ⟨E⟩/(π r) (eq. 5.3,
    flux-weighted ⟨E⟩). Small α, no spread: cos(α² E r/2), eq. (4.13).

    Parameters
    ----------
    pt : dict with energy_MeV [MeV], energy_spread [1], separation_m [m], beam_angle_rad [rad],
        source_sigma_rad [rad], flux_per_cm2_s [cm⁻² s⁻¹] (cancels)

    Returns
    -------
    float, V/V_(α=0) [1]

    Notes
    -----
    Accuracy: round-off of the energy sums, ~1e-16 of the un-cancelled terms (values below
    :data:`CLOSED_FORM_FLOOR` are bounds); with a profile, the paraxial weights are off by
    O(σ_θ²) relative.
    """
    from nusim.physics.beam import gaussian_profile_potential, point_source_potential

    spec = beam_of(pt).spectrum
    r = units.m_to_inv_eV(pt["separation_m"])                       # [eV⁻¹]
    r_vec = (r * pair_axis(pt["beam_angle_rad"]))[None, :]
    k = np.array([0.0, 0.0, 1.0])
    if pt["source_sigma_rad"] == 0:
        v = point_source_potential(r_vec, k, spec)[0]
    else:
        v = gaussian_profile_potential(r_vec, k, pt["source_sigma_rad"], spec)[0]
    naive = -spec.total_flux * spec.mean_energy / (math.pi * r)     # eq. 5.3 per G_F² g₁g₂
    return float(v / naive)


def _phase_spreads(energy_eV, sigma_eV, g_joint, g_dir, g_pos):
    """(x_total, x_energy, x_direction, x_position) from samples of G = α²r [eV⁻¹].

    g_joint: G with positions and directions both drawn; g_dir: positions at the centres,
    directions drawn; g_pos: directions along k̂₀, positions drawn. Energies E ~ N(E₀, σ_E)
    independent of G: Var(E G) = ⟨E²⟩⟨G²⟩ − E₀²⟨G⟩² (exact for the energy part).
    """
    m1, m2 = float(np.mean(g_joint)), float(np.mean(g_joint**2))
    var = (energy_eV**2 + sigma_eV**2) * m2 - energy_eV**2 * m1**2
    x_total = math.sqrt(max(var, 0.0)) / math.pi
    return (x_total, sigma_eV * m1 / math.pi, energy_eV * float(np.std(g_dir)) / math.pi,
            energy_eV * float(np.std(g_pos)) / math.pi)


def _g_of(d, k):
    """G = α² r → 2(r − k̂·r) = 2ρ²/(r + |z|) [same unit as d] for pair vectors d (n, 3) and
    directions k (n, 3) (even kernel: the backward cone counts with |z|)."""
    z = np.sum(d * k, axis=1)
    r = np.linalg.norm(d, axis=1)
    rho2 = np.sum(np.cross(d, k) ** 2, axis=1)
    return 2 * rho2 / (r + np.abs(z))


def _ball(n, radius, rng):
    """n points uniform in a ball of ``radius`` about the origin, (n, 3)."""
    v = rng.normal(size=(n, 3))
    v /= np.linalg.norm(v, axis=1)[:, None]
    return v * (radius * rng.uniform(0, 1, n) ** (1 / 3))[:, None]


def criterion(pt, rng, n_samples):
    """The criterion variable x = Δ(α²Er)/π of eq. (4.14) of [1], in total and per factor.

    Point pair (body_radius_m = 0) without a profile: exact, G = 2r(1 − cos α). Otherwise G is
    sampled: ``n_samples`` pairs of points uniform in the two spheres and directions from the
    Gaussian profile, drawn from ``rng`` (a numpy Generator); the sampling error of each rms is
    ~1/√(2 n_samples) relative.

    Returns
    -------
    dict: x [1] (total), x_by_factor {factor: x [1]} (each factor alone, the others at their
    means), dominant (the factor with the largest x, or None when nothing spreads the phase),
    mean_phase_rad (⟨α²Er⟩/2, the carrier phase of eq. 4.13), n_samples (0 when exact)
    """
    e_ev = pt["energy_MeV"] * 1e6
    s_ev = pt["energy_spread"] * e_ev
    r = units.m_to_inv_eV(pt["separation_m"])
    axis = pair_axis(pt["beam_angle_rad"])
    k0 = np.array([0.0, 0.0, 1.0])
    sig = pt["source_sigma_rad"]
    a = units.m_to_inv_eV(pt["body_radius_m"])
    if a == 0 and sig == 0:
        g = np.array([_g_of((r * axis)[None, :], k0[None, :])[0]])
        g_joint = g_dir = g_pos = g
        n_used = 0
    else:
        from nusim.sources import profiles

        n = int(n_samples)
        centre = r * axis
        prof = profiles.Point() if sig == 0 else profiles.Gaussian(sig)
        k = profiles.directions(k0, profiles.sample_offsets(prof, n, rng))
        if a > 0:
            d = centre + _ball(n, pt["target_ratio"] * a, rng) - _ball(n, a, rng)
        else:
            d = np.broadcast_to(centre, (n, 3))
        g_joint = _g_of(d, k)
        g_dir = _g_of(np.broadcast_to(centre, (n, 3)), k)
        g_pos = _g_of(d, np.broadcast_to(k0, (n, 3)))
        n_used = n
    x, x_e, x_dir, x_pos = _phase_spreads(e_ev, s_ev, g_joint, g_dir, g_pos)
    by = dict(zip(FACTORS, (x_e, x_dir, x_pos), strict=True))
    dominant = max(by, key=by.get) if max(by.values()) > 0 else None
    return {"x": x, "x_by_factor": by, "dominant": dominant,
            "mean_phase_rad": 0.5 * e_ev * float(np.mean(g_joint)), "n_samples": n_used}


def gaussian_envelope(x):
    """Energy-spread envelope exp[−(πx/2)²/2] at criterion variable x [1] (eq. 4.13 averaged over
    a Gaussian line: phase spread σ = πx/2)."""
    return np.exp(-0.5 * (0.5 * math.pi * np.asarray(x, float)) ** 2)


def lorentzian_on_axis(x):
    """1/(1 + (πx/2)²) at x [1]: a Gaussian source seen from an on-axis pair, design note §4's
    1/(1 + (E z σ²)²) with x = 2Erσ²/π."""
    return 1.0 / (1.0 + (0.5 * math.pi * np.asarray(x, float)) ** 2)


def mean_inverse_energy_factor(pt):
    """⟨1/E⟩⟨E⟩ [1] of the point's line (flux-weighted): the only way the spectrum enters the
    near-field surviving fraction (U ∝ ⟨1/E⟩, U_(α=0) ∝ ⟨E⟩; design note §4)."""
    spec = beam_of(pt).spectrum
    return spec.mean_inverse_energy * spec.mean_energy
