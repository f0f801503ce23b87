# Newsroom pipeline. `make demo` runs it, `make test` is everything CI runs.
# Every target installs what it needs: Go modules through the Go proxy,
# protoc from Debian's packages, Kafka and Elasticsearch through Maven.

SHELL        := /bin/bash
.SHELLFLAGS  := -eu -o pipefail -c
MODULES      := proto services/pipeline services/ingest services/classify services/index services/pipelinectl
SERVICES     := ingest classify index
BIN          := $(CURDIR)/bin
CACHE        := $(CURDIR)/.cache
SHARED       ?= $(abspath $(CURDIR)/../shared)
VERSION      ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS      := -X github.com/deskwire/newsroom/services/pipeline/buildinfo.Version=$(VERSION)
PROTOC_GEN_GO_VERSION := v1.36.12
VTPROTO_VERSION       := v0.6.0
# protoc-gen-go writes the messages; protoc-gen-go-vtproto their reflection-free
# codec (MarshalVT/UnmarshalVT), which record uses on the hot path.
PROTOC_ARGS  = -I . -I /usr/include --go_out=$(1) --go_opt=module=github.com/deskwire/newsroom/proto \
  --go-vtproto_out=$(1) --go-vtproto_opt=module=github.com/deskwire/newsroom/proto,features=marshal+unmarshal+unmarshal_unsafe+size \
  newsroom/v1/*.proto
export KAFKA_BROKERS      ?= 127.0.0.1:9092
export ELASTICSEARCH_URL  ?= http://127.0.0.1:9200

.PHONY: all build test vet proto proto-check tools eval demo up down \
        infra-up infra-secure-up infra-down infra-status deploy-check bench clean help go-test browser-deps web-test

all: build

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sort

build: ## build bin/ingest bin/classify bin/index bin/pipelinectl
	@mkdir -p $(BIN)
	@for s in $(SERVICES); do go build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/$$s ./services/$$s; done
	@go build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/pipelinectl ./services/pipelinectl
	@echo "built: $$(ls $(BIN) | tr '\n' ' ')"

vet: ## go vet every module
	@for m in $(MODULES); do (cd $$m && go vet ./...); done

# --- protobuf ---------------------------------------------------------------
$(CACHE)/bin/protoc-gen-go:
	@mkdir -p $(CACHE)/bin
	GOBIN=$(CACHE)/bin go install google.golang.org/protobuf/cmd/protoc-gen-go@$(PROTOC_GEN_GO_VERSION)

$(CACHE)/bin/protoc-gen-go-vtproto:
	@mkdir -p $(CACHE)/bin
	GOBIN=$(CACHE)/bin go install github.com/planetscale/vtprotobuf/cmd/protoc-gen-go-vtproto@$(VTPROTO_VERSION)

tools: $(CACHE)/bin/protoc-gen-go $(CACHE)/bin/protoc-gen-go-vtproto ## install protoc (Debian package), protoc-gen-go and protoc-gen-go-vtproto
	@command -v protoc >/dev/null || { echo "installing protobuf-compiler"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler) >/dev/null \
	  || { echo "could not install protoc: install Debian's protobuf-compiler package"; exit 1; }; }

proto: tools ## regenerate proto/newsroomv1 from proto/newsroom/v1/*.proto
	cd proto && PATH=$(CACHE)/bin:$$PATH protoc $(call PROTOC_ARGS,.)

proto-check: tools ## fail when the committed generated code is out of date
	@tmp=$$(mktemp -d); cd proto && PATH=$(CACHE)/bin:$$PATH protoc $(call PROTOC_ARGS,$$tmp) && \
	  if ! diff -r $$tmp/newsroomv1 newsroomv1 >/dev/null; then \
	    diff -r $$tmp/newsroomv1 newsroomv1 | head -20; rm -rf $$tmp; \
	    echo "proto/newsroomv1 is out of date: run 'make proto' and commit"; exit 1; fi; \
	  rm -rf $$tmp; echo "proto: generated code up to date"

# --- local infrastructure ---------------------------------------------------
infra-up: ## start Kafka and Elasticsearch (fetched through mvn on first use)
	@scripts/infra.sh up

infra-secure-up: ## start the secured Elasticsearch node of the security tests (Kafka's TLS + SCRAM listener comes with infra-up)
	@scripts/infra.sh up elasticsearch-secure

infra-down: ## stop Kafka and both Elasticsearch nodes
	@scripts/infra.sh down
	@scripts/infra.sh down elasticsearch-secure

infra-status: ## show whether Kafka and Elasticsearch run
	@scripts/infra.sh status

up: build infra-up ## start infrastructure and the three services in the background (.run/)
	@scripts/services.sh up

down: ## stop the three services and the infrastructure
	@scripts/services.sh down
	@scripts/infra.sh down
	@scripts/infra.sh down elasticsearch-secure

demo: up ## run the pipeline, load the dev articles, show searches
	@scripts/demo.sh

# --- quality ----------------------------------------------------------------
eval: build ## score classify batch on ../shared/eval/dev and dev2, and per topic group
	@mkdir -p $(CACHE)
	@for set in dev dev2; do \
	  test -f $(SHARED)/eval/$$set/articles.jsonl || { echo "no $(SHARED)/eval/$$set/articles.jsonl: set SHARED=path/to/shared"; exit 1; }; \
	  $(BIN)/classify batch --log-level warn < $(SHARED)/eval/$$set/articles.jsonl > $(CACHE)/eval-$$set.ndjson; \
	  echo "== $$set"; python3 $(SHARED)/eval/score.py $(SHARED)/eval/$$set/articles.jsonl $(CACHE)/eval-$$set.ndjson; done
	@python3 scripts/eval/groups.py scripts/eval/groups.tsv $(SHARED)/eval/score.py $(CACHE) \
	  $(SHARED)/eval/dev/articles.jsonl:$(CACHE)/eval-dev.ndjson $(SHARED)/eval/dev2/articles.jsonl:$(CACHE)/eval-dev2.ndjson

# --- tests ------------------------------------------------------------------
test: tools proto-check vet build deploy-check web-test browser-deps infra-up infra-secure-up ## everything CI runs
	@$(MAKE) --no-print-directory go-test

web-test: ## unit tests of the desk page's scripts (node --test)
	@node --test services/index/internal/web/jstest/ 2>&1 | grep -E '^# (tests|pass|fail)|^not ok' ; exit $${PIPESTATUS[0]}

browser-deps: ## install headless Chromium (Debian's package) and the pinned axe-core for the page's browser tests
	@scripts/chromium.sh
	@scripts/web/axe.sh >/dev/null

go-test:
	@export INTEGRATION=1 EVAL_REQUIRED=1 SHARED_DIR=$(SHARED) NEWSROOM_BIN=$(BIN); \
	for m in $(MODULES); do echo "== go test -race $$m"; \
	  (cd $$m && go test -race -count=1 -timeout 15m $$(go list ./... | grep -v '/e2e$$')); done; \
	echo "== go test services/pipelinectl/e2e (the three binaries from outside: no unit tests, so no -race)"; \
	(cd services/pipelinectl && go test -count=1 -timeout 15m ./e2e); \
	echo "== fault tests (stop and start Kafka and Elasticsearch; run alone)"; \
	cd services/pipelinectl && go test -count=1 -tags faults -p 1 -timeout 30m -run '^TestFault' -v ./e2e 2>&1 \
	  | grep -E '^(=== RUN|--- |PASS|FAIL|ok|panic)|faults_test.go|harness_test.go'; exit $${PIPESTATUS[0]}

deploy-check: ## render every kustomize overlay and validate it offline
	@cd deploy/check && GOWORK=off go test -count=1 ./... && GOWORK=off go run . ../k8s

bench: build infra-up ## benchmarks against the real servers (not part of make test)
	@scripts/bench.sh

clean: ## remove binaries and run state (keeps the Maven/Kafka caches)
	rm -rf $(BIN) .run
