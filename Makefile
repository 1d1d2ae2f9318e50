UV ?= uv
export UV_LINK_MODE ?= copy

.PHONY: setup dev test lint typecheck schemas bench bench-registry wheelhouse base-images compose-ci

setup:
	@command -v $(UV) >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen

dev: setup
	$(UV) run --frozen regsys-dev

lint: setup
	$(UV) run --frozen ruff check .
	$(UV) run --frozen lint-imports

typecheck: setup
	$(UV) run --frozen mypy libs/contracts/src libs/runtime/src libs/devstack/src services/*/src

schemas: setup
	$(UV) run --frozen regsys-contracts export-schemas libs/contracts/schemas

test: lint typecheck
	$(UV) run --frozen pytest

# not part of `make test`: licence verification requests/s against a bare FastAPI endpoint, same run, same machine
bench: setup
	$(UV) run --frozen python benchmarks/licence_verification.py

bench-registry: setup
	$(UV) run --frozen python benchmarks/registry_import.py --rows 1000000

# the Docker path: the wheelhouse the images install from (no index inside a build), cached by uv.lock's hash
wheelhouse: setup
	python3 deploy/images/wheelhouse.py

# local equivalents of the official base images from Debian's packages (root; no Docker Hub needed)
base-images: setup
	deploy/images/build-base-images.sh

# what CI runs after `make test`: the composed system, end to end (root; installs docker.io if missing)
compose-ci: setup
	bash deploy/ci/composed.sh
