"""`nusim run --list` and where a study's relative paths point: every relative path in a study
file is relative to that file, wherever nusim runs from; `--out DIR` is relative to the working
directory (issue 11)."""

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from nusim.errors import ConfigError
from nusim.studies.run import bundled_studies, load_study

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "runs").glob("*.toml"))
# a reduced paper_figures study: the cheapest kind that writes files (~3 s)
SMALL = '[paper_figures]\nfig4_ell_max = 20.0\nfig4_quadrature_points = 5\n'


def nusim(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "nusim", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def test_list_shows_every_bundled_study_with_kind_time_and_description(tmp_path):
    # from another working directory too: the bundled studies are found beside the package
    for cwd in (ROOT, tmp_path):
        out = nusim("run", "--list", cwd=cwd)
        assert out.returncode == 0, out.stderr
        lines = out.stdout.splitlines()
        assert lines[0].split() == ["study", "file", "kind", "time", "(2", "cores)",
                                    "description"]
        assert len(lines) == 1 + len(BUNDLED)
        for path, line in zip(BUNDLED, lines[1:], strict=True):     # file-name order
            study = tomllib.loads(path.read_text())["study"]
            shown = "runs/" + path.name if cwd == ROOT else str(path)
            assert line.split()[:3] == [shown, study["kind"], study["expected_runtime"].split()[0]]
            assert line.endswith(study["description"])


def test_every_bundled_study_has_a_description_and_an_expected_runtime():
    assert len(BUNDLED) >= 6
    for s in bundled_studies():
        assert s["description"], s["path"]
        assert re.fullmatch(r"~\d+(\.\d+)? (s|min|h)", s["expected_runtime"]), s
    assert [Path(s["path"]).name for s in bundled_studies()] == [p.name for p in BUNDLED]


def test_readme_study_table_matches_the_list():
    rows = re.findall(r"^\| `(runs/[^`]+)` \| (\w+) \| ([^|]+) \| ([^|]+) \|$",
                      (ROOT / "README.md").read_text(), flags=re.M)
    want = [(f"runs/{Path(s['path']).name}", s["kind"], s["expected_runtime"], s["description"])
            for s in bundled_studies()]
    assert [tuple(c.strip() for c in r) for r in rows] == want


def test_list_takes_no_study_and_run_help_mentions_list_and_out():
    out = nusim("run", "--list", "runs/default.toml")
    assert out.returncode == 2
    assert "not allowed with argument" in out.stderr
    out = nusim("run", "--help")
    assert out.returncode == 0
    assert "nusim run --list" in out.stdout
    assert "--out DIR" in out.stdout
    assert "relative to the folder of the\nstudy file" in out.stdout


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_results_still_land_in_repo_output(path, tmp_path, monkeypatch):
    # output_dir = "../output/<name>" beside runs/: <repo>/output/<name>, from any directory
    monkeypatch.chdir(tmp_path)
    study = load_study(path)["study"]
    assert Path(study["output_dir"]) == ROOT / "output" / study["name"]


def test_gitignore_keeps_output_out_of_git():
    out = subprocess.run(["git", "check-ignore", "-q", "output/reactor-proposal/results.json"],
                         cwd=ROOT, capture_output=True)
    assert out.returncode == 0


def test_output_dir_resolves_against_the_study_file_not_the_cwd(tmp_path):
    folder = tmp_path / "studies"
    folder.mkdir()
    study = folder / "small.toml"
    study.write_text(f'[study]\nname = "t"\nkind = "paper_figures"\noutput_dir = "res"\n{SMALL}')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = nusim("run", str(study), "--no-progress", cwd=elsewhere)
    assert out.returncode == 0, out.stderr
    assert (folder / "res" / "results.json").stat().st_size > 0
    assert not (elsewhere / "res").exists()
    doc = json.loads((folder / "res" / "results.json").read_text())
    assert Path(doc["config"]["study"]["output_dir"]) == folder / "res"


def test_out_option_is_relative_to_the_cwd_and_overrides(tmp_path):
    folder = tmp_path / "studies"
    folder.mkdir()
    study = folder / "small.toml"
    study.write_text(f'[study]\nname = "t"\nkind = "paper_figures"\noutput_dir = "res"\n{SMALL}')
    out = nusim("run", str(study), "--out", "typed", "--no-progress", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "typed" / "results.json").is_file()
    assert not (folder / "res").exists()
    assert not (folder / "typed").exists()


def test_absolute_and_default_output_dirs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    study = folder / "s.toml"
    target = tmp_path / "abs-out"
    study.write_text(f'[study]\nname = "t"\nkind = "paper_figures"\noutput_dir = "{target}"\n')
    assert Path(load_study(study)["study"]["output_dir"]) == target
    study.write_text('[study]\nname = "t"\nkind = "paper_figures"\n')     # default beside it
    assert Path(load_study(study)["study"]["output_dir"]) == Path("a/b/output/t")
    study.write_text('[study]\nname = "t"\nkind = "paper_figures"\noutput_dir = "../up"\n')
    assert Path(load_study(study)["study"]["output_dir"]) == Path("a/up")
    study.write_text('[study]\nname = "t"\nkind = "paper_figures"\noutput_dir = " "\n')
    with pytest.raises(ConfigError, match=r"s\.toml: study\.output_dir: empty path"):
        load_study(study)


def test_apparatus_resolves_against_the_study_file_never_the_cwd(tmp_path):
    # apparatus_torque used to fall back to the working directory when the file was not beside
    # the study; now a path is relative to the study file only, and a miss names the field
    study = tmp_path / "t.toml"
    study.write_text('[study]\nname = "t"\nkind = "apparatus_torque"\n[apparatus_torque]\n'
                     'apparatus = "geometries/example-torsion-balance.toml"\n')
    out = nusim("run", str(study), "--no-progress")           # cwd ROOT has geometries/
    assert out.returncode == 1
    assert re.search(r"t\.toml: apparatus_torque\.apparatus: apparatus file .* not found "
                     r"\(paths are relative to the study file\)", out.stderr), out.stderr
    app = ROOT / "geometries" / "example-torsion-balance.toml"
    rel = os.path.relpath(app, tmp_path)                     # "../../…/geometries/…"
    study.write_text('[study]\nname = "t"\nkind = "apparatus_torque"\n[apparatus_torque]\n'
                     f'apparatus = "{Path(rel).as_posix()}"\n')
    assert Path(load_study(study)["apparatus_torque"]["apparatus"]).resolve() == app
