from pathlib import Path

from institutions.import_cli import IMPORT_INSTITUTIONS
from institutions.settings import Settings
from regsys_runtime import cli

SERVICE_DIR = Path(__file__).resolve().parents[2]


def main() -> None:
    cli.run(
        settings_class=Settings,
        app_factory="institutions.main:create_app",
        service_dir=SERVICE_DIR,
        commands={"import-institutions": IMPORT_INSTITUTIONS},
    )


if __name__ == "__main__":
    main()
