"""The study runner (nusim.studies.runner): the same numbers, bit for bit, embedded and on a
2-worker Dask LocalCluster; a worker killed during a study; --resume after an interruption
recomputes only the missing tasks; --samples/--seed; the CLI options; an unreachable scheduler.

One tiny smearing study (7 tasks: two closed-form points, five Monte Carlo sphere pairs at 2000
samples) serves every test; the reference run is made once per module."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from nusim.cli import build_parser, main
from nusim.errors import ArgumentError, ClusterError, ConfigError, StudyInterruptedError
from nusim.studies import runner, smearing_study
from nusim.studies.run import load_study, run_study
from nusim.studies.runner import Execution, execute, reproducible_results

ROOT = Path(__file__).resolve().parents[2]

TINY = """[study]
name = "tiny-smearing"
kind = "smearing"

[smearing]
samples = 2000
pair_samples = 4000
replicas = 4
seed = 5
criterion_samples = 200

[[smearing.scans]]
name = "beam angle, point pair"
regime = "point"
variable = "beam_angle_rad"
values = [1e-6, 1e-5]

[[smearing.scans]]
name = "body size"
regime = "bodies"
variable = "body_radius_m"
values = [1e-5, 1e-4, 1e-3, 3e-3, 1e-2]
"""
N_TASKS = 7


def _numbers(out):
    """What must be identical in every execution mode: the results without wall times
    (measurements, not results) and the CSV bytes."""
    out = Path(out)
    return reproducible_results(out / "results.json"), (out / "smearing.csv").read_bytes()


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    folder = tmp_path_factory.mktemp("study")
    path = folder / "tiny.toml"
    path.write_text(TINY)
    files = run_study(path, output_dir=folder / "embedded", progress=False)
    assert files.tasks == files.computed == N_TASKS
    assert files.reused == 0
    return SimpleNamespace(path=path, config=load_study(path), out=folder / "embedded",
                           reference=_numbers(folder / "embedded"))


@pytest.fixture
def no_figures(monkeypatch):
    """The smearing kind's two figures as empty files (seconds saved; the numbers are in the
    CSV and results.json)."""
    from nusim import plotting

    def empty(data, path, **kw):
        Path(path).touch()
        return Path(path)

    monkeypatch.setattr(plotting, "smearing_criterion", empty)
    monkeypatch.setattr(plotting, "smearing_scans", empty)


def _kind(run_task):
    """The smearing kind with another run_task (fault injection)."""
    return SimpleNamespace(KIND=smearing_study.KIND, tasks=smearing_study.tasks,
                           reduce=smearing_study.reduce, write=smearing_study.write,
                           run_task=run_task)


def test_two_local_workers_give_the_embedded_numbers_bit_for_bit(study, tmp_path):
    files = run_study(study.path, output_dir=tmp_path, progress=False,
                      execution=Execution(workers=2))
    assert files.computed == N_TASKS
    assert _numbers(tmp_path) == study.reference
    execution = json.loads((tmp_path / "results.json").read_text())["provenance"]["execution"]
    assert execution["mode"] == "dask local cluster"
    assert execution["workers"] == 2


def test_a_worker_killed_mid_study_loses_nothing(study, tmp_path, no_figures):
    marker = tmp_path / "killed-once"

    def run_task(p, task):
        from distributed import get_worker

        get_worker()                       # only ever kill a worker, never this process
        if task == (1, 1) and not marker.exists():
            marker.touch()
            os._exit(1)                    # the worker process dies mid-task
        return smearing_study.run_task(p, task)

    files = execute(_kind(run_task), study.config, tmp_path / "out",
                    execution=Execution(workers=2), progress=False)
    assert marker.exists()                 # the kill happened
    assert files.computed == N_TASKS
    assert _numbers(tmp_path / "out") == study.reference


def test_resume_after_an_interruption_recomputes_only_the_missing_tasks(study, tmp_path,
                                                                       no_figures):
    marker = tmp_path / "interrupted-once"
    calls = []
    stop_at = 3

    def run_task(p, task):
        if len(calls) == stop_at and not marker.exists():
            marker.touch()
            raise KeyboardInterrupt        # Ctrl-C during the fourth task
        calls.append(task)
        return smearing_study.run_task(p, task)

    out = tmp_path / "out"
    out.mkdir()
    (out / "results.json").write_text('{"results": "an earlier complete run"}')
    with pytest.raises(StudyInterruptedError, match=r"3 of 7 tasks finished.*--resume"):
        execute(_kind(run_task), study.config, out, progress=False)
    # nothing half-written presented: the earlier run's complete result is left untouched
    assert (out / "results.json").read_text() == '{"results": "an earlier complete run"}'
    assert not any(f.suffix == ".csv" for f in out.iterdir())
    stale = out / ".staging-killed-while-writing"    # as a run killed in write() leaves it
    stale.mkdir()
    (stale / "results.json").write_text("{")
    calls.clear()
    files = execute(_kind(run_task), study.config, out, resume=True, progress=False)
    assert (files.reused, files.computed) == (stop_at, N_TASKS - stop_at)
    assert len(calls) == N_TASKS - stop_at
    assert _numbers(out) == study.reference
    assert not stale.exists()
    # a fresh run (no --resume) clears the cache and computes everything again
    calls.clear()
    files = execute(_kind(run_task), study.config, out, progress=False)
    assert (files.reused, len(calls)) == (0, N_TASKS)
    assert sorted(p.name for p in files.cache_dir.glob("*.pkl")) == sorted(
        f"{i}.pkl" for i in range(N_TASKS))


def test_resume_through_the_cli_reuses_every_finished_task(study):
    proc = subprocess.run([sys.executable, "-m", "nusim", "run", str(study.path), "--out",
                           str(study.out), "--resume", "--no-progress"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert f"resume: {N_TASKS} of {N_TASKS} tasks reused" in proc.stdout
    assert _numbers(study.out) == study.reference


def test_samples_and_seed_replace_the_file_values_before_validation(study):
    config = load_study(study.path, samples=3000, seed=9)
    assert (config["smearing"]["samples"], config["smearing"]["seed"]) == (3000, 9)
    with pytest.raises(ConfigError, match=r"smearing\.samples: must lie in \[100"):
        load_study(study.path, samples=5)
    with pytest.raises(ArgumentError, match=r"--samples 10: study kind 'paper_figures' .* has "
                                            r"no sample count"):
        load_study(ROOT / "runs" / "paper-figures.toml", samples=10)
    with pytest.raises(ArgumentError, match=r"--samples 10: .*directional_convergence.*list of "
                                            r"sample counts"):
        load_study(ROOT / "runs" / "directional-convergence.toml", samples=10)


def test_cli_options_parse():
    args = build_parser().parse_args(["run", "s.toml", "--samples", "500", "--seed", "0",
                                      "--out", "o", "--workers", "2", "--resume"])
    assert (args.study, args.samples, args.seed, args.output, args.workers, args.scheduler,
            args.resume) == ("s.toml", 500, 0, "o", 2, None, True)
    args = build_parser().parse_args(["run", "s.toml", "--scheduler", "tcp://h:8786"])
    assert (args.scheduler, args.workers, args.resume) == ("tcp://h:8786", None, False)
    for bad in (["--workers", "2", "--scheduler", "tcp://h:8786"], ["--workers", "0"],
                ["--samples", "many"], ["--seed", "-1"]):
        with pytest.raises(SystemExit) as exc:
            build_parser().parse_args(["run", "s.toml", *bad])
        assert exc.value.code == 2               # usage error


def test_an_unreachable_scheduler_is_a_nusim_error(study, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(runner, "SCHEDULER_TIMEOUT_S", 2)
    with pytest.raises(ClusterError, match=r"--scheduler tcp://127\.0\.0\.1:9: no Dask "
                                           r"scheduler answered within 2 s"):
        run_study(study.path, output_dir=tmp_path, progress=False,
                  execution=Execution(scheduler="tcp://127.0.0.1:9"))
    assert main(["run", str(study.path), "--out", str(tmp_path), "--no-progress",
                 "--scheduler", "tcp://127.0.0.1:9"]) == 1
    assert re.search(r"nusim: error: --scheduler tcp://127\.0\.0\.1:9: no Dask scheduler",
                     capsys.readouterr().err)


def test_a_scheduler_without_workers_is_a_nusim_error(study, tmp_path, monkeypatch):
    from distributed import LocalCluster

    monkeypatch.setattr(runner, "SCHEDULER_TIMEOUT_S", 1)
    with LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster:
        with pytest.raises(ClusterError, match=r"no worker joined within 1 s.*dask worker "):
            run_study(study.path, output_dir=tmp_path, progress=False,
                      execution=Execution(scheduler=cluster.scheduler_address))
