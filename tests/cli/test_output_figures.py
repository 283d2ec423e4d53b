"""Output a physicist trusts: provenance in results.json, CSV comments, and the figures' content
(equal 3-D scale, error bars and bound markers, line stems, a relic figure with data)."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.container import ErrorbarContainer  # noqa: E402

from nusim import __version__, plotting  # noqa: E402
from nusim.studies import output  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def captured(monkeypatch):
    """Keep the figures a plotting function saves (open) for inspection."""
    figs = []
    original = plt.close

    def keep(fig=None):
        if fig is not None and not isinstance(fig, str):
            figs.append(fig)
            return None
        return original(fig)

    monkeypatch.setattr(plt, "close", keep)
    yield figs
    for fig in figs:
        original(fig)


def _sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_results_json_records_version_commit_and_input_hashes(tmp_path):
    mesh = tmp_path / "block.stl"
    import trimesh

    trimesh.creation.box(extents=(0.01, 0.01, 0.01)).export(mesh)
    app = tmp_path / "app.toml"
    app.write_text('[apparatus]\nname = "t"\n[[bodies]]\nname = "b"\nrole = "pendulum"\n'
                   'material = "copper"\nshape = "mesh"\nmesh = "block.stl"\nmesh_unit = "m"\n')
    study = tmp_path / "study.toml"
    study.write_text('[study]\nname = "t"\nkind = "apparatus_torque"\n'
                     '[apparatus_torque]\napparatus = "app.toml"\n')
    extra = tmp_path / "notes.txt"
    extra.write_text("hand-made input\n")
    config = {"study": {"name": "t"}, "source_file": str(study),
              "apparatus_torque": {"apparatus": str(app), "seed": 3, "samples": 64}}
    path = output.write_json(tmp_path / "results.json", {"x": np.float64(1.5)}, config=config,
                             inputs=[extra])
    doc = json.loads(path.read_text())
    prov = doc["provenance"]
    assert prov["nusim_version"] == __version__ == doc["versions"]["nusim"]
    for lib in ("python", "numpy", "numba", "scipy", "astropy", "trimesh"):
        assert lib in doc["versions"]
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True).stdout.strip()
    assert prov["git"]["commit"] == head and isinstance(prov["git"]["dirty"], bool)
    hashes = {Path(r["resolved"]): r["sha256"] for r in prov["inputs"]}
    assert set(hashes) == {p.resolve() for p in (study, app, mesh, extra)}
    for p, h in hashes.items():
        assert h == _sha(p)
    assert prov["sampling"] == {"apparatus_torque.seed": 3, "apparatus_torque.samples": 64}
    # the old call still works
    output.write_json(tmp_path / "r2.json", {}, config={"a": 1})


def test_git_state_outside_a_checkout_is_absent_not_an_error(monkeypatch, tmp_path):
    monkeypatch.setattr(output, "_PACKAGE_DIR", tmp_path)
    assert output.git_state() is None
    monkeypatch.setenv("PATH", "")
    assert output.git_state() is None
    assert "git" not in output.provenance({})


def test_write_csv_with_comments(tmp_path):
    path = output.write_csv(tmp_path / "t.csv", ["a", "b"], [[1, 2], [3.5, 4.5]],
                            comment_lines=["seed 1", "units: a [deg], b [N m]"])
    text = path.read_text().splitlines()
    assert text[:3] == ["# seed 1", "# units: a [deg], b [N m]", "a,b"]
    assert np.loadtxt(path, delimiter=",", comments="#", skiprows=3).tolist() == [[1, 3.5],
                                                                                  [2, 4.5]]
    with pytest.raises(ValueError, match="different lengths"):
        output.write_csv(tmp_path / "u.csv", ["a", "b"], [[1], [2, 3]])


def _box(centre, size):
    c, s = np.asarray(centre, float), np.asarray(size, float) / 2
    corners = np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)]) * s + c
    faces = np.array([[0, 1, 3], [0, 3, 2], [4, 6, 7], [4, 7, 5], [0, 4, 5], [0, 5, 1],
                      [2, 3, 7], [2, 7, 6], [0, 2, 6], [0, 6, 4], [1, 5, 7], [1, 7, 3]])
    return corners, faces


def test_apparatus_figure_has_equal_scale_beam_and_source_arrow(tmp_path, captured):
    flat = _box((0.0, 0.0, 0.0), (0.12, 0.04, 0.01))          # a flat, elongated apparatus
    tall = _box((0.05, 0.0, 0.03), (0.01, 0.01, 0.05))
    plotting.apparatus_3d([("plate", "attractor", *flat), ("post", "pendulum", *tall)],
                          tmp_path / "a.png", "t", axis=((0, 0, 0), (0, 0, 1)),
                          beam_direction=(-1, 0, 0), source_position_m=(10, 0, 0),
                          source_label="reactor")
    (fig,) = captured
    ax = fig.axes[0]
    spans = np.array([np.ptp(ax.get_xlim()), np.ptp(ax.get_ylim()), np.ptp(ax.get_zlim())])
    aspect = np.asarray(ax.get_box_aspect())
    # data units per unit of box length are the same on all three axes
    ratio = spans / aspect
    assert np.allclose(ratio, ratio[0], rtol=1e-9)
    assert "[mm]" in ax.get_xlabel() and "[mm]" in ax.get_zlabel()
    gids = {c.get_gid() for c in ax.collections}
    assert {"beam-arrow", "source-arrow"} <= gids
    labels = ax.get_legend_handles_labels()[1]
    assert any("reactor" in lb and "10 m" in lb for lb in labels)
    assert (tmp_path / "a.png").stat().st_size > 0


def test_torque_curve_draws_error_bars_bounds_and_sample_note(tmp_path, captured):
    x = np.arange(0.0, 180.0, 30.0)
    series = [{"label": "gravity", "values": 1e-12 * np.sin(np.radians(2 * x)),
               "errors": np.full(6, 1e-16)},
              {"label": "neutrino", "values": np.array([3, 2, 1, 4, 5, 2]) * 1e-13,
               "errors": np.full(6, 0.5e-13), "is_bound": np.array([0, 0, 1, 0, 1, 0], bool)}]
    plotting.torque_curve(x, series, tmp_path / "t.png", xlabel="angle [deg]",
                          ylabel="torque [N m]", title="t", n_samples_note="64 points × 4 replicas")
    (fig,) = captured
    ax = fig.axes[0]
    assert sum(isinstance(c, ErrorbarContainer) for c in ax.containers) == 2
    (bounds,) = [ln for ln in ax.get_lines() if ln.get_gid() == "bound"]
    assert bounds.get_xdata().tolist() == [60.0, 120.0]
    assert "64 points × 4 replicas" in ax.get_title()
    labels = ax.get_legend().get_texts()
    assert any("gravity" in t.get_text() and "smaller than the markers" in t.get_text()
               for t in labels)
    assert not any("neutrino (±1σ bars smaller" in t.get_text() for t in labels)


def test_torque_vs_angle_wrapper_and_all_hidden_note(tmp_path, captured):
    plotting.torque_vs_angle([0, 90], [1.0, -1.0], [1e-6, 1e-6], tmp_path / "w.png", "w")
    (fig,) = captured
    ax = fig.axes[0]
    assert sum(isinstance(c, ErrorbarContainer) for c in ax.containers) == 1
    assert any(t.get_gid() == "errors-note" for t in ax.texts)


def _show(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-c", _SHOW, *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


# run the CLI in a subprocess and report what the saved figures contain
_SHOW = """
import json, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
figs = []
plt.close = lambda fig=None: figs.append(fig)
from nusim.cli import main
code = main(sys.argv[1:])
report = []
for fig in figs:
    axes = []
    for ax in fig.axes:
        axes.append({"gids": [a.get_gid() for a in ax.collections + ax.lines],
                     "n_data": sum(len(l.get_xdata()) for l in ax.lines),
                     "n_tables": len(ax.tables), "ylabel": ax.get_ylabel()})
    report.append(axes)
print("REPORT" + json.dumps({"code": code, "figs": report}))
"""


def _report(out):
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.split("REPORT", 1)[1])


def test_sources_show_sun_draws_line_stems(tmp_path):
    rep = _report(_show("sources", "show", "sun", "-o", str(tmp_path)))
    assert rep["code"] == 0
    spectra = rep["figs"][-1]
    stems = [ax for ax in spectra if "line-stem" in ax["gids"]]
    assert len(stems) == 1 and "cm⁻² s⁻¹" in stems[0]["ylabel"]
    # ⁷Be (two lines) and pep, for each of nu_e and nu_x
    assert stems[0]["gids"].count("line-stem") == 6
    assert (tmp_path / "spectra_sun.png").stat().st_size > 0


def test_sources_show_relic_draws_data(tmp_path):
    rep = _report(_show("sources", "show", "relic", "-o", str(tmp_path)))
    assert rep["code"] == 0
    (relic,) = rep["figs"]
    assert relic[0]["n_data"] > 100 and relic[1]["n_tables"] == 1
    assert (tmp_path / "relic_background.png").stat().st_size > 0


def test_geometry_show_with_a_reactor(tmp_path):
    out = subprocess.run([sys.executable, "-m", "nusim", "geometry", "show",
                          "geometries/example-torsion-balance.toml", "-o", str(tmp_path),
                          "--source-position-m", "10,0,0", "--source-label", "reactor"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "example-torsion-balance.png").stat().st_size > 0
    bad = subprocess.run([sys.executable, "-m", "nusim", "geometry", "show",
                          "geometries/example-torsion-balance.toml", "-o", str(tmp_path),
                          "--source-position-m", "10,0"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert bad.returncode == 1 and "--source-position-m '10,0'" in bad.stderr
