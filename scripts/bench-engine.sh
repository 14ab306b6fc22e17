#!/usr/bin/env bash
# make bench-engine: purrd's model engine side by side with llama.cpp's own
# llama-bench on the same GGUF files, in alternating rounds, each figure
# printed as a ratio to upstream llama-bench (docs/models.md, "Engine speed").
#
# Rows, per model:
#   upstream    llama-bench of upstream llama.cpp, from the llama-cpp-python
#               sdist on PyPI (UPSTREAM_PY), built with its own CMake defaults
#               (-march=native, OpenMP, CPU repack kernels)
#   vendored    llama-bench linked against the very objects purrd's cgo build
#               compiled from ollama's vendored llama.cpp (taken from Go's
#               build cache), so upstream vs vendored is the engine version
#               and upstream's build options, vendored vs purrd the binding
#   purrd-b512  `purrd bench` with llama-bench's batch (512) and context size
#   purrd       `purrd bench` as the daemon runs: brain.* defaults (auto
#               settings, batch 64) and a 1024-token context
# Figures: prompt tok/s (300 tokens, cold cache), generation tok/s (64 tokens
# after those 300; purrd's include its sampler), time to first token of the
# 300-token prompt (llama-bench: 300 / its prompt rate), peak RSS.
#
# Environment: BENCH_THREADS (1), BENCH_CPUS (a taskset list, e.g. "1";
# default: not pinned), BENCH_ROUNDS (3), BENCH_REPS (3), BENCH_MODELS
# (GGUF files; default SmolLM2 and Gemma 3 from .cache/models, fetched when
# missing), PURRD (bin/purrd), UPSTREAM_PY (0.3.36), BENCHSRC_PY (0.3.20),
# BENCH_JOBS (build jobs, 1), BENCH_OUT (where results go).
# `scripts/bench-engine.sh table A/results.jsonl B/results.jsonl` prints one
# table over the rounds of several runs.
# Builds are cached under .cache/engine-bench: a rerun only measures.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
CACHE=${BENCH_CACHE:-$ROOT/.cache/engine-bench}
UPSTREAM_PY=${UPSTREAM_PY:-0.3.36}
BENCHSRC_PY=${BENCHSRC_PY:-0.3.20}
THREADS=${BENCH_THREADS:-1}
CPUS=${BENCH_CPUS:-}
ROUNDS=${BENCH_ROUNDS:-3}
REPS=${BENCH_REPS:-3}
JOBS=${BENCH_JOBS:-1}
PURRD=${PURRD:-$ROOT/bin/purrd}
PROMPT=300
GEN=64
OUT=${BENCH_OUT:-$CACHE/results/$(date -u +%Y%m%dT%H%M%SZ)}
GO=${GO:-go}
mkdir -p "$CACHE/src" "$OUT"

pin() {
	if [ -n "$CPUS" ]; then taskset -c "$CPUS" "$@"; else "$@"; fi
}
say() { echo "bench-engine: $*" >&2; }

# --- sources: llama-cpp-python sdists carry llama.cpp with tools/llama-bench
sdist() { # version -> extracted llama.cpp folder
	local v=$1 dir="$CACHE/src/llama_cpp_python-$1"
	if [ ! -d "$dir/vendor/llama.cpp" ]; then
		if [ ! -f "$CACHE/src/llama_cpp_python-$v.tar.gz" ]; then
			say "fetching llama-cpp-python==$v (sdist) from PyPI"
			# Only the sdist of llama-cpp-python itself: its build backend
			# may come as wheels, which pip needs to read the metadata.
			pin pip download --quiet --no-deps --no-binary llama-cpp-python "llama-cpp-python==$v" -d "$CACHE/src" >&2
		fi
		tar -xzf "$CACHE/src/llama_cpp_python-$v.tar.gz" -C "$CACHE/src"
	fi
	echo "$dir/vendor/llama.cpp"
}

# --- upstream llama-bench, CMake with upstream's defaults
build_upstream() {
	local src bdir="$CACHE/upstream-$UPSTREAM_PY/build"
	src=$(sdist "$UPSTREAM_PY")
	if [ ! -x "$bdir/bin/llama-bench" ]; then
		say "building upstream llama-bench ($UPSTREAM_PY; minutes on one core)"
		pin cmake -S "$src" -B "$bdir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
			-DGGML_NATIVE=ON -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF \
			-DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_TOOLS=ON >"$bdir.cmake.log" 2>&1 ||
			{ tail -20 "$bdir.cmake.log" >&2; exit 1; }
		pin cmake --build "$bdir" -j "$JOBS" --target llama-bench >"$bdir.build.log" 2>&1 ||
			{ tail -20 "$bdir.build.log" >&2; exit 1; }
	fi
	echo "$bdir/bin/llama-bench"
}

# --- llama-bench against ollama's vendored tree, linked with purrd's own
# engine objects. Go keeps each cgo package's C objects in its build cache
# (the package archive is an ar file); `go list -export` names that archive
# for the same tags and CGO_* flags as `make build`, so these are the very
# objects bin/purrd runs. llama-bench.cpp comes from a llama-cpp-python
# release near ollama's llama.cpp (BENCHSRC_PY); its only newer-API line
# (direct I/O) is dropped and its Hugging Face download is stubbed out.
build_vendored() {
	local src dir="$CACHE/vendored" mod key
	src=$(sdist "$BENCHSRC_PY")
	mod=$($GO list -m -f '{{.Dir}}' github.com/ollama/ollama)
	# The archives of every cgo package the engine needs, built as `make build` builds them.
	local pkgs
	pkgs=$($GO list -deps -tags llama -f '{{if or .CFiles .CXXFiles}}{{if ne .ImportPath "runtime/cgo"}}{{.ImportPath}}{{end}}{{end}}' github.com/ollama/ollama/llama)
	# shellcheck disable=SC2086
	pin $GO build -trimpath -tags llama $pkgs
	local archives
	# shellcheck disable=SC2086
	archives=$($GO list -export -trimpath -tags llama -f '{{.Export}}' $pkgs)
	key=$(echo "$archives $BENCHSRC_PY $CGO_CPPFLAGS $CGO_CFLAGS $CGO_CXXFLAGS ${CGO_LDFLAGS:-}" | sha256sum | cut -c1-12)
	local bin="$dir/$key/llama-bench"
	if [ -x "$bin" ]; then echo "$bin"; return; fi
	say "building llama-bench against ollama's vendored llama.cpp (purrd's objects, key $key)"
	rm -rf "$dir/$key" && mkdir -p "$dir/$key/objs" "$dir/$key/shim"
	local i=0 a
	for a in $archives; do
		i=$((i + 1))
		mkdir -p "$dir/$key/objs/$i"
		(cd "$dir/$key/objs/$i" && ar x "$a" && rm -f _go_.o __.PKGDEF ./*.syso 2>/dev/null || true)
	done
	# Only C objects: a static library lets the linker take just the members llama-bench needs.
	find "$dir/$key/objs" -name '*.o' -print0 | xargs -0 ar rcs "$dir/$key/libengine.a"
	cat >"$dir/$key/shim/download.h" <<'EOF'
// purrd's bench: llama-bench's Hugging Face download is not built in.
#pragma once
#include <string>
struct common_download_result { std::string model_path; };
inline common_download_result common_download_model(const common_params_model &, const std::string &) { return {}; }
EOF
	sed '/mparams\.use_direct_io = use_direct_io;/d' "$src/tools/llama-bench/llama-bench.cpp" >"$dir/$key/llama-bench.cpp"
	local inc="-I$dir/$key/shim -I$mod/llama/llama.cpp/include -I$mod/llama/llama.cpp/common -I$mod/llama/llama.cpp/vendor -I$mod/ml/backend/ggml/ggml/include $CGO_CPPFLAGS"
	# shellcheck disable=SC2086
	pin ${CXX:-g++} -std=c++17 $CGO_CXXFLAGS $inc -c "$dir/$key/llama-bench.cpp" -o "$dir/$key/llama-bench.o"
	# shellcheck disable=SC2086
	pin ${CXX:-g++} -o "$bin" "$dir/$key/llama-bench.o" "$dir/$key/libengine.a" ${CGO_LDFLAGS:-} -lpthread -lm -ldl
	echo "$bin"
}

# --- the table: medians over rounds, ratio to upstream llama-bench
table() { # results.jsonl files -> the markdown table, medians over every round in them
	cat "$@" >"$CACHE/merged.jsonl"
	python3 - "$CACHE/merged.jsonl" "$THREADS" "${CPUS:-all}" "$REPS" <<'EOF'
import json, os, statistics, sys
res, threads, cpus, reps = sys.argv[1:]
rows = [json.loads(l) for l in open(res)]
tools = ["upstream", "vendored", "purrd-b512", "purrd"]
models = list(dict.fromkeys(r["model"] for r in rows))
def med(tool, model, k):
    v = [r[k] for r in rows if r["tool"] == tool and r["model"] == model]
    return statistics.median(v) if v else None
rounds = len([r for r in rows if r["tool"] == "upstream" and r["model"] == models[0]])
print(f"threads {threads}, cpus {cpus}, {rounds} alternating rounds x {reps} repetitions, medians; ratio to upstream llama-bench")
print()
print("| model | build | prompt tok/s | gen tok/s | TTFT 300 ms | peak RSS MiB |")
print("|---|---|---|---|---|---|")
for m in models:
    ref = {k: med("upstream", m, k) for k in ("prompt_tps", "gen_tps", "ttft_ms", "max_rss_kb")}
    for t in tools:
        cells = []
        for k, fmt in (("prompt_tps", "%.1f"), ("gen_tps", "%.1f"), ("ttft_ms", "%.0f"), ("max_rss_kb", "%.1f")):
            v = med(t, m, k)
            if v is None:
                cells.append("-"); continue
            shown = v / 1024 if k == "max_rss_kb" else v
            cells.append((fmt % shown) + (" (%.2f)" % (v / ref[k]) if ref[k] else ""))
        print(f"| {os.path.basename(m)} | {t} | " + " | ".join(cells) + " |")
EOF
}

if [ "${1:-}" = table ]; then # scripts/bench-engine.sh table RESULTS.jsonl...: one table over several runs
	shift
	table "$@"
	exit 0
fi
if [ "${1:-}" = vendored ]; then # build only the vendored llama-bench (a check of this script)
	: "${CGO_CPPFLAGS:?run through make (it sets the engine CGO_* flags)}"
	build_vendored
	exit 0
fi

# --- models
models=()
if [ -n "${BENCH_MODELS:-}" ]; then
	read -r -a models <<<"$BENCH_MODELS"
else
	if ! ls .cache/models/smollm2/*.gguf .cache/models/gemma3/*.gguf >/dev/null 2>&1; then
		GEMMA=1 scripts/fetch-models.sh .cache/models >&2
	fi
	models=(.cache/models/smollm2/*.gguf .cache/models/gemma3/*.gguf)
fi
[ -x "$PURRD" ] || { say "no $PURRD: run make build first"; exit 1; }

: "${CGO_CPPFLAGS:?run through make bench-engine (it sets the engine CGO_* flags)}"
UP=$(build_upstream)
VEN=$(build_vendored)
say "upstream: $UP"
say "vendored: $VEN"
say "purrd:    $PURRD ($($PURRD version | tr '\n' ' '))"

# --- runs; each appends JSON lines {tool, model, round, prompt_tps, gen_tps, ttft_ms, max_rss_kb}
RES="$OUT/results.jsonl"
: >"$RES"
rss() { awk '{print $1}' "$1" | tail -1; }

run_llama_bench() { # tool binary model round
	local tool=$1 bin=$2 m=$3 r=$4 t1="$OUT/time.$$" t2="$OUT/time2.$$"
	local common=(-m "$m" -t "$THREADS" -fa 1 -r "$REPS" -o json)
	pin /usr/bin/time -f '%M' -o "$t1" "$bin" "${common[@]}" -p "$PROMPT" -n 0 >"$OUT/pp.json" 2>"$OUT/$tool.err" ||
		{ tail -5 "$OUT/$tool.err" >&2; return 1; }
	pin /usr/bin/time -f '%M' -o "$t2" "$bin" "${common[@]}" -p 0 -n "$GEN" -d "$PROMPT" >"$OUT/tg.json" 2>>"$OUT/$tool.err" ||
		{ tail -5 "$OUT/$tool.err" >&2; return 1; }
	python3 - "$tool" "$m" "$r" "$OUT/pp.json" "$OUT/tg.json" "$(rss "$t1")" "$(rss "$t2")" "$PROMPT" >>"$RES" <<'EOF'
import json, sys
tool, model, rnd, pp, tg, r1, r2, prompt = sys.argv[1:]
pp = json.load(open(pp))[0]; tg = json.load(open(tg))[0]
print(json.dumps({"tool": tool, "model": model, "round": int(rnd), "prompt_tps": pp["avg_ts"], "gen_tps": tg["avg_ts"],
                  "ttft_ms": 1000 * int(prompt) / pp["avg_ts"], "max_rss_kb": max(int(r1), int(r2)),
                  "flash_attention": pp.get("flash_attn"), "n_ubatch": pp.get("n_ubatch"), "build": pp.get("build_commit")}))
EOF
}

run_purrd() { # tool model round extra-args...
	local tool=$1 m=$2 r=$3 t1="$OUT/time.$$"
	shift 3
	pin /usr/bin/time -f '%M' -o "$t1" "$PURRD" bench -model "$m" -threads "$THREADS" -prompt "$PROMPT" -gen "$GEN" -reps "$REPS" -json "$@" \
		>"$OUT/purrd.json" 2>"$OUT/$tool.err" || { tail -5 "$OUT/$tool.err" >&2; return 1; }
	python3 - "$tool" "$m" "$r" "$OUT/purrd.json" "$(rss "$t1")" >>"$RES" <<'EOF'
import json, sys
tool, model, rnd, f, rss = sys.argv[1:]
j = json.load(open(f))
print(json.dumps({"tool": tool, "model": model, "round": int(rnd), "prompt_tps": j["prompt_tps"], "gen_tps": j["gen_tps"],
                  "ttft_ms": j["ttft_ms"], "max_rss_kb": int(rss), "flash_attention": j["flash_attention"],
                  "n_ubatch": j["batch"], "kv_cache": j["kv_cache"], "context": j["context"]}))
EOF
}

tools=(upstream vendored purrd-b512 purrd)
for r in $(seq 1 "$ROUNDS"); do
	for m in "${models[@]}"; do
		# Rotate the order each round, so drift in the machine's load
		# falls on every tool alike.
		n=${#tools[@]}
		for k in $(seq 0 $((n - 1))); do
			tool=${tools[$(((k + r - 1) % n))]}
			say "round $r/$ROUNDS $(basename "$m") $tool"
			case $tool in
			upstream) run_llama_bench upstream "$UP" "$m" "$r" ;;
			vendored) run_llama_bench vendored "$VEN" "$m" "$r" ;;
			purrd-b512) run_purrd purrd-b512 "$m" "$r" -batch 512 ;;
			purrd) run_purrd purrd "$m" "$r" -context 1024 ;;
			esac
		done
	done
done
rm -f "$OUT"/time.* "$OUT"/time2.*

table "$RES" | tee "$OUT/table.md"
say "results in $OUT (results.jsonl, table.md)"
