#!/usr/bin/env bash
# Makes a release (docs/releasing.md): tools/release.sh VERSION NEXT, e.g. tools/release.sh 0.2.0 0.3.0-SNAPSHOT
#  1. sets VERSION in every pom and CITATION.cff, and dates CHANGELOG.md's Unreleased section;
#  2. builds and tests everything with the release profile (sources, javadoc, SBOM; japicmp checks
#     rnn-api against the 0.1.0 baseline) and publishes into target/repository, laid out as Maven Central;
#  3. writes target/dist/: rnn-VERSION.tar.gz and .zip, the SBOM, SHA-256 sums;
#  4. commits "Release VERSION", tags vVERSION, then sets NEXT and commits that.
# Nothing is pushed or uploaded. --no-git stops after 3 and leaves the version change uncommitted.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
git_steps=1
args=()
for a in "$@"; do
  case "$a" in
    --no-git) git_steps=0 ;;
    *) args+=("$a") ;;
  esac
done
version=${args[0]:-}
next=${args[1]:-}
if ! [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || ! [[ $next =~ ^[0-9]+\.[0-9]+\.[0-9]+-SNAPSHOT$ ]]; then
  echo "usage: tools/release.sh VERSION NEXT-SNAPSHOT [--no-git]  (for example: tools/release.sh 0.2.0 0.3.0-SNAPSHOT)" >&2
  exit 2
fi
if [ "$git_steps" = 1 ]; then
  [ -z "$(git status --porcelain)" ] || { echo "release: the work tree has uncommitted changes; commit or stash them first" >&2; exit 2; }
  ! git rev-parse -q --verify "refs/tags/v$version" >/dev/null || { echo "release: the tag v$version exists already" >&2; exit 2; }
fi
grep -q '^## \[Unreleased\]' CHANGELOG.md || { echo "release: CHANGELOG.md has no '## [Unreleased]' section to release" >&2; exit 2; }
. tools/jdk.sh
rnn_find_jdk
rnn_quiet_maven_on_new_jdks
rnn_require_maven

tools/set-version.sh "$version"
sed -i "s|^## \[Unreleased\].*|## [$version] — $(date -u +%Y-%m-%d)|" CHANGELOG.md

echo "release: building, testing and publishing $version into target/repository (the whole suite: several minutes)..." >&2
rm -rf target/repository target/dist
mvn -B -ntp -Prelease deploy
# The SBOM of every module's dependencies, once all of them are installed.
mvn -B -ntp -q org.cyclonedx:cyclonedx-maven-plugin:makeAggregateBom
mkdir -p target/dist
cp "rnn-dist/target/rnn-$version.tar.gz" "rnn-dist/target/rnn-$version.zip" target/dist/
cp "target/rnn-$version-sbom.json" target/dist/
(cd target/dist && sha256sum -- * > SHA256SUMS)
echo "release: $version is in target/repository and target/dist:" >&2
ls -l target/dist >&2

if [ "$git_steps" = 1 ]; then
  git commit -q -am "Release $version"
  git tag -a "v$version" -m "rnn-bptt $version"
  tools/set-version.sh "$next"
  # A new Unreleased section above the release's.
  sed -i "0,/^## \[$version\]/s||## [Unreleased] — $next\n\n## [$version]|" CHANGELOG.md
  git commit -q -am "Start $next"
  echo "release: tagged v$version and moved to $next; nothing was pushed" >&2
fi
