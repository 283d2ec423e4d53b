"""Study files through the shared schema (nusim/schema/study.py): a malformed file of every kind
fails with a ConfigError naming the file and the dotted field, with the allowed keys or values
listed, and a well-formed one gives the parameters the studies read."""

import copy
import subprocess
import sys
from pathlib import Path

import pytest

from nusim.errors import ConfigError
from nusim.schema import study as schema
from nusim.studies.run import load_study

ROOT = Path(__file__).resolve().parents[2]
GEOM = ROOT / "geometries"
REACTOR = {"source": "reactor", "thermal_power_GW": 2.9, "distance_m": 10.0,
           "direction": [-1.0, 0.0, 0.0]}

#: a minimal well-formed file of each kind (the [study] table is added by _write)
BASE = {
    "reactor_signal": {"reactor_signal": {"apparatus": str(GEOM / "reactor-proposal.toml")},
                       "beams": [REACTOR]},
    "day_modulation": {"day_modulation": {"apparatus": str(GEOM / "example-torsion-balance.toml"),
                                          "dates": ["2026-06-21"]},
                       "beams": [{"source": "sun"}]},
    "smearing": {"smearing": {"scans": [{"regime": "point", "variable": "separation_m",
                                         "values": [0.1]}]}},
    "realistic_table": {"realistic_table": {"experiments": [
        {"apparatus": str(GEOM / "reactor-proposal.toml"), "sensitivity": "washington-1999",
         "beams": [REACTOR]}]}},
    "apparatus_torque": {"apparatus_torque": {"apparatus": str(GEOM / "example-torsion-balance"
                                                                     ".toml")}},
    "paper_figures": {"paper_figures": {}},
    "directional_suppression": {"directional_suppression": {}},
    "directional_convergence": {"directional_convergence": {}},
    "design_search": {"design_search": {"parameters": {"gap_m": {"min": 0.01, "max": 0.08}}},
                      "beams": [REACTOR]},
}


def _toml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return repr(v)


def _toml(doc, prefix=""):
    """A small TOML writer (tables, arrays of tables, strings, numbers, booleans, lists)."""
    lines, subs = [], []
    for k, v in doc.items():
        if isinstance(v, dict):
            subs.append((k, v, False))
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            subs.append((k, v, True))
        else:
            lines.append(f"{k} = {_toml_value(v)}")
    for k, v, many in subs:
        name = f"{prefix}.{k}" if prefix else k
        for t in (v if many else [v]):
            lines += ["", f"[[{name}]]" if many else f"[{name}]", _toml(t, name)]
    return "\n".join(lines)


def _write(tmp_path, kind, doc):
    path = tmp_path / "s.toml"
    path.write_text(_toml({"study": {"name": "t", "kind": kind}, **doc}) + "\n")
    return path


def _set(doc, where, value):
    """doc with the dotted ``where`` (list indices as numbers) set to ``value`` (None: del)."""
    doc = copy.deepcopy(doc)
    *parents, last = [int(p) if p.isdigit() else p for p in where.split(".")]
    node = doc
    for p in parents:
        node = node[p]
    if value is None:
        del node[last]
    else:
        node[last] = value
    return doc


# (kind, dotted key, value (None: delete the key), the field in the message, the message)
CASES = [
    # reactor_signal
    ("reactor_signal", "reactor_signal.colour", 1, r"reactor_signal\.colour",
     r"unknown key\. Allowed keys here: angles_deg, apparatus, estimator, gravity_samples, "
     r"harmonics, replicas, samples, scan_attractor_angle_deg, scan_azimuths_deg, scan_cores, "
     r"seed, sensitivity, time_utc"),
    ("reactor_signal", "reactor_signal.samples", "many", r"reactor_signal\.samples",
     r"expected int, got 'many'"),
    ("reactor_signal", "reactor_signal.replicas", 1, r"reactor_signal\.replicas",
     r"must lie in \[2, 1000\] replicas .*got 1"),
    ("reactor_signal", "reactor_signal.apparatus", None, r"reactor_signal\.apparatus",
     r"missing required key"),
    ("reactor_signal", "reactor_signal.estimator", "lucky", r"reactor_signal\.estimator",
     r"unknown estimator 'lucky'\. Known: auto, wake, pairs"),
    ("reactor_signal", "beams.0.thermal_power_GW", -1.0, r"beams\[0\]\.thermal_power_GW",
     r"must be > 0 \[GW\]"),
    ("reactor_signal", "beams.0.fuel", "mox", r"beams\[0\]\.fuel",
     r"unknown fuel 'mox'\. Known: daya-bay, "),
    # day_modulation
    ("day_modulation", "day_modulation.colour", 1, r"day_modulation\.colour",
     r"unknown key\. Allowed keys here: apparatus, attractor_angle_deg, dates, "),
    ("day_modulation", "day_modulation.n_times", 2.5, r"day_modulation\.n_times",
     r"expected int, got 2\.5"),
    ("day_modulation", "day_modulation.n_times", 3, r"day_modulation\.n_times",
     r"must lie in \[5, 1440\] times per day"),
    ("day_modulation", "day_modulation.dates", None, r"day_modulation\.dates",
     r"missing required key"),
    ("day_modulation", "beams.0.source", "pulsar", r"beams\[0\]\.source",
     r"unknown source 'pulsar'\. Known: reactor, sun, supernova"),
    ("day_modulation", "day_modulation.dates", ["2026-13-01"], r"day_modulation\.dates\[0\]",
     r"'2026-13-01' is not a date YYYY-MM-DD"),
    ("day_modulation", "beams.0.model", "B99", r"beams\[0\]\.model",
     r"unknown solar model 'B99'\. Known: B16-GS98, B16-AGSS09met, BS05-OP"),
    # smearing
    ("smearing", "smearing.sample", 10, r"smearing\.sample", r"unknown key\. Allowed keys "
     r"here: beam_angle_rad, body_radius_m, criterion_samples, "),
    ("smearing", "smearing.energy_MeV", "1 MeV", r"smearing\.energy_MeV",
     r"expected float, got '1 MeV'"),
    ("smearing", "smearing.replicas", 1, r"smearing\.replicas", r"must lie in \[2, 1000\]"),
    ("smearing", "smearing.scans", None, r"smearing\.scans", r"missing required key"),
    ("smearing", "smearing.scans.0.regime", "cloud", r"smearing\.scans\[0\]\.regime",
     r"unknown regime 'cloud'\. Use \"point\""),
    ("smearing", "smearing.scans.0.values", [1e4], r"smearing\.scans\[0\]\.values",
     r"expected a non-empty list of numbers in \[1e-06, 1000\] for separation_m"),
    # realistic_table
    ("realistic_table", "realistic_table.experiments.0.colour", 3,
     r"realistic_table\.experiments\[0\]\.colour", r"unknown key\. Allowed keys here: "
     r"apparatus, attractor_angle_deg, beams, "),
    ("realistic_table", "realistic_table.n_times", "8", r"realistic_table\.n_times",
     r"expected int, got '8'"),
    ("realistic_table", "realistic_table.experiments.0.max_terms", 5,
     r"realistic_table\.experiments\[0\]\.max_terms", r"must lie in \[10, 1e6\] pair terms"),
    ("realistic_table", "realistic_table.experiments.0.sensitivity", None,
     r"realistic_table\.experiments\[0\]\.sensitivity", r"missing required key"),
    ("realistic_table", "realistic_table.experiments.0.sensitivity", "nowhere",
     r"realistic_table\.experiments\[0\]\.sensitivity",
     r"unknown table-4 entry 'nowhere'\. Known: washington-2007, "),
    ("realistic_table", "realistic_table.experiments.0.beams.0.core_radius_m", 1500.0,
     r"realistic_table\.experiments\[0\]\.beams\[0\]\.core_radius_m",
     r"1500\.0 m is not a reactor core; lengths are in metres"),
    ("realistic_table", "realistic_table.experiments.0.apparatus", "nothing.toml",
     r"realistic_table\.experiments\[0\]\.apparatus",
     r"apparatus file '.*nothing\.toml' not found \(paths are relative to the study file\)"),
    # apparatus_torque
    ("apparatus_torque", "apparatus_torque.colour", 1, r"apparatus_torque\.colour",
     r"unknown key\. Allowed keys here: alpha, angles_deg, apparatus, kernel, lambda_m, "
     r"method, replicas, samples, seed"),
    ("apparatus_torque", "apparatus_torque.samples", 1.5, r"apparatus_torque\.samples",
     r"expected int, got 1\.5"),
    ("apparatus_torque", "apparatus_torque.samples", 8, r"apparatus_torque\.samples",
     r"must lie in \[16, 1e7\] points per body"),
    ("apparatus_torque", "apparatus_torque.apparatus", None, r"apparatus_torque\.apparatus",
     r"missing required key"),
    ("apparatus_torque", "apparatus_torque.kernel", "coulomb", r"apparatus_torque\.kernel",
     r"unknown kernel 'coulomb'\. Known: gravity, yukawa"),
    # paper_figures (every key optional: the missing key is the [study] table's)
    ("paper_figures", "paper_figures.colour", 1, r"paper_figures\.colour",
     r"unknown key\. Allowed keys here: fig3_alphas_deg, "),
    ("paper_figures", "paper_figures.fig4_ell_max", "far", r"paper_figures\.fig4_ell_max",
     r"expected float, got 'far'"),
    ("paper_figures", "paper_figures.fig4_ell_max", 5000.0, r"paper_figures\.fig4_ell_max",
     r"must lie in \[1, 2000\] \(the quadrature of eq\. 4\.8 costs ∝ ℓ²\), got 5000\.0"),
    ("paper_figures", "study.name", None, r"study\.name", r"missing required key"),
    ("paper_figures", "paper_figures.material_attractor", "Xx",
     r"paper_figures\.material_attractor", r"'Xx' is not a chemical element symbol\. Give a "
     r"chemical symbol, e\.g\. \"U\""),
    # directional_suppression
    ("directional_suppression", "directional_suppression.colour", 1,
     r"directional_suppression\.colour", r"unknown key\. Allowed keys here: distance_m, "),
    ("directional_suppression", "directional_suppression.samples", "many",
     r"directional_suppression\.samples", r"expected int, got 'many'"),
    ("directional_suppression", "directional_suppression.mismatch_ratio", 1.0,
     r"directional_suppression\.mismatch_ratio", r"must lie in \(0, 1\)"),
    ("directional_suppression", "directional_suppression.material", "adamantium",
     r"directional_suppression\.material", r"unknown material 'adamantium'\. Known: aluminium"),
    # directional_convergence
    ("directional_convergence", "directional_convergence.colour", 1,
     r"directional_convergence\.colour", r"unknown key\. Allowed keys here: "
     r"antineutrinos_per_fission, "),
    ("directional_convergence", "directional_convergence.replicas", 2.5,
     r"directional_convergence\.replicas", r"expected int, got 2\.5"),
    ("directional_convergence", "directional_convergence.spectrum_components", 500,
     r"directional_convergence\.spectrum_components", r"must lie in \[2, 200\] Gaussian"),
    ("directional_convergence", "directional_convergence.pendulum_material", "unobtainium",
     r"directional_convergence\.pendulum_material", r"unknown material 'unobtainium'"),
    # design_search
    ("design_search", "design_search.colour", 1, r"design_search\.colour",
     r"unknown key\. Allowed keys here: constraints, estimator, final_samples, fresh_seed, "),
    ("design_search", "design_search.samples", "many", r"design_search\.samples",
     r"expected int, got 'many'"),
    ("design_search", "design_search.parameters", None, r"design_search\.parameters",
     r"missing required key"),
    ("design_search", "design_search.parameters.gap_m.min", -0.01,
     r"design_search\.parameters\.gap_m\.min",
     r"must be > 0 m, got -0\.01\. Lengths are in metres: 1 cm is 0\.01"),
    ("design_search", "design_search.parameters.gap_m.max", 0.005,
     r"design_search\.parameters\.gap_m\.max", r"max \(0\.005\) must exceed min \(0\.01\)"),
    ("design_search", "design_search.parameters.n_plates", {"min": 1, "max": 3},
     r"design_search\.parameters\.n_plates",
     r"n_plates is discrete: give \{choices = \[\.\.\.\]\} or a fixed value"),
    ("design_search", "design_search.parameters.pendulum_material", {"choices": ["cu"]},
     r"design_search\.parameters\.pendulum_material\.choices\[0\]",
     r"unknown material 'cu'\. Known: copper, "),
    ("design_search", "design_search.parameters.gap_m", 0.02, r"design_search\.parameters",
     r"no free parameter: give at least one \{min = …, max = …\} or \{choices = \[\.\.\.\]\}"),
    ("design_search", "design_search.noise", {"Q": 1.0}, r"design_search\.noise\.Q",
     r"unknown key\. Allowed keys here: free_period_s, integration_time_s, "),
    ("design_search", "design_search.constraints", {"min_gap_m": -1.0},
     r"design_search\.constraints\.min_gap_m", r"must be ≥ 0 \[m\], got -1\.0"),
    ("design_search", "design_search.tolerances", {"draws": 2000},
     r"design_search\.tolerances\.draws", r"must lie in \[0, 1000\] random draws"),
    ("design_search", "design_search.fresh_seed", 1, r"design_search\.fresh_seed",
     r"must differ from seed = 1 \(the re-estimate needs fresh random numbers\), got 1"),
    ("design_search", "design_search.final_samples", 50, r"design_search\.final_samples",
     r"must be 0 \(skip\) or lie in \[100, 1e8\] samples per replica per term, got 50"),
    ("design_search", "beams.0.on", False, r"beams",
     r"every reactor is off \(on = false\): nothing to optimise"),
]


@pytest.mark.parametrize(("kind", "where", "value", "field", "message"), CASES,
                         ids=[f"{c[0]}-{c[1].split('.')[-1]}={c[2]!r}" for c in CASES])
def test_malformed_study_file_of_each_kind_names_file_field_and_fix(tmp_path, kind, where,
                                                                    value, field, message):
    doc = {"study": {"name": "t", "kind": kind}, **BASE[kind]}
    doc = _set(doc, where, value)
    path = tmp_path / "s.toml"
    path.write_text(_toml(doc) + "\n")
    with pytest.raises(ConfigError, match=rf"^{path}: {field}: {message}") as info:
        load_study(path)
    # nusim's own error, raised from None: no pydantic error chained to it
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


def test_every_kind_is_declared_and_a_minimal_file_of_each_loads(tmp_path):
    assert set(BASE) == set(schema.KIND_MODELS)
    for kind, doc in BASE.items():
        p = load_study(_write(tmp_path, kind, doc))[kind]
        assert isinstance(p, dict), kind
        assert p, kind


def test_the_kind_table_is_required_where_it_has_required_keys(tmp_path):
    with pytest.raises(ConfigError, match=r"s\.toml: reactor_signal: missing required key"):
        load_study(_write(tmp_path, "reactor_signal", {"beams": [REACTOR]}))
    with pytest.raises(ConfigError, match=r"s\.toml: colour: unknown key\. Allowed keys here: "
                       r"apparatus_torque, beams, "):
        load_study(_write(tmp_path, "paper_figures", {"colour": {"x": 1}}))


def test_defaults_and_resolved_paths(tmp_path):
    """The parameters carry the declared defaults, integers where an int is declared and the
    apparatus path resolved against the study file."""
    (tmp_path / "geo").mkdir()
    app = tmp_path / "geo" / "a.toml"
    app.write_text((GEOM / "example-torsion-balance.toml").read_text())
    doc = {"apparatus_torque": {"apparatus": "geo/a.toml", "alpha": 2}}
    p = load_study(_write(tmp_path, "apparatus_torque", doc))["apparatus_torque"]
    assert p == {"apparatus": str(app), "kernel": "gravity", "alpha": 2.0, "lambda_m": 0.01,
                 "samples": 4096, "replicas": 8, "method": "sobol", "seed": 1,
                 "angles_deg": None}
    assert isinstance(p["alpha"], float)       # an int is accepted for a number


def test_a_bad_file_on_the_command_line_prints_one_line_and_no_pydantic(tmp_path):
    path = _write(tmp_path, "smearing", _set(BASE["smearing"], "smearing.replicas", True))
    out = subprocess.run([sys.executable, "-m", "nusim", "run", str(path)], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 1
    assert f"{path}: smearing.replicas: expected int, got True" in out.stderr
    assert "Traceback" not in out.stderr
    assert "pydantic" not in out.stderr.lower()


def test_design_search_keeps_the_file_order_of_free_parameters(tmp_path):
    """The free parameters keep the study file's order (the optimiser's unit-cube axes); the
    fixed ones are every other parameter, with its default where the file names none; integers
    are accepted for lengths and stay integers for counts."""
    params = {"tilt_deg": {"min": -20, "max": 20}, "n_plates": {"choices": [2, 1]},
              "gap_m": {"min": 0.01, "max": 0.08, "start": 0.05}, "offset_z_m": 0}
    doc = {"design_search": {"parameters": params, "constraints": {"min_gap_m": 0}},
           "beams": [REACTOR]}
    p = load_study(_write(tmp_path, "design_search", doc))["design_search"]
    space = p["space"]
    assert list(space["continuous"]) == ["tilt_deg", "gap_m"]
    assert space["continuous"] == {"tilt_deg": [-20.0, 20.0], "gap_m": [0.01, 0.08]}
    assert space["discrete"] == {"n_plates": [2, 1]}
    assert space["start"] == {"gap_m": 0.05}
    assert "tilt_deg" not in space["fixed"]
    assert space["fixed"]["offset_z_m"] == 0.0
    assert isinstance(space["fixed"]["offset_z_m"], float)
    assert space["fixed"]["attractor_material"] == "tungsten"        # the declared default
    assert space["constraints"]["min_gap_m"] == 0.0
    assert p["fresh_seed"] == p["seed"] + 1000
