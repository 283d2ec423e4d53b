"""An apparatus from a TOML file: lab site, bodies (material, shape, pose), fibre axis, attractor
motion. Every error names the file and the dotted field and says what to do.

File layout (keys with units; unknown keys are rejected)::

    [apparatus]
    name = "example"
    description = "..."

    [site]                      # optional
    latitude_deg = 47.659
    longitude_deg = -122.303
    altitude_m = 60.0
    azimuth_deg = 0.0           # compass azimuth of the lab y axis (0: East-North-Up)

    [pendulum]                  # optional: the fibre axis the torque is taken about
    fibre_point_m = [0.0, 0.0, 0.0]
    fibre_axis = [0.0, 0.0, 1.0]

    [attractor_motion]          # optional: rotation of the attractor bodies
    axis_point_m = [0.0, 0.0, 0.0]
    axis = [0.0, 0.0, 1.0]
    angles_deg = [0.0, 15.0, 30.0]

    [[bodies]]
    name = "mass-1"
    role = "pendulum"           # pendulum | attractor | fixed
    material = "copper"
    shape = "cylinder"          # sphere | box | plate | cylinder | annulus | cone | mesh
    radius_m = 0.01
    height_m = 0.02
    position_m = [0.05, 0.0, 0.0]
    rotation_deg = [0.0, 0.0, 0.0]   # intrinsic x-y-z Euler angles (see ROTATION_SEQUENCE)
    scale = "laboratory"        # laboratory (default) | site | planetary (see BODY_SCALES)
    source = "where the numbers come from"   # or assumed = "why"

Every key, with a worked rotation example: docs/apparatus-files.md.
"""

import math
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np

from nusim.config import load_toml, reject_unknown, take
from nusim.errors import ArgumentError, ConfigError

ROLES = ("pendulum", "attractor", "fixed")
#: shape name -> its dimension keys (all in metres, except mesh)
SHAPE_KEYS = {
    "sphere": ("radius_m",),
    "box": ("size_m",),
    "plate": ("size_m",),
    "cylinder": ("radius_m", "height_m"),
    "annulus": ("inner_radius_m", "outer_radius_m", "height_m"),
    "cone": ("radius_m", "height_m"),
    "mesh": ("mesh", "mesh_unit"),
}
BODY_KEYS = ("name", "role", "material", "shape", "position_m", "rotation_deg", "scale",
             "source", "assumed", "description")

#: The axis sequence of ``rotation_deg`` for ``scipy.spatial.transform.Rotation.from_euler``:
#: *intrinsic* x-y-z (upper case; lower case would be extrinsic). The body is turned by
#: ``rotation_deg[0]`` about its x axis, then by ``[1]`` about its (already turned) y axis, then by
#: ``[2]`` about its twice-turned z axis: R = Rx(a) Ry(b) Rz(c), x_lab = R x_body + position_m.
#: Example: a box long along its x axis with ``rotation_deg = [90, 90, 0]`` ends long along lab +y
#: (the extrinsic reading, R = Rz(c) Ry(b) Rx(a), would put it along −z).
ROTATION_SEQUENCE = "XYZ"


@dataclass(frozen=True)
class BodyScale:
    """Largest lengths a body of one declared ``scale`` may have, to catch unit slips.

    Attributes
    ----------
    max_length_m : float, largest radius, edge, height or mesh bounding-box edge [m]
    max_distance_m : float, largest distance of ``position_m`` from the fibre point [m]
    reason : str, why the limit is where it is
    """

    max_length_m: float
    max_distance_m: float
    reason: str


#: The ``scale`` a body may declare (default "laboratory") and its limits.
#:
#: Why an opt-in and not a rule relative to the rest of the apparatus: a millimetre-for-metre slip
#: multiplies a length by 1000, so a mistyped test mass (10 mm typed as ``radius_m = 10``) and a
#: real planet (the Earth of a Washington 2007 model, 6.4e6 m) both stand far above the other
#: bodies; only the author knows which one was meant, and a relative rule would also pass a file in
#: which *every* length was typed in millimetres. So every body is held to laboratory size unless
#: it says otherwise, and the error says how to say so.
BODY_SCALES = MappingProxyType({
    "laboratory": BodyScale(
        1.0, 10.0,
        "torsion-balance test masses and attractors are centimetres to decimetres; a 1 m radius "
        "of tungsten is already 80 t, beyond any laboratory attractor (the heaviest are a few "
        "tonnes), so a length above 1 m is almost surely millimetres typed as metres (every slip "
        "of a length above 1 mm is caught); bodies further than 10 m from the fibre are not on "
        "the bench"),
    "site": BodyScale(
        1e3, 1e4,
        "walls, floors, buildings, hillsides and lakes around a laboratory: up to 1 km across, "
        "within 10 km"),
    "planetary": BodyScale(
        1e8, math.inf,
        "planets and moons (the Earth's radius is 6.371e6 m, Jupiter's 7.0e7 m); no limit on "
        "the distance (the Earth's centre is 6.4e6 m below the laboratory)"),
})


@dataclass(frozen=True)
class Apparatus:
    """A loaded apparatus. ``bodies`` maps name -> Body (nusim.geometry.bodies.Body)."""

    name: str
    path: str
    bodies: dict
    site: dict = field(default_factory=dict)
    fibre_point_m: tuple = (0.0, 0.0, 0.0)
    fibre_axis: tuple = (0.0, 0.0, 1.0)
    attractor_axis_point_m: tuple = (0.0, 0.0, 0.0)
    attractor_axis: tuple = (0.0, 0.0, 1.0)
    attractor_angles_deg: tuple = (0.0,)
    description: str = ""

    def by_role(self, role):
        """Bodies with ``role`` ("pendulum", "attractor", "fixed"), in file order."""
        return [b for b in self.bodies.values() if b.role == role]

    def attractors_at(self, angle_deg):
        """The attractor bodies rotated by ``angle_deg`` [deg] about the attractor-motion axis
        (right-handed about ``attractor_axis`` through ``attractor_axis_point_m``)."""
        from scipy.spatial.transform import Rotation

        from nusim.geometry.bodies import Body, Pose

        d = np.asarray(self.attractor_axis, float)
        rot = Rotation.from_rotvec(np.radians(angle_deg) * d / np.linalg.norm(d))
        p0 = np.asarray(self.attractor_axis_point_m, float)
        out = []
        for b in self.by_role("attractor"):
            pose = Pose(position_m=rot.apply(np.asarray(b.pose.position_m) - p0) + p0,
                        rotation=rot.as_matrix() @ np.asarray(b.pose.rotation))
            out.append(Body(b.name, b.role, b.material, b.shape, pose))
        return out

    @property
    def axis(self):
        """The fibre axis as (point_m, unit direction) for nusim.engine.interact."""
        d = np.asarray(self.fibre_axis, float)
        return np.asarray(self.fibre_point_m, float), d / np.linalg.norm(d)


def _vector(table, key, path, prefix, default=None, required=False, positive=False):
    value = take(table, key, list, path, prefix, default=default, required=required)
    if value is None:
        return None
    field_name = f"{prefix}.{key}"
    try:
        arr = np.asarray(value, float)
    except (TypeError, ValueError):
        raise ConfigError(path, field_name, f"expected 3 numbers, got {value!r}") from None
    if arr.shape != (3,) or not np.all(np.isfinite(arr)):
        raise ConfigError(path, field_name, f"expected 3 finite numbers, got {value!r}")
    if positive and np.any(arr <= 0):
        raise ConfigError(path, field_name, f"every size must be positive [m], got {value!r}")
    return arr


def _declare_hint(value_m, what):
    """What to write if ``value_m`` [m] is meant: the scales whose limit ``what`` admits it."""
    options = []
    for name, lim in BODY_SCALES.items():
        limit = getattr(lim, what)
        if name != "laboratory" and value_m <= limit:
            bound = "no limit" if math.isinf(limit) else f"up to {limit:g} m"
            options.append(f'scale = "{name}" ({bound})')
    if not options:
        return "No scale admits it"
    size = "large" if what == "max_length_m" else "far away"
    return f"If the body really is this {size}, declare it in its table: " + " or ".join(options)


def _check_size(value_m, path, field_name, scale, body=None):
    """ConfigError if a length ``value_m`` [m] exceeds what a body of ``scale`` may have."""
    limit = BODY_SCALES[scale].max_length_m
    if value_m > limit:
        who = f"body {body!r}: " if body else ""
        raise ConfigError(path, field_name, f"{who}{value_m:g} m is larger than a {scale} body "
                          f"may be (at most {limit:g} m): did you give millimetres? Lengths are "
                          f"in metres: {value_m:g} mm is {value_m / 1000:g}. "
                          f"{_declare_hint(value_m, 'max_length_m')}")


def _length(table, key, path, prefix, scale="laboratory"):
    value = take(table, key, float, path, prefix, required=True)
    if not (value > 0 and math.isfinite(value)):
        raise ConfigError(path, f"{prefix}.{key}", f"must be a positive length in metres, got "
                          f"{value!r}. Lengths are in metres: 1 cm is 0.01")
    _check_size(value, path, f"{prefix}.{key}", scale, table.get("name"))
    return value


def _shape(table, path, prefix, scale="laboratory"):
    from nusim.geometry import shapes

    kind = take(table, "shape", str, path, prefix, required=True)
    if kind not in SHAPE_KEYS:
        raise ConfigError(path, f"{prefix}.shape", f"unknown shape {kind!r}. Known shapes: "
                          f"{', '.join(SHAPE_KEYS)}")

    def length(key):
        return _length(table, key, path, prefix, scale)

    if kind == "sphere":
        return shapes.Sphere(length("radius_m"))
    if kind in ("box", "plate"):
        size = _vector(table, "size_m", path, prefix, required=True, positive=True)
        for i, edge in enumerate(size):
            _check_size(float(edge), path, f"{prefix}.size_m[{i}]", scale, table.get("name"))
        return shapes.Box(tuple(size))
    if kind == "cylinder":
        return shapes.Cylinder(length("radius_m"), length("height_m"))
    if kind == "annulus":
        inner = length("inner_radius_m")
        outer = length("outer_radius_m")
        if inner >= outer:
            raise ConfigError(path, f"{prefix}.inner_radius_m", f"inner radius {inner} m must "
                              f"be smaller than outer_radius_m = {outer} m")
        return shapes.Annulus(inner, outer, length("height_m"))
    if kind == "cone":
        return shapes.Cone(length("radius_m"), length("height_m"))
    mesh = take(table, "mesh", str, path, prefix, required=True)
    unit = take(table, "mesh_unit", str, path, prefix, required=True)
    if unit not in shapes.MESH_UNITS:
        raise ConfigError(path, f"{prefix}.mesh_unit", f"unknown unit {unit!r}. Give one of "
                          f"{', '.join(shapes.MESH_UNITS)} (never guessed)")
    mesh_path = (Path(path).parent / mesh)
    if not mesh_path.is_file():
        raise ConfigError(path, f"{prefix}.mesh", f"mesh file {str(mesh_path)!r} not found "
                          "(paths are relative to the apparatus file)")
    loaded = shapes.load_mesh(mesh_path, unit, body=table.get("name"))
    loaded = loaded if isinstance(loaded, shapes.MeshShape) else shapes.MeshShape(
        loaded, source=str(mesh_path), body=table.get("name"))
    extent = float(np.ptp(loaded.bounds_m, axis=0).max())
    limit = BODY_SCALES[scale].max_length_m
    if extent > limit:
        raise ConfigError(path, f"{prefix}.mesh_unit", f"with mesh_unit = {unit!r} the mesh "
                          f"{mesh!r} is {extent:g} m across, larger than a {scale} body may be "
                          f"(at most {limit:g} m): is the file in another unit (mm, cm, in)? "
                          f"Give its unit in mesh_unit. {_declare_hint(extent, 'max_length_m')}")
    return loaded


def _body(table, path, prefix, fibre_point_m=(0.0, 0.0, 0.0)):
    from nusim.geometry import bodies, materials

    kind = take(table, "shape", str, path, prefix, required=True)
    if kind not in SHAPE_KEYS:
        raise ConfigError(path, f"{prefix}.shape", f"unknown shape {kind!r}. Known shapes: "
                          f"{', '.join(SHAPE_KEYS)}")
    allowed = BODY_KEYS + SHAPE_KEYS[kind]
    reject_unknown(table, allowed, path, prefix)
    name = take(table, "name", str, path, prefix, required=True)
    role = take(table, "role", str, path, prefix, required=True)
    if role not in ROLES:
        raise ConfigError(path, f"{prefix}.role", f"unknown role {role!r}. Roles: "
                          f"{', '.join(ROLES)}")
    mat_name = take(table, "material", str, path, prefix, required=True)
    try:
        mat = materials.material(mat_name)
    except ArgumentError as exc:
        raise ConfigError(path, f"{prefix}.material", str(exc)) from None
    scale = take(table, "scale", str, path, prefix, default="laboratory")
    if scale not in BODY_SCALES:
        raise ConfigError(path, f"{prefix}.scale", f"unknown scale {scale!r}. Scales: "
                          f"{', '.join(BODY_SCALES)} (default laboratory)")
    shape = _shape(table, path, prefix, scale)
    position = _vector(table, "position_m", path, prefix, default=[0.0, 0.0, 0.0])
    distance = float(np.linalg.norm(position - np.asarray(fibre_point_m, float)))
    where = [float(x) for x in position]
    limit = BODY_SCALES[scale].max_distance_m
    if distance > limit:
        raise ConfigError(path, f"{prefix}.position_m", f"body {name!r} at {where} is "
                          f"{distance:g} m from the fibre point, further than a {scale} body may "
                          f"be (at most {limit:g} m): did you give millimetres? Positions are "
                          f"in metres: {distance:g} mm is {distance / 1000:g}. "
                          f"{_declare_hint(distance, 'max_distance_m')}")
    angles = _vector(table, "rotation_deg", path, prefix, default=[0.0, 0.0, 0.0])
    pose = bodies.Pose.from_euler_deg(ROTATION_SEQUENCE, angles, position_m=position)
    return bodies.Body(name, role, mat, shape, pose)


def load_apparatus(path, check_overlaps=True):
    """The apparatus of a TOML file (see module docstring); bodies by name.

    Raises ConfigError (file, dotted field, what to do) for malformed files, unknown materials
    or shapes, unit mistakes, and overlapping bodies.
    """
    from nusim.geometry import bodies as bodies_mod

    path = Path(path)
    doc = load_toml(path, what="an apparatus",
                    example="geometries/example-torsion-balance.toml")
    reject_unknown(doc, ("apparatus", "site", "pendulum", "attractor_motion", "bodies"), path, "")
    head = take(doc, "apparatus", dict, path, "", default={})
    reject_unknown(head, ("name", "description"), path, "apparatus")
    name = take(head, "name", str, path, "apparatus", default=path.stem)
    site = take(doc, "site", dict, path, "", default={})
    reject_unknown(site, ("latitude_deg", "longitude_deg", "altitude_m", "azimuth_deg"), path,
                   "site")
    for key in site:
        take(site, key, float, path, "site")
    lat = site.get("latitude_deg", 0.0)
    if not -90 <= lat <= 90:
        raise ConfigError(path, "site.latitude_deg", f"must lie in [-90, 90], got {lat!r}")
    pend = take(doc, "pendulum", dict, path, "", default={})
    reject_unknown(pend, ("fibre_point_m", "fibre_axis"), path, "pendulum")
    fibre_point = _vector(pend, "fibre_point_m", path, "pendulum", default=[0.0, 0.0, 0.0])
    motion = take(doc, "attractor_motion", dict, path, "", default={})
    reject_unknown(motion, ("axis_point_m", "axis", "angles_deg"), path, "attractor_motion")
    table = take(doc, "bodies", list, path, "", required=True)
    bodies = {}
    for i, entry in enumerate(table):
        prefix = f"bodies[{i}]"
        if not isinstance(entry, dict):
            raise ConfigError(path, prefix, "each [[bodies]] entry must be a table")
        body = _body(entry, path, prefix, fibre_point)
        if body.name in bodies:
            raise ConfigError(path, f"{prefix}.name", f"duplicate body name {body.name!r}")
        bodies[body.name] = body
    if check_overlaps:
        items = list(bodies.values())
        for i, a in enumerate(items):
            for b in items[i + 1:]:
                if bodies_mod.bodies_overlap(a, b):
                    raise ConfigError(path, "bodies", f"bodies {a.name!r} and {b.name!r} "
                                      "overlap. Move one of them (position_m) or make it smaller")
    angles = take(motion, "angles_deg", list, path, "attractor_motion", default=[0.0])
    bad = [a for a in angles if isinstance(a, bool) or not isinstance(a, (int, float))
           or not np.isfinite(a)]
    if bad or not angles:
        raise ConfigError(path, "attractor_motion.angles_deg", f"expected a non-empty list of "
                          f"angles in degrees, e.g. [0.0, 30.0, 60.0]; got {angles!r}")
    for table_, key, prefix_ in ((pend, "fibre_axis", "pendulum"),
                                 (motion, "axis", "attractor_motion")):
        vec = _vector(table_, key, path, prefix_, default=[0.0, 0.0, 1.0])
        if not np.any(vec):
            raise ConfigError(path, f"{prefix_}.{key}", "must be a non-zero direction, e.g. "
                              "[0.0, 0.0, 1.0]")
    return Apparatus(
        name=name, path=str(path), bodies=bodies, site=dict(site),
        fibre_point_m=tuple(fibre_point),
        fibre_axis=tuple(_vector(pend, "fibre_axis", path, "pendulum", default=[0.0, 0.0, 1.0])),
        attractor_axis_point_m=tuple(_vector(motion, "axis_point_m", path, "attractor_motion",
                                             default=[0.0, 0.0, 0.0])),
        attractor_axis=tuple(_vector(motion, "axis", path, "attractor_motion",
                                     default=[0.0, 0.0, 1.0])),
        attractor_angles_deg=tuple(float(a) for a in angles),
        description=take(head, "description", str, path, "apparatus", default=""))
