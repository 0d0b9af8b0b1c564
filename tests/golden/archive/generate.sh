#!/bin/sh
# Regenerate the archive golden files: the entry list of each real app as Info-ZIP's zipinfo
# (Debian package `unzip`) prints it, a tool we did not write. tests/archive.rs compares our
# central-directory parse (names, sizes, compressed sizes, method) against these files.
# Inputs: the pinned corpus (scripts/fetch-corpus.sh) and ../shared/corpus/apps when present
# (set DISCLOSE_SHARED to that shared folder when the repository sits elsewhere).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
corpus=${DISCLOSE_CORPUS:-$HOME/.cache/disclose-corpus}
shared="${DISCLOSE_SHARED:-$here/../../../../shared}/corpus/apps"
for f in "$corpus"/apps/*.apk "$shared"/*.apk "$shared"/*.ipa; do
    [ -f "$f" ] || continue
    name=$(basename "$f")
    # Drop the first line (it names the local path); keep everything else verbatim.
    zipinfo -l "$f" | tail -n +2 > "$here/$name.zipinfo"
    echo "wrote $name.zipinfo"
done
