#!/usr/bin/env python3
"""Extracts the facts Cognate needs from botocore's cognito-idp service model (operations, shapes,
constraints, errors, which operations are unauthenticated) and drops all documentation.

Usage: tools/gen_model.py SERVICE-2.json[.gz] > src/api/cognito/model/cognito-idp.json
The committed output came from the pyenv boto3 1.43 model (the newest on this machine kind).
"""
import gzip
import json
import sys

KEEP_SHAPE = ("type", "required", "min", "max", "pattern", "enum", "sensitive", "exception",
              "fault", "error")
KEEP_MEMBER = ("shape",)


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        return json.load(f)


def main():
    src = load(sys.argv[1])
    out = {"metadata": {k: src["metadata"][k] for k in ("apiVersion", "targetPrefix", "endpointPrefix")},
           "operations": {}, "shapes": {}}
    for name, op in sorted(src["operations"].items()):
        o = {}
        if "input" in op:
            o["input"] = op["input"]["shape"]
        if "output" in op:
            o["output"] = op["output"]["shape"]
        o["errors"] = [e["shape"] for e in op.get("errors", [])]
        if op.get("authtype") == "none" or "smithy.api#noAuth" in op.get("auth", []):
            o["noAuth"] = True
        out["operations"][name] = o
    for name, shape in sorted(src["shapes"].items()):
        s = {k: shape[k] for k in KEEP_SHAPE if k in shape}
        if "members" in shape:
            s["members"] = {m: {k: v for k, v in ms.items() if k in KEEP_MEMBER}
                            for m, ms in shape["members"].items()}
        for k in ("member", "key", "value"):
            if k in shape:
                s[k] = {"shape": shape[k]["shape"]}
        out["shapes"][name] = s
    json.dump(out, sys.stdout, indent=None, separators=(",", ":"), sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
