"""Loaded by every Python process of the client tests (PYTHONPATH points here).

Wraps requests so that every JSON response from the Cohort node under test is validated against the
Mastodon OpenAPI description (COHORT_SPEC_PATH). Mismatches are appended, one JSON object per line,
to COHORT_SPEC_REPORT; the Rust test fails when that file is not empty. Responses for endpoints the
description does not cover (among them Cohort's own API under /api/cohort/), and deviations listed in
known_deviations.json, are not failures.
"""
import json
import os
import re
import sys

_SPEC = os.environ.get("COHORT_SPEC_PATH")
_REPORT = os.environ.get("COHORT_SPEC_REPORT")
_BASE = os.environ.get("COHORT_BASE_URLS", "").split()

if _SPEC and _REPORT and os.path.exists(_SPEC):
    import requests
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    with open(_SPEC) as f:
        spec = json.load(f)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "known_deviations.json")) as f:
        deviations = json.load(f)
    # An entry without "field" excuses a whole operation; with "field", only errors at that field.
    known = {(d["method"], d["path"]) for d in deviations if "field" not in d}
    known_fields = {(d["method"], d["path"], d["field"]) for d in deviations if "field" in d}
    registry = Registry().with_resource("urn:spec", Resource.from_contents(spec, default_specification=DRAFT202012))
    routes = []
    for path, ops in spec["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"
        literal = len(re.sub(r"\{[^}]+\}", "", path))
        routes.append((literal, re.compile(pattern), path, ops))
    routes.sort(key=lambda r: -r[0])

    def _pointer(*parts):
        return "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)

    def _check(response):
        try:
            url = response.request.url
            if _BASE and not any(url.startswith(b) for b in _BASE):
                return
            method = response.request.method.lower()
            path = requests.utils.urlparse(url).path.rstrip("/") or "/"
            if path.startswith("/api/cohort/"):
                return  # Cohort's own API (docs/api.md) is not described by the Mastodon spec
            ctype = response.headers.get("content-type", "")
            if "json" not in ctype:
                return
            for _, rx, template, ops in routes:
                if rx.match(path) and method in ops:
                    break
            else:
                return
            status = str(response.status_code)
            responses = ops[method].get("responses", {})
            spec_status = status if status in responses else None
            if spec_status is None:
                return
            content = responses[spec_status].get("content", {}).get("application/json")
            if not content or "schema" not in content:
                return
            ref = "urn:spec#/" + _pointer("paths", template, method, "responses", spec_status, "content", "application/json", "schema")
            validator = Draft202012Validator({"$ref": ref}, registry=registry, format_checker=FormatChecker())
            body = response.json()
            errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
            errors = [e for e in errors
                      if not (e.path and (method.upper(), template, str(list(e.path)[-1])) in known_fields)]
            if errors and (method.upper(), template) not in known:
                with open(_REPORT, "a") as out:
                    for e in errors[:5]:
                        out.write(json.dumps({
                            "method": method.upper(), "path": template, "status": status,
                            "at": "/".join(map(str, e.path)), "error": e.message[:300],
                        }) + "\n")
            with open(_REPORT + ".checked", "a") as out:
                out.write(f"{method.upper()} {template} {status}\n")
        except Exception as exc:  # a broken check must be visible, not silent
            with open(_REPORT, "a") as out:
                out.write(json.dumps({"checker_error": repr(exc)}) + "\n")

    # Session.send is the one call every requests-based client makes (Mastodon.py through
    # Session.request, toot directly).
    _orig = requests.Session.send

    def _send(self, *args, **kwargs):
        response = _orig(self, *args, **kwargs)
        _check(response)
        return response

    requests.Session.send = _send
elif _REPORT:
    print("NOTE: Mastodon OpenAPI description not found; responses are not validated", file=sys.stderr)
