"""The study runner: a validated configuration -> its task list -> results (in any order, on any
engine) -> a fixed-order reduction -> result files.

Every study kind (``nusim.studies.run.TASK_KINDS``) is a module with ``KIND``,
``params(doc, path)``, ``tasks(p)``, ``run_task(p, task)``, ``reduce(p, task_list, results)``
and ``write(p, config, out, data, progress) -> (files, summary)``. ``run_task`` is a pure
function of the configuration ``p`` (which holds the seed) and the task: the runner may call it
in this process, on local Dask workers or on a remote cluster, in any order, and the reduction
sees the results in task order — so every mode gives the same numbers, bit for bit.

The runner owns what no kind repeats:

* **execution** (:class:`Execution`): embedded (the default: tasks in this process, numba's
  threads as usual, Dask is never imported), ``workers=N`` (a ``dask.distributed.LocalCluster``
  of N single-threaded worker processes, each with ``NUMBA_NUM_THREADS=1`` so N workers on N
  cores do not oversubscribe them) or ``scheduler=ADDR`` (an existing Dask cluster);
* **the task cache**: each finished task's result is written atomically (temporary file, then
  ``os.replace``) to ``<out>/.tasks/<config hash>/<index>.pkl``, the hash taken over the kind,
  its validated parameters, the input files' contents and the nusim version (not the output
  folder or the progress switch). ``resume=True`` reuses the finished tasks of the same hash
  and computes the others; a fresh run clears ``<out>/.tasks`` first;
* **faults**: Dask reruns the tasks of a worker that died (``retries`` for tasks that raised);
  an interrupted run (Ctrl-C, a killed process) keeps its finished tasks for ``resume``;
* **output**: the kind writes into a staging folder inside ``out``; only after the reduction
  and the writing are done are the files moved into ``out`` (``os.replace``, results.json
  last), so nothing half-written is ever presented as complete. results.json gets the run's
  execution record under ``provenance.execution``;
* **progress**: one tqdm bar over the tasks in every mode (reused tasks count as done).
"""

import hashlib
import importlib
import json
import os
import pickle
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from nusim.errors import ArgumentError, ClusterError, StudyInterruptedError

#: the task cache folder inside a study's output folder
CACHE_DIR = ".tasks"
#: the staging folders inside a study's output folder (the result files before they are final)
STAGING_PREFIX = ".staging-"
#: reruns of a task that raised on a worker (a worker that died is handled by the scheduler,
#: which reschedules its tasks up to ``distributed.scheduler.allowed-failures`` times)
RETRIES = 2
#: seconds to wait for an existing scheduler to answer before giving up
SCHEDULER_TIMEOUT_S = 10
#: the environment of LocalCluster workers: one numba thread per single-threaded worker
WORKER_ENV = {"NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}


class StudyOutput(list):
    """The files a study wrote (a list), with ``summary`` (the key numbers as a short table),
    ``tasks`` (how many), ``reused`` (taken from the task cache by ``resume``), ``computed``,
    ``config_hash``, ``cache_dir``, ``task_seconds`` (wall time of the task phase, a Dask
    cluster's start included) and ``cluster_seconds`` (of which starting or reaching the
    cluster and closing it; 0 embedded) [s]."""

    summary = ""
    tasks = reused = computed = 0
    task_seconds = cluster_seconds = 0.0
    config_hash = ""
    cache_dir = None


@dataclass(frozen=True)
class Execution:
    """Where the tasks run: embedded (neither set), on ``workers`` local single-threaded Dask
    worker processes, or on the Dask cluster whose scheduler is at ``scheduler``
    (e.g. "tcp://10.0.0.5:8786")."""

    workers: int | None = None
    scheduler: str | None = None

    def __post_init__(self):
        if self.workers is not None and self.scheduler is not None:
            raise ArgumentError("Execution: give workers (a local cluster) or scheduler (an "
                                "existing one), not both")
        if self.workers is not None and (isinstance(self.workers, bool)
                                         or not isinstance(self.workers, int)
                                         or self.workers < 1):
            raise ArgumentError(f"Execution: workers={self.workers!r}: give a positive number "
                                "of worker processes, e.g. 2")
        if self.scheduler is not None and not str(self.scheduler).strip():
            raise ArgumentError("Execution: scheduler='': give the scheduler's address, e.g. "
                                "tcp://127.0.0.1:8786")

    def describe(self):
        """A JSON-ready record of the mode (for results.json)."""
        if self.scheduler is not None:
            return {"mode": "dask scheduler", "scheduler": self.scheduler}
        if self.workers is not None:
            return {"mode": "dask local cluster", "workers": self.workers,
                    "threads_per_worker": 1, "worker_env": dict(WORKER_ENV)}
        return {"mode": "embedded"}


# ---------------------------------------------------------------------------------------------
# configuration hash and task cache


def config_hash(kind, p):
    """SHA-256 (first 16 hex digits) of what decides the tasks' results: the kind, its validated
    parameters ``p``, the contents of the input files they name (apparatus files and their
    meshes) and the nusim version. Output folders and progress switches are not in ``p``."""
    from nusim import __version__
    from nusim.studies.output import input_files, sha256

    inputs = sorted(sha256(f) for f in input_files({"p": p}))
    doc = {"kind": kind, "params": p, "inputs": inputs, "nusim": __version__}
    text = json.dumps(doc, sort_keys=True, default=repr, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class TaskCache:
    """The finished tasks of one configuration: ``<out>/.tasks/<digest>/<index>.pkl``."""

    def __init__(self, out, digest):
        self.folder = Path(out) / CACHE_DIR / digest

    def load(self, n_tasks):
        """{index: result} of the readable finished tasks among 0 … n_tasks − 1."""
        found = {}
        for i in range(n_tasks):
            path = self.folder / f"{i}.pkl"
            if not path.is_file():
                continue
            try:
                with path.open("rb") as fh:
                    found[i] = pickle.load(fh)
            except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
                continue                          # unreadable: computed again
        return found

    def store(self, index, result):
        """Write one task's result atomically (a reader sees the whole file or none)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{index}.", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.folder / f"{index}.pkl")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def describe(self, kind, p, n_tasks):
        """A human-readable record of the configuration beside the results (meta.json)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        meta = {"kind": kind, "tasks": n_tasks, "params": p}
        _atomic_text(self.folder / "meta.json",
                     json.dumps(meta, indent=2, sort_keys=True, default=repr) + "\n")


def _atomic_text(path, text):
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def reproducible_results(results_json):
    """The "results" of a results.json file without the wall times (keys ending in "seconds"):
    what every execution mode reproduces bit for bit (tests, benchmarks)."""
    def strip(o):
        if isinstance(o, dict):
            return {k: strip(v) for k, v in o.items() if not str(k).endswith("seconds")}
        if isinstance(o, list):
            return [strip(v) for v in o]
        return o

    return strip(json.loads(Path(results_json).read_text())["results"])


# ---------------------------------------------------------------------------------------------
# execution


def call_task(run_task, p, task, numba_threads=None):
    """What a worker runs: ``run_task(p, task)`` (a module-level function, so the worker
    imports it by name), with numba on at most ``numba_threads`` threads when given (local
    workers: 1; NUMBA_NUM_THREADS=1 in their environment comes too late when numba was imported
    before it applied, e.g. by the __main__ module that spawn re-imports)."""
    if numba_threads is not None:
        import numba

        numba.set_num_threads(min(numba_threads, numba.config.NUMBA_NUM_THREADS))
    return run_task(p, task)


def _run_embedded(module, p, task_list, pending, cache, bar):
    results = {}
    for i in pending:
        results[i] = module.run_task(p, task_list[i])
        cache.store(i, results[i])
        bar.update(1)
    return results


def _client(execution):
    """(client, cluster or None) for ``execution``; ClusterError if it cannot be had."""
    import logging

    from distributed import Client, LocalCluster

    if execution.scheduler is not None:
        address = execution.scheduler.strip()
        try:
            return Client(address, timeout=SCHEDULER_TIMEOUT_S), None
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(f"--scheduler {address}: no Dask scheduler answered within "
                               f"{SCHEDULER_TIMEOUT_S} s ({type(exc).__name__}: {exc}). Start "
                               "one with `dask scheduler` and give the address it prints, "
                               "e.g. tcp://10.0.0.5:8786, or run locally with --workers N"
                               ) from None
    # Dask spawns workers with MALLOC_TRIM_THRESHOLD_=65536 (against fragmentation in
    # long-lived data workers); it switches off glibc's adaptive mmap threshold, so every
    # array the Monte Carlo allocates and frees costs fresh pages: +20-50 % CPU per task here
    import dask

    pre_spawn = {k: v for k, v in dask.config.get("distributed.nanny.pre-spawn-environ",
                                                  {}).items()
                 if k != "MALLOC_TRIM_THRESHOLD_"}
    with dask.config.set({"distributed.nanny.pre-spawn-environ": pre_spawn}):
        cluster = LocalCluster(n_workers=execution.workers, threads_per_worker=1,
                               processes=True, host="127.0.0.1", dashboard_address=None,
                               env=dict(WORKER_ENV), silence_logs=logging.ERROR)
    return Client(cluster), cluster


def _run_dask(module, p, task_list, pending, cache, bar, execution, digest, timing):
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    t0 = time.perf_counter()
    client, cluster = _client(execution)
    try:
        if not client.scheduler_info().get("workers") and execution.scheduler is not None:
            try:
                client.wait_for_workers(1, timeout=SCHEDULER_TIMEOUT_S)
            except TimeoutError as exc:
                raise ClusterError(f"--scheduler {execution.scheduler}: no worker joined within "
                                   f"{SCHEDULER_TIMEOUT_S} s ({exc}). Start workers with `dask "
                                   f"worker {execution.scheduler} --nthreads 1`") from None
        name = getattr(module, "__name__", None)   # a kind module (not a test's stand-in)
        try:                                      # every worker imports it now, not in a task
            if name is not None:
                client.run(importlib.import_module, name)
        except ImportError as exc:
            raise ClusterError(f"a Dask worker cannot import {name} ({exc}): install the same "
                               "nusim on every worker machine") from None
        timing["cluster_start_seconds"] = time.perf_counter() - t0
        [p_remote] = client.scatter([p], broadcast=True)
        threads = 1 if execution.workers is not None else None
        futures = {client.submit(call_task, module.run_task, p_remote, task_list[i], threads,
                                 key=f"nusim-{digest}-{i}", retries=RETRIES): i
                   for i in pending}
        results = {}
        try:
            for fut, result in as_completed(futures, with_results=True):
                i = futures[fut]
                cache.store(i, result)
                results[i] = result
                bar.update(1)
        except KilledWorker as exc:
            raise ClusterError(f"a task killed its worker again and again ({exc}); the tasks "
                               f"finished so far are kept in {cache.folder} (use --resume)"
                               ) from None
        finally:
            client.cancel(list(futures))
        return results
    finally:
        t1 = time.perf_counter()
        client.close()
        if cluster is not None:
            cluster.close()
        timing["cluster_close_seconds"] = time.perf_counter() - t1


# ---------------------------------------------------------------------------------------------
# the runner


def execute(module, config, out, *, execution=None, resume=False, progress=True):
    """Run the study ``config`` (validated, as :func:`nusim.studies.run.load_study` returns
    it) of the kind ``module`` into the folder ``out``; returns a :class:`StudyOutput`.

    ``execution``: an :class:`Execution` (default: embedded). ``resume``: reuse the finished
    tasks of the same configuration from ``<out>/.tasks`` (else that folder is cleared first).
    ``progress``: a tqdm bar over the tasks. Raises StudyInterruptedError (naming the task cache)
    on Ctrl-C, ClusterError if the Dask cluster fails, and whatever a task raises.
    """
    from tqdm import tqdm

    execution = execution or Execution()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    kind = config["study"]["kind"]
    p = config[kind]
    task_list = list(module.tasks(p))
    digest = config_hash(kind, p)
    cache = TaskCache(out, digest)
    for stale in out.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)    # left by a run killed while writing
    if not resume:
        shutil.rmtree(out / CACHE_DIR, ignore_errors=True)
    done = cache.load(len(task_list)) if resume else {}
    cache.describe(kind, p, len(task_list))
    pending = [i for i in range(len(task_list)) if i not in done]
    bar = tqdm(total=len(task_list), initial=len(done), desc=config["study"]["name"],
               unit="task", disable=not progress)
    timing = {}
    t0 = time.perf_counter()
    try:
        with bar:
            if not pending:
                new = {}
            elif execution.workers is None and execution.scheduler is None:
                new = _run_embedded(module, p, task_list, pending, cache, bar)
            else:
                new = _run_dask(module, p, task_list, pending, cache, bar, execution, digest,
                                timing)
    except KeyboardInterrupt:
        finished = len(cache.load(len(task_list)))
        raise StudyInterruptedError(f"{config['study']['name']}: interrupted with {finished} of "
                               f"{len(task_list)} tasks finished, kept in {cache.folder}. Run "
                               "the same command with --resume to compute only the others"
                               ) from None
    task_seconds = time.perf_counter() - t0
    results = [done[i] if i in done else new[i] for i in range(len(task_list))]
    data = module.reduce(p, task_list, results)
    files, summary = _write(module, p, config, out, data, progress, {
        **execution.describe(), "tasks": len(task_list), "reused_tasks": len(done),
        "computed_tasks": len(pending), "task_phase_seconds": task_seconds, **timing,
        "config_hash": digest, "task_cache": str(cache.folder)})
    result = StudyOutput(files)
    result.summary = summary
    result.tasks, result.reused, result.computed = len(task_list), len(done), len(pending)
    result.config_hash, result.cache_dir = digest, cache.folder
    result.task_seconds = task_seconds
    result.cluster_seconds = (timing.get("cluster_start_seconds", 0.0)
                              + timing.get("cluster_close_seconds", 0.0))
    return result


def _write(module, p, config, out, data, progress, record):
    """The kind writes into a staging folder; then each file is moved into ``out``
    (results.json last) with ``record`` in its provenance. Returns (final paths, summary)."""
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
    try:
        files, summary = module.write(p, config, staging, data, progress=progress)
        files = [Path(f) for f in files]
        for f in files:
            if f.name == "results.json" and f.is_file():
                doc = json.loads(f.read_text())
                doc.setdefault("provenance", {})["execution"] = record
                f.write_text(json.dumps(doc, indent=2, default=float) + "\n")
        dest = {}
        for f in files:
            try:
                dest[f] = out / f.resolve().relative_to(staging.resolve())
            except ValueError:
                dest[f] = f                     # written elsewhere on purpose: left there
        # the old results.json goes first: a run killed between the moves below leaves a folder
        # without results.json (incomplete, as it looks), never new files beside old results
        (out / "results.json").unlink(missing_ok=True)
        for f in sorted(files, key=lambda f: f.name == "results.json"):
            if dest[f] != f:
                dest[f].parent.mkdir(parents=True, exist_ok=True)
                os.replace(f, dest[f])
        return [dest[f] for f in files], summary
    finally:
        shutil.rmtree(staging, ignore_errors=True)
