"""Every message on some topics so far, read from the beginning: what tests check never travels readable.

    python topics.py BOOTSTRAP TOPIC...   prints one JSON line per message: {"topic": ..., "value": base64}

Self-contained (aiokafka and the standard library only), so that the composed system can run this very file in
a service's container, inside the project's network where the broker is (`ComposedStack.topic_messages`).
"""

from __future__ import annotations

import asyncio
import base64
import json
import sys
from collections.abc import Sequence

from aiokafka import AIOKafkaConsumer


async def read_topics(bootstrap: str, topics: Sequence[str]) -> list[tuple[str, bytes]]:
    """(topic, value) of every message on `topics`, until the broker has nothing more for three seconds."""
    consumer = AIOKafkaConsumer(
        *topics, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    try:
        found: list[tuple[str, bytes]] = []
        while batches := await consumer.getmany(timeout_ms=3000):
            found += [(tp.topic, r.value) for tp, records in batches.items() for r in records if r.value]
        return found
    finally:
        await consumer.stop()


def as_lines(messages: list[tuple[str, bytes]]) -> str:
    return "".join(json.dumps({"topic": t, "value": base64.b64encode(v).decode()}) + "\n" for t, v in messages)


def from_lines(text: str) -> list[tuple[str, bytes]]:
    return [(m["topic"], base64.b64decode(m["value"])) for m in map(json.loads, text.splitlines()) if m]


if __name__ == "__main__":
    sys.stdout.write(as_lines(asyncio.run(read_topics(sys.argv[1], sys.argv[2:]))))
