"""The operator docs and the dashboard say what the code does: the configuration reference is the settings classes'
own, and every series the dashboard draws is one the services expose."""

import json
import re
from pathlib import Path

from regsys_runtime import config_reference
from regsys_runtime.metrics import Metrics
from regsys_runtime.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = ROOT / "docs" / "operations.md"
DASHBOARD = ROOT / "deploy" / "grafana" / "regsys.json"


def test_the_configuration_reference_is_what_the_settings_classes_generate():
    assert config_reference.main(["--check", str(OPERATIONS)]) == 0, (
        "run: uv run --frozen python -m regsys_runtime.config_reference docs/operations.md"
    )


def test_the_check_fails_when_a_setting_is_missing_from_the_document(tmp_path):
    drifted = tmp_path / "operations.md"
    drifted.write_text(OPERATIONS.read_text().replace("| `OUTBOX_RETENTION_SECONDS` |", "| `OUTBOX_KEEP` |"))
    assert config_reference.main(["--check", str(drifted)]) == 1


def test_every_variable_of_every_service_is_documented_with_its_default():
    text = OPERATIONS.read_text()
    for cls in [ServiceSettings, *config_reference.service_settings()]:
        for name, info in cls.model_fields.items():
            variable, _ = config_reference.variable(cls, name, info)
            if cls is ServiceSettings and not isinstance(info.validation_alias, str):
                continue  # a prefixed base setting is listed under each service
            assert f"| `{variable}` | {config_reference.default_of(info)} |" in text, variable


def test_the_dashboard_draws_only_series_the_services_expose():
    dashboard = json.loads(DASHBOARD.read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]
    assert exprs
    exposed: set[str] = set()
    for family in Metrics("demo").registry.collect():
        suffixes = ("_total",) if family.type == "counter" else ("_bucket", "_count", "_sum", "")
        exposed |= {family.name + s for s in suffixes} | {family.name}
    used = {name for e in exprs for name in re.findall(r"\b(regsys_[a-z_]+)", e)}
    assert used - exposed == set()
    assert {"regsys_outbox_backlog", "regsys_consumer_lag", "regsys_http_requests_total"} <= used
