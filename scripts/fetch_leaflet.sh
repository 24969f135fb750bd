#!/bin/sh
# Re-fetch the vendored map library (Leaflet and leaflet.markercluster) from npm, reproducibly:
# `npm pack` of pinned versions, checked against the registry's integrity hashes, then only the
# built files and licences are copied to borderwatch/serve/static/vendor/. Run from the repo root.
set -eu
LEAFLET_VERSION=1.9.4
MARKERCLUSTER_VERSION=1.5.3
DEST=borderwatch/serve/static/vendor
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fetch() {  # fetch <package> <version> -> unpacked into $WORK/<package>/package
    mkdir -p "$WORK/$1"
    (cd "$WORK/$1" && npm pack --silent "$1@$2" >/dev/null && tar -xzf ./*.tgz)
    expected=$(npm view "$1@$2" dist.integrity)
    actual="sha512-$(openssl dgst -sha512 -binary "$WORK/$1"/*.tgz | base64 -w0)"
    if [ "$expected" != "$actual" ]; then
        echo "integrity mismatch for $1@$2: $actual != $expected" >&2
        exit 1
    fi
}

fetch leaflet "$LEAFLET_VERSION"
fetch leaflet.markercluster "$MARKERCLUSTER_VERSION"

rm -rf "$DEST/leaflet" "$DEST/leaflet.markercluster"
mkdir -p "$DEST/leaflet/images" "$DEST/leaflet.markercluster"
src="$WORK/leaflet/package"
cp "$src/dist/leaflet.js" "$src/dist/leaflet.css" "$src/LICENSE" "$DEST/leaflet/"
cp "$src/dist/images/"*.png "$DEST/leaflet/images/"
src="$WORK/leaflet.markercluster/package"
cp "$src/dist/leaflet.markercluster.js" "$src/dist/MarkerCluster.css" "$src/dist/MarkerCluster.Default.css" \
   "$src/MIT-LICENCE.txt" "$DEST/leaflet.markercluster/"
printf 'leaflet %s\nleaflet.markercluster %s\n' "$LEAFLET_VERSION" "$MARKERCLUSTER_VERSION" > "$DEST/VERSIONS"
echo "vendored leaflet $LEAFLET_VERSION and leaflet.markercluster $MARKERCLUSTER_VERSION into $DEST"
