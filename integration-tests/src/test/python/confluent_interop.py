"""Confluent's own Python client (Debian's python3-confluent-kafka) against idstream's topics and registry.

Usage: confluent_interop.py decode|compatibility|produce, with a JSON request on stdin:

  decode         {"bootstrap", "registry", "avro": [...], "raw": [...]}, each list of {"topic", "partition", "end"}:
                 reads every listed partition (read_committed) to its end of partition and prints, for each record
                 below "end", one line. Avro topics are decoded with AvroDeserializer and no reader schema (the writer
                 schema comes from the registry by the id in the record); raw topics are printed as bytes and headers.
  compatibility  {"registry", "subject", "fresh_subject"}: tests a compatible and a breaking change of the subject's
                 latest schema, then registers the schema and both changes under fresh_subject.
  produce        {"bootstrap", "registry", "topic", "key", "value"}: writes value (Avro's JSON encoding, as Java's
                 JsonEncoder writes it) with AvroSerializer under the topic's subject, as the schema registered there.

Every result is one JSON object per line on stdout. Bytes are printed as lowercase hex.
"""
import json
import sys
import time

from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient, topic_subject_name_strategy
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.serialization import MessageField, SerializationContext

READ_TIMEOUT_SECONDS = 60


def emit(**fields):
    print(json.dumps(fields, sort_keys=True), flush=True)


def plain(value):
    """A decoded Avro datum as JSON: bytes as hex, the rest as fastavro returns it."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def decode(request):
    registry = SchemaRegistryClient({"url": request["registry"]})
    deserializer = AvroDeserializer(registry)
    ends = {}
    avro_topics = set()
    for kind in ("avro", "raw"):
        for p in request[kind]:
            ends[(p["topic"], p["partition"])] = p["end"]
            if kind == "avro":
                avro_topics.add(p["topic"])
    consumer = Consumer({"bootstrap.servers": request["bootstrap"], "group.id": "confluent-interop",
                         "enable.auto.commit": False, "isolation.level": "read_committed",
                         "enable.partition.eof": True})
    consumer.assign([TopicPartition(t, p, 0) for (t, p) in ends])
    at_end = set()
    deadline = time.monotonic() + READ_TIMEOUT_SECONDS
    try:
        while len(at_end) < len(ends):
            if time.monotonic() > deadline:
                raise SystemExit("not at the end within %d s: %s" % (READ_TIMEOUT_SECONDS,
                                                                     sorted(set(ends) - at_end)))
            msg = consumer.poll(1.0)
            if msg is None:
                continue
            where = (msg.topic(), msg.partition())
            if msg.error():
                if msg.error().code() == KafkaError._PARTITION_EOF:
                    at_end.add(where)
                    continue
                raise SystemExit("cannot read %s: %s" % (where, msg.error()))
            if msg.offset() >= ends[where]:
                continue
            record = {"topic": msg.topic(), "partition": msg.partition(), "offset": msg.offset()}
            if msg.topic() in avro_topics:
                record["key"] = None if msg.key() is None else msg.key().decode("utf-8")
                try:
                    value = deserializer(msg.value(), SerializationContext(msg.topic(), MessageField.VALUE))
                    emit(kind="record", value=plain(value), **record)
                except Exception as e:  # noqa: BLE001 - every failure is a result to report
                    emit(kind="undecodable", error="%s: %s" % (type(e).__name__, e), **record)
            else:
                emit(kind="raw", key=None if msg.key() is None else msg.key().hex(),
                     value=None if msg.value() is None else msg.value().hex(),
                     headers={k: v.decode("utf-8") for k, v in (msg.headers() or [])}, **record)
    finally:
        consumer.close()


def with_field(schema, field):
    changed = json.loads(json.dumps(schema))
    changed["fields"].append(field)
    return Schema(json.dumps(changed), "AVRO")


def compatibility(request):
    client = SchemaRegistryClient({"url": request["registry"]})
    subject, fresh = request["subject"], request["fresh_subject"]
    latest = client.get_latest_version(subject)
    schema = json.loads(latest.schema.schema_str)
    # A field with a default can read old records (BACKWARD); a field without one cannot.
    compatible = with_field(schema, {"name": "note", "type": ["null", "string"], "default": None})
    breaking = with_field(schema, {"name": "note", "type": "string"})
    emit(kind="check", name="latest schema", value={"id": latest.schema_id, "name": schema["name"]})
    emit(kind="check", name="compatible change", value=client.test_compatibility(subject, compatible))
    emit(kind="check", name="breaking change", value=client.test_compatibility(subject, breaking))
    emit(kind="check", name="register as is", value=client.register_schema(fresh, latest.schema))
    emit(kind="check", name="register compatible", value=client.register_schema(fresh, compatible))
    try:
        outcome = client.register_schema(fresh, breaking)
        emit(kind="check", name="register breaking", value={"id": outcome})
    except SchemaRegistryError as e:
        emit(kind="check", name="register breaking", value={"http_status": e.http_status_code,
                                                             "error_code": e.error_code})
    emit(kind="check", name="versions", value=client.get_versions(fresh))
    emit(kind="check", name="breaking against fresh", value=client.test_compatibility(fresh, breaking))


PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
NAMED = {"record", "enum", "fixed"}


def from_avro_json(value, schema, named, namespace):
    """Avro's JSON encoding to the datum fastavro writes: bytes from ISO-8859-1 text, a union's value as the
    (full name, value) pair that names its branch."""
    if isinstance(schema, str):
        if schema in PRIMITIVES:
            return value.encode("iso-8859-1") if schema == "bytes" else value
        definition = named[full_name(schema, namespace)]
        return from_avro_json(value, definition, named, namespace_of(full_name(schema, namespace)))
    if isinstance(schema, list):
        if value is None:
            return None
        (branch, inner), = value.items()
        chosen = next(s for s in schema if full_name(s, namespace) == branch)
        return (branch, from_avro_json(inner, chosen, named, namespace))
    kind = schema["type"]
    if kind in NAMED:
        named[full_name(schema, namespace)] = schema
        namespace = namespace_of(full_name(schema, namespace))
    if kind == "record":
        return {f["name"]: from_avro_json(value[f["name"]], f["type"], named, namespace) for f in schema["fields"]}
    if kind == "array":
        return [from_avro_json(v, schema["items"], named, namespace) for v in value]
    if kind == "map":
        return {k: from_avro_json(v, schema["values"], named, namespace) for k, v in value.items()}
    if kind == "fixed":
        return value.encode("iso-8859-1")
    if kind == "enum":
        return value
    return from_avro_json(value, kind, named, namespace)


def full_name(schema, namespace):
    """The full name of a schema or reference seen in the namespace; a primitive's or an array's is its type."""
    if isinstance(schema, str):
        name = schema
        if name in PRIMITIVES:
            return name
    elif schema["type"] not in NAMED:
        return schema["type"]
    else:
        name = schema["name"]
        namespace = schema.get("namespace", namespace)
    return name if "." in name or not namespace else namespace + "." + name


def namespace_of(name):
    return name.rsplit(".", 1)[0] if "." in name else ""


def produce(request):
    registry = SchemaRegistryClient({"url": request["registry"]})
    topic = request["topic"]
    context = SerializationContext(topic, MessageField.VALUE)
    registered = registry.get_latest_version(topic_subject_name_strategy(context, None))
    serializer = AvroSerializer(registry, registered.schema.schema_str, conf={"auto.register.schemas": False})
    value = serializer(from_avro_json(request["value"], json.loads(registered.schema.schema_str), {}, ""), context)
    delivered = []
    # librdkafka's default partitioner hashes keys with CRC32; the processors refuse a record that is not in the
    # partition Java's default partitioner, murmur2, picks for its key.
    producer = Producer({"bootstrap.servers": request["bootstrap"], "acks": "all", "partitioner": "murmur2_random"})
    producer.produce(topic, key=request["key"].encode("utf-8"), value=value,
                     on_delivery=lambda err, msg: delivered.append((err, msg)))
    producer.flush(30)
    (err, msg), = delivered
    if err is not None:
        raise SystemExit("cannot write to %s: %s" % (topic, err))
    emit(kind="produced", topic=msg.topic(), partition=msg.partition(), offset=msg.offset(),
         schema_id=registered.schema_id, value=value.hex())


if __name__ == "__main__":
    {"decode": decode, "compatibility": compatibility, "produce": produce}[sys.argv[1]](json.load(sys.stdin))
