"""The CLI as a user runs it: subprocess, exit codes, messages naming file and field."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def nusim(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "nusim", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def test_help_teaches_with_examples():
    out = nusim("--help")
    assert out.returncode == 0 and "nusim run runs/default.toml" in out.stdout
    out = nusim("run", "--help")
    assert out.returncode == 0 and "kind = \"reactor_signal\"" in out.stdout
    assert "[[beams]]" in out.stdout and "paper_figures" in out.stdout


def test_default_study_makes_figures_and_json(tmp_path):
    # a reduced version of the default study (same code path, fewer quadrature points)
    study = tmp_path / "small.toml"
    study.write_text('[study]\nname = "t"\nkind = "paper_figures"\n'
                     '[paper_figures]\nfig4_ell_max = 20.0\nfig4_quadrature_points = 5\n')
    out = nusim("run", str(study), "-o", str(tmp_path / "out"), "--no-progress")
    assert out.returncode == 0, out.stderr
    for name in ("fig3_potential_vs_distance.png", "fig4_eq4_11_vs_eq4_8.png", "fig3.csv",
                 "results.json"):
        assert (tmp_path / "out" / name).stat().st_size > 0
    doc = json.loads((tmp_path / "out" / "results.json").read_text())
    assert doc["config"]["paper_figures"]["fig4_quadrature_points"] == 5
    assert "numpy" in doc["versions"] and "arXiv:2209.07082" in doc["citations"][0]
    # the figure-4 points are eq. (4.8) by quadrature; they must equal the closed form
    assert doc["results"]["fig4"]["max_abs_diff_eq_4_8_vs_closed_form"] < 1e-9


@pytest.mark.parametrize(("text", "match"), [
    ('[study]\nname = "t"\nkind = "nope"\n', r"study\.kind: unknown study kind 'nope'"),
    ('[study]\nname = "t"\nkind = "paper_figures"\ncolour = 1\n',
     r"study\.colour: unknown key\. Allowed keys here: description, expected_runtime, kind"),
    ('[study]\nname = "t"\nkind = "paper_figures"\n[paper_figures]\nfig4_ell_max = "far"\n',
     r"paper_figures\.fig4_ell_max: expected float, got 'far'"),
    ('[study\nname = "t"\n', r"<syntax>: not valid TOML"),
    ('[study]\nkind = "paper_figures"\n', r"study\.name: missing required key"),
])
def test_bad_study_files_exit_1_naming_file_and_field(tmp_path, text, match):
    study = tmp_path / "bad.toml"
    study.write_text(text)
    out = nusim("run", str(study), "-o", str(tmp_path / "o"))
    assert out.returncode == 1
    assert str(study) in out.stderr
    assert re.search(match, out.stderr), out.stderr
    assert "Traceback" not in out.stderr


def test_missing_file_and_usage_errors():
    out = nusim("run", "no/such/study.toml")
    assert out.returncode == 1 and "no/such/study.toml: <file>: no such file" in out.stderr
    assert nusim().returncode == 2
    assert nusim("frobnicate").returncode == 2


def test_sources_list_and_show(tmp_path):
    out = nusim("sources")
    assert out.returncode == 0
    for name in ("reactor", "sun", "supernova", "relic"):
        assert name in out.stdout
    out = nusim("sources", "show", "reactor", "--antineutrinos-per-fission", "7.1",
                "-o", str(tmp_path))
    assert out.returncode == 0, out.stderr
    doc = json.loads((tmp_path / "sources_reactor.json").read_text())
    # the paper's reactor flux: 2.9 GW, 10 m, ≈7.1 ν̄/fission → ≈5e13 cm⁻² s⁻¹ (§5.2; 3 %)
    assert doc["sources"]["reactor"]["total_flux_per_cm2_s"] == pytest.approx(5e13, rel=0.03, abs=0)
    assert (tmp_path / "spectra_reactor.png").stat().st_size > 0


def test_sources_show_sun_writes_track(tmp_path):
    out = nusim("sources", "show", "sun", "--date", "2026-06-21", "-o", str(tmp_path))
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "sun_track.png").stat().st_size > 0
    # Seattle (47.659° N) at the June solstice: maximum altitude 90 − 47.659 + 23.44 = 65.8°
    assert "… 65.8°" in out.stdout


def test_sources_bad_input():
    out = nusim("sources", "show", "sun", "--solar-model", "B99")
    assert out.returncode == 1 and "B99" in out.stderr and "Traceback" not in out.stderr
    assert nusim("sources", "show", "pulsar").returncode == 2


def test_sources_zero_axis_is_an_error(tmp_path):
    out = nusim("sources", "show", "sun", "--axis-enu", "0,0,0", "-o", str(tmp_path))
    assert out.returncode == 1 and "--axis-enu '0,0,0': give a non-zero vector" in out.stderr


def test_apparatus_torque_study(tmp_path):
    study = tmp_path / "t.toml"
    app = ROOT / "geometries" / "example-torsion-balance.toml"
    study.write_text('[study]\nname = "t"\nkind = "apparatus_torque"\n[apparatus_torque]\n'
                     f'apparatus = "{app}"\nsamples = 256\nangles_deg = [0.0, 90.0]\n')
    out = nusim("run", str(study), "-o", str(tmp_path / "o"), "--no-progress")
    assert out.returncode == 0, out.stderr
    doc = json.loads((tmp_path / "o" / "results.json").read_text())
    rows = doc["results"]["rows"]
    assert [r["angle_deg"] for r in rows] == [0.0, 90.0]
    # the same torque as a direct interact() call with the same seed and settings
    from nusim.engine import interact
    from nusim.geometry import load_apparatus

    a = load_apparatus(app)
    r = interact(a.attractors_at(90.0), a.by_role("pendulum"), "gravity", 256, 1, axis=a.axis,
                 method="sobol", progress=False)
    assert rows[1]["torque_Nm"] == pytest.approx(r.torque_Nm, rel=1e-12, abs=0)
    bad = tmp_path / "bad.toml"
    bad.write_text('[study]\nname = "t"\nkind = "apparatus_torque"\n[apparatus_torque]\n'
                   f'apparatus = "{app}"\nmethod = "lucky"\n')
    out = nusim("run", str(bad))
    assert out.returncode == 1 and "apparatus_torque.method: unknown method 'lucky'" in out.stderr
