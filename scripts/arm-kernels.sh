#!/usr/bin/env bash
# Which ggml ARM kernels the cross build really contains, per board
# (docs/models.md, "Engine speed"): cross-builds ggml's ARM kernel packages
# (vec_dot in arch/arm/quants.c, the repack gemv/gemm in arch/arm/repack.cpp,
# llamafile's tinyBLAS) exactly as `make cross-arm64 BOARD=...` does
# (same tags, CGO_* flags and -trimpath, so the same Go build-cache
# entries), takes the objects out of Go's build cache and counts the int8
# dot-product (sdot/udot), int8 matrix-multiply (smmla/ummla/usmmla) and
# fp16 vector instructions in them, overall and in the kernels that matter
# for the Q4_0/Q4_K/Q8_0 models purrd runs.
#
# Usage: scripts/arm-kernels.sh [board...]   (default: pi5 pi4 zero2; run
# through `make arm-kernels`, which passes each board's CPUFLAGS as
# CPUFLAGS_<board>, the engine's CGO_CPPFLAGS and ENGINE_QUIET, the warning
# flag the Makefile adds to CGO_CXXFLAGS)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
GO=${GO:-go}
OBJDUMP=${OBJDUMP:-aarch64-linux-gnu-objdump}
boards=("$@")
[ ${#boards[@]} -gt 0 ] || boards=(pi5 pi4 zero2)
: "${CGO_CPPFLAGS:?run through make arm-kernels (it sets the engine CGO_CPPFLAGS)}"
pkgs="github.com/ollama/ollama/ml/backend/ggml/ggml/src/ggml-cpu/arch/arm github.com/ollama/ollama/ml/backend/ggml/ggml/src/ggml-cpu/llamafile"
kernels="ggml_vec_dot_q4_0_q8_0 ggml_vec_dot_q8_0_q8_0 ggml_vec_dot_q4_K_q8_K ggml_gemv_q4_0_4x4_q8_0 ggml_gemm_q4_0_4x4_q8_0 ggml_gemm_q4_0_4x8_q8_0 ggml_gemm_q4_K_8x4_q8_K"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for b in "${boards[@]}"; do
	var="CPUFLAGS_$b"
	flags=${!var:-}
	[ -n "$flags" ] || { echo "arm-kernels: no CPUFLAGS_$b in the environment" >&2; exit 1; }
	export CGO_ENABLED=1 GOARCH=arm64 CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ CGO_CFLAGS="$flags" CGO_CXXFLAGS="$flags${ENGINE_QUIET:+ $ENGINE_QUIET}"
	# shellcheck disable=SC2086
	$GO build -trimpath -tags llama $pkgs
	mkdir -p "$work/$b"
	# shellcheck disable=SC2086
	for a in $($GO list -export -trimpath -tags llama -f '{{.Export}}' $pkgs); do
		(cd "$work/$b" && mkdir -p "$(basename "$a")" && cd "$(basename "$a")" && ar x "$a")
	done
	find "$work/$b" -name '*.o' ! -name '_go_.o' -print0 | xargs -0 "$OBJDUMP" -d --no-show-raw-insn >"$work/$b.dis" 2>/dev/null
	count() { grep -cE "^\s+[0-9a-f]+:\s+($1)" "$work/$b.dis" || true; }
	echo "== $b ($flags): $(echo | aarch64-linux-gnu-gcc $flags -dM -E - | grep -oE '__ARM_FEATURE_(DOTPROD|MATMUL_INT8|FP16_VECTOR_ARITHMETIC)' | sort | tr '\n' ' ')"
	echo "   in the objects: sdot/udot $(count '(sdot|udot)\s'), smmla/ummla/usmmla $(count '(smmla|ummla|usmmla)\s'), fp16 vector arithmetic (fmla/fmul/fadd on .8h/.4h) $(count '(fmla|fmul|fadd)\s+v[0-9]+\.[48]h'), NEON int8 widening multiply-add (smull/smlal/sadalp) $(count '(smull2?|smlal2?|sadalp)\s')"
	for k in $kernels; do
		body=$(awk -v k="<$k>:" '$2 == k {on=1; next} /^$/ {on=0} on' "$work/$b.dis")
		n=$(echo "$body" | grep -c . || true)
		sd=$(echo "$body" | grep -cE '\s(sdot|udot)\s' || true)
		mm=$(echo "$body" | grep -cE '\s(smmla|ummla|usmmla)\s' || true)
		printf '   %-28s %5d instructions, sdot/udot %3d, smmla %3d\n' "$k" "$n" "$sd" "$mm"
	done
done
