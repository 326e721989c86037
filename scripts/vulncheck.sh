#!/usr/bin/env bash
# Runs govulncheck against a local vulnerability database and fails on a
# vulnerability that the code reaches and that has a fix. Reachable ones
# without a fix (Echo v4's GO-2026-6872 and GO-2026-6875, mitigated as the
# README says) and unreachable ones are listed, not failed.
set -euo pipefail
cd "$(dirname "$0")/.."
db="${1:?usage: vulncheck.sh file:///path/to/db}"
out=$(mktemp)
govulncheck -db "$db" -format json ./... > "$out"
python3 - "$out" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
dec, i, osv, found = json.JSONDecoder(), 0, {}, {}
while i < len(text):
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        break
    obj, i = dec.raw_decode(text, i)
    if "osv" in obj:
        osv[obj["osv"]["id"]] = obj["osv"].get("summary", "")
    if "finding" in obj:
        f = obj["finding"]
        level = "symbol" if f["trace"] and f["trace"][0].get("function") else ("package" if f["trace"] and f["trace"][0].get("package") else "module")
        cur = found.get(f["osv"])
        rank = {"module": 0, "package": 1, "symbol": 2}
        if cur is None or rank[level] > rank[cur[0]]:
            found[f["osv"]] = (level, f.get("fixed_version", ""), f["trace"][0].get("module", ""))
bad = []
for vid, (level, fixed, module) in sorted(found.items()):
    verdict = "FAIL" if level == "symbol" and fixed else "ok"
    print(f"{verdict:4} {vid} {level:7} {module} fixed in: {fixed or 'no fix'}  {osv.get(vid, '')}")
    if verdict == "FAIL":
        bad.append(vid)
if bad:
    print(f"reachable vulnerabilities with a fix: {', '.join(bad)}")
    sys.exit(1)
print("no reachable vulnerability with a fix")
PY
