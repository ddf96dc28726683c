"""kafka-python 2.0.2 against a cluster: produce N records (acks=all), then consume them as a group member.

Usage: kafka_python_roundtrip.py BOOTSTRAP TOPIC GROUP N
Prints one JSON object: the broker version kafka-python inferred, where each record landed, what was consumed.
"""
import json
import sys

from kafka import KafkaConsumer, KafkaProducer

bootstrap, topic, group, count = sys.argv[1].split(","), sys.argv[2], sys.argv[3], int(sys.argv[4])

producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
futures = [producer.send(topic, key=b"k%d" % (i % 3), value=b"v%d" % i) for i in range(count)]
produced = [f.get(timeout=15) for f in futures]
inferred = producer.config["api_version"]
producer.close()

consumer = KafkaConsumer(
    topic,
    bootstrap_servers=bootstrap,
    group_id=group,
    auto_offset_reset="earliest",
    consumer_timeout_ms=10000,
)
consumed = []
for m in consumer:
    consumed.append({"partition": m.partition, "offset": m.offset, "key": m.key.decode(), "value": m.value.decode()})
    if len(consumed) >= count:
        break
consumer.commit()
committed = {p: consumer.committed(tp) for p, tp in ((tp.partition, tp) for tp in consumer.assignment())}
consumer.close()

print(json.dumps({
    "apiVersion": list(inferred),
    "produced": [{"partition": m.partition, "offset": m.offset} for m in produced],
    "consumed": consumed,
    "committed": committed,
}))
