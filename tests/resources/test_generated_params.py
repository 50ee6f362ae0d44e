"""The committed services, params and API facts are exactly what the scripts make."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
FACTS = ROOT / "scripts" / "api" / "v1.json"


def run_script(name: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / name), "--check"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


@pytest.mark.facts
def test_generated_services_and_params_are_up_to_date() -> None:
    result = run_script("gen_api.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout


@pytest.mark.facts
def test_the_facts_match_the_installed_stripe_package() -> None:
    result = run_script("extract_api.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_facts_describe_every_v1_operation() -> None:
    facts = json.loads(FACTS.read_text(encoding="utf-8"))
    operations = {
        (op["verb"], op["path"]) for service in facts["services"] for op in service["operations"]
    }
    assert len(operations) == 557
    assert facts["source"] == {
        "package": "stripe",
        "version": "16.1.0",
        "api_version": "2026-10-28.endive",
        "licence": "MIT (facts read from the annotations of the stripe package)",
    }
    assert {op["api"] for s in facts["services"] for op in s["operations"]} == {"v1"}
