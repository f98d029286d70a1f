#!/usr/bin/env python3
"""Extracts the facts Cognate needs from botocore's cognito-idp service model (operations, shapes,
constraints, errors, which operations are unauthenticated) and drops all documentation.

Usage: tools/gen_model.py SERVICE-2.json[.gz] > src/api/cognito/model/cognito-idp.json
The committed output came from the pyenv boto3 1.43 model (the newest on this machine kind).

Deviation from AWS (issue 5, Lambda triggers as HTTP webhooks): Cognate delivers trigger events
as HTTP POSTs, so the trigger members of LambdaConfigType and the LambdaArn of
PreTokenGenerationConfig, CustomSMSSender and CustomEmailSender use a shape of our own,
LambdaTargetType: ArnType's pattern OR an http(s) URL, at most 2048 characters. An ARN still
validates and is mapped to a URL by `cognate serve --trigger-map FILE`. KMSKeyID stays an ArnType
and InboundFederation (federation is not implemented) keeps AWS's shape.

Deviation (issue 6): DomainType's pattern admits only a prefix domain, yet Cognito takes custom
domains such as auth.example.com in the same member, so DomainType here accepts lowercase host
names up to 253 characters; identity/domains.cc applies the rules of each kind.
"""
import gzip
import json
import sys

KEEP_SHAPE = ("type", "required", "min", "max", "pattern", "enum", "sensitive", "exception",
              "fault", "error")
KEEP_MEMBER = ("shape",)

TARGET_SHAPE = "LambdaTargetType"
# An http(s) URL with a host and no whitespace; ArnType's pattern is the other alternative.
URL_PATTERN = r"https?://[^\s/?#@]+([/?#][^\s]*)?"
TRIGGER_MEMBERS = ("PreSignUp", "CustomMessage", "PostConfirmation", "PreAuthentication",
                   "PostAuthentication", "DefineAuthChallenge", "CreateAuthChallenge",
                   "VerifyAuthChallengeResponse", "PreTokenGeneration", "UserMigration")
VERSIONED_CONFIGS = ("PreTokenGenerationVersionConfigType", "CustomSMSLambdaVersionConfigType",
                     "CustomEmailLambdaVersionConfigType")


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        return json.load(f)


def accept_trigger_urls(shapes):
    """The Cognate deviation described above: trigger targets may be URLs as well as ARNs."""
    arn = shapes["ArnType"]
    shapes[TARGET_SHAPE] = {"type": "string", "min": 1, "max": 2048,
                            "pattern": f"({arn['pattern']})|({URL_PATTERN})"}
    members = shapes["LambdaConfigType"]["members"]
    for name in TRIGGER_MEMBERS:
        assert members[name]["shape"] == "ArnType", name
        members[name]["shape"] = TARGET_SHAPE
    for config in VERSIONED_CONFIGS:
        lambda_arn = shapes[config]["members"]["LambdaArn"]
        assert lambda_arn["shape"] == "ArnType", config
        lambda_arn["shape"] = TARGET_SHAPE


DOMAIN_PATTERN = r"^[a-z0-9](?:[a-z0-9\-.]{0,251}[a-z0-9])?$"


def accept_custom_domains(shapes):
    """The Cognate deviation described above: custom domains are full host names."""
    shapes["DomainType"].update({"max": 253, "pattern": DOMAIN_PATTERN})


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
    accept_trigger_urls(out["shapes"])
    accept_custom_domains(out["shapes"])
    json.dump(out, sys.stdout, indent=None, separators=(",", ":"), sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
