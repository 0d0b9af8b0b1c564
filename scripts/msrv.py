#!/usr/bin/env python3
"""Derive the minimum supported Rust version from the locked dependency graph.

Older toolchains are not available offline (`cargo +1.85` needs a download), so instead of
trying them this reads `cargo metadata` (the `rust-version` every locked crate declares) and
prints the highest one among the crates a build compiles: normal dependencies for
`cargo build`, and normal + dev dependencies for `cargo test`.

    python3 scripts/msrv.py            # prints e.g. "build: 1.88 (plist 1.10.3, ...)"
"""
import json
import subprocess
import sys


def version_key(v):
    parts = [int(x) for x in v.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def closure(resolve, root, kinds):
    nodes = {n["id"]: n for n in resolve["nodes"]}
    seen, stack = set(), [root]
    while stack:
        node = nodes[stack.pop()]
        # Dev-dependencies count only for the root; below it only normal and build ones compile.
        allowed = kinds if node["id"] == root else (None, "build")
        for dep in node["deps"]:
            wanted = any(k["kind"] in allowed for k in dep["dep_kinds"])
            if wanted and dep["pkg"] not in seen:
                seen.add(dep["pkg"])
                stack.append(dep["pkg"])
    return seen


def main():
    target = subprocess.run(["rustc", "-vV"], capture_output=True, text=True, check=True).stdout
    host = next(l.split()[1] for l in target.splitlines() if l.startswith("host:"))
    meta = json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked", "--filter-platform", host],
        capture_output=True, text=True, check=True).stdout)
    packages = {p["id"]: p for p in meta["packages"]}
    root = meta["resolve"]["root"]
    for label, kinds in (("build", (None, "build")), ("test", (None, "build", "dev"))):
        found = [packages[i] for i in closure(meta["resolve"], root, kinds)]
        versions = sorted(
            ((p["rust_version"], p["name"], p["version"]) for p in found if p.get("rust_version")),
            key=lambda t: version_key(t[0]), reverse=True)
        top = versions[0][0]
        names = ", ".join(
            f"{n} {v}" for r, n, v in versions if version_key(r) == version_key(top))
        print(f"{label}: {top} ({names})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
