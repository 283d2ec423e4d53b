"""Forces and torques as step-controlled central differences of an energy estimator.

Shared by the surface (wake) and near-field estimators of :mod:`nusim.engine.directional`: the
target mesh is moved rigidly (shifts across and along the beam, rotations about the fibre) and
the energy re-estimated on the same random numbers (common random numbers). Every difference is
taken at the step h and at h/2; the half step is reported and the measured step bias
|D(h) − D(h/2)| enters its error as ``Estimate.systematic`` (conservative: for a smooth energy
the half step's bias is a third of it; at a kink of the energy, e.g. nearly tangent
silhouettes, about all of it).

Steps: across the beam ``fd_step`` × the target's size; along the beam 2.5 ``fd_step`` × the
bodies' distance (the energy varies on that scale there); rotations ``fd_step`` × size over the
lever arm. Units: metres, radians; rows are channel sums, ``scale`` converts them to joules.
"""

from dataclasses import dataclass

import numpy as np

from nusim.engine import wake
from nusim.engine.result import Estimate


@dataclass(frozen=True)
class Steps:
    """h [m] across the beam, h_par [m] along it, phi [rad] of the rotations (0: no axis)."""

    h: float
    h_par: float
    phi: float


def motions(m1, m2, base, axis, fd_step, distance_m, *, forces=True, along_beam=True):
    """(target motions, source motions, Steps): the moved meshes keyed "shift{i}{tag}{±}"
    (i = 0, 1 across, 2 along the beam; tag "" for h, "h" for h/2), "rot{tag}{±}", and
    "src±" (the source moved along the beam, for the force on it). ``along_beam``: also the
    shifts along the beam (else the estimator has an exact derivative there)."""
    v2 = m2.vertices
    h_par = 2.5 * fd_step * distance_m
    h = fd_step * float(np.linalg.norm(np.ptp(v2, axis=0)))
    moves, src_moves, phi = {}, {}, 0.0
    for tag, fac in (("", 1.0), ("h", 0.5)) if forces else ():
        for i, bv in enumerate(base if along_beam else base[:2]):
            step = (h_par if i == 2 else h) * fac
            moves[f"shift{i}{tag}+"] = wake.moved(m2, base, shift=step * bv)
            moves[f"shift{i}{tag}-"] = wake.moved(m2, base, shift=-step * bv)
    if along_beam and forces:
        src_moves["src+"] = wake.moved(m1, base, shift=h_par * base[2])
        src_moves["src-"] = wake.moved(m1, base, shift=-h_par * base[2])
    if axis is not None:
        from scipy.spatial.transform import Rotation

        point = np.asarray(axis[0], float)
        direc = np.asarray(axis[1], float) / np.linalg.norm(axis[1])
        rel = v2 - point
        lever = float(np.max(np.linalg.norm(rel - np.outer(rel @ direc, direc), axis=1)))
        phi = h / max(lever, h)
        for tag, fac in (("", 1.0), ("h", 0.5)):
            for sgn in (1, -1):
                rot = Rotation.from_rotvec(sgn * fac * phi * direc).as_matrix()
                moves[f"rot{tag}{'+' if sgn > 0 else '-'}"] = wake.moved(
                    m2, base, rotation=rot, pivot=point)
    return moves, src_moves, Steps(h, h_par, phi)


def controlled(rows, key, ch, step, scale):
    """−dU/dq at the half step per replica [J per unit of q] and the measured step bias
    |D(h) − D(h/2)| (module docstring)."""
    d_full = -scale * (rows[f"{key}+"][:, ch] - rows[f"{key}-"][:, ch]) / (2 * step)
    d_half = -scale * (rows[f"{key}h+"][:, ch] - rows[f"{key}h-"][:, ch]) / step
    return d_half, abs(float(np.mean(d_full - d_half)))


def estimates(rows, scale, base, steps, axis, samples, seed, *, forces=True,
              channels=(("symmetric", 0), ("retarded", 1)), along_exact=None):
    """Forces [N] and torques [N m] on the target from the moved rows (replicas × channels).

    ``along_exact``: {kind: per-replica force along the beam [N]} when the estimator has the
    exact derivative there (a point source), else it is a difference too.
    """
    out = {}

    def add(name, label, vals, unit, systematic=0.0):
        out[name] = Estimate.from_replicas(label, vals, unit, samples, seed,
                                           systematic=systematic)

    for kind, ch in channels:
        if forces:
            if along_exact is None:
                f_par, s_par = controlled(rows, "shift2", ch, steps.h_par, scale)
            else:
                f_par, s_par = along_exact[kind], 0.0
            (f0, s0), (f1, s1) = (controlled(rows, f"shift{i}", ch, steps.h, scale)
                                  for i in (0, 1))
            vec = np.outer(f_par, base[2]) + np.outer(f0, base[0]) + np.outer(f1, base[1])
            sys_vec = np.abs(base[2]) * s_par + np.abs(base[0]) * s0 + np.abs(base[1]) * s1
            for i, c in enumerate("xyz"):
                add(f"force_{kind}_{c}_N", f"F_{c} on target ({kind})", vec[:, i], "N",
                    sys_vec[i])
            add(f"force_{kind}_along_beam_N", f"F·k̂ on target ({kind})", f_par, "N", s_par)
        if axis is not None:
            tq, s_tq = controlled(rows, "rot", ch, steps.phi, scale)
            add(f"torque_{kind}_Nm", f"torque on target ({kind})", tq, "N m", s_tq)
    return out


def source_force_along_beam(rows, ch, scale, steps):
    """Per-replica force [N] along the beam on the source in the target's wake (channel ``ch``
    of the reverse wake), from the source's motions "src±"."""
    return -scale * (rows["src+"][:, ch] - rows["src-"][:, ch]) / (2 * steps.h_par)


def note(fd_step, forces, extended):
    """The result note that says how forces and torques were obtained."""
    if not forces:
        return ("torques only (derivatives='torque'): central differences of the energy under "
                f"rotations with common random numbers, steps {fd_step:g} and {fd_step / 2:g} "
                "× body size over the lever arm; the half step is reported and the measured "
                "step bias is in its error")
    return ("transverse forces and torques: central differences of the energy with common "
            f"random numbers at steps {fd_step:g} and {fd_step / 2:g} × body size; the half "
            "step is reported and the measured step bias |D(h) − D(h/2)| is in its error as a "
            "systematic; forces along the beam: "
            + (f"differences too (extended source; steps {2.5 * fd_step:g} and "
               f"{1.25 * fd_step:g} × distance)" if extended
               else "exact derivative of the kernel"))
