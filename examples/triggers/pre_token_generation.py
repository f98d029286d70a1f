"""PreTokenGeneration, V1 and V2 events: add a claim, suppress one, override the groups.

    python3 examples/triggers/pre_token_generation.py --port 9402 --secret HEX

Settings (environment): TENANT (default "acme"), the value of the added `tenant` claim.

- adds `tenant` (V1: to the ID token, the only one V1 can change; V2: to both tokens, and the
  access token also gets the scope "<tenant>/api");
- suppresses `phone_number`, which the app does not need in its tokens;
- overrides the groups: groups named "internal-*" are left out of `cognito:groups`, and every
  user is in "users". The IAM roles and preferred role are passed through unchanged: a
  groupOverrideDetails replaces all three, and a member left out removes that claim.

Version "1" comes from LambdaConfig.PreTokenGeneration (or PreTokenGenerationConfig with
LambdaVersion V1_0); version "2" (V2_0) and "3" (V3_0) answer claimsAndScopeOverrideDetails.
Claims Cognito protects (sub, iss, aud, exp, token_use, cognito:username...) cannot be changed.
"""

import os

import lambda_http

TENANT = os.environ.get("TENANT", "acme")
SUPPRESSED = ["phone_number"]


def group_override(request):
    config = request["groupConfiguration"]
    groups = [g for g in config.get("groupsToOverride") or [] if not g.startswith("internal-")]
    if "users" not in groups:
        groups.append("users")
    return {"groupsToOverride": groups,
            "iamRolesToOverride": config.get("iamRolesToOverride") or [],
            "preferredRole": config.get("preferredRole")}


def handler(event, context):
    groups = group_override(event["request"])
    if event["version"] == "1":
        event["response"]["claimsOverrideDetails"] = {
            "claimsToAddOrOverride": {"tenant": TENANT},   # V1: string values only
            "claimsToSuppress": SUPPRESSED,
            "groupOverrideDetails": groups,
        }
        return event
    event["response"]["claimsAndScopeOverrideDetails"] = {
        "idTokenGeneration": {"claimsToAddOrOverride": {"tenant": TENANT},
                              "claimsToSuppress": SUPPRESSED},
        "accessTokenGeneration": {"claimsToAddOrOverride": {"tenant": TENANT},
                                  "claimsToSuppress": SUPPRESSED,
                                  "scopesToAdd": [f"{TENANT}/api"]},
        "groupOverrideDetails": groups,
    }
    return event


if __name__ == "__main__":
    lambda_http.main(handler, description=__doc__.splitlines()[0])
