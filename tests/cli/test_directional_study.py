"""Study kinds directional_suppression and directional_convergence: they run with tiny settings,
write PNG, CSV and JSON with the configuration and versions, check their own numbers against the
references they carry, and reject malformed TOML naming file and field."""

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nusim.errors import ConfigError
from nusim.studies.run import load_study, run_study

ROOT = Path(__file__).resolve().parents[2]

# Monte Carlo assertions: 4σ of the reported replica error (fixed seeds), plus where stated an
# allowance for a known systematic of the method
K_SIGMA = 4.0
# the wake estimator on icosphere meshes against the analytic near-field formula: the icosphere's
# facets and the (1 − b/a)² N_F ≫ 1 corrections of the asymptote, ≲ 1 % (16-replica runs at
# N_F = 1e4 … 1e12 agree within 1.2 % ± 0.9 %)
NEAR_FIELD_ALLOWANCE = 0.01

SUPPRESSION = """[study]
name = "tiny-suppression"
kind = "directional_suppression"

[directional_suppression]
fresnel_numbers = [0.1, 1e6]
samples = 100_000
pairs_samples = 400
replicas = 4
seed = 3
reference_max_fresnel = 0.1
reference_points = 2
"""

CONVERGENCE = """[study]
name = "tiny-convergence"
kind = "directional_convergence"

[directional_convergence]
samples = [300, 1000]
replicas = 4
spectrum_components = 6
"""


def _write(tmp_path, text, name="study.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _rows(path):
    with path.open() as fh:
        return list(csv.DictReader(fh))


def test_suppression_study_through_the_cli(tmp_path):
    study = _write(tmp_path, SUPPRESSION)
    out = subprocess.run([sys.executable, "-m", "nusim", "run", str(study), "-o",
                          str(tmp_path / "out"), "--no-progress"], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    for name in ("suppression.png", "suppression.csv", "results.json"):
        assert (tmp_path / "out" / name).stat().st_size > 0
    doc = json.loads((tmp_path / "out" / "results.json").read_text())
    assert doc["config"]["directional_suppression"]["fresnel_numbers"] == [0.1, 1e6]
    assert doc["config"]["study"]["kind"] == "directional_suppression"
    assert "numpy" in doc["versions"]
    assert "nusim" in doc["versions"]
    assert any("arXiv:2209.07082" in c for c in doc["citations"])
    rows = {(r["pair"], r["fresnel_number"]): r for r in doc["results"]["rows"]}
    assert len(_rows(tmp_path / "out" / "suppression.csv")) == len(rows) == 4
    # N_F = 0.1: brute-force pairs against the quadrature of design note §5 (independent method)
    low = rows[("identical", 0.1)]
    assert low["estimator"] == "pairs"
    for channel in ("symmetric", "retarded"):
        got, want = low[channel], low["reference"][channel]
        assert got["ratio"] == pytest.approx(want, abs=K_SIGMA * got["error"], rel=0)
    # N_F = 1e6: the wake estimator against the near-field formula −G_F²Φ⟨1/E⟩n₁n₂J_U (§4)
    high = rows[("mismatched", 1e6)]
    assert high["estimator"] == "wake"
    assert high["reference"]["applies"]
    for channel in ("symmetric", "retarded"):
        got, want = high[channel], high["reference"][channel]
        tol = K_SIGMA * got["error"] + NEAR_FIELD_ALLOWANCE * abs(want)
        assert got["ratio"] == pytest.approx(want, abs=tol, rel=0)


def test_convergence_study_through_run_study(tmp_path):
    study = _write(tmp_path, CONVERGENCE)
    files = run_study(study, output_dir=tmp_path / "out", progress=False)
    assert sorted(f.name for f in files) == ["convergence.csv", "convergence.png",
                                            "results.json"]
    for f in files:
        assert f.stat().st_size > 0
    doc = json.loads((tmp_path / "out" / "results.json").read_text())
    assert doc["config"]["directional_convergence"]["samples"] == [300, 1000]
    assert "numba" in doc["versions"]
    res = doc["results"]
    assert [(r["source"], r["samples"]) for r in res["rows"]] == [
        ("point core", 300), ("point core", 1000), ("finite core", 300), ("finite core", 1000)]
    point = res["sources"]["point core"]
    # reactor 10 m from the midpoint and 1 m below the bodies' plane: asin(1/10)
    assert point["tilt_from_bodies_plane_rad"] == pytest.approx(0.1001674211615598, rel=1e-12,
                                                                abs=0)
    # 2.9 GW, 7.1 ν̄/fission at 10 m: the paper's ≈5e13 cm⁻² s⁻¹ (§5.2; the spectrum fit with
    # 6 components and the point's tilt move it by < 3 %)
    assert point["flux_per_cm2_s"] == pytest.approx(5e13, rel=0.03, abs=0)
    assert point["profile"] == "emitter: point core"
    assert res["sources"]["finite core"]["profile"] == "emitter: uniform cylindrical core"
    table = _rows(tmp_path / "out" / "convergence.csv")
    assert len(table) == 4
    for row, r in zip(table, res["rows"], strict=True):
        # the CSV's relative error is the JSON's error / |value|
        assert float(row["relative_error"]) == pytest.approx(
            r["energy_retarded_J"]["error"] / abs(r["energy_retarded_J"]["value"]), rel=1e-12,
            abs=0)


@pytest.mark.parametrize(("kind", "body", "match"), [
    ("directional_suppression", "fresnel_numbers = [0.1, -3.0]",
     r"directional_suppression\.fresnel_numbers: expected a non-empty list of positive "
     r"Fresnel numbers"),
    ("directional_suppression", 'samples = "many"',
     r"directional_suppression\.samples: expected int, got 'many'"),
    ("directional_suppression", "mismatch_ratio = 1.0",
     r"directional_suppression\.mismatch_ratio: must lie in \(0, 1\)"),
    ("directional_suppression", 'estimator = "lucky"',
     r"directional_suppression\.estimator: unknown estimator 'lucky'\. Known: auto, wake, pairs"),
    ("directional_suppression", "colour = 1",
     r"directional_suppression\.colour: unknown key\. Allowed keys here: distance_m"),
    ("directional_convergence", "samples = [1000, 2.5]",
     r"directional_convergence\.samples: expected a non-empty list of integer surface samples"),
    ("directional_convergence", "reactor_depth_m = 20.0",
     r"directional_convergence\.reactor_depth_m: must lie in \[0, reactor_distance_m\)"),
    ("directional_convergence", 'attractor_material = "adamantium"',
     r"directional_convergence\.attractor_material: unknown material 'adamantium'\. Known: "),
])
def test_malformed_fields_name_file_and_field(tmp_path, kind, body, match):
    study = _write(tmp_path, f'[study]\nname = "t"\nkind = "{kind}"\n[{kind}]\n{body}\n')
    with pytest.raises(ConfigError, match=re.escape(str(study)) + ": " + match):
        load_study(study)


def test_malformed_field_exits_1_through_the_cli(tmp_path):
    study = _write(tmp_path, '[study]\nname = "t"\nkind = "directional_convergence"\n'
                   '[directional_convergence]\nreplicas = 1\n')
    out = subprocess.run([sys.executable, "-m", "nusim", "run", str(study)], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert f"{study}: directional_convergence.replicas: need at least 2" in out.stderr
    assert "Traceback" not in out.stderr


def test_bundled_study_files_validate():
    for name, kind in (("directional-suppression.toml", "directional_suppression"),
                       ("directional-convergence.toml", "directional_convergence")):
        config = load_study(ROOT / "runs" / name)
        assert config["study"]["kind"] == kind
