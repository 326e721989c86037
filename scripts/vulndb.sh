#!/usr/bin/env bash
# Builds a local govulncheck database from the golang.org/x/vulndb Go module
# (the default vuln.go.dev is unreachable on these machines) and prints its
# file:// URL. See research/api-anchors.md B3.
set -euo pipefail
version="${VULNDB_VERSION:-latest}"
dir=$(GOFLAGS=-mod=mod go mod download -json "golang.org/x/vulndb@${version}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
out="${1:-$(mktemp -d)}"
mkdir -p "$out/ID" "$out/index"
python3 - "$dir/data/osv" "$out" <<'PY'
import json, os, sys
src, out = sys.argv[1], sys.argv[2]
modules, newest = {}, ""
for name in sorted(os.listdir(src)):
    if not name.endswith(".json"):
        continue
    with open(os.path.join(src, name)) as f:
        entry = json.load(f)
    with open(os.path.join(out, "ID", name), "w") as f:
        json.dump(entry, f)
    modified = entry.get("modified", "")
    newest = max(newest, modified)
    for aff in entry.get("affected", []):
        path = aff.get("package", {}).get("name")
        if not path:
            continue
        fixed = ""
        for r in aff.get("ranges", []):
            for ev in r.get("events", []):
                if "fixed" in ev:
                    fixed = ev["fixed"]
        v = {"id": entry["id"], "modified": modified}
        if fixed:
            v["fixed"] = fixed
        modules.setdefault(path, []).append(v)
with open(os.path.join(out, "index", "modules.json"), "w") as f:
    json.dump([{"path": p, "vulns": v} for p, v in sorted(modules.items())], f)
with open(os.path.join(out, "index", "db.json"), "w") as f:
    json.dump({"modified": newest}, f)
PY
echo "file://$out"
