"""`nusim sensitivities`: table 4 of Ghosh et al., JHEP 02 (2023) 092 as a user sees it."""

import json
import re
import subprocess
import sys
from pathlib import Path

from nusim.studies import experiments

ROOT = Path(__file__).resolve().parents[2]


def nusim(*args):
    return subprocess.run([sys.executable, "-m", "nusim", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_table_lists_every_entry_with_separation_and_reference():
    out = nusim("sensitivities")
    assert out.returncode == 0, out.stderr
    text = re.sub(r"\s+", " ", out.stdout)       # references are wrapped over lines
    for key, s in experiments.TABLE_4.items():
        row = next(line for line in out.stdout.splitlines() if line.strip().startswith(key + " "))
        assert s.r_text in row, row
        assert s.paper_ref in row, row
        assert s.reference in text, key
    # the paper's printed values, as the table shows them (one decimal)
    for key, shown in (("washington-2007", "3.2e-16"), ("washington-1999", "3.0e-9"),
                       ("irvine-1985-near", "7.0e-5"), ("irvine-1985-far", "2.7e-4"),
                       ("wuhan-2012", "1.0e-3"), ("wuhan-2020", "3.0e-2"),
                       ("washington-2020", "1.0"), ("levitated-2021", "1.0e4")):
        row = next(line for line in out.stdout.splitlines() if line.strip().startswith(key + " "))
        assert f" {shown} " in row, row
    for key, lim in experiments.SOLAR_EP_LIMITS.items():
        assert key in out.stdout
        assert lim.reference in text


def test_json_round_trips_the_table():
    out = nusim("sensitivities", "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    got = {row["key"]: row for row in doc["table_4"]}
    assert list(got) == list(experiments.TABLE_4)
    for key, s in experiments.TABLE_4.items():
        assert got[key]["delta_v_over_v"] == s.delta_v_over_v
        assert got[key]["r_m"] == s.r_m
        assert got[key]["reference"] == s.reference
    assert [row["key"] for row in doc["solar_ep_limits"]] == list(experiments.SOLAR_EP_LIMITS)


def test_help_teaches_and_its_examples_run():
    out = nusim("sensitivities", "--help")
    assert out.returncode == 0
    examples = re.findall(r"^\s+\d\. nusim (.+?)(?:\s+#.*)?$", out.stdout, flags=re.M)
    assert examples == ["sensitivities", "sensitivities --json"]
    assert "nusim sensitivities" in nusim("--help").stdout
    # example 1 and 2 ran above (same argument lists); a wrong option is a usage error
    assert nusim("sensitivities", "--frobnicate").returncode == 2
