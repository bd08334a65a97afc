"""Drives the embedded schema registry through Confluent's own Python client.

Usage: confluent_client_contract.py <registry url> <subject prefix>

Every call below is one that confluent_kafka.schema_registry.SchemaRegistryClient makes against a real Confluent
Schema Registry. Each check prints PASS or FAIL with what was seen; the last line is
"RESULT: <n> passed, <m> failed" and the exit code is 1 when anything failed.
"""
import json
import sys

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

USER_V1 = json.dumps({"type": "record", "name": "User", "namespace": "test",
                      "fields": [{"name": "name", "type": "string"}]})
# Adds a field with a default: BACKWARD compatible with v1.
USER_V2 = json.dumps({"type": "record", "name": "User", "namespace": "test",
                      "fields": [{"name": "name", "type": "string"},
                                 {"name": "age", "type": "int", "default": 0}]})
# Adds a field without a default: cannot read v1 data.
USER_BREAKING = json.dumps({"type": "record", "name": "User", "namespace": "test",
                            "fields": [{"name": "name", "type": "string"},
                                       {"name": "email", "type": "string"}]})

results = {"passed": 0, "failed": 0}


def check(name, actual, expected):
    if actual == expected:
        results["passed"] += 1
        print("PASS " + name)
    else:
        results["failed"] += 1
        print("FAIL %s: expected %r, got %r" % (name, expected, actual))


def expect_error(name, call, http_status, error_code):
    try:
        outcome = call()
    except SchemaRegistryError as e:
        check(name, (e.http_status_code, e.error_code), (http_status, error_code))
        return
    check(name, "no error, returned %r" % (outcome,), "error %d/%d" % (http_status, error_code))


def same_schema(text, expected):
    return json.loads(text) == json.loads(expected)


def main(url, prefix):
    client = SchemaRegistryClient({"url": url})
    subject = prefix + "-value"
    other = prefix + "-other-value"

    id1 = client.register_schema(subject, Schema(USER_V1, "AVRO"))
    id2 = client.register_schema(subject, Schema(USER_V2, "AVRO"))
    check("register gives a new id to a new schema", id2 != id1, True)
    check("register under another subject keeps the id",
          client.register_schema(other, Schema(USER_V1, "AVRO")), id1)
    check("get_subjects lists both", {subject, other} <= set(client.get_subjects()), True)
    check("get_versions", client.get_versions(subject), [1, 2])

    latest = client.get_latest_version(subject)
    check("get_latest_version", (latest.subject, latest.version, latest.schema_id), (subject, 2, id2))
    check("get_latest_version schema", same_schema(latest.schema.schema_str, USER_V2), True)
    first = client.get_version(subject, 1)
    check("get_version 1", (first.version, first.schema_id), (1, id1))
    expect_error("get_version of a missing version", lambda: client.get_version(subject, 9), 404, 40402)
    expect_error("get_versions of a missing subject", lambda: client.get_versions(prefix + "-none"), 404, 40401)

    found = client.lookup_schema(subject, Schema(USER_V1, "AVRO"))
    check("lookup_schema", (found.subject, found.version, found.schema_id), (subject, 1, id1))
    expect_error("lookup_schema of an unknown schema",
                 lambda: client.lookup_schema(subject, Schema(USER_BREAKING, "AVRO")), 404, 40403)
    check("get_schema by id", same_schema(SchemaRegistryClient({"url": url}).get_schema(id1).schema_str, USER_V1),
          True)

    check("test_compatibility of a compatible schema", client.test_compatibility(subject, Schema(USER_V2, "AVRO")),
          True)
    check("test_compatibility of a breaking schema",
          client.test_compatibility(subject, Schema(USER_BREAKING, "AVRO")), False)
    expect_error("register of a breaking schema",
                 lambda: client.register_schema(subject, Schema(USER_BREAKING, "AVRO")), 409, 409)

    check("get_compatibility global", client.get_compatibility(), "BACKWARD")
    expect_error("get_compatibility of a subject without its own", lambda: client.get_compatibility(subject),
                 404, 40408)
    check("set_compatibility", client.set_compatibility(subject_name=subject, level="full"),
          {"compatibility": "FULL"})
    check("get_compatibility of the subject", client.get_compatibility(subject), "FULL")

    check("delete_version soft", client.delete_version(subject, 2), 2)
    check("get_versions after delete_version", client.get_versions(subject), [1])
    expect_error("get_version of a soft-deleted version", lambda: client.get_version(subject, 2), 404, 40402)
    expect_error("delete_version twice", lambda: client.delete_version(subject, 2), 404, 40406)
    check("get_latest_version after delete_version", client.get_latest_version(subject).version, 1)

    check("delete_subject soft", client.delete_subject(subject), [1])
    check("get_subjects after delete_subject", subject in client.get_subjects(), False)
    expect_error("get_versions of a soft-deleted subject", lambda: client.get_versions(subject), 404, 40401)
    expect_error("delete_subject twice", lambda: client.delete_subject(subject), 404, 40404)
    check("get_schema by id of a soft-deleted schema",
          same_schema(SchemaRegistryClient({"url": url}).get_schema(id2).schema_str, USER_V2), True)

    # The client's permanent delete soft-deletes first, then deletes permanently.
    check("delete_subject permanent", client.delete_subject(other, permanent=True), [1])
    check("get_subjects after the permanent delete", other in client.get_subjects(), False)
    expect_error("get_versions of a deleted subject", lambda: client.get_versions(other), 404, 40401)
    expect_error("delete_subject of a deleted subject", lambda: client.delete_subject(other), 404, 40401)

    print("RESULT: %d passed, %d failed" % (results["passed"], results["failed"]))
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
