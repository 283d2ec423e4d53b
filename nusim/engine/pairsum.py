"""Memory-bounded parallel pair sums between two weighted point sets → energy, force, torque.

A pair kernel φ(r) summed over every (source j, target i) pair gives

    U = Σ_ij w_i w_j φ(r_ij),   F = −Σ_ij w_i w_j ∇_i φ(r_ij),   τ = Σ_i ((x_i − p) × F_i)·n̂,

the potential energy [J], the force on the targets [N] and the torque on the targets about the
axis through p with direction n̂ [N m]. The (n_tgt × n_src) pairs are cut into blocks of at most
``chunk_pairs`` pairs (a target block × a source block). A block is a pure function of the
inputs and its index (``chunk_slices``), its sums are added in block order, and the kernels
never allocate anything of size n_tgt × n_src: memory is O(n_tgt + n_src) whatever N.

Kernels (frozen dataclasses; ``kernel_from_name`` builds them by name):

* ``Gravity()``: φ = −G/r, weights = mass [kg].
* ``Yukawa(alpha, lambda_m)``: φ = −Gα e^{−r/λ}/r, weights = mass [kg]; the Yukawa term of the
  standard inverse-square-law parametrisation V = −G m₁m₂/r (1 + α e^{−r/λ}), so a result is
  directly the α-part to compare with ISL bounds (add ``Gravity()`` for the full potential).
* ``VacuumNeutrino(flavour)``: φ = C/r⁵ with C = G_F²/(4π³) (ħc)⁵ converted to [J m⁵],
  eq. (2.2) of [1] with g₁g₂ → q_i q_j, weights = the per-sample effective vector charges
  ``charge_e`` (ν_e exchange) or ``charge_mu`` (ν_μ/ν_τ) [1].

Each kernel has a numba pair-sum function (``nusim.engine.kernels``) and a numpy twin
(``numpy_terms``) used by ``pair_sums_numpy``, the broadcast baseline of the tests and the
benchmark.

References
----------
[1] M. Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eq. (2.2).
"""

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from nusim import constants, units
from nusim.engine import kernels as _k
from nusim.errors import ArgumentError, ArgumentTypeError, NumericsError

#: default pairs per block: 2²² pairs ≈ 64 k targets × 64 sources … bounded O(√) memory
DEFAULT_CHUNK_PAIRS = 1 << 22
#: sources per block (fits the per-core cache with the target tile)
SOURCE_BLOCK = 8192

G_SI = constants.NEWTON_G.value
#: C = G_F²/(4π³) in SI: G_F [eV⁻²] × (ħc [eV m])⁵ / eV⁻¹ … → [J m⁵]
VACUUM_NU_C_J_M5 = (units.G_F**2 / (4.0 * math.pi**3) * units.HBARC_EV_M**5
                    * units.JOULE_PER_EV)


@dataclass(frozen=True)
class Gravity:
    """Newtonian gravity, φ(r) = −G/r, weights = mass [kg]."""

    name: ClassVar[str] = "gravity"
    weight_field: ClassVar[str] = "mass_kg"
    symmetric: ClassVar[bool] = True

    def params(self):
        """Kernel parameters for ``kernels.gravity_pair_sum``: (G [m³ kg⁻¹ s⁻²],)."""
        return np.array([G_SI])

    @property
    def numba_pair_sum(self):
        return _k.gravity_pair_sum

    def numpy_terms(self, r):
        """φ(r) [J kg⁻²] and −φ'(r)/r [J kg⁻² m⁻²] for separations r [m] (numpy twin)."""
        return -G_SI / r, -G_SI / r**3

    def describe(self):
        return {"kernel": self.name, "G_m3_kg_s2": G_SI, "G_source": constants.NEWTON_G.source}


@dataclass(frozen=True)
class Yukawa:
    """Yukawa fifth force φ(r) = −Gα e^{−r/λ}/r (the α term of the ISL form), weights = mass."""

    alpha: float
    lambda_m: float
    name: ClassVar[str] = "yukawa"
    weight_field: ClassVar[str] = "mass_kg"
    symmetric: ClassVar[bool] = True

    def __post_init__(self):
        if not math.isfinite(self.alpha):
            raise ArgumentError(f"Yukawa: alpha={self.alpha!r} must be finite.")
        if not (self.lambda_m > 0):
            raise ArgumentError(f"Yukawa: lambda_m={self.lambda_m!r} must be > 0 [m] "
                                "(use math.inf for the infinite-range limit).")

    def params(self):
        """(Gα [m³ kg⁻¹ s⁻²], 1/λ [m⁻¹]) for ``kernels.yukawa_pair_sum``."""
        return np.array([G_SI * self.alpha, 1.0 / self.lambda_m])

    @property
    def numba_pair_sum(self):
        return _k.yukawa_pair_sum

    def numpy_terms(self, r):
        ga = G_SI * self.alpha
        ex = np.exp(-r / self.lambda_m)
        return -ga * ex / r, -ga * ex * (1.0 + r / self.lambda_m) / r**3

    def describe(self):
        return {"kernel": self.name, "alpha": self.alpha, "lambda_m": self.lambda_m,
                "G_m3_kg_s2": G_SI}


@dataclass(frozen=True)
class VacuumNeutrino:
    """Vacuum two-neutrino exchange φ(r) = C q_i q_j / r⁵, C = G_F²/(4π³) [J m⁵] (eq. 2.2 of [1]).

    ``flavour`` "e" uses the ν_e charges (``charge_e``), "mu" the ν_μ/ν_τ ones (``charge_mu``).
    """

    flavour: str = "e"
    name: ClassVar[str] = "vacuum_neutrino"
    symmetric: ClassVar[bool] = True
    _FIELDS: ClassVar[dict] = {"e": "charge_e", "mu": "charge_mu"}

    def __post_init__(self):
        if self.flavour not in self._FIELDS:
            raise ArgumentError(f"VacuumNeutrino: flavour={self.flavour!r} is not known; "
                                f"choose one of {sorted(self._FIELDS)}.")

    @property
    def weight_field(self):
        return self._FIELDS[self.flavour]

    def params(self):
        return np.array([VACUUM_NU_C_J_M5])

    @property
    def numba_pair_sum(self):
        return _k.inverse_r5_pair_sum

    def numpy_terms(self, r):
        c = VACUUM_NU_C_J_M5
        return c / r**5, 5.0 * c / r**7

    def describe(self):
        return {"kernel": self.name, "flavour": self.flavour, "C_J_m5": VACUUM_NU_C_J_M5,
                "reference": "Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eq. (2.2)"}


@dataclass(frozen=True)
class Beam:
    """Directional-background kernel of a beam (eq. 4.12 × spectrum, point angular profile),
    ``kind`` "symmetric" (the paper's even V) or "retarded" (the wake, design note §7: not
    symmetric under exchange; the pair vector runs from the source body — the one that
    scatters, e.g. the attractor — to the target body that feels the force).

    ``spectrum`` is a ``nusim.physics.beam.BeamSpectrum`` of the flavour that couples with
    ``charge`` ("e": the ν_e / ν̄_e charges ``charge_e``; "mu": ν_μ,τ ``charge_mu``), ``direction``
    the unit vector of travel in the lab frame. Naive pair sums of this kernel do not converge
    for macroscopic bodies (E r ~ 1e12: see the design note §2); it is here for small systems,
    checks, and as the kernel the convergent estimator of the directional issue improves on.
    """

    spectrum: object
    direction: tuple
    kind: str = "symmetric"
    charge: str = "e"
    name: ClassVar[str] = "beam"

    def __post_init__(self):
        if self.kind not in ("symmetric", "retarded"):
            raise ArgumentError(f"Beam: kind={self.kind!r} is not 'symmetric' or 'retarded'")
        if self.charge not in ("e", "mu"):
            raise ArgumentError(f"Beam: charge={self.charge!r} is not 'e' or 'mu'")

    @property
    def symmetric(self):
        return self.kind == "symmetric"

    @property
    def weight_field(self):
        return "charge_e" if self.charge == "e" else "charge_mu"

    def params(self):
        f, m, s = self.spectrum.arrays()
        k = np.asarray(self.direction, float)
        k = k / np.linalg.norm(k)
        head = [units.HBARC_EV_M, units.G_F**2 * units.JOULE_PER_EV, *k,
                1.0 if self.kind == "retarded" else 0.0, float(f.size)]
        return np.concatenate([head, f, m, s])

    @property
    def numba_pair_sum(self):
        return _k.beam_pair_sum

    def numpy_terms(self, r):
        raise NotImplementedError("the beam kernel is not central; pair_sums_numpy does not "
                                  "apply (its numpy twin is nusim.physics.beam)")

    def describe(self):
        return {"kernel": self.name, "kind": self.kind, "charge": self.charge,
                "direction": list(np.asarray(self.direction, float)),
                "spectrum": self.spectrum.label, "components": len(self.spectrum.flux),
                "reference": "eq. (4.12) x (C.9) of arXiv:2209.07082; design note section 7"}


#: kernels that can be built from their name alone
KERNELS_BY_NAME = {"gravity": Gravity, "vacuum_neutrino_e": lambda: VacuumNeutrino("e"),
                   "vacuum_neutrino_mu": lambda: VacuumNeutrino("mu")}


def kernel_from_name(kernel):
    """A kernel object from a name ("gravity", "vacuum_neutrino_e", "vacuum_neutrino_mu") or the
    object itself; an unknown name is a ValueError listing the choices."""
    if isinstance(kernel, str):
        try:
            return KERNELS_BY_NAME[kernel]()
        except KeyError:
            raise ArgumentError(f"kernel={kernel!r} is not known; choose one of "
                                f"{sorted(KERNELS_BY_NAME)} or pass an object such as "
                                "Yukawa(alpha, lambda_m) or VacuumNeutrino('e').") from None
    if not (hasattr(kernel, "numba_pair_sum") and hasattr(kernel, "params")):
        raise ArgumentTypeError(f"kernel={kernel!r} is neither a kernel name nor a kernel object "
                                "(Gravity(), Yukawa(alpha, lambda_m), VacuumNeutrino(flavour)).")
    return kernel


def _as_points(name, pos, w):
    pos = np.asarray(pos, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    if pos.ndim != 2 or pos.shape[1] != 3:
        raise ArgumentError(f"pair_sums: {name}_pos must have shape (n, 3) [m], got {pos.shape}.")
    if w.shape != (pos.shape[0],):
        raise ArgumentError(f"pair_sums: {name}_w must have shape ({pos.shape[0]},), "
                            f"got {w.shape}.")
    if not (np.all(np.isfinite(pos)) and np.all(np.isfinite(w))):
        raise ArgumentError(f"pair_sums: {name} positions or weights contain non-finite values.")
    return pos, w


def _as_axis(axis):
    if axis is None:
        return None
    try:
        point, direction = axis
        point = np.asarray(point, dtype=np.float64).reshape(3)
        direction = np.asarray(direction, dtype=np.float64).reshape(3)
    except (TypeError, ValueError):
        raise ArgumentError(f"axis={axis!r} must be (point_m (3,), direction (3,)).") from None
    norm = np.linalg.norm(direction)
    if not (norm > 0 and np.all(np.isfinite(point))):
        raise ArgumentError(f"axis={axis!r}: the direction must be a non-zero finite 3-vector "
                            "and the point finite.")
    return point, direction / norm


def chunk_slices(n_src, n_tgt, chunk_pairs=DEFAULT_CHUNK_PAIRS):
    """The blocks of a pair sum: a list of ((t0, t1), (s0, s1)) target and source slices.

    A pure function of the sizes and ``chunk_pairs``; block k is the k-th entry, targets outer.
    Each block has at most max(chunk_pairs, PAIR_TILE) pairs.
    """
    if chunk_pairs < 1:
        raise ArgumentError(f"chunk_pairs={chunk_pairs!r} must be >= 1.")
    bs = max(1, min(n_src, SOURCE_BLOCK, chunk_pairs))
    bt = max(1, min(n_tgt, chunk_pairs // bs))
    return [((t0, min(t0 + bt, n_tgt)), (s0, min(s0 + bs, n_src)))
            for t0 in range(0, n_tgt, bt) for s0 in range(0, n_src, bs)]


def _coincident_message(names, src, tgt, t0, t1, s0, s1, acc):
    i = t0 + int(np.flatnonzero(~np.isfinite(acc[0, : t1 - t0]))[0])
    d = np.linalg.norm(src[s0:s1] - tgt[i], axis=1)
    j = s0 + int(np.argmin(d))
    return (f"pair sum: source sample {j} of {names[0]!r} and target sample {i} of {names[1]!r} "
            f"coincide at {tgt[i].tolist()} m (separation {d[j - s0]:.3g} m): the kernel is "
            "singular at r = 0. Coincident points mean overlapping bodies (or a body summed "
            "with itself); check the poses, or split the overlapping bodies.")


def chunk_sums(src, src_w, tgt, tgt_w, kernel, axis, chunk, names=("source", "target")):
    """(energy [J], force (3,) [N], torque [N m] or 0) of one block ``chunk`` of ``chunk_slices``.

    ``src``, ``tgt`` (n, 3) [m], weights (n,); ``axis`` already normalised or None.
    """
    (t0, t1), (s0, s1) = chunk
    s = src[s0:s1]
    t = tgt[t0:t1]
    acc = np.empty((4, t1 - t0))
    bad = kernel.numba_pair_sum(np.ascontiguousarray(s[:, 0]), np.ascontiguousarray(s[:, 1]),
                                np.ascontiguousarray(s[:, 2]), np.ascontiguousarray(src_w[s0:s1]),
                                np.ascontiguousarray(t[:, 0]), np.ascontiguousarray(t[:, 1]),
                                np.ascontiguousarray(t[:, 2]), kernel.params(), acc)
    if bad:
        raise NumericsError(_coincident_message(names, src, tgt, t0, t1, s0, s1, acc))
    return _reduce(acc, t, tgt_w[t0:t1], axis)


def _reduce(acc, t, w, axis):
    energy = float(w @ acc[0])
    f_i = acc[1:4] * w                     # (3, nt) force on each target sample
    force = f_i.sum(axis=1)
    torque = 0.0
    if axis is not None:
        p, nhat = axis
        arm = t - p                        # (nt, 3)
        torque = float(np.sum(nhat @ np.cross(arm, f_i.T).T))
    return energy, force, torque


def pair_sums(src_pos, src_w, tgt_pos, tgt_w, kernel, axis=None, *,
              chunk_pairs=DEFAULT_CHUNK_PAIRS, names=("source", "target"), on_chunk=None):
    """Sum a pair kernel over all source × target pairs → (energy, force on targets, torque).

    Parameters
    ----------
    src_pos : (m, 3) float, source points [m]
    src_w : (m,) float, source weights (mass [kg] or charge [1], as the kernel says)
    tgt_pos : (n, 3) float, target points [m]
    tgt_w : (n,) float, target weights
    kernel : str or kernel object (``Gravity()``, ``Yukawa(alpha, lambda_m)``, ...)
    axis : (point_m (3,), direction (3,)) or None, the torque axis [m], [1]
    chunk_pairs : int, at most this many pairs per block (memory is O(n + m) regardless)
    names : (str, str), names of the source and target bodies for error messages
    on_chunk : callable or None, called once per finished block (progress bars)

    Returns
    -------
    energy [J], force (3,) [N] on the targets, torque [N m] about ``axis`` (None without axis)

    Raises
    ------
    NumericsError
        if a source and a target point coincide (the kernels are singular at r = 0).

    Notes
    -----
    Deterministic: each target's sum runs over sources in order and blocks are added in order,
    so results are independent of the thread count; different ``chunk_pairs`` agree to round-off
    (tests/engine/test_pairsum.py).
    """
    kernel = kernel_from_name(kernel)
    src, sw = _as_points("src", src_pos, src_w)
    tgt, tw = _as_points("tgt", tgt_pos, tgt_w)
    ax = _as_axis(axis)
    energy, force, torque = 0.0, np.zeros(3), 0.0
    for chunk in chunk_slices(len(src), len(tgt), chunk_pairs):
        e, f, tq = chunk_sums(src, sw, tgt, tw, kernel, ax, chunk, names)
        energy += e
        force += f
        torque += tq
        if on_chunk is not None:
            on_chunk()
    return energy, force, (torque if ax is not None else None)


def pair_sums_numpy(src_pos, src_w, tgt_pos, tgt_w, kernel, axis=None, *, chunk_pairs=1 << 20):
    """Plain numpy broadcast twin of ``pair_sums`` (the baseline of tests and benchmark).

    Builds (block × m) separation arrays, blocks of targets sized so a block holds at most
    ``chunk_pairs`` pairs. Same arguments and returns as ``pair_sums``; no r = 0 check.
    """
    kernel = kernel_from_name(kernel)
    src, sw = _as_points("src", src_pos, src_w)
    tgt, tw = _as_points("tgt", tgt_pos, tgt_w)
    ax = _as_axis(axis)
    bt = max(1, chunk_pairs // max(1, len(src)))
    energy, force, torque = 0.0, np.zeros(3), 0.0
    for t0 in range(0, len(tgt), bt):
        t = tgt[t0:t0 + bt]
        d = t[:, None, :] - src[None, :, :]            # (bt, m, 3)
        r = np.sqrt(np.einsum("ijk,ijk->ij", d, d))
        phi, g = kernel.numpy_terms(r)
        acc = np.empty((4, len(t)))
        acc[0] = phi @ sw
        acc[1:4] = np.einsum("ij,ijk->ki", g * sw, d)
        e, f, tq = _reduce(acc, t, tw[t0:t0 + bt], ax)
        energy += e
        force += f
        torque += tq
    return energy, force, (torque if ax is not None else None)
