"""Counters of this process, for the tests (GET /api/debug/stats/): how many WebSocket handshakes
each path saw, how many were refused, how many are open, and the last frames clients sent."""
from collections import Counter, deque

attempts = Counter()
refused = Counter()
opened = Counter()
open_now = Counter()
frames = deque(maxlen=1000)


def connection_attempt(path):
    attempts[path] += 1


def rejected(path):
    refused[path] += 1


def socket_opened(path, user_id):
    opened[path] += 1
    open_now[f"{path} {user_id}"] += 1


def socket_closed(path, user_id):
    open_now[f"{path} {user_id}"] -= 1


def received(path, user_id, text):
    frames.append({"path": path, "user_id": user_id, "text": text})


def snapshot():
    return {
        "attempts": dict(attempts),
        "refused": dict(refused),
        "opened": dict(opened),
        "open": {key: n for key, n in open_now.items() if n},
        "frames": list(frames),
    }
