#!/usr/bin/env bash
# Refreshes the repository's copy of the reference cases (golden/) from ../shared/golden,
# the source they are computed in. Tests read only the copy, so a clone tests itself.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="${1:-$root/../shared/golden}"
[ -d "$src" ] || { echo "refresh-golden: no reference cases at $src" >&2; exit 2; }
rm -rf "$root/golden.new" && mkdir -p "$root/golden.new"
cp -r "$src"/. "$root/golden.new"/
rm -rf "$root/golden" && mv "$root/golden.new" "$root/golden"
echo "refresh-golden: copied $(find "$root/golden" -name '*.json' | wc -l) cases from $src" >&2
