"""Checks raw JSON responses against the output shapes of the Cognito service model
(src/api/cognito/model/cognito-idp.json: a stripped botocore model with `operations` and
`shapes`).

What is checked, recursively:
  structure  a JSON object; every member name is declared; `required` members present
  list       a JSON array; each element against `member`; min/max length
  map        a JSON object; keys against `key`, values against `value`
  string     a JSON string; `enum` values (lengths are not checked, see below)
  integer/long  a JSON integer (not a boolean); min/max
  boolean    true/false
  timestamp  a JSON number (epoch seconds, fractional allowed)
  blob       a JSON string
`null` is never valid: Cognito omits unset members instead.
"""

import json
import numbers

from cognate_server import MODEL_PATH

# Errors that AWS's front door returns for any operation, in addition to the modelled ones.
GENERIC_ERRORS = {
    "SerializationException", "UnknownOperationException", "InvalidAction",
    "MissingAuthenticationTokenException", "UnrecognizedClientException",
    "InvalidSignatureException", "IncompleteSignatureException", "ExpiredTokenException",
    "AccessDeniedException", "ValidationException", "InternalFailure", "ServiceUnavailable",
    "ThrottlingException", "RequestEntityTooLargeException",
}


class ServiceModel:
    def __init__(self, path=MODEL_PATH):
        with open(path) as f:
            m = json.load(f)
        self.metadata = m.get("metadata", {})
        self.operations = m["operations"]
        self.shapes = m["shapes"]

    def output_shape(self, operation):
        return self.operations[operation].get("output")

    def operation_errors(self, operation):
        return set(self.operations.get(operation, {}).get("errors", []))

    # ---- validation -------------------------------------------------------------------------
    def check_output(self, operation, value):
        """List of problems with `value` as the output of `operation` ([] when fine)."""
        if operation not in self.operations:
            return [f"unknown operation {operation}"]
        shape = self.output_shape(operation)
        if shape is None:
            if value != {}:
                return [f"{operation} has no output shape; expected {{}}, got {value!r}"]
            return []
        return self.check(shape, value)

    def check(self, shape_name, value, path="$"):
        problems = []
        self._check(shape_name, value, path, problems)
        return problems

    def _check(self, shape_name, value, path, problems):
        shape = self.shapes[shape_name]
        t = shape["type"]
        if value is None:
            problems.append(f"{path}: null (unset members must be omitted) [{shape_name}]")
            return
        if t == "structure":
            if not isinstance(value, dict):
                problems.append(f"{path}: expected object for {shape_name}, got {_jt(value)}")
                return
            members = shape.get("members", {})
            for k, v in value.items():
                if k not in members:
                    problems.append(f"{path}: member {k!r} is not in {shape_name} "
                                    f"(members: {sorted(members)})")
                    continue
                self._check(members[k]["shape"], v, f"{path}.{k}", problems)
            for r in shape.get("required", []):
                if r not in value:
                    problems.append(f"{path}: required member {r!r} of {shape_name} missing")
        elif t == "list":
            if not isinstance(value, list):
                problems.append(f"{path}: expected array for {shape_name}, got {_jt(value)}")
                return
            self._bounds(shape, len(value), f"{path} (length)", shape_name, problems)
            for i, v in enumerate(value):
                self._check(shape["member"]["shape"], v, f"{path}[{i}]", problems)
        elif t == "map":
            if not isinstance(value, dict):
                problems.append(f"{path}: expected object (map) for {shape_name}, got {_jt(value)}")
                return
            self._bounds(shape, len(value), f"{path} (entries)", shape_name, problems)
            for k, v in value.items():
                self._check(shape["key"]["shape"], k, f"{path}<key {k!r}>", problems)
                self._check(shape["value"]["shape"], v, f"{path}[{k!r}]", problems)
        elif t == "string":
            if not isinstance(value, str):
                problems.append(f"{path}: expected string for {shape_name}, got {_jt(value)}")
                return
            if "enum" in shape and value not in shape["enum"]:
                problems.append(f"{path}: {value!r} is not one of {shape_name} {shape['enum']}")
            # No length checks: the live service itself returns SchemaAttributes names longer
            # than CustomAttributeNameType's max of 20 ("phone_number_verified").
        elif t in ("integer", "long"):
            if isinstance(value, bool) or not isinstance(value, int):
                problems.append(f"{path}: expected integer for {shape_name}, got {_jt(value)} "
                                f"{value!r}")
                return
            self._bounds(shape, value, path, shape_name, problems)
        elif t == "boolean":
            if not isinstance(value, bool):
                problems.append(f"{path}: expected boolean for {shape_name}, got {_jt(value)}")
        elif t == "timestamp":
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                problems.append(f"{path}: expected epoch-seconds number for {shape_name}, "
                                f"got {_jt(value)} {value!r}")
        elif t == "blob":
            if not isinstance(value, str):
                problems.append(f"{path}: expected base64 string for {shape_name}, got {_jt(value)}")
        else:
            problems.append(f"{path}: shape {shape_name} has unsupported type {t}")

    @staticmethod
    def _bounds(shape, n, path, shape_name, problems):
        if "min" in shape and n < shape["min"]:
            problems.append(f"{path}: {n} is below min {shape['min']} of {shape_name}")
        if "max" in shape and n > shape["max"]:
            problems.append(f"{path}: {n} is above max {shape['max']} of {shape_name}")

    def check_error_body(self, operation, body):
        """Problems with an error body {"__type", "message"} for `operation`."""
        problems = []
        if not isinstance(body, dict):
            return [f"error body is not a JSON object: {body!r}"]
        t = body.get("__type")
        if not isinstance(t, str) or not t:
            problems.append(f"error body lacks a string __type: {body!r}")
        msg = body.get("message", body.get("Message"))
        if msg is not None and not isinstance(msg, str):
            problems.append(f"error message is not a string: {body!r}")
        if "message" not in body:
            problems.append(f"error body lacks lower-case 'message': {body!r}")
        return problems


def _jt(v):
    return {dict: "object", list: "array", str: "string", bool: "boolean",
            int: "integer", float: "number", type(None): "null"}.get(type(v), type(v).__name__)


_MODEL = None


def model():
    global _MODEL
    if _MODEL is None:
        _MODEL = ServiceModel()
    return _MODEL
