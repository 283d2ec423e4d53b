"""The schema of apparatus files (``geometries/*.toml``): ``[apparatus]``, ``[site]``,
``[pendulum]``, ``[attractor_motion]`` and the ``[[bodies]]`` (one model per shape, tagged by
``shape``), declared once; :func:`validate_apparatus` gives the validated model that
:func:`nusim.geometry.load_apparatus` builds the bodies from.

Lengths are in metres, angles in degrees; a mesh file has its own ``mesh_unit``. Every body is
held to the size of its declared ``scale`` (:data:`BODY_SCALES`), which catches millimetres typed
as metres. The schema section of docs/apparatus-files.md is generated from these models
(``python -m nusim.schema.docs``).
"""

import math
from dataclasses import dataclass
from types import MappingProxyType
from typing import Annotated, ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from nusim.schema.core import (METRES_HINT, TAGS, Direction, Range, Size3, Table, Vector3,
                               fail, number, numbers, one_of, relative_file, validate)

ROLES = ("pendulum", "attractor", "fixed")


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


def declare_hint(value_m, what):
    """What to write if ``value_m`` [m] is meant: the scales whose limit ``what``
    ("max_length_m" or "max_distance_m") admits it."""
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


def _materials():
    from nusim.geometry.materials import MATERIALS

    return tuple(MATERIALS)


def _mesh_units():
    from nusim.geometry.shapes import MESH_UNITS

    return tuple(MESH_UNITS)


#: a length of a body [m]: positive; held to the body's scale by :class:`Body`
Length = Annotated[float, Range(gt=0, msg="must be a positive length in metres",
                                hint=METRES_HINT)]


class ApparatusHead(Table):
    """[apparatus]: what the file describes."""

    name: str | None = Field(None, description="name of the apparatus (default: the file name "
                             "without .toml)")
    description: str = Field("", description="one line")


class Site(Table):
    """[site]: where the laboratory is (needed by studies with a Sun or supernova beam)."""

    latitude_deg: number(ge=-90, le=90, what="[deg]") = Field(
        description="geodetic latitude [deg], North positive")
    longitude_deg: number(ge=-180, le=360, what="[deg]") = Field(
        description="longitude [deg], East positive")
    altitude_m: number() = Field(0.0, description="height above the ellipsoid [m]")
    azimuth_deg: number() = Field(0.0, description="compass azimuth of the lab y axis [deg] "
                                  "(0: x East, y North, z Up)")


class Pendulum(Table):
    """[pendulum]: the fibre the torque is taken about."""

    fibre_point_m: Vector3 = Field([0.0, 0.0, 0.0], description="a point on the fibre [m]; "
                                   "the bodies' distance limits count from it")
    fibre_axis: Direction = Field([0.0, 0.0, 1.0], description="direction of the fibre "
                                  "(normalised on loading)")


class AttractorMotion(Table):
    """[attractor_motion]: the turntable that turns every attractor body rigidly."""

    axis_point_m: Vector3 = Field([0.0, 0.0, 0.0], description="a point on the turntable "
                                  "axis [m]")
    axis: Direction = Field([0.0, 0.0, 1.0], description="direction of the turntable axis "
                            "(right-handed turns)")
    angles_deg: numbers(float, msg="expected a non-empty list of angles in degrees, e.g. "
                        "[0.0, 30.0, 60.0]") = Field([0.0], description="the attractor angles "
                                                     "a study evaluates [deg]")


class Body(Table):
    """Keys every [[bodies]] table has, whatever its shape."""

    name: str = Field(description="unique within the file")
    role: one_of(ROLES, "role", "Roles") = Field(description="pendulum (feels the torque), "
                                                 "attractor (turns with attractor_motion) or "
                                                 "fixed")
    material: one_of(_materials, "material", sort=True) = Field(
        description="a preset of nusim.geometry.materials (e.g. copper, tungsten)")
    shape: str = Field(description="the solid; its dimension keys follow")
    position_m: Vector3 = Field([0.0, 0.0, 0.0], description="where the body frame's origin "
                                "sits in the lab [m]")
    rotation_deg: Vector3 = Field([0.0, 0.0, 0.0], description="intrinsic x-y-z Euler angles "
                                  "[deg]: R = Rx(a) Ry(b) Rz(c), x_lab = R x_body + position_m")
    scale: one_of(tuple(BODY_SCALES), "scale", "Scales", " (default laboratory)") = Field(
        "laboratory", description="laboratory (≤ 1 m, ≤ 10 m away), site (≤ 1 km, ≤ 10 km) or "
        "planetary (≤ 1e8 m): the size limits that catch millimetres typed as metres")
    source: str | None = Field(None, description="where the numbers come from (a citation)")
    assumed: str | None = Field(None, description="or why they were assumed")
    description: str = Field("", description="free text")

    #: the keys of the body's lengths [m], held to its scale
    LENGTHS: ClassVar[tuple] = ()

    @model_validator(mode="after")
    def _size(self):
        limit = BODY_SCALES[self.scale].max_length_m
        lengths = [(key, getattr(self, key)) for key in self.LENGTHS]
        if "size_m" in type(self).model_fields:
            lengths += [(("size_m", i), edge) for i, edge in enumerate(self.size_m)]
        for key, value in lengths:
            if value > limit:
                fail(f"body {self.name!r}: {value:g} m is larger than a {self.scale} body may "
                     f"be (at most {limit:g} m): did you give millimetres? Lengths are in "
                     f"metres: {value:g} mm is {value / 1000:g}. "
                     f"{declare_hint(value, 'max_length_m')}", key)
        return self

    def dimensions(self):
        """{key: value} of the shape's own keys."""
        return {k: getattr(self, k) for k in type(self).model_fields if k not in Body.model_fields}


class Sphere(Body):
    """shape = "sphere": a ball centred on the body origin."""

    shape: Literal["sphere"] = Field(description="the solid")
    radius_m: Length = Field(description="radius [m]")

    LENGTHS: ClassVar[tuple] = ("radius_m",)


class Box(Body):
    """shape = "box" or "plate" (a box under another name): a rectangular block, edges along
    the body axes, centred on the body origin."""

    shape: Literal["box", "plate"] = Field(description="the solid")
    size_m: Size3 = Field(description="edges along the body x, y, z [m]")


class Cylinder(Body):
    """shape = "cylinder": axis along body z, centred on the body origin (z from −h/2 to
    +h/2)."""

    shape: Literal["cylinder"] = Field(description="the solid")
    radius_m: Length = Field(description="radius [m]")
    height_m: Length = Field(description="height along body z [m]")

    LENGTHS: ClassVar[tuple] = ("radius_m", "height_m")


class Annulus(Body):
    """shape = "annulus": a hollow cylinder, axis along body z, centred on the body origin."""

    shape: Literal["annulus"] = Field(description="the solid")
    inner_radius_m: Length = Field(description="inner radius [m], below outer_radius_m")
    outer_radius_m: Length = Field(description="outer radius [m]")
    height_m: Length = Field(description="height along body z [m]")

    LENGTHS: ClassVar[tuple] = ("inner_radius_m", "outer_radius_m", "height_m")

    @model_validator(mode="after")
    def _radii(self):
        if self.inner_radius_m >= self.outer_radius_m:
            fail(f"inner radius {self.inner_radius_m} m must be smaller than outer_radius_m = "
                 f"{self.outer_radius_m} m", "inner_radius_m")
        return self


class Cone(Body):
    """shape = "cone": a right circular cone, axis along body z, centroid at the body origin
    (base disc at z = −h/4, apex at z = +3h/4)."""

    shape: Literal["cone"] = Field(description="the solid")
    radius_m: Length = Field(description="base radius [m]")
    height_m: Length = Field(description="height along body z [m]")

    LENGTHS: ClassVar[tuple] = ("radius_m", "height_m")


class Mesh(Body):
    """shape = "mesh": a closed triangle mesh from a file (.stl, .obj, .ply, .off, .glb) in
    the file's own coordinates, scaled to metres and not re-centred; checked for degenerate
    faces, watertightness, winding, volume and orientation (each check named in its error)."""

    shape: Literal["mesh"] = Field(description="the solid")
    mesh_unit: one_of(_mesh_units, "unit", "Give one of", " (never guessed)") = Field(
        description="length unit of the mesh file's coordinates: m, cm, mm, um or in")
    mesh: str = Field(description="the mesh file, relative to the apparatus file")

    @field_validator("mesh")
    @classmethod
    def _exists(cls, v, info: ValidationInfo):
        relative_file(v, info, "mesh", "apparatus")
        return v

    def mesh_path(self, apparatus_path):
        """The mesh file: relative to the apparatus file at ``apparatus_path``."""
        from pathlib import Path

        p = Path(self.mesh)
        return p if p.is_absolute() else Path(apparatus_path).parent / p


SHAPES = {"sphere": Sphere, "box": Box, "plate": Box, "cylinder": Cylinder,
          "annulus": Annulus, "cone": Cone, "mesh": Mesh}
AnyBody = Annotated[Sphere | Box | Cylinder | Annulus | Cone | Mesh,
                    Field(discriminator="shape")]
TAGS.update(SHAPES)


class ApparatusFile(Table):
    """An apparatus file: its tables."""

    apparatus: ApparatusHead = Field(default_factory=ApparatusHead, description="name and "
                                     "description")
    site: Site | None = Field(None, description="where the laboratory is")
    pendulum: Pendulum = Field(default_factory=Pendulum, description="the fibre")
    attractor_motion: AttractorMotion = Field(default_factory=AttractorMotion,
                                              description="how the attractor turns")
    bodies: list[AnyBody] = Field(description="the bodies ([[bodies]]), at least one")

    @field_validator("bodies", mode="before")
    @classmethod
    def _tables(cls, v):
        if isinstance(v, list):
            if not v:
                fail("give at least one [[bodies]] table")
            for i, entry in enumerate(v):
                if not isinstance(entry, dict):
                    fail("each [[bodies]] entry must be a table", (i,))
        return v

    @model_validator(mode="after")
    def _names_and_distances(self):
        seen = set()
        fibre = self.pendulum.fibre_point_m
        for i, b in enumerate(self.bodies):
            if b.name in seen:
                fail(f"duplicate body name {b.name!r}", ("bodies", i, "name"))
            seen.add(b.name)
            distance = math.dist(b.position_m, fibre)
            limit = BODY_SCALES[b.scale].max_distance_m
            if distance > limit:
                fail(f"body {b.name!r} at {b.position_m} is {distance:g} m from the fibre "
                     f"point, further than a {b.scale} body may be (at most {limit:g} m): did "
                     f"you give millimetres? Positions are in metres: {distance:g} mm is "
                     f"{distance / 1000:g}. {declare_hint(distance, 'max_distance_m')}",
                     ("bodies", i, "position_m"))
        return self


def validate_apparatus(doc, path):
    """The :class:`ApparatusFile` of a parsed apparatus file ``doc`` at ``path`` (mesh files
    relative to it); ConfigError naming the file and the dotted field otherwise."""
    return validate(ApparatusFile, doc, path)
