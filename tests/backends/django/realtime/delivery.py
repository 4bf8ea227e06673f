"""Each user's numbered frames for the unified endpoint (/ws/realtime/, seed 000): the delivery
rules of docs/delivery-servers.md — an id on every frame, a bounded history for `resume`, and
`client_id` marks so an acknowledged send is applied once.

With REDIS_URL the counter, the history and the marks live in Redis, so every daphne process
sees them; without it they live in this process (the in-memory channel layer is one process
anyway). push() is the only way to send such a frame: it numbers and keeps the frame, then pokes
the group; the consumers read the history from the last id they sent, so a socket's frames go
out in id order, with no gap, whichever process pushed them.

Ids never go back: a missing counter starts from the clock (epoch ms), so a restarted process
(memory) or a flushed Redis does not hand out ids a client has already seen and would drop.
"""
import json
import time
from collections import defaultdict, deque

from channels.layers import get_channel_layer
from django.conf import settings

HISTORY_SIZE = 1000  # frames kept per user for resume
DEDUP_TTL = 24 * 3600  # seconds a client_id is remembered: longer than any client retries


def clock_ms():
    return int(time.time() * 1000)


def _checked(frame):
    if not isinstance(frame, dict) or "type" not in frame or "id" in frame:
        raise ValueError('a frame is a dict with "type" and without "id" (the id is added here)')
    return frame


class MemoryStore:
    def __init__(self):
        self.counter = {}
        self.history = defaultdict(lambda: deque(maxlen=HISTORY_SIZE))
        self.marks = {}

    async def add(self, user_id, frame):
        frame_id = self.counter.get(user_id) or clock_ms()
        frame_id += 1
        self.counter[user_id] = frame_id
        self.history[user_id].append((frame_id, json.dumps({"id": frame_id, **frame})))
        return frame_id

    async def last_id(self, user_id):
        return self.counter.get(user_id, 0)

    async def after(self, user_id, last_id):
        return [(frame_id, text) for frame_id, text in self.history[user_id] if frame_id > last_id]

    async def first_seen(self, user_id, client_id):
        now = time.monotonic()
        if len(self.marks) > 100_000:
            self.marks = {key: until for key, until in self.marks.items() if until > now}
        if self.marks.get((user_id, client_id), 0) > now:
            return False
        self.marks[(user_id, client_id)] = now + DEDUP_TTL
        return True

    async def forget(self, user_id, client_id):
        self.marks.pop((user_id, client_id), None)


# KEYS: counter, history. ARGV: the frame as a JSON object (never empty: it has "type"), the
# history size, the clock (the counter's start when it is missing). The id goes in as the first
# field, so the rest is stored as the server wrote it.
PUSH = """
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[3]) end
local id = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], id, '{"id":' .. string.format('%d', id) .. ',' .. string.sub(ARGV[1], 2))
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -1 - tonumber(ARGV[2]))
return id
"""


class RedisStore:
    def __init__(self, url):
        import redis.asyncio as aredis

        self.redis = aredis.Redis.from_url(url, decode_responses=True)
        self._push = self.redis.register_script(PUSH)

    # {user_id} is a hash tag: in Redis Cluster one user's keys share a slot (the script needs it).
    @staticmethod
    def counter_key(user_id):
        return f"rt:{{{user_id}}}:next"

    @staticmethod
    def history_key(user_id):
        return f"rt:{{{user_id}}}:history"

    @staticmethod
    def mark_key(user_id, client_id):
        return f"rt:{{{user_id}}}:cid:{client_id}"

    async def add(self, user_id, frame):
        keys = [self.counter_key(user_id), self.history_key(user_id)]
        return int(await self._push(keys=keys, args=[json.dumps(frame), HISTORY_SIZE, clock_ms()]))

    async def last_id(self, user_id):
        return int(await self.redis.get(self.counter_key(user_id)) or 0)

    async def after(self, user_id, last_id):
        kept = await self.redis.zrangebyscore(self.history_key(user_id), f"({last_id}", "+inf", withscores=True)
        return [(int(score), text) for text, score in kept]

    async def first_seen(self, user_id, client_id):
        return bool(await self.redis.set(self.mark_key(user_id, client_id), 1, nx=True, ex=DEDUP_TTL))

    async def forget(self, user_id, client_id):
        await self.redis.delete(self.mark_key(user_id, client_id))


_store = None


def store():
    global _store
    if _store is None:
        _store = RedisStore(settings.REDIS_URL) if settings.REDIS_URL else MemoryStore()
    return _store


async def push(user_id, group, handler, frame):
    """Numbers `frame`, keeps it in the user's history and pokes `group` with an event of type
    `handler` (every consumer of the user flushes its history on it). Returns the id."""
    frame_id = await store().add(user_id, _checked(frame))
    await get_channel_layer().group_send(group, {"type": handler, "id": frame_id})
    return frame_id
