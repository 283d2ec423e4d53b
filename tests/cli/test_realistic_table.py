"""The realistic_table study kind: a reduced run writes its table, figure and JSON; every entry
is a value ± error, a bound or an exact zero with its reason, next to the α = 0 estimate; bad
study files fail with file and field."""

import math
import subprocess
import sys
import textwrap

import pytest

from nusim.errors import ConfigError
from nusim.studies import realistic_table as rt
from nusim.studies.run import load_study

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def _study(tmp_path, body):
    path = tmp_path / "rt.toml"
    path.write_text(textwrap.dedent(body))
    return path


BASE = f"""
[study]
name = "rt"
kind = "realistic_table"
output_dir = "out"

[realistic_table]
samples = 1500
replicas = 4
n_times = 2
gravity_samples = 256

[[realistic_table.experiments]]
label = "proposal"
apparatus = "{ROOT / 'geometries' / 'reactor-proposal.toml'}"
sensitivity = "washington-1999"
observable = "torque"
  [[realistic_table.experiments.beams]]
  source = "reactor"
  thermal_power_GW = 2.9
  distance_m = 10.0
  direction = [-1.0, 0.0, -0.1]
  core_radius_m = 1.5
  core_height_m = 3.0
  [[realistic_table.experiments.beams]]
  source = "sun"
"""


def test_reduced_run_writes_table_and_every_entry_is_honest(tmp_path):
    cfg = load_study(_study(tmp_path, BASE))
    p = cfg["realistic_table"]
    tasks = rt.tasks(p)
    assert len(tasks) == 1 + 2                       # the reactor once, the Sun at 2 times
    data = rt.reduce(p, tasks, [rt.run_task(p, t) for t in tasks])
    for e in data["rows"]:
        r = e["ratio"]
        assert r is not None
        assert (e["zero"] is not None or r.exact_zero_reason is not None or r.error > 0)
        assert e["alpha0_ratio"] > 0
        # the realistic force is far below the α = 0 estimate (eq. 4.14: ≳ 10 orders here)
        if e["zero"] is None and r.value:
            assert abs(r.value) + 2 * r.error < 1e-10 * e["alpha0_ratio"]
        assert math.isfinite(e["orders_below"]) or e["zero"] is not None
        chain = e["chain"]
        assert chain["spectrum_log10"] < 0
        assert e["observable"] == "torque"
        er = e["energy_ratio"]          # δV/V beside the torque ratio
        assert er is not None and (er.error > 0 or er.exact_zero_reason is not None)
    # the reactor's dominant pair lies downstream: every factor is there, each separately,
    # and the edges give back what the smooth bulk loses (U₄/U₀ = smooth × edges)
    reactor = next(e for e in data["rows"] if e["source"] == "reactor")
    chain = reactor["chain"]
    assert chain["fresnel_number"] > 1e3 and chain["fresnel_log10"] < -3
    assert chain["smooth_log10"] <= chain["spectrum_log10"] + 1
    nums = rt._chain_numbers(chain)
    if nums["f_real_bodies_log10"] is not None:
        assert nums["f_edges_log10"] == pytest.approx(
            nums["f_real_bodies_log10"] - nums["f_smooth_bodies_log10"])
        assert nums["f_edges_log10"] > 0
    assert nums["killer"] in ("the spectrum", "the source's angular size",
                              "the bodies' size (Fresnel)")
    out = tmp_path / "out"
    out.mkdir()
    files, text = rt.write(p, cfg, out, data)
    assert {f.name for f in files} == {"realistic_table.csv", "figure5_realistic.png",
                                       "results.json"}
    assert "orders of magnitude below" in text


@pytest.mark.parametrize(("bad", "match"), [
    ('sensitivity = "washington-1999"', None),
    ('sensitivity = "nowhere"', r"experiments\[0\]\.sensitivity: unknown table-4 entry"),
    ('sensitivity = "washington-1999"\ncolour = 3', r"experiments\[0\]\.colour: unknown key"),
    ('sensitivity = "washington-1999"\nobservable = "charge"',
     r"experiments\[0\]\.observable: unknown observable 'charge'"),
])
def test_bad_files_name_file_and_field(tmp_path, bad, match):
    body = BASE.replace('sensitivity = "washington-1999"\nobservable = "torque"', bad, 1)
    if match is None:
        load_study(_study(tmp_path, body))
        return
    with pytest.raises(ConfigError, match=match):
        load_study(_study(tmp_path, body))


def test_missing_apparatus_and_n_times(tmp_path):
    with pytest.raises(ConfigError, match=r"experiments\[0\]\.apparatus: apparatus file"):
        load_study(_study(tmp_path, BASE.replace("reactor-proposal.toml", "nothing.toml")))
    with pytest.raises(ConfigError, match=r"realistic_table\.n_times"):
        load_study(_study(tmp_path, BASE.replace("n_times = 2", "n_times = 0")))


def test_cli_prints_the_table(tmp_path):
    body = BASE.split("  [[realistic_table.experiments.beams]]\n  source = \"reactor\"")[0]
    body += '  [[realistic_table.experiments.beams]]\n  source = "sun"\n'
    body = body.replace("n_times = 2", "n_times = 1")
    out = subprocess.run([sys.executable, "-m", "nusim", "run", str(_study(tmp_path, body))],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "δ = τ_ν/τ_grav (largest)" in out.stdout
    assert "the smooth 1/r term dies of" in out.stdout
    assert (tmp_path / "out" / "realistic_table.csv").is_file()


def test_term_sampling_agrees_with_the_full_sum():
    """The term-sampled estimate of Σ_t U_t (an unbiased importance-sampling estimate over the
    pair terms) against the full apparatus sum on the reactor proposal (4 ordered pair terms):
    agreement within the combined errors (3.5σ)."""
    from nusim.engine.apparatus_signal import apparatus_bodies, apparatus_signal
    from nusim.geometry import load_apparatus
    from nusim.studies import beam_specs

    app = load_apparatus(ROOT / "geometries" / "reactor-proposal.toml")
    point, _ = app.axis
    pend, others, _ = apparatus_bodies(app, 0.0)
    spec = beam_specs.parse_beams({"beams": [{"source": "reactor", "thermal_power_GW": 2.9,
                                              "distance_m": 10.0,
                                              "direction": [-1.0, 0.0, -0.1],
                                              "core_radius_m": 1.5, "core_height_m": 3.0}]},
                                  "t")[0]
    beams = beam_specs.beams_at(spec, point_m=point)
    p = {"replicas": 4, "estimator": "auto"}
    exp = {"samples": 3000, "max_terms": 12, "gravity_samples": 128}
    sampled = rt.sampled_signal(pend, others, beams, p, exp, 7).totals["energy_retarded_J"]
    full = apparatus_signal(pend, others, beams, samples=3000, replicas=4, seed=8,
                            gravity=False, forces=False,
                            self_terms=False).totals["energy_retarded_J"]
    assert "term-sampled" in sampled.name
    assert sampled.systematic > 0
    assert abs(sampled.value - full.value) < 3.5 * math.hypot(sampled.error, full.error), (
        sampled.value / full.value, sampled.error / abs(full.value))
