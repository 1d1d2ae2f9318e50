from pathlib import Path

from identity.registry_cli import IMPORT_QUALIFICATIONS
from identity.settings import Settings
from regsys_runtime import cli

SERVICE_DIR = Path(__file__).resolve().parents[2]


def main() -> None:
    cli.run(
        settings_class=Settings,
        app_factory="identity.main:create_app",
        service_dir=SERVICE_DIR,
        commands={"import-qualifications": IMPORT_QUALIFICATIONS},
    )


if __name__ == "__main__":
    main()
