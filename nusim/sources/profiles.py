"""Angular profiles of a neutrino source as seen from a point of the apparatus.

A profile is the distribution of the direction of travel k̂ around its mean k̂₀, written as a 2-D
angular offset δ = (δ₁, δ₂) [rad] in the plane perpendicular to k̂₀ (basis from
:func:`transverse_basis`); k̂ = cos|δ| k̂₀ + sin|δ| δ/|δ| (exponential map, exact for any |δ|).
Profiles are frozen dataclasses (no state beyond their parameters):

* :class:`Point` — a single direction;
* :class:`Gaussian` — δ ~ N(0, σ² 1₂), σ per transverse axis (tests and quick studies);
* :class:`UniformDisk` — uniform over a cap of angular radius θ₀ (e.g. a uniform stellar disk);
* :class:`RadialTable` — axisymmetric, tabulated density per solid angle against θ (the Sun's
  neutrino-producing core, from the SSM production profile);
* :class:`Samples` — weighted offsets (a finite reactor core seen from a point).
"""

from dataclasses import dataclass, field

import numpy as np

from nusim.errors import ArgumentError, ArgumentTypeError


@dataclass(frozen=True)
class Point:
    """All neutrinos along k̂₀."""

    kind: str = field(default="point", init=False)


@dataclass(frozen=True)
class Gaussian:
    """δ ~ N(0, σ²) on each transverse axis; sigma_rad [rad] ≥ 0."""

    sigma_rad: float
    kind: str = field(default="gaussian", init=False)

    def __post_init__(self):
        if not self.sigma_rad >= 0:
            raise ArgumentError(f"Gaussian: sigma_rad must be ≥ 0 [rad]; got {self.sigma_rad!r}")


@dataclass(frozen=True)
class UniformDisk:
    """Uniform per solid angle inside a cap of angular radius radius_rad [rad], 0 < θ₀ < π/2."""

    radius_rad: float
    kind: str = field(default="uniform disk", init=False)

    def __post_init__(self):
        if not 0 < self.radius_rad < np.pi / 2:
            raise ArgumentError(f"UniformDisk: radius_rad must lie in (0, π/2) [rad]; got "
                                f"{self.radius_rad!r}")


@dataclass(frozen=True)
class RadialTable:
    """Axisymmetric profile: density per solid angle [arbitrary] at angles theta_rad [rad].

    theta_rad (m,) increasing from 0; density (m,) ≥ 0, linearly interpolated, zero beyond the
    last point. ``label`` says where the table comes from.
    """

    theta_rad: tuple
    density: tuple
    label: str = ""
    kind: str = field(default="radial table", init=False)

    def __post_init__(self):
        th, de = np.asarray(self.theta_rad, float), np.asarray(self.density, float)
        if th.ndim != 1 or th.shape != de.shape or th.size < 2:
            raise ArgumentError("RadialTable: theta_rad and density must be 1-D of equal "
                                "length ≥ 2")
        if th[0] != 0 or np.any(np.diff(th) <= 0) or th[-1] >= np.pi / 2:
            raise ArgumentError("RadialTable: theta_rad must increase from 0 and stay below π/2")
        if np.any(de < 0) or not np.any(de > 0):
            raise ArgumentError("RadialTable: density must be ≥ 0 and not all zero")


@dataclass(frozen=True)
class Samples:
    """Weighted angular offsets: offsets_rad (n, 2) [rad] in the transverse basis, weights (n,)."""

    offsets_rad: tuple
    weights: tuple
    label: str = ""
    kind: str = field(default="samples", init=False)

    def __post_init__(self):
        off, w = np.asarray(self.offsets_rad, float), np.asarray(self.weights, float)
        if off.ndim != 2 or off.shape[1] != 2 or w.shape != (off.shape[0],) or w.size == 0:
            raise ArgumentError("Samples: offsets_rad must be (n, 2) and weights (n,), n ≥ 1")
        if np.any(w < 0) or w.sum() <= 0:
            raise ArgumentError("Samples: weights must be ≥ 0 with a positive sum")


def transverse_basis(k0):
    """Orthonormal (e₁, e₂) perpendicular to the unit vector k0 (3,), right-handed with k0."""
    k0 = np.asarray(k0, float)
    k0 = k0 / np.linalg.norm(k0)
    helper = np.array([0.0, 0.0, 1.0]) if abs(k0[2]) < 0.9 else np.array([1.0, 0.0, 0.0])
    e1 = np.cross(helper, k0)
    e1 /= np.linalg.norm(e1)
    return e1, np.cross(k0, e1)


def directions(k0, offsets_rad):
    """Unit vectors (n, 3) of travel for offsets (n, 2) [rad] around k0, by the exponential map."""
    k0 = np.asarray(k0, float) / np.linalg.norm(k0)
    e1, e2 = transverse_basis(k0)
    off = np.atleast_2d(np.asarray(offsets_rad, float))
    ang = np.hypot(off[:, 0], off[:, 1])
    with np.errstate(invalid="ignore", divide="ignore"):
        unit = np.where(ang[:, None] > 0, off / ang[:, None], 0.0)
    perp = unit[:, :1] * e1 + unit[:, 1:] * e2
    return np.cos(ang)[:, None] * k0 + np.sin(ang)[:, None] * perp


def _radial_cdf(theta, density):
    """CDF in θ of a density per solid angle (weight sin θ dθ), trapezoid on the table grid."""
    pdf = density * np.sin(theta)
    cdf = np.concatenate([[0.0], np.cumsum(0.5 * (pdf[1:] + pdf[:-1]) * np.diff(theta))])
    return cdf / cdf[-1]


def sample_offsets(profile, n, rng):
    """n offsets (n, 2) [rad] drawn from ``profile`` with the numpy Generator ``rng``.

    For :class:`Samples` the rows are drawn with probability ∝ weight.
    """
    phi = rng.uniform(0, 2 * np.pi, n)
    if isinstance(profile, Point):
        return np.zeros((n, 2))
    if isinstance(profile, Gaussian):
        return rng.normal(0.0, profile.sigma_rad, (n, 2))
    if isinstance(profile, UniformDisk):
        cos_t = rng.uniform(np.cos(profile.radius_rad), 1.0, n)
        theta = np.arccos(cos_t)
    elif isinstance(profile, RadialTable):
        th, de = np.asarray(profile.theta_rad), np.asarray(profile.density)
        theta = np.interp(rng.uniform(0, 1, n), _radial_cdf(th, de), th)
    elif isinstance(profile, Samples):
        w = np.asarray(profile.weights)
        idx = rng.choice(w.size, size=n, p=w / w.sum())
        return np.asarray(profile.offsets_rad)[idx]
    else:
        raise ArgumentTypeError(f"sample_offsets: unknown profile {profile!r}")
    return np.column_stack([theta * np.cos(phi), theta * np.sin(phi)])


def mean_square_angle(profile):
    """⟨|δ|²⟩ [rad²] of the profile (2σ² for a Gaussian), the width that enters eq. (4.14)."""
    if isinstance(profile, Point):
        return 0.0
    if isinstance(profile, Gaussian):
        return 2 * profile.sigma_rad**2
    if isinstance(profile, UniformDisk):
        t0 = profile.radius_rad
        th = np.linspace(0, t0, 4001)
        return float(np.trapezoid(th**2 * np.sin(th), th) / np.trapezoid(np.sin(th), th))
    if isinstance(profile, RadialTable):
        th, de = np.asarray(profile.theta_rad), np.asarray(profile.density)
        w = de * np.sin(th)
        return float(np.trapezoid(th**2 * w, th) / np.trapezoid(w, th))
    if isinstance(profile, Samples):
        off, w = np.asarray(profile.offsets_rad), np.asarray(profile.weights)
        return float(w @ (off**2).sum(axis=1) / w.sum())
    raise ArgumentTypeError(f"mean_square_angle: unknown profile {profile!r}")



def gaussian_components(profile):
    """(weights, sigmas_rad) for profiles treated as Gaussians: Point -> ((1,), (0,)); Gaussian
    -> itself; Samples -> one Gaussian with σ² = ⟨|δ − ⟨δ⟩|²⟩/2 (flux-weighted). The asymmetry
    and sharp silhouette of a finite reactor core are thereby not kept: its near-field effect
    is the curvature of the profile (nusim.physics.beam), kept here at the level of the second
    moment. UniformDisk and RadialTable have their own exact treatments and return None.
    """
    if isinstance(profile, Point):
        return np.array([1.0]), np.array([0.0])
    if isinstance(profile, Gaussian):
        return np.array([1.0]), np.array([profile.sigma_rad])
    if isinstance(profile, Samples):
        off, w = np.asarray(profile.offsets_rad), np.asarray(profile.weights)
        mean = w @ off / w.sum()
        var = w @ ((off - mean) ** 2).sum(axis=1) / w.sum()
        return np.array([1.0]), np.array([np.sqrt(var / 2)])
    if isinstance(profile, (UniformDisk, RadialTable)):
        return None
    raise ArgumentTypeError(f"gaussian_components: unknown profile {profile!r}")


def normalised_radial_density(profile):
    """(theta_rad, density per sr with ∫p dΩ = 1) of a RadialTable, on its own grid."""
    th, de = np.asarray(profile.theta_rad, float), np.asarray(profile.density, float)
    norm = 2 * np.pi * np.trapezoid(de * np.sin(th), th)
    return th, de / norm
