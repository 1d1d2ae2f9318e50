"""`regsys-contracts export-schemas DIR`: write one JSON Schema file per event type and version."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from contracts import CATALOGUE, Envelope


def schema_documents() -> dict[str, dict]:
    """File name -> JSON Schema, for the envelope and every registered event."""
    docs = {"envelope.json": Envelope.model_json_schema()}
    for (event_type, version), model in sorted(CATALOGUE.items()):
        schema = model.model_json_schema()
        schema["x-topic"] = model.topic.value
        docs[f"{event_type}.v{version}.json"] = schema
    return docs


def export_schemas(target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schema_documents().items():
        path = target / name
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(prog="regsys-contracts")
    sub = parser.add_subparsers(dest="command", required=True)
    export = sub.add_parser("export-schemas", help="write JSON Schema for every event")
    export.add_argument("target", type=Path)
    args = parser.parse_args()
    for path in export_schemas(args.target):
        print(path)


if __name__ == "__main__":
    main()
