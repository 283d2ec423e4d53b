"""Bodies of an apparatus (a shape of a material at a pose) and their Monte Carlo samples.

SI units: positions [m], masses [kg], effective neutrino charges [1] (pure numbers).

A :class:`Pose` places a shape's body frame in the lab frame: x_lab = R x_body + position_m.
:func:`sample_body` draws exactly uniform points in a :class:`Body` and gives each the same share of
the body's mass and charges, rescaled so that Σ mass_kg = ρV exactly (only positions are random,
as in NEWT's test bodies). :func:`bodies_overlap` is the apparatus overlap check.
"""

from dataclasses import dataclass, field

import numpy as np
from scipy.spatial.transform import Rotation

from nusim.errors import ArgumentError
from nusim.geometry.materials import Material, material
from nusim.geometry.shapes import SAMPLING_METHODS

#: Roles of a body in an apparatus.
ROLES = ("pendulum", "attractor", "fixed")

#: |R Rᵀ − 1| and |det R − 1| above this reject a rotation matrix (float64 round-off of a product
#: of a few rotations is ~1e-15; 1e-9 also admits matrices typed with 10 significant digits).
ORTHONORMAL_TOLERANCE = 1e-9


def _readonly(a):
    a = np.array(a, dtype=float)
    a.flags.writeable = False
    return a


@dataclass(frozen=True, eq=False)
class Pose:
    """Placement of a body frame in the lab frame: x_lab = rotation @ x_body + position_m.

    Parameters
    ----------
    position_m : (3,) float, origin of the body frame in the lab [m]
    rotation : (3, 3) float, proper rotation matrix (orthonormal, det +1) [1]
    """

    position_m: np.ndarray = field(default_factory=lambda: np.zeros(3))
    rotation: np.ndarray = field(default_factory=lambda: np.eye(3))

    def __post_init__(self):
        try:
            pos = np.asarray(self.position_m, dtype=float)
            rot = np.asarray(self.rotation, dtype=float)
        except (TypeError, ValueError):
            raise ArgumentError(f"Pose: position_m/rotation: not numeric ({self.position_m!r}, "
                                f"{self.rotation!r}). Give 3 numbers [m] and a 3x3 "
                                f"matrix") from None
        if pos.shape != (3,) or not np.all(np.isfinite(pos)):
            raise ArgumentError(f"Pose: position_m: must be 3 finite numbers [m] "
                                f"({self.position_m!r}). Give e.g. (0.0, 0.0, 0.1)")
        if rot.shape != (3, 3) or not np.all(np.isfinite(rot)):
            raise ArgumentError(f"Pose: rotation: must be a finite 3x3 matrix (shape {rot.shape}). "
                                f"Use Pose.from_euler_deg")
        err = float(np.abs(rot @ rot.T - np.eye(3)).max())
        det = float(np.linalg.det(rot))
        if err > ORTHONORMAL_TOLERANCE or abs(det - 1.0) > ORTHONORMAL_TOLERANCE:
            raise ArgumentError(f"Pose: rotation: not a proper rotation (max |R R^T - 1| = "
                                f"{err:.3g}, det = {det:.6g}). Build it with Pose.from_euler_deg; "
                                f"reflections (det -1) are not allowed")
        object.__setattr__(self, "position_m", _readonly(pos))
        object.__setattr__(self, "rotation", _readonly(rot))

    @classmethod
    def from_euler_deg(cls, seq, angles_deg, position_m=(0.0, 0.0, 0.0)):
        """A pose from Euler angles (``scipy.spatial.transform.Rotation.from_euler``).

        Parameters
        ----------
        seq : str, axis sequence, e.g. "z", "zyz" (extrinsic, lowercase) or "ZYZ" (intrinsic);
            apparatus files use intrinsic "XYZ" (``apparatus.ROTATION_SEQUENCE``): R = Rx Ry Rz
        angles_deg : float or sequence, the angles [deg]
        position_m : (3,) float [m]
        """
        rot = Rotation.from_euler(seq, angles_deg, degrees=True).as_matrix()
        return cls(position_m, rot)

    def apply(self, points_body_m):
        """Body-frame points (n, 3) [m] -> lab frame (n, 3) [m]."""
        return np.asarray(points_body_m, dtype=float) @ self.rotation.T + self.position_m

    def apply_inverse(self, points_lab_m):
        """Lab-frame points (n, 3) [m] -> body frame (n, 3) [m]."""
        return (np.asarray(points_lab_m, dtype=float) - self.position_m) @ self.rotation


@dataclass(frozen=True, eq=False)
class Body:
    """A homogeneous solid: a shape (body frame) of a material placed by a pose.

    Parameters
    ----------
    name : str
    role : "pendulum", "attractor" or "fixed"
    material : Material, or the name of a preset in ``materials.MATERIALS``
    shape : a shape of :mod:`nusim.geometry.shapes` (Sphere, Box, Cylinder, Annulus, Cone,
        MeshShape)
    pose : Pose, default the identity
    """

    name: str
    role: str
    material: Material
    shape: object
    pose: Pose = field(default_factory=Pose)

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise ArgumentError(f"Body: name: must be a non-empty string ({self.name!r}). Name the "
                                f"body")
        if self.role not in ROLES:
            raise ArgumentError(f"Body {self.name!r}: role: unknown role ({self.role!r}). Use one "
                                f"of {', '.join(map(repr, ROLES))}")
        if isinstance(self.material, str):
            object.__setattr__(self, "material", material(self.material))
        if not isinstance(self.material, Material):
            raise ArgumentError(f"Body {self.name!r}: material: not a Material "
                                f"({self.material!r}). Use materials.material(name) or "
                                f"make_material")
        for attr in ("volume_m3", "centroid_m", "sample", "contains", "bounds_m"):
            if not hasattr(self.shape, attr):
                raise ArgumentError(f"Body {self.name!r}: shape: not a shape (no {attr}) "
                                    f"({self.shape!r}). Use a class of nusim.geometry.shapes")
        if not isinstance(self.pose, Pose):
            raise ArgumentError(f"Body {self.name!r}: pose: not a Pose ({self.pose!r}). Use "
                                f"Pose(position_m, rotation) or Pose.from_euler_deg")

    @property
    def volume_m3(self):
        """Volume [m³]."""
        return self.shape.volume_m3

    @property
    def mass_kg(self):
        """Mass ρV [kg]."""
        return self.material.density_kg_m3 * self.shape.volume_m3

    @property
    def centre_of_mass_m(self):
        """Centre of mass in the lab frame [m], (3,)."""
        return self.pose.apply(self.shape.centroid_m[None, :])[0]

    @property
    def bounds_m(self):
        """Lab-frame axis-aligned box containing the body [m], (2, 3) (the rotated body-frame
        bounding box's corners; conservative)."""
        lo, hi = self.shape.bounds_m
        corners = np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1])
                            for z in (lo[2], hi[2])])
        lab = self.pose.apply(corners)
        return np.array([lab.min(axis=0), lab.max(axis=0)])

    def contains(self, points_lab_m):
        """Whether each lab-frame point (n, 3) [m] is inside the body: (n,) bool."""
        return self.shape.contains(self.pose.apply_inverse(points_lab_m))


@dataclass(frozen=True, eq=False)
class SampleSet:
    """Monte Carlo samples of one body, as named arrays (lab frame).

    Attributes
    ----------
    positions_m : (n, 3) float, sample positions [m]
    mass_kg : (n,) float, sample masses [kg]; Σ mass_kg equals the body mass exactly
    charge_e : (n,) float, effective vector charge for ν_e exchange [1] (Q_e of eq. D.2)
    charge_mu : (n,) float, effective vector charge for ν_μ / ν_τ exchange [1] (Q_μ of eq. D.3)
    body : str, name of the sampled body
    method : str, "random" or "sobol"
    """

    positions_m: np.ndarray
    mass_kg: np.ndarray
    charge_e: np.ndarray
    charge_mu: np.ndarray
    body: str = ""
    method: str = "random"

    def __post_init__(self):
        n = len(self.mass_kg)
        if np.shape(self.positions_m) != (n, 3):
            raise ArgumentError(f"SampleSet: positions_m: shape {np.shape(self.positions_m)} does "
                                f"not match {n} masses. Give (n, 3) positions")
        for name in ("positions_m", "mass_kg", "charge_e", "charge_mu"):
            arr = _readonly(getattr(self, name))
            if name != "positions_m" and arr.shape != (n,):
                raise ArgumentError(f"SampleSet: {name}: shape {arr.shape}, expected ({n},). Give "
                                    f"one value per sample")
            object.__setattr__(self, name, arr)

    def __len__(self):
        return len(self.mass_kg)


def _equal_shares(total, n):
    """n almost equal values that sum exactly to ``total`` in any summation order.

    With q = ulp(total) (a power of 2), total = U q for an integer U < 2^53. Each value is
    ⌊U/n⌋ q or (⌊U/n⌋ + 1) q, so every partial sum is an integer multiple of q below 2^53 q and is
    exact in float64: np.sum, math.fsum and any chunked order give ``total``. The values differ
    from total/n by less than q, a relative n × 2^-52 (2e-11 for n = 10^5).
    """
    q = float(np.spacing(total))
    units = int(total / q)                       # exact: total is an integer multiple of q
    base, extra = divmod(units, n)
    values = np.full(n, base * q)
    values[:extra] += q
    return values


def sample_body(body, n, rng, method="random"):
    """Exactly uniform samples of a body with equal masses and charges, in the lab frame.

    Parameters
    ----------
    body : Body
    n : int, number of samples, >= 1
    rng : numpy.random.Generator, seeded by the caller (e.g. ``default_rng(SeedSequence(seed))``)
    method : "random" or "sobol" (scrambled Sobol seeded from ``rng``)

    Returns
    -------
    SampleSet, with Σ mass_kg == body.mass_kg exactly; charges = mass × material charges per kg

    Notes
    -----
    Implements the weights of NEWT's point-mass bodies with exact total mass: each sample carries
    ρV/n. The charges per kg are :attr:`Material.charges_per_kg` (eqs. D.2, D.3 of Ghosh et al.
    2023, arXiv:2209.07082), so Σ charge_e = M Q_e/kg to round-off.
    """
    if not isinstance(body, Body):
        raise ArgumentError(f"sample_body: body: not a Body ({body!r}). Build one with Body(...)")
    if method not in SAMPLING_METHODS:
        raise ArgumentError(f"sample_body: method: unknown sampling method ({method!r}). Use "
                            f"one of "
                            f"{', '.join(map(repr, SAMPLING_METHODS))}")
    points = body.pose.apply(body.shape.sample(n, rng, method))
    mass = _equal_shares(body.mass_kg, len(points))
    q = body.material.charges_per_kg
    return SampleSet(points, mass, mass * q.e, mass * q.mu, body.name, method)


def bodies_overlap(body_a, body_b, n=4096, rng=None):
    """Whether two bodies overlap (share a volume), by a conservative probabilistic test.

    Bounding boxes (lab frame) that do not intersect -> False at once. Otherwise ``n`` Sobol
    points of each body are tested for containment in the other (in the other's body frame);
    any hit -> True.

    Parameters
    ----------
    body_a, body_b : Body
    n : int, samples per body (>= 1)
    rng : numpy.random.Generator, optional (default ``default_rng(0)``: the answer is
        reproducible)

    Returns
    -------
    bool

    Notes
    -----
    Never reports an overlap that is not there (a hit is a point inside both, up to touching
    surfaces). It can miss an overlap whose volume is a small fraction f of both bodies: the chance
    is about (1 − f)^n per body, e.g. a 1e-4 fraction is missed with probability ~0.66 at n = 4096.
    Thin interpenetrations (a plate touching a plate) need a larger ``n`` or a dedicated check.
    """
    for name, b in (("body_a", body_a), ("body_b", body_b)):
        if not isinstance(b, Body):
            raise ArgumentError(f"bodies_overlap: {name}: not a Body ({b!r})")
    lo_a, hi_a = body_a.bounds_m
    lo_b, hi_b = body_b.bounds_m
    if np.any(hi_a < lo_b) or np.any(hi_b < lo_a):
        return False
    rng = np.random.default_rng(0) if rng is None else rng
    for first, second in ((body_a, body_b), (body_b, body_a)):
        points = first.pose.apply(first.shape.sample(n, rng, "sobol"))
        if np.any(second.contains(points)):
            return True
    return False
