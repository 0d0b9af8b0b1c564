# Sourced by scripts/build-obfuscation-bench.sh and scripts/build-fingerprints.sh: binaries of a
# public repository at a commit (rows `github:OWNER/NAME` of tests/corpus/obfuscation-heldout-4.tsv
# and tests/corpus/fingerprint-versions.tsv), copied from a local clone
# ($OBF_GIT_MIRRORS/OWNER+NAME/repo, bare or with .git) into CACHE/OWNER+NAME/COMMIT once, each
# checked by sha256; prints that directory. Such binaries are never committed.
#
#   dir=$(pinned_github_files OWNER/NAME COMMIT SHA256[,SHA256…] PATH[,PATH…] CACHE_DIR)
pinned_github_files() { # $1 OWNER/NAME, $2 commit, $3 comma-separated sha256s, $4 comma-separated paths, $5 cache
  local repo=$1 commit=$2 dir="$5/${1/\//+}/$2" git_dir sha path
  local -a shas paths
  IFS=, read -r -a shas <<<"$3"
  IFS=, read -r -a paths <<<"$4"
  for i in "${!paths[@]}"; do
    path=${paths[$i]}; sha=${shas[$i]:-}
    if [[ ! -f "$dir/$path" ]]; then
      git_dir="${OBF_GIT_MIRRORS:-/nonexistent}/${repo/\//+}/repo"
      [[ -d "$git_dir/.git" ]] && git_dir="$git_dir/.git"
      [[ -d "$git_dir" ]] || { echo "pinned-github: $dir/$path missing and no clone of $repo in \$OBF_GIT_MIRRORS" >&2; return 1; }
      mkdir -p "$(dirname "$dir/$path")"
      git --git-dir="$git_dir" show "$commit:$path" >"$dir/$path" ||
        { echo "pinned-github: $repo@$commit has no $path" >&2; rm -f "$dir/$path"; return 1; }
    fi
    [[ "$(sha256sum "$dir/$path" | cut -d' ' -f1)" == "$sha" ]] ||
      { echo "pinned-github: sha256 of $dir/$path differs (want $sha)" >&2; return 1; }
  done
  echo "$dir"
}
