"""``interact``: a pair kernel summed between sampled bodies, with errors from independent replicas.

Random streams (reproducible from one integer seed): the samples of body k in replica r come from

    numpy.random.default_rng(numpy.random.SeedSequence(seed, spawn_key=(r, k)))

which is the stream ``SeedSequence(seed).spawn(R)[r].spawn(K)[k]`` would give; k indexes the
concatenated list ``source_bodies + target_bodies``. Each replica is thus a pure function of
(configuration, replica index, seed), and so is each block of its pair sum
(``pairsum.chunk_slices``): a distributed engine can run them anywhere. A body keeps its stream
when other arguments change (say the attractor angle), so studies that scan a parameter with one
seed get common random numbers for free.
"""

import numpy as np

from nusim.engine.pairsum import _as_axis, chunk_slices, kernel_from_name, pair_sums
from nusim.engine.result import InteractionResult
from nusim.errors import ArgumentError

METHODS = ("random", "sobol")


def replica_rng(seed, replica, body_index):
    """The ``numpy.random.Generator`` of body ``body_index`` in replica ``replica``."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(replica, body_index)))


def _as_list(bodies, which):
    if hasattr(bodies, "shape") and hasattr(bodies, "pose"):
        return [bodies]
    if isinstance(bodies, dict):
        bodies = list(bodies.values())
    bodies = list(bodies)
    if not bodies:
        raise ArgumentError(f"interact: {which} is empty; give at least one body.")
    return bodies


def _check(seed, samples, replicas, method):
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ArgumentError(f"interact: seed={seed!r} must be a non-negative integer "
                            "(results are reproducible from it).")
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
        raise ArgumentError(f"interact: samples={samples!r} must be a positive integer "
                            "(points per body).")
    if isinstance(replicas, bool) or not isinstance(replicas, (int, np.integer)) or replicas < 2:
        raise ArgumentError(f"interact: replicas={replicas!r} must be an integer >= 2 "
                            "(the error comes from the scatter of independent replicas).")
    if method not in METHODS:
        raise ArgumentError(f"interact: method={method!r} is not known; choose one of "
                            f"{list(METHODS)}.")


def sample_replica(bodies, samples, seed, replica, method="random", sampler=None):
    """Sample every body of one replica: a list of SampleSets, body k from ``replica_rng``."""
    if sampler is None:
        from nusim.geometry.bodies import sample_body as sampler
    return [sampler(b, samples, replica_rng(seed, replica, k), method)
            for k, b in enumerate(bodies)]


def interact(source_bodies, target_bodies, kernel, samples, seed, axis=None, replicas=8,
             method="random", progress=True, *, chunk_pairs=None, sampler=None):
    """Energy, force on the targets and torque about ``axis`` of a pair kernel between bodies.

    Parameters
    ----------
    source_bodies, target_bodies : Body or sequence / dict of ``nusim.geometry.bodies.Body``
    kernel : "gravity", "vacuum_neutrino_e", "vacuum_neutrino_mu" or a kernel object
        (``Gravity()``, ``Yukawa(alpha, lambda_m)``, ``VacuumNeutrino("e"|"mu")``)
    samples : int, sample points per body per replica
    seed : int, the study seed (see the module docstring for the streams)
    axis : (point_m (3,), direction (3,)) or None, torque axis [m], [1]
    replicas : int >= 2, independent replicas; errors are their standard error of the mean
    method : "random" or "sobol" (scrambled Sobol, seeded from the replica stream)
    progress : bool, show a tqdm bar over replicas × blocks
    chunk_pairs : int or None, pairs per block (default ``pairsum.DEFAULT_CHUNK_PAIRS``)
    sampler : callable(body, n, rng, method) -> SampleSet, default
        ``nusim.geometry.bodies.sample_body`` (tests and studies may substitute one)

    Returns
    -------
    InteractionResult, with ``energy_J``, ``force_N`` (3,), ``torque_Nm`` and their ``_err``.

    Raises
    ------
    ValueError for bad arguments or a body in both lists; NumericsError when sample points of a
    source and a target coincide (overlapping bodies).
    """
    from nusim.engine.pairsum import DEFAULT_CHUNK_PAIRS
    _check(seed, samples, replicas, method)
    kernel = kernel_from_name(kernel)
    sources = _as_list(source_bodies, "source_bodies")
    targets = _as_list(target_bodies, "target_bodies")
    both = {id(b) for b in sources} & {id(b) for b in targets}
    if both:
        names = [getattr(b, "name", "?") for b in sources if id(b) in both]
        raise ArgumentError(f"interact: body {names} is both a source and a target; the kernel is "
                            "singular at r = 0, so a body cannot act on itself.")
    ax = _as_axis(axis)
    chunk_pairs = DEFAULT_CHUNK_PAIRS if chunk_pairs is None else chunk_pairs
    field = kernel.weight_field
    n_blocks = len(sources) * len(targets) * len(chunk_slices(samples, samples, chunk_pairs))

    from tqdm import tqdm
    bar = tqdm(total=replicas * n_blocks, desc=f"{kernel.name} pair sums", unit="block",
               disable=not progress, leave=False)
    energies, forces, torques = [], [], []
    try:
        for r in range(replicas):
            sets = sample_replica(sources + targets, samples, seed, r, method, sampler)
            src_sets, tgt_sets = sets[:len(sources)], sets[len(sources):]
            e_r, f_r, t_r = 0.0, np.zeros(3), 0.0
            for sb, ss in zip(sources, src_sets, strict=True):
                for tb, ts in zip(targets, tgt_sets, strict=True):
                    e, f, t = pair_sums(ss.positions_m, getattr(ss, field), ts.positions_m,
                                        getattr(ts, field), kernel, ax,
                                        chunk_pairs=chunk_pairs,
                                        names=(getattr(sb, "name", "source"),
                                               getattr(tb, "name", "target")),
                                        on_chunk=bar.update)
                    e_r += e
                    f_r += f
                    if t is not None:
                        t_r += t
            energies.append(e_r)
            forces.append(f_r)
            torques.append(t_r)
    finally:
        bar.close()
    return InteractionResult.from_replicas(
        energies, forces, torques if ax is not None else None, n_samples=samples, seed=seed,
        kernel=kernel.describe(), method=method,
        axis=None if ax is None else (tuple(ax[0]), tuple(ax[1])))
