"""Names are stored in their normal form (analytics.names): the demo's regions and departments, the
synthetic county's included, so a name typed as written — full-width brackets and all — finds them."""
import json
import os
import subprocess
import sys

import pytest

from analytics import compare
from analytics.domain import synthetic_county
from analytics.names import normalise_name

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AS_WRITTEN = "示例县（合成）"          # how the county is written in Chinese text, with full-width brackets


def test_every_stored_region_and_department_name_is_in_normal_form(demo_store):
    names = demo_store.rows("SELECT region, name, short_name FROM departments")
    odd = {name for row in names for name in row if name is not None and normalise_name(name) != name}
    assert not odd
    assert normalise_name(AS_WRITTEN) in {region for region, _, _ in names}


@pytest.mark.parametrize("typed", [AS_WRITTEN, normalise_name(AS_WRITTEN), synthetic_county.COUNTY_ZH])
def test_the_county_is_found_by_its_name_as_written_or_normalised(demo_store, typed):
    department, year, expected = demo_store.rows("""
        SELECT d.name, e.year, e.id FROM evaluations e JOIN departments d ON d.id = e.department_id
        WHERE d.region = ? ORDER BY e.year DESC, d.name LIMIT 1""", [normalise_name(AS_WRITTEN)])[0]
    assert compare.find_evaluation(demo_store, department, year, typed) == expected


def test_the_command_line_shows_a_county_evaluation_for_the_region_as_written(demo_db_master):
    result = subprocess.run([sys.executable, "-m", "analytics", "show", "县教育局", "--year", "2023",
                             "--region", AS_WRITTEN, "--json"], capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, "ANALYTICS_DB": str(demo_db_master)}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["department"] == "县教育局"
