#!/usr/bin/env bash
# Sets the project's version in every pom of the repository (the parent, each module's <parent>,
# the example plugin's own version and the rnn-api version it builds against): tools/set-version.sh 0.2.0
# Every pom states the version literally (Maven needs it in <parent>), so this is a textual replacement
# of the current version, read from the parent pom; it refuses when a pom does not hold it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
new=${1:?usage: tools/set-version.sh VERSION (for example 0.2.0 or 0.3.0-SNAPSHOT)}
if ! [[ $new =~ ^[0-9]+\.[0-9]+\.[0-9]+(-SNAPSHOT)?$ ]]; then
  echo "set-version: '$new' is not a version like 0.2.0 or 0.3.0-SNAPSHOT" >&2
  exit 2
fi
old=$(sed -n '/<artifactId>rnn-parent<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;q}' "$root/pom.xml")
[ -n "$old" ] || { echo "set-version: cannot read the current version from $root/pom.xml" >&2; exit 1; }
[ "$old" = "$new" ] && { echo "set-version: already at $new"; exit 0; }
mapfile -t poms < <(cd "$root" && git ls-files '*pom.xml' 2>/dev/null || find . -name pom.xml -not -path '*/target/*')
for p in "${poms[@]}"; do
  grep -q "<version>$old</version>\|<rnn.version>$old</rnn.version>" "$root/$p" \
    || { echo "set-version: $p does not mention version $old; fix it by hand first" >&2; exit 1; }
done
for p in "${poms[@]}"; do
  sed -i "s|<version>$old</version>|<version>$new</version>|g; s|<rnn.version>$old</rnn.version>|<rnn.version>$new</rnn.version>|g" "$root/$p"
done
sed -i "s|^version: .*|version: $new|" "$root/CITATION.cff"
echo "set-version: $old -> $new in ${#poms[@]} poms and CITATION.cff"
