from pathlib import Path

from identity.accounts_cli import ACCOUNTS, TOKEN_KEYS
from identity.registry_cli import IMPORT_QUALIFICATIONS
from identity.settings import Settings
from regsys_runtime import cli

SERVICE_DIR = Path(__file__).resolve().parents[2]


def main() -> None:
    cli.run(
        settings_class=Settings,
        app_factory="identity.main:create_app",
        service_dir=SERVICE_DIR,
        commands={"import-qualifications": IMPORT_QUALIFICATIONS, "accounts": ACCOUNTS, "token-keys": TOKEN_KEYS},
    )


if __name__ == "__main__":
    main()
