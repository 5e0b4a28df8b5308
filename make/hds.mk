# The project's commands, each a thin wrapper over a script in scripts/ (read the script for
# what it does). `make` alone lists them.
#
#   make push ACCOUNT=123456789012 ENV=dev      push hds:$(TAG) to ECR (REGION=us-west-1)
#   make deploy ENV=prod TAG=hds-1a2b3c4        terraform plan + apply in terraform/environments/prod

.DEFAULT_GOAL := help
SHELL := /bin/bash

ENV ?= dev
REGION ?= us-west-1
ACCOUNT ?=
TAG ?= hds-$(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)

.PHONY: help build test run image push deploy bench fmt lint clean

help: ## list the targets (this)
	@echo "make TARGET [ENV=dev|prod] [TAG=…] [ACCOUNT=…] [REGION=…]"
	@awk 'BEGIN { FS = ":.*## " } /^[a-z][a-z-]*:.*## / { printf "  %-8s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

build: ## build the hds binary (debug) and the web app (scripts/build)
	scripts/build

test: ## run every test, as CI does (scripts/test)
	scripts/test

run: ## start the local stack: services, API, worker, forwarders (scripts/runserver)
	scripts/runserver

image: ## build the container image hds:$(TAG) with podman (scripts/image)
	scripts/image $(TAG)

push: ## log in to ECR and push hds:$(TAG) to hds-$(ENV) (ACCOUNT=… required)
	scripts/push "$(ACCOUNT)" "$(REGION)" "$(ENV)" "$(TAG)"

deploy: ## migrate, then terraform plan + apply in terraform/environments/$(ENV) (TAG=…)
	scripts/deploy "$(ENV)" "$(TAG)"

bench: ## run the benchmarks (scripts/bench)
	scripts/bench

fmt: ## format the Rust code and terraform/ (scripts/fmt)
	scripts/fmt

lint: ## static checks: rustfmt, clippy, eslint, terraform fmt, checkov (scripts/lint)
	scripts/lint

clean: ## remove the web app build, e2e screenshots, logs and plans (not databases, not the cargo target dir)
	rm -rf frontend/dist frontend/e2e/artifacts .local/logs .local/*.tfplan .local/backup-drill .local/postman-report.json
