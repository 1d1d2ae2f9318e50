from pathlib import Path

from licensing.keys_cli import LICENCE_KEYS
from licensing.register_cli import IMPORT_REGISTER
from licensing.settings import Settings
from regsys_runtime import cli

SERVICE_DIR = Path(__file__).resolve().parents[2]


def main() -> None:
    cli.run(
        settings_class=Settings,
        app_factory="licensing.main:create_app",
        service_dir=SERVICE_DIR,
        commands={"import-register": IMPORT_REGISTER, "licence-keys": LICENCE_KEYS},
    )


if __name__ == "__main__":
    main()
