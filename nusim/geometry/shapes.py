"""Solid shapes in their own body frame: exact volume, centroid, containment and uniform sampling.

SI units throughout: lengths [m], volumes [m³].

Primitives (:class:`Sphere`, :class:`Box` / :class:`Plate`, :class:`Cylinder`, :class:`Annulus`,
:class:`Cone`) are true solids, not faceted meshes: their volume and centroid are the closed forms
and their points are drawn exactly uniformly. :class:`MeshShape` wraps a validated, watertight
``trimesh.Trimesh``; :func:`load_mesh` reads one from a file with a required length unit.

Sampling
--------
Every primitive, and every mesh that decomposes into positive tetrahedra (below), is sampled by a
deterministic, measure-preserving map from the unit cube [0, 1)³ to the solid
(``from_unit_cube``). The uniform variates come either from the ``numpy.random.Generator`` passed
in (``method="random"``) or from a scrambled Sobol sequence seeded from it (``method="sobol"``,
``scipy.stats.qmc.Sobol(d=3, scramble=True)``), so both are reproducible from a seed and the
quasi-random points keep their low discrepancy in the solid.

Meshes: the mesh is cut into the tetrahedra (c, a, b, d) spanned by a reference point c (the
centroid) and each triangle (a, b, d). If every such signed volume is >= 0 (true for convex and,
more generally, star-shaped meshes about the centroid), the tetrahedra tile the solid exactly
(each interior point has winding number 1 and lies in exactly one of them), and a point is drawn
by choosing a tetrahedron with probability V_i/V (the first variate, which is then rescaled to
[0, 1) within its bin and reused) and a uniform point inside it (the folding map of Rocchini and
Cignoni [1]). If some signed volume is negative (a non-star-shaped mesh, e.g. an L-shape seen from
its centroid), those signed tetrahedra are no sampling density; the mesh is then sampled by exact
rejection: uniform (or Sobol) points in its bounding box, kept when inside the mesh by the
generalised winding number (solid angles, [2]). Both paths give exactly uniform points; the second
costs (bounding-box volume / volume) more draws and containment tests.
``trimesh.sample.volume_mesh`` is not used: it draws from the global RNG and returns fewer points
than asked.

References
----------
[1] C. Rocchini, P. Cignoni, "Generating random points in a tetrahedron", J. Graphics Tools 5
    (2000) 9, doi:10.1080/10867651.2000.10487528.
[2] A. Jacobson, L. Kavan, O. Sorkine-Hornung, "Robust inside-outside segmentation using
    generalized winding numbers", ACM TOG 32 (2013) 33, doi:10.1145/2461912.2461916;
    A. Van Oosterom, J. Strackee, IEEE Trans. Biomed. Eng. 30 (1983) 125 (solid angle of a
    triangle).
"""

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import trimesh
from scipy.stats import qmc

from nusim.errors import ArgumentError, GeometryError

#: Sampling methods of every ``sample``.
SAMPLING_METHODS = ("random", "sobol")

#: Length units accepted for mesh files, and their size in metres.
MESH_UNITS = {"m": 1.0, "cm": 1e-2, "mm": 1e-3, "um": 1e-6, "in": 0.0254}

#: File types read by :func:`load_mesh` (through ``trimesh.load_mesh``).
MESH_FILE_TYPES = ("stl", "obj", "ply", "off", "glb")

_IN_MEMORY = "<in-memory mesh>"


@dataclass(frozen=True)
class MeshTolerances:
    """Tolerances of the mesh checks and of the tetrahedral decomposition, each with its reason.

    Attributes
    ----------
    degenerate_area_rel : float [1], a face is degenerate when its area is below this times the
        squared bounding-box diagonal (1e-12: far above round-off of a float64 cross product,
        ~1e-16, far below any real facet)
    zero_volume_rel : float [1], the mesh has zero volume when |V| is below this times the cubed
        bounding-box diagonal (1e-12, same reason)
    negative_tetrahedron_rel : float [1], a signed tetrahedron counts as negative (the mesh is not
        star-shaped about its centroid, so rejection sampling is used) when its volume is below
        −(this × V) (1e-12: round-off of coplanar or flat tetrahedra)
    """

    degenerate_area_rel: float = 1e-12
    zero_volume_rel: float = 1e-12
    negative_tetrahedron_rel: float = 1e-12


DEFAULT_TOLERANCES = MeshTolerances()


# --------------------------------------------------------------------------------------------
# Uniform variates
# --------------------------------------------------------------------------------------------

def _check_rng(rng, func):
    if not isinstance(rng, np.random.Generator):
        raise ArgumentError(f"{func}: rng: must be a numpy.random.Generator ({rng!r}). Use "
                            f"numpy.random.default_rng(seed)") from None


def _check_n(n, func):
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ArgumentError(f"{func}: n: must be a positive integer ({n!r}). Give the number of "
                            f"points") from None
    return int(n)


def _check_method(method, func):
    if method not in SAMPLING_METHODS:
        raise ArgumentError(f"{func}: method: unknown sampling method ({method!r}). Use one of "
                            f"{', '.join(map(repr, SAMPLING_METHODS))}") from None


def uniform_variates(n, rng, method="random", *, d=3):
    """``n`` points uniform in [0, 1)^d, pseudo-random or scrambled Sobol, drawn from ``rng``.

    Parameters
    ----------
    n : int, number of points, >= 1
    rng : numpy.random.Generator, the source of randomness (and of the Sobol scrambling)
    method : "random" (``rng.random``) or "sobol" (``scipy.stats.qmc.Sobol(d, scramble=True)``
        seeded from ``rng``; the first ``n`` points of the sequence)
    d : int, dimension

    Returns
    -------
    (n, d) float ndarray in [0, 1)

    Notes
    -----
    Sobol points are drawn as the first 2^m >= n points (``random_base2``) and cut to ``n``, which
    is the prefix of the same sequence; the balance properties are best for n a power of 2.
    scipy's default 30-bit points lie on a 2^-30 grid, so means of smooth functions stop
    converging at ~5e-10 relative (measured; ``bits=64`` was tried and gave a worse, 5e-7,
    floor with scipy 1.17, so it is not used).
    """
    func = "uniform_variates"
    n = _check_n(n, func)
    _check_rng(rng, func)
    _check_method(method, func)
    if method == "random":
        return rng.random((n, d))
    engine = qmc.Sobol(d=d, scramble=True, rng=rng)
    return engine.random_base2(max(0, math.ceil(math.log2(n))))[:n]


def _positive(owner, name, value):
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ArgumentError(f"{owner}: {name}: is not a number ({value!r}). Give a length in "
                            f"metres") from None
    if not (math.isfinite(x) and x > 0):
        raise ArgumentError(f"{owner}: {name}: must be a finite length > 0 [m] ({value!r}). Give "
                            f"a positive length in metres") from None
    return x


def _points(points_m, func):
    p = np.asarray(points_m, dtype=float)
    if p.ndim != 2 or p.shape[1] != 3:
        raise ArgumentError(f"{func}: points_m: must be an (n, 3) array of points [m] (shape "
                            f"{p.shape}). Stack the points as rows") from None
    return p


def _fold_tetrahedron(s, t, u):
    """Rocchini-Cignoni map of the unit cube onto the barycentric simplex s, t, u >= 0, s+t+u <= 1.

    Measure-preserving up to the factor 6 (piecewise linear with |det| = 1 on each of 6 pieces).
    """
    s, t, u = s.copy(), t.copy(), u.copy()
    m = s + t > 1.0
    s[m], t[m] = 1.0 - s[m], 1.0 - t[m]
    m1 = t + u > 1.0
    m2 = ~m1 & (s + t + u > 1.0)
    t1, u1 = 1.0 - u[m1], 1.0 - s[m1] - t[m1]
    t[m1], u[m1] = t1, u1
    s2, u2 = 1.0 - t[m2] - u[m2], s[m2] + t[m2] + u[m2] - 1.0
    s[m2], u[m2] = s2, u2
    return s, t, u


class _Shape:
    """Shared ``sample`` of the shapes defined by a map of the unit cube (``from_unit_cube``)."""

    def sample(self, n, rng, method="random"):
        """``n`` points exactly uniform in the solid, in the body frame.

        Parameters
        ----------
        n : int, number of points, >= 1
        rng : numpy.random.Generator, seeded by the caller
        method : "random" (pseudo-random) or "sobol" (scrambled Sobol seeded from ``rng``)

        Returns
        -------
        (n, 3) float ndarray, points [m]
        """
        return self.from_unit_cube(uniform_variates(n, rng, method))

    def to_mesh(self, sections=64):  # pragma: no cover - overridden
        raise NotImplementedError


# --------------------------------------------------------------------------------------------
# Primitives
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sphere(_Shape):
    """Solid sphere of radius ``radius_m`` [m], centred at the origin."""

    radius_m: float

    def __post_init__(self):
        object.__setattr__(self, "radius_m", _positive("Sphere", "radius_m", self.radius_m))

    @property
    def volume_m3(self):
        """Volume 4πR³/3 [m³]."""
        return 4.0 / 3.0 * math.pi * self.radius_m**3

    @property
    def centroid_m(self):
        """Centroid, the origin [m], (3,)."""
        return np.zeros(3)

    @property
    def bounds_m(self):
        """Axis-aligned bounds [[xmin, ymin, zmin], [xmax, ymax, zmax]] [m], (2, 3)."""
        r = self.radius_m
        return np.array([[-r, -r, -r], [r, r, r]])

    def contains(self, points_m):
        """Whether each point is inside or on the sphere: (n, 3) [m] -> (n,) bool."""
        p = _points(points_m, "Sphere.contains")
        return np.einsum("ij,ij->i", p, p) <= self.radius_m**2

    def from_unit_cube(self, u):
        """Map (n, 3) uniforms in [0, 1)³ to (n, 3) points uniform in the sphere [m].

        r = R u₀^(1/3), cos θ = 1 − 2u₁, φ = 2π u₂.
        """
        u = np.asarray(u, dtype=float)
        r = self.radius_m * np.cbrt(u[:, 0])
        cos_t = 1.0 - 2.0 * u[:, 1]
        sin_t = np.sqrt(np.clip(1.0 - cos_t**2, 0.0, None))
        phi = 2.0 * math.pi * u[:, 2]
        return np.column_stack([r * sin_t * np.cos(phi), r * sin_t * np.sin(phi), r * cos_t])

    def to_mesh(self, sections=64):
        """A UV-sphere mesh with ``sections`` segments around and pole to pole (display only)."""
        return trimesh.creation.uv_sphere(radius=self.radius_m, count=[sections, sections])


@dataclass(frozen=True)
class Box(_Shape):
    """Rectangular box, edges ``size_m`` = (x, y, z) [m] along the axes, centred at the origin."""

    size_m: tuple

    def __post_init__(self):
        try:
            size = tuple(self.size_m)
        except TypeError:
            size = ()
        if len(size) != 3:
            raise ArgumentError(f"Box: size_m: must be three edge lengths (x, y, z) [m] "
                                f"({self.size_m!r}). Give e.g. size_m=(0.1, 0.1, 0.01)") from None
        object.__setattr__(self, "size_m",
                           tuple(_positive("Box", f"size_m[{i}]", s) for i, s in enumerate(size)))

    @property
    def volume_m3(self):
        """Volume a b c [m³]."""
        a, b, c = self.size_m
        return a * b * c

    @property
    def centroid_m(self):
        """Centroid, the origin [m], (3,)."""
        return np.zeros(3)

    @property
    def bounds_m(self):
        """Axis-aligned bounds [m], (2, 3)."""
        h = 0.5 * np.array(self.size_m)
        return np.array([-h, h])

    def contains(self, points_m):
        """Whether each point is inside or on the box: (n, 3) [m] -> (n,) bool."""
        p = _points(points_m, "Box.contains")
        return np.all(np.abs(p) <= 0.5 * np.array(self.size_m), axis=1)

    def from_unit_cube(self, u):
        """Map (n, 3) uniforms to points uniform in the box: x = (u − ½) size [m]."""
        return (np.asarray(u, dtype=float) - 0.5) * np.array(self.size_m)

    def to_mesh(self, sections=64):
        """The box as a 12-triangle mesh (exact; ``sections`` unused)."""
        return trimesh.creation.box(extents=self.size_m)


#: A plate is a thin box: ``Plate(size_m=(x, y, thickness))``.
Plate = Box


@dataclass(frozen=True)
class Cylinder(_Shape):
    """Solid circular cylinder, radius ``radius_m``, height ``height_m`` [m], axis z, centred."""

    radius_m: float
    height_m: float

    def __post_init__(self):
        object.__setattr__(self, "radius_m", _positive("Cylinder", "radius_m", self.radius_m))
        object.__setattr__(self, "height_m", _positive("Cylinder", "height_m", self.height_m))

    @property
    def volume_m3(self):
        """Volume πR²h [m³]."""
        return math.pi * self.radius_m**2 * self.height_m

    @property
    def centroid_m(self):
        """Centroid, the origin [m], (3,)."""
        return np.zeros(3)

    @property
    def bounds_m(self):
        """Axis-aligned bounds [m], (2, 3)."""
        r, h = self.radius_m, 0.5 * self.height_m
        return np.array([[-r, -r, -h], [r, r, h]])

    def contains(self, points_m):
        """Whether each point is inside or on the cylinder: (n, 3) [m] -> (n,) bool."""
        p = _points(points_m, "Cylinder.contains")
        return ((p[:, 0]**2 + p[:, 1]**2 <= self.radius_m**2)
                & (np.abs(p[:, 2]) <= 0.5 * self.height_m))

    def from_unit_cube(self, u):
        """Map (n, 3) uniforms to points uniform in the cylinder.

        r = R√u₀, φ = 2πu₁, z = (u₂ − ½)h.
        """
        u = np.asarray(u, dtype=float)
        r = self.radius_m * np.sqrt(u[:, 0])
        phi = 2.0 * math.pi * u[:, 1]
        return np.column_stack([r * np.cos(phi), r * np.sin(phi), (u[:, 2] - 0.5) * self.height_m])

    def to_mesh(self, sections=64):
        """A regular ``sections``-gon prism inscribed in the cylinder (display and overlap only).

        Its volume is smaller by the factor (sections/2π) sin(2π/sections) (0.16 % for 64).
        """
        return trimesh.creation.cylinder(radius=self.radius_m, height=self.height_m,
                                         sections=sections)


@dataclass(frozen=True)
class Annulus(_Shape):
    """Ring (hollow cylinder) with radii ``inner_radius_m`` < ``outer_radius_m`` and height
    ``height_m`` [m], axis z, centred at the origin."""

    inner_radius_m: float
    outer_radius_m: float
    height_m: float

    def __post_init__(self):
        for name in ("inner_radius_m", "outer_radius_m", "height_m"):
            object.__setattr__(self, name, _positive("Annulus", name, getattr(self, name)))
        if self.inner_radius_m >= self.outer_radius_m:
            raise ArgumentError(f"Annulus: inner_radius_m: must be smaller than outer_radius_m "
                                f"({self.inner_radius_m!r} >= {self.outer_radius_m!r}). Swap them, "
                                f"or use Cylinder for a solid disc")

    @property
    def volume_m3(self):
        """Volume π(R₂² − R₁²)h [m³]."""
        return math.pi * (self.outer_radius_m**2 - self.inner_radius_m**2) * self.height_m

    @property
    def centroid_m(self):
        """Centroid, the origin [m], (3,)."""
        return np.zeros(3)

    @property
    def bounds_m(self):
        """Axis-aligned bounds [m], (2, 3)."""
        r, h = self.outer_radius_m, 0.5 * self.height_m
        return np.array([[-r, -r, -h], [r, r, h]])

    def contains(self, points_m):
        """Whether each point is inside or on the ring: (n, 3) [m] -> (n,) bool."""
        p = _points(points_m, "Annulus.contains")
        rho2 = p[:, 0]**2 + p[:, 1]**2
        return ((rho2 <= self.outer_radius_m**2) & (rho2 >= self.inner_radius_m**2)
                & (np.abs(p[:, 2]) <= 0.5 * self.height_m))

    def from_unit_cube(self, u):
        """Map (n, 3) uniforms to points uniform in the ring: r² = R₁² + u₀(R₂² − R₁²)."""
        u = np.asarray(u, dtype=float)
        r1, r2 = self.inner_radius_m, self.outer_radius_m
        r = np.sqrt(r1**2 + u[:, 0] * (r2**2 - r1**2))
        phi = 2.0 * math.pi * u[:, 1]
        return np.column_stack([r * np.cos(phi), r * np.sin(phi), (u[:, 2] - 0.5) * self.height_m])

    def to_mesh(self, sections=64):
        """A faceted ring with ``sections`` sides (display and overlap only)."""
        return trimesh.creation.annulus(r_min=self.inner_radius_m, r_max=self.outer_radius_m,
                                        height=self.height_m, sections=sections)


@dataclass(frozen=True)
class Cone(_Shape):
    """Solid right circular cone, base radius ``radius_m``, height ``height_m`` [m], axis z.

    Placed with its centroid at the origin: base disc at z = −h/4, apex at z = +3h/4.
    """

    radius_m: float
    height_m: float

    def __post_init__(self):
        object.__setattr__(self, "radius_m", _positive("Cone", "radius_m", self.radius_m))
        object.__setattr__(self, "height_m", _positive("Cone", "height_m", self.height_m))

    @property
    def volume_m3(self):
        """Volume πR²h/3 [m³]."""
        return math.pi * self.radius_m**2 * self.height_m / 3.0

    @property
    def centroid_m(self):
        """Centroid, the origin (the base is at z = −h/4) [m], (3,)."""
        return np.zeros(3)

    @property
    def bounds_m(self):
        """Axis-aligned bounds [m], (2, 3)."""
        r, h = self.radius_m, self.height_m
        return np.array([[-r, -r, -0.25 * h], [r, r, 0.75 * h]])

    def contains(self, points_m):
        """Whether each point is inside or on the cone: (n, 3) [m] -> (n,) bool."""
        p = _points(points_m, "Cone.contains")
        s = 0.75 * self.height_m - p[:, 2]           # depth below the apex
        rho = np.sqrt(p[:, 0]**2 + p[:, 1]**2)
        return (s >= 0) & (s <= self.height_m) & (rho <= self.radius_m * s / self.height_m)

    def from_unit_cube(self, u):
        """Map (n, 3) uniforms to points uniform in the cone.

        Depth below the apex s = h u₀^(1/3) (density ∝ s²), then a uniform point of the disc of
        radius R s/h: r = (R s/h)√u₁, φ = 2πu₂.
        """
        u = np.asarray(u, dtype=float)
        s = self.height_m * np.cbrt(u[:, 0])
        r = self.radius_m * s / self.height_m * np.sqrt(u[:, 1])
        phi = 2.0 * math.pi * u[:, 2]
        return np.column_stack([r * np.cos(phi), r * np.sin(phi), 0.75 * self.height_m - s])

    def to_mesh(self, sections=64):
        """A faceted cone with ``sections`` sides, base at z = −h/4 (display and overlap only)."""
        mesh = trimesh.creation.cone(radius=self.radius_m, height=self.height_m,
                                     sections=sections)
        mesh.apply_translation([0.0, 0.0, -0.25 * self.height_m])
        return mesh


# --------------------------------------------------------------------------------------------
# Meshes
# --------------------------------------------------------------------------------------------

def _signed_tetra_volumes(triangles, apex):
    """Signed volumes of the tetrahedra (apex, a, b, c) over triangles (m, 3, 3) [m³], (m,)."""
    a = triangles[:, 0] - apex
    b = triangles[:, 1] - apex
    c = triangles[:, 2] - apex
    return np.einsum("ij,ij->i", a, np.cross(b, c)) / 6.0


def _diagonal(vertices):
    return float(np.linalg.norm(np.ptp(vertices, axis=0))) if len(vertices) else 0.0


def check_degenerate_faces(mesh, *, path=_IN_MEMORY, body=None, tolerances=DEFAULT_TOLERANCES):
    """Raise GeometryError (check "degenerate_faces") if a face has (near-)zero area."""
    tri = mesh.vertices[mesh.faces]
    area = 0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1)
    limit = tolerances.degenerate_area_rel * _diagonal(mesh.vertices)**2
    bad = np.flatnonzero(area <= limit)
    if bad.size:
        raise GeometryError(path, body, "degenerate_faces",
                            f"{bad.size} degenerate (zero-area) faces, first at index "
                            f"{int(bad[0])} ({bad.size} of {len(area)} faces). Remove them "
                            f"(trimesh: mesh.update_faces(mesh.nondegenerate_faces())) and "
                            f"re-export")


def check_watertight(mesh, *, path=_IN_MEMORY, body=None):
    """Raise GeometryError (check "watertight") if some edge is not shared by exactly 2 faces."""
    if not mesh.is_watertight:
        open_edges = len(trimesh.grouping.group_rows(mesh.edges_sorted, require_count=1))
        raise GeometryError(path, body, "watertight",
                            f"the mesh is not watertight ({open_edges} open edges). Close the "
                            f"holes (e.g. trimesh.repair.fill_holes) or use a primitive shape")


def check_winding(mesh, *, path=_IN_MEMORY, body=None):
    """Raise GeometryError (check "winding") if neighbouring faces have opposite orientation."""
    if not mesh.is_winding_consistent:
        raise GeometryError(path, body, "winding",
                            "face winding is inconsistent (neighbouring faces point opposite "
                            "ways). Fix it (trimesh.repair.fix_winding) and re-export")


def mesh_volume_centroid(vertices, faces):
    """Exact volume and centroid of a closed triangle mesh by signed tetrahedra from the origin.

    Parameters
    ----------
    vertices : (v, 3) float [m]
    faces : (f, 3) int

    Returns
    -------
    (float, (3,) ndarray): signed volume [m³] (negative for inward normals), centroid [m]
    (NaN when the volume is 0)
    """
    tri = np.asarray(vertices, dtype=float)[np.asarray(faces)]
    ref = tri.reshape(-1, 3).mean(axis=0)              # a nearby origin limits round-off
    vol = _signed_tetra_volumes(tri, ref)
    total = float(vol.sum())
    if total == 0.0:
        return 0.0, np.full(3, np.nan)
    centroid = ref + (vol[:, None] * (tri.sum(axis=1) - 3.0 * ref) / 4.0).sum(axis=0) / total
    return total, centroid


def check_volume(mesh, *, path=_IN_MEMORY, body=None, tolerances=DEFAULT_TOLERANCES):
    """Raise GeometryError ("zero_volume" or "inverted") unless the enclosed volume is positive."""
    volume, _ = mesh_volume_centroid(mesh.vertices, mesh.faces)
    if abs(volume) <= tolerances.zero_volume_rel * _diagonal(mesh.vertices)**3:
        raise GeometryError(path, body, "zero_volume",
                            f"the mesh encloses zero volume ({volume:.3g} m^3). Export the "
                            f"solid, not a surface or sheet")
    if volume < 0:
        raise GeometryError(path, body, "inverted",
                            f"the mesh is inverted: its normals point inwards (volume "
                            f"{volume:.6g} m^3). Flip the normals (trimesh: mesh.invert()) and "
                            f"re-export")


def validate_mesh(mesh, *, path=_IN_MEMORY, body=None, tolerances=DEFAULT_TOLERANCES):
    """Run the named mesh checks in order; raise GeometryError naming the first that fails.

    Checks: "degenerate_faces", "watertight", "winding", "zero_volume", "inverted".

    Parameters
    ----------
    mesh : trimesh.Trimesh, vertices in metres
    path : str, file the mesh came from (for the message)
    body : str or None, body name (for the message)
    tolerances : MeshTolerances
    """
    if not isinstance(mesh, trimesh.Trimesh) or len(mesh.faces) == 0:
        raise GeometryError(path, body, "load",
                            f"not a triangle mesh with faces ({type(mesh).__name__}). Give a "
                            f"trimesh.Trimesh of a closed solid")
    check_degenerate_faces(mesh, path=path, body=body, tolerances=tolerances)
    check_watertight(mesh, path=path, body=body)
    check_winding(mesh, path=path, body=body)
    check_volume(mesh, path=path, body=body, tolerances=tolerances)


def winding_number(points_m, vertices, faces, *, chunk_pairs=2_000_000):
    """Generalised winding number of a closed triangle mesh at each point (1 inside, 0 outside).

    Σ over faces of the solid angle Ω (Van Oosterom-Strackee formula) / 4π.

    Parameters
    ----------
    points_m : (n, 3) float [m]
    vertices : (v, 3) float [m]
    faces : (f, 3) int
    chunk_pairs : int, points × faces per chunk (memory bound)

    Returns
    -------
    (n,) float [1]
    """
    p = _points(points_m, "winding_number")
    tri = np.asarray(vertices, dtype=float)[np.asarray(faces)]
    out = np.empty(len(p))
    if len(p) * len(tri) > 20_000:       # numba twin (nusim.engine.kernels.winding_number)
        from nusim.engine import kernels

        kernels.winding_number(np.ascontiguousarray(p), np.ascontiguousarray(tri), out)
        return out
    step = max(1, chunk_pairs // max(1, len(tri)))
    for start in range(0, len(p), step):
        q = p[start:start + step, None, None, :]
        v = tri[None, :, :, :] - q                     # (k, f, 3, 3)
        a, b, c = v[:, :, 0], v[:, :, 1], v[:, :, 2]
        la, lb, lc = (np.linalg.norm(x, axis=-1) for x in (a, b, c))
        det = np.einsum("kfi,kfi->kf", a, np.cross(b, c))
        den = (la * lb * lc + np.einsum("kfi,kfi->kf", a, b) * lc
               + np.einsum("kfi,kfi->kf", a, c) * lb + np.einsum("kfi,kfi->kf", b, c) * la)
        out[start:start + step] = np.arctan2(det, den).sum(axis=1) / (2.0 * math.pi)
    return out


@dataclass(frozen=True, eq=False)
class MeshShape(_Shape):
    """A validated, watertight triangle mesh as a solid, vertices in metres in the body frame.

    Parameters
    ----------
    mesh : trimesh.Trimesh, vertices [m]; copied, so later changes to it do not leak in
    source : str, file it came from (for error messages)
    body : str or None, body name (for error messages)
    tolerances : MeshTolerances

    Notes
    -----
    ``sampling`` is "tetrahedra" (exact map of the unit cube, see the module docstring) when all
    signed tetrahedra from the centroid are non-negative, else "rejection" (exact rejection in the
    bounding box with winding-number containment).
    """

    mesh: trimesh.Trimesh
    source: str = _IN_MEMORY
    body: str | None = None
    tolerances: MeshTolerances = DEFAULT_TOLERANCES
    _cache: dict = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        validate_mesh(self.mesh, path=self.source, body=self.body, tolerances=self.tolerances)
        mesh = self.mesh.copy()
        object.__setattr__(self, "mesh", mesh)
        vertices = np.array(mesh.vertices, dtype=float)
        faces = np.array(mesh.faces, dtype=np.int64)
        vertices.flags.writeable = False
        faces.flags.writeable = False
        volume, centroid = mesh_volume_centroid(vertices, faces)
        tri = vertices[faces]
        tet = _signed_tetra_volumes(tri, centroid)
        star = bool(tet.min() >= -self.tolerances.negative_tetrahedron_rel * volume)
        cache = self._cache
        cache.update(vertices=vertices, faces=faces, volume=volume, centroid=centroid,
                     sampling="tetrahedra" if star else "rejection")
        if star:
            w = np.clip(tet, 0.0, None)
            cdf = np.cumsum(w)
            cache.update(triangles=tri, cdf=cdf / cdf[-1])

    @property
    def volume_m3(self):
        """Enclosed volume [m³] (exact for the polyhedron)."""
        return self._cache["volume"]

    @property
    def centroid_m(self):
        """Centroid of the solid [m], (3,)."""
        return self._cache["centroid"].copy()

    @property
    def bounds_m(self):
        """Axis-aligned bounds [m], (2, 3)."""
        v = self._cache["vertices"]
        return np.array([v.min(axis=0), v.max(axis=0)])

    @property
    def sampling(self):
        """"tetrahedra" or "rejection" (see the class Notes)."""
        return self._cache["sampling"]

    def contains(self, points_m):
        """Whether each point is inside the mesh (winding number > ½): (n, 3) [m] -> (n,) bool."""
        return winding_number(points_m, self._cache["vertices"], self._cache["faces"]) > 0.5

    def from_unit_cube(self, u):
        """Map (n, 3) uniforms to points uniform in the mesh (only when ``sampling`` is
        "tetrahedra"): u₀ picks tetrahedron i with probability V_i/V and is rescaled within its
        bin; (u₀', u₁, u₂) are folded onto the tetrahedron [1]."""
        if self.sampling != "tetrahedra":
            raise ArgumentError(f"MeshShape.from_unit_cube: {self.source}: the mesh is not "
                                f"star-shaped about its centroid (sampling='rejection'). Use "
                                f"sample()")
        u = np.asarray(u, dtype=float)
        cdf = self._cache["cdf"]
        i = np.minimum(np.searchsorted(cdf, u[:, 0], side="right"), len(cdf) - 1)
        lo = np.where(i > 0, cdf[i - 1], 0.0)
        width = cdf[i] - lo
        u0 = np.clip((u[:, 0] - lo) / np.where(width > 0, width, 1.0), 0.0, 1.0)
        s, t, w = _fold_tetrahedron(u0, u[:, 1].copy(), u[:, 2].copy())
        tri = self._cache["triangles"][i]
        c = self._cache["centroid"]
        return (c + s[:, None] * (tri[:, 0] - c) + t[:, None] * (tri[:, 1] - c)
                + w[:, None] * (tri[:, 2] - c))

    def sample(self, n, rng, method="random"):
        """``n`` points exactly uniform in the mesh, body frame: (n, 3) [m].

        Tetrahedral map when star-shaped, else rejection in the bounding box (Sobol points in
        blocks of 2^k, kept in sequence order, when ``method="sobol"``).
        """
        if self.sampling == "tetrahedra":
            return super().sample(n, rng, method)
        func = "MeshShape.sample"
        n = _check_n(n, func)
        _check_rng(rng, func)
        _check_method(method, func)
        lo, hi = self.bounds_m
        accept = self.volume_m3 / float(np.prod(hi - lo))
        engine = qmc.Sobol(d=3, scramble=True, rng=rng) if method == "sobol" else None
        kept, total = [], 0
        while total < n:
            want = int(1.2 * (n - total) / accept) + 16
            if engine is None:
                u = rng.random((want, 3))
            elif engine.num_generated == 0:
                u = engine.random_base2(math.ceil(math.log2(want)))
            else:                                # doubling keeps the total a power of 2
                u = engine.random(engine.num_generated)
            p = lo + u * (hi - lo)
            p = p[self.contains(p)]
            kept.append(p)
            total += len(p)
        return np.concatenate(kept)[:n]

    def to_mesh(self, sections=64):
        """A copy of the mesh (``sections`` unused)."""
        return self.mesh.copy()


def load_mesh(path, unit, *, body=None, tolerances=DEFAULT_TOLERANCES):
    """Read a mesh file as a validated :class:`MeshShape` in metres.

    Parameters
    ----------
    path : str or Path, an STL, OBJ, PLY, OFF or GLB file (``trimesh.load_mesh(path,
        process=True)``: duplicate vertices merged so that watertightness can be checked)
    unit : str, the file's length unit, one of "m", "cm", "mm", "um", "in" (required; never
        guessed)
    body : str, optional, body name for error messages
    tolerances : MeshTolerances

    Returns
    -------
    MeshShape, vertices scaled to metres

    Raises
    ------
    GeometryError naming the file, the body and the failed check ("load", "unit",
    "degenerate_faces", "watertight", "winding", "zero_volume", "inverted").
    """
    path = Path(path)
    if unit not in MESH_UNITS:
        raise GeometryError(path, body, "unit",
                            f"unknown length unit ({unit!r}). Use one of "
                            f"{', '.join(map(repr, MESH_UNITS))}")
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in MESH_FILE_TYPES:
        raise GeometryError(path, body, "load",
                            f"unsupported file type ({path.suffix!r}). Use one of "
                            f"{', '.join('.' + s for s in MESH_FILE_TYPES)}")
    if not path.is_file():
        raise GeometryError(path, body, "load",
                            "file not found. Check the path (relative to the apparatus file)")
    try:
        mesh = trimesh.load_mesh(path, process=True)
    except Exception as exc:  # noqa: BLE001 - any reader failure is reported with the file name
        raise GeometryError(path, body, "load",
                            f"trimesh could not read it ({type(exc).__name__}: {exc}). Re-export "
                            f"the mesh") from None
    if isinstance(mesh, trimesh.Scene):
        mesh = mesh.to_geometry()
    if not isinstance(mesh, trimesh.Trimesh):
        raise GeometryError(path, body, "load",
                            f"not a triangle mesh ({type(mesh).__name__}). Export a solid "
                            f"triangle mesh")
    mesh.apply_scale(MESH_UNITS[unit])
    return MeshShape(mesh, source=str(path), body=body, tolerances=tolerances)
