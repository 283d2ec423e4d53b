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

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nusim.config import load_toml
from nusim.errors import ConfigError
from nusim.schema.apparatus import BODY_SCALES, ROLES, SHAPES, BodyScale, declare_hint, \
    validate_apparatus

__all__ = ["Apparatus", "BODY_SCALES", "BodyScale", "ROLES", "ROTATION_SEQUENCE", "SHAPES",
           "load_apparatus"]

#: The axis sequence of ``rotation_deg`` for ``scipy.spatial.transform.Rotation.from_euler``:
#: *intrinsic* x-y-z (upper case; lower case would be extrinsic). The body is turned by
#: ``rotation_deg[0]`` about its x axis, then by ``[1]`` about its (already turned) y axis, then by
#: ``[2]`` about its twice-turned z axis: R = Rx(a) Ry(b) Rz(c), x_lab = R x_body + position_m.
#: Example: a box long along its x axis with ``rotation_deg = [90, 90, 0]`` ends long along lab +y
#: (the extrinsic reading, R = Rz(c) Ry(b) Rx(a), would put it along −z).
ROTATION_SEQUENCE = "XYZ"


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


def _shape(body, path, prefix):
    """The solid of a validated body (``nusim.schema.apparatus`` model); a mesh is loaded and
    checked, and its extent held to the body's scale (ConfigError naming ``prefix.mesh_unit``)."""
    from nusim.geometry import shapes

    if body.shape == "sphere":
        return shapes.Sphere(body.radius_m)
    if body.shape in ("box", "plate"):
        return shapes.Box(tuple(body.size_m))
    if body.shape == "cylinder":
        return shapes.Cylinder(body.radius_m, body.height_m)
    if body.shape == "annulus":
        return shapes.Annulus(body.inner_radius_m, body.outer_radius_m, body.height_m)
    if body.shape == "cone":
        return shapes.Cone(body.radius_m, body.height_m)
    mesh_path = body.mesh_path(path)
    loaded = shapes.load_mesh(mesh_path, body.mesh_unit, body=body.name)
    loaded = loaded if isinstance(loaded, shapes.MeshShape) else shapes.MeshShape(
        loaded, source=str(mesh_path), body=body.name)
    extent = float(np.ptp(loaded.bounds_m, axis=0).max())
    limit = BODY_SCALES[body.scale].max_length_m
    if extent > limit:
        raise ConfigError(path, f"{prefix}.mesh_unit", f"with mesh_unit = {body.mesh_unit!r} "
                          f"the mesh {body.mesh!r} is {extent:g} m across, larger than a "
                          f"{body.scale} body may be (at most {limit:g} m): is the file in "
                          f"another unit (mm, cm, in)? Give its unit in mesh_unit. "
                          f"{declare_hint(extent, 'max_length_m')}")
    return loaded


def load_apparatus(path, check_overlaps=True):
    """The apparatus of a TOML file (see module docstring; every key:
    :mod:`nusim.schema.apparatus`, docs/apparatus-files.md); bodies by name.

    Raises ConfigError (file, dotted field, what to do) for malformed files, unknown materials
    or shapes, unit mistakes, and overlapping bodies; GeometryError for a broken mesh.
    """
    from nusim.geometry import bodies as bodies_mod
    from nusim.geometry import materials

    path = Path(path)
    doc = load_toml(path, what="an apparatus",
                    example="geometries/example-torsion-balance.toml")
    model = validate_apparatus(doc, path)
    bodies = {}
    for i, b in enumerate(model.bodies):
        pose = bodies_mod.Pose.from_euler_deg(ROTATION_SEQUENCE, np.asarray(b.rotation_deg),
                                              position_m=np.asarray(b.position_m))
        bodies[b.name] = bodies_mod.Body(b.name, b.role, materials.material(b.material),
                                         _shape(b, path, f"bodies[{i}]"), pose)
    if check_overlaps:
        items = list(bodies.values())
        for i, a in enumerate(items):
            for b in items[i + 1:]:
                if bodies_mod.bodies_overlap(a, b):
                    raise ConfigError(path, "bodies", f"bodies {a.name!r} and {b.name!r} "
                                      "overlap. Move one of them (position_m) or make it smaller")
    pend, motion = model.pendulum, model.attractor_motion
    return Apparatus(
        name=model.apparatus.name or path.stem, path=str(path), bodies=bodies,
        site=model.site.model_dump() if model.site is not None else {},
        fibre_point_m=tuple(pend.fibre_point_m), fibre_axis=tuple(pend.fibre_axis),
        attractor_axis_point_m=tuple(motion.axis_point_m), attractor_axis=tuple(motion.axis),
        attractor_angles_deg=tuple(motion.angles_deg), description=model.apparatus.description)
