"""A design (dict of :data:`nusim.design.space.PARAMETERS`) → pendulum and attractor bodies.

The family (lab frame as in geometries/reactor-proposal.toml: x the beam's horizontal direction
of travel, away from the core; z up; the fibre along z through the origin):

* **pendulum**: a balanced dumbbell of two identical box test masses ("mass-north" at
  y = +lever_arm_m, "mass-south" at y = −lever_arm_m), thickness ``pendulum_thickness_m`` along
  x, width ``pendulum_width_m`` along y, height ``pendulum_height_m``;
* **attractor**: ``n_plates`` box plates stacked along the beam *upstream* of mass-north (the
  mass sits in their wakes), the nearest plate's downstream face ``gap_m`` from the mass's
  upstream face, ``plate_spacing_m`` between plates, centred at y = lever_arm_m + offset_y_m,
  z = offset_z_m, each turned by ``tilt_deg`` about the vertical through its centre.

The modulation (docs/design-search.md): the attractor sits on a turntable about the fibre and
is switched between this position ("in") and the one turned by 180° ("out", downstream of
mass-south, where the retarded wake cannot reach the pendulum: an exact causal zero for a beam
narrower than the geometry's angles). The turntable needs the attractor to clear the
pendulum's circle at every angle (``min_turntable_clearance_m``).

:func:`violations` lists every broken constraint; a design with any is *infeasible* and is never
evaluated (the search records it with objective 0 and the reasons).
"""

import math

import numpy as np

from nusim.geometry.bodies import Body, Pose
from nusim.geometry.materials import material
from nusim.geometry.shapes import Box
from nusim.errors import ArgumentError

#: the fibre: through the origin, along z (lab frame) [m], [1]
AXIS = (np.zeros(3), np.array([0.0, 0.0, 1.0]))


def _rz(angle_deg):
    return Pose.from_euler_deg("z", angle_deg).rotation


def pendulum_bodies(d):
    """The two test masses (list of ``Body``, role pendulum) of design ``d``."""
    size = (d["pendulum_thickness_m"], d["pendulum_width_m"], d["pendulum_height_m"])
    mat = material(d["pendulum_material"])
    return [Body(name, "pendulum", mat, Box(size),
                 Pose(np.array([0.0, sign * d["lever_arm_m"], 0.0])))
            for name, sign in (("mass-north", 1.0), ("mass-south", -1.0))]


def plate_centres_m(d):
    """(n_plates, 3) centres [m] of the attractor plates in the "in" position, nearest first."""
    x0 = -(0.5 * d["pendulum_thickness_m"] + d["gap_m"] + 0.5 * d["attractor_thickness_m"])
    pitch = d["attractor_thickness_m"] + d["plate_spacing_m"]
    return np.array([[x0 - i * pitch, d["lever_arm_m"] + d["offset_y_m"], d["offset_z_m"]]
                     for i in range(int(d["n_plates"]))])


def attractor_bodies(d, position="in", perturbations=None):
    """The attractor plates (list of ``Body``, role attractor) of design ``d``.

    position : "in" (upstream of mass-north) or "out" (turned 180° about the fibre)
    perturbations : optional list, one per plate, of (rotation (3, 3), displacement (3,) [m])
        applied about each plate's centre before the turntable turn (face tilts and
        displacements of :mod:`nusim.design.guardrails`)
    """
    if position not in ("in", "out"):
        raise ArgumentError(f"attractor_bodies: position={position!r}: use 'in' or 'out'")
    size = (d["attractor_thickness_m"], d["attractor_width_m"], d["attractor_height_m"])
    mat = material(d["attractor_material"])
    turn = _rz(180.0 if position == "out" else 0.0)
    tilt = _rz(d["tilt_deg"])
    out = []
    for i, c in enumerate(plate_centres_m(d)):
        rot, shift = tilt, np.zeros(3)
        if perturbations is not None:
            r, s = perturbations[i]
            rot, shift = np.asarray(r, float) @ tilt, np.asarray(s, float)
        out.append(Body(f"plate-{i + 1}", "attractor", mat, Box(size),
                        Pose(turn @ (c + shift), turn @ rot)))
    return out


def pendulum_mass_kg(d):
    """Total mass of the two test masses [kg] (the fibre's load; no frame or mirror)."""
    return 2.0 * material(d["pendulum_material"]).density_kg_m3 * (
        d["pendulum_thickness_m"] * d["pendulum_width_m"] * d["pendulum_height_m"])


def attractor_mass_kg(d):
    """Total mass of the attractor plates [kg]."""
    return int(d["n_plates"]) * material(d["attractor_material"]).density_kg_m3 * (
        d["attractor_thickness_m"] * d["attractor_width_m"] * d["attractor_height_m"])


def moment_of_inertia_kg_m2(d):
    """The pendulum's moment of inertia about the fibre [kg m²]: two boxes, I = m(a² + b²)/12
    about each centre plus m L² (parallel axes); the frame and mirror are not modelled."""
    m = 0.5 * pendulum_mass_kg(d)
    a, b = d["pendulum_thickness_m"], d["pendulum_width_m"]
    return 2.0 * (m * (a * a + b * b) / 12.0 + m * d["lever_arm_m"] ** 2)


def _rectangle_xy(centre, thickness, width, tilt_deg):
    """Corners (4, 2) [m] of a plate's horizontal section."""
    c, s = math.cos(math.radians(tilt_deg)), math.sin(math.radians(tilt_deg))
    local = np.array([[sx * thickness / 2, sy * width / 2] for sx, sy in
                      ((1, 1), (1, -1), (-1, -1), (-1, 1))])
    return local @ np.array([[c, s], [-s, c]]) + np.asarray(centre[:2], float)


def _distance_to_polygon(corners):
    """Distance [m] from the origin to a convex polygon (0 if inside), corners (n, 2) in order."""
    n = len(corners)
    signs = []
    best = math.inf
    for i in range(n):
        a, b = corners[i], corners[(i + 1) % n]
        ab = b - a
        t = min(max(-(a @ ab) / (ab @ ab), 0.0), 1.0)
        best = min(best, float(np.linalg.norm(a + t * ab)))
        signs.append(np.sign(ab[0] * (-a[1]) - ab[1] * (-a[0])))
    return 0.0 if all(s >= 0 for s in signs) or all(s <= 0 for s in signs) else best


def clearances_m(d):
    """The geometric clearances [m] the constraints bound: ``gap`` (nearest plate's most
    downstream point to the mass's upstream face, along x, tilt included), ``plates`` (smallest
    free space between tilted neighbouring plates), ``turntable`` (the attractor's innermost
    point from the fibre minus the pendulum's outermost radius)."""
    ta, wa = d["attractor_thickness_m"], d["attractor_width_m"]
    c, s = math.cos(math.radians(d["tilt_deg"])), abs(math.sin(math.radians(d["tilt_deg"])))
    half_x = 0.5 * ta * c + 0.5 * wa * s          # half extent along x of a tilted plate
    centres = plate_centres_m(d)
    gap = -0.5 * d["pendulum_thickness_m"] - (centres[0, 0] + half_x)
    pitch = ta + d["plate_spacing_m"]
    plates = pitch - 2 * half_x if int(d["n_plates"]) > 1 else math.inf
    r_pend = math.hypot(0.5 * d["pendulum_thickness_m"],
                        d["lever_arm_m"] + 0.5 * d["pendulum_width_m"])
    r_att = min(_distance_to_polygon(_rectangle_xy(cen, ta, wa, d["tilt_deg"]))
                for cen in centres)
    return {"gap": gap, "plates": plates, "turntable": r_att - r_pend}


def violations(d, constraints):
    """The constraints design ``d`` breaks (list of messages; empty: feasible)."""
    out = []
    c = constraints
    cl = clearances_m(d)
    m = pendulum_mass_kg(d)
    if m > c["max_pendulum_mass_kg"]:
        out.append(f"pendulum mass {m:.4g} kg > max_pendulum_mass_kg "
                   f"{c['max_pendulum_mass_kg']:g} kg")
    ma = attractor_mass_kg(d)
    if ma > c["max_attractor_mass_kg"]:
        out.append(f"attractor mass {ma:.4g} kg > max_attractor_mass_kg "
                   f"{c['max_attractor_mass_kg']:g} kg")
    if cl["gap"] < c["min_gap_m"]:
        out.append(f"gap {cl['gap'] * 1e3:.4g} mm (tilt included) < min_gap_m "
                   f"{c['min_gap_m'] * 1e3:g} mm (electrostatic shield)")
    if cl["plates"] < 0:
        out.append(f"tilted plates overlap by {-cl['plates'] * 1e3:.3g} mm (raise "
                   "plate_spacing_m or lower tilt_deg)")
    for name in ("attractor_thickness_m", "pendulum_thickness_m"):
        if d[name] < c["min_thickness_m"]:
            out.append(f"{name} {d[name] * 1e3:.4g} mm < min_thickness_m "
                       f"{c['min_thickness_m'] * 1e3:g} mm")
    if d["lever_arm_m"] < c["min_lever_arm_m"]:
        out.append(f"lever_arm_m {d['lever_arm_m'] * 1e3:.4g} mm < min_lever_arm_m "
                   f"{c['min_lever_arm_m'] * 1e3:g} mm")
    if d["lever_arm_m"] <= 0.5 * d["pendulum_width_m"]:
        out.append(f"the test masses overlap at the fibre (lever_arm_m "
                   f"{d['lever_arm_m'] * 1e3:.4g} mm ≤ half the width)")
    if cl["turntable"] < c["min_turntable_clearance_m"]:
        out.append(f"turntable clearance {cl['turntable'] * 1e3:.4g} mm < "
                   f"min_turntable_clearance_m {c['min_turntable_clearance_m'] * 1e3:g} mm "
                   "(the attractor would hit the pendulum's circle as it turns)")
    return out


def describe(d):
    """One line per design parameter, with units, for tables."""
    from nusim.design.space import PARAMETERS

    rows = []
    for name, (kind, _unit, _) in PARAMETERS.items():
        v = d[name]
        if kind in ("length", "offset"):
            rows.append((name, f"{v * 1e3:.4g} mm"))
        elif kind == "angle":
            rows.append((name, f"{v:.4g}°"))
        else:
            rows.append((name, str(v)))
    return rows
