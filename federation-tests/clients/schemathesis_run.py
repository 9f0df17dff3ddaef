"""Runs schemathesis over the operations docs/clients.md marks as implemented, against one node.

Usage: schemathesis_run.py BASE_URL TOKEN MAX_EXAMPLES

The Mastodon OpenAPI description is read from COHORT_SPEC_PATH (never copied into the project).
Checks: no server error (5xx) and responses that fit the description. A failure of an operation
listed in known_deviations.json (with its reason) is reported but accepted; any other failure, or
an error of schemathesis itself, makes the run fail. Prints one line per failure.
"""
import base64
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(HERE, "..", "..", "docs", "clients.md")

# Implemented, but not for a request/response fuzzer: endless event streams (each answer is a
# stream that never ends) and the HTML sign-in page of the browser flow.
NOT_FUZZED = re.compile(r"^GET /api/v1/streaming/(?!health$)|^GET /oauth/authorize$")


def implemented():
    text = open(DOCS).read()
    table = text[text.index("<!-- endpoint-table:start -->"):text.index("<!-- endpoint-table:end -->")]
    ops = []
    for line in table.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) >= 5 and cells[3] in ("implemented", "empty by design"):
            op = f"{cells[1]} {cells[2].strip('`')}"
            if not NOT_FUZZED.search(op):
                ops.append(op)
    return ops


def main():
    base, token, examples = sys.argv[1], sys.argv[2], sys.argv[3]
    spec = os.environ["COHORT_SPEC_PATH"]
    with open(os.path.join(HERE, "known_deviations.json")) as f:
        known = {}
        for d in json.load(f):
            known.setdefault((d["method"], d["path"]), []).append(d)
    ops = implemented()
    report_dir = tempfile.mkdtemp(prefix="schemathesis-")
    ndjson = os.path.join(report_dir, "events.ndjson")
    summary = os.path.join(report_dir, "run.json")
    exe = os.path.join(os.path.dirname(sys.executable), "schemathesis")
    cmd = [
        exe, "run", spec, "--url", base,
        "--header", f"Authorization: Bearer {token}",
        "--checks", "not_a_server_error,response_schema_conformance",
        "--phases", "examples,coverage,fuzzing",
        "--max-examples", examples, "--no-shrink", "--seed", "20261205",
        "--workers", "2", "--request-timeout", "10",
        "--suppress-health-check", "all", "--warnings", "off",
        "--report", "ndjson,json", "--report-ndjson-path", ndjson, "--report-json-path", summary,
    ]
    for op in ops:
        cmd += ["--include-name", op]
    run = subprocess.run(cmd, capture_output=True, text=True)
    tail = (run.stdout + run.stderr)[-3000:]
    if not os.path.exists(summary):
        print(f"schemathesis produced no report (exit {run.returncode}):\n{tail}")
        return 1
    with open(summary) as f:
        report = json.load(f)
    print(f"schemathesis {report['schemathesis_version']}: {report['operations']['tested']} "
          f"operations of {len(ops)} selected, {report['test_cases']['generated']} cases, "
          f"{report['running_time']:.0f}s")
    unexpected, accepted, seen = [], [], set()
    for line in open(ndjson):
        event = json.loads(line).get("ScenarioFinished")
        if not event:
            continue
        rec = event["recorder"]
        for case_id, checks in rec.get("checks", {}).items():
            for check in checks:
                if check.get("status") != "failure":
                    continue
                failure = check["failure_info"]["failure"]
                label = failure.get("operation") or rec["label"]
                method, _, path = label.partition(" ")
                inter = rec.get("interactions", {}).get(case_id, {})
                req, resp = inter.get("request", {}), inter.get("response") or {}
                body = resp.get("content", {}).get("$base64", "")
                try:
                    body = base64.b64decode(body).decode("utf-8", "replace")[:300]
                except Exception:
                    body = ""
                key = (label, failure["code"], failure.get("message", "")[:200])
                if key in seen:
                    continue
                seen.add(key)
                line = (f"{failure['code']} {failure['title']}: {label}: {req.get('method')} "
                        f"{req.get('uri')} -> {resp.get('status_code')} {body!r}\n    "
                        + failure.get("message", "").replace("\n", "\n    ")[:1500])
                # An entry naming a field accepts only failures about that field.
                reason = next((d["reason"] for d in known.get((method, path), [])
                               if "field" not in d or d["field"] in failure.get("message", "")),
                              None)
                if reason:
                    accepted.append(line + f"\n    (known deviation: {reason})")
                else:
                    unexpected.append(line)
    for line in accepted:
        print("ACCEPTED " + line)
    for line in unexpected:
        print("FAILURE " + line)
    errors = report.get("errors") or []
    for e in errors:
        print("ERROR " + json.dumps(e)[:1500])
    if report["operations"]["tested"] == 0:
        print("no operation was tested:\n" + tail)
        return 1
    return 1 if unexpected or errors else 0


if __name__ == "__main__":
    sys.exit(main())
