"""Seed 004's ConnectionManager: the active WebSocket connections per channel and per user.

A channel is "connections", "notifications", "feed", "online" or "messages_{chat_id}". A socket
may be in several channels: the per-channel endpoints (/ws/{channel}) put theirs in one, the
user-level endpoint (/ws/realtime) puts its one socket in every channel of the user.

One process knows only its own sockets. With several processes (uvicorn --workers N, or several
machines), start() the manager with a Redis URL: every broadcast is then published on a Redis
pub/sub channel, and each process delivers it to the sockets it holds.
"""
import asyncio
import json
import logging
from collections import defaultdict
from typing import Any, Dict, Iterable, List, Optional

from fastapi import WebSocket

logger = logging.getLogger("websocket")

BROADCASTS = "ws:broadcasts"  # the Redis pub/sub channel every process listens to


class ConnectionManager:
    def __init__(self):
        # channel -> user_id -> that user's sockets in the channel
        self.active_connections: Dict[str, Dict[int, List[WebSocket]]] = defaultdict(dict)
        self.redis = None
        self.listener = None

    async def start(self, redis_url: Optional[str] = None):
        """On app startup. With a Redis URL, broadcasts go through Redis to every process."""
        if not redis_url:
            return
        import redis.asyncio as aredis

        self.redis = aredis.Redis.from_url(redis_url)
        pubsub = self.redis.pubsub()
        await pubsub.subscribe(BROADCASTS)  # subscribed before the app serves its first request
        self.listener = asyncio.create_task(self._listen(pubsub))

    async def stop(self):
        if self.listener:
            self.listener.cancel()
        if self.redis:
            await self.redis.aclose()

    async def _listen(self, pubsub):
        async for item in pubsub.listen():
            if item["type"] == "message":
                data = json.loads(item["data"])
                await self._deliver(data["channel"], data["user_ids"], data["message"], data["exclude_user"])

    async def connect(self, websocket: WebSocket, channel: str, user_id: int):
        """Adds an accepted socket to a channel."""
        self.active_connections[channel].setdefault(user_id, []).append(websocket)
        logger.info(f"User {user_id} connected to {channel} channel")

    def disconnect(self, websocket: WebSocket, channel: str, user_id: int):
        users = self.active_connections.get(channel, {})
        sockets = users.get(user_id, [])
        if websocket in sockets:
            sockets.remove(websocket)
        if not sockets:
            users.pop(user_id, None)
        if not users:
            self.active_connections.pop(channel, None)
        logger.info(f"User {user_id} disconnected from {channel} channel")

    def disconnect_everywhere(self, websocket: WebSocket, user_id: int):
        for channel in [c for c, users in self.active_connections.items() if websocket in users.get(user_id, [])]:
            self.disconnect(websocket, channel, user_id)

    def is_connected(self, channel: str, user_id: int) -> bool:
        return bool(self.active_connections.get(channel, {}).get(user_id))

    async def send_personal_message(self, message: Dict[str, Any], websocket: WebSocket):
        await websocket.send_json(message)

    async def _send(self, channel: str, user_id: int, sockets: List[WebSocket], message: Dict[str, Any]):
        for websocket in list(sockets):
            try:
                await websocket.send_json(message)
            except Exception:  # the client went away: auto-remove it
                self.disconnect(websocket, channel, user_id)

    async def broadcast_to_channel(self, channel: str, message: Dict[str, Any], exclude_user: Optional[int] = None):
        await self._fan_out(channel, None, message, exclude_user)

    async def broadcast_to_users(self, channel: str, user_ids: Iterable[int], message: Dict[str, Any]):
        await self._fan_out(channel, list(user_ids), message, None)

    async def _fan_out(self, channel, user_ids, message, exclude_user):
        if self.redis is None:
            await self._deliver(channel, user_ids, message, exclude_user)
        else:
            data = {"channel": channel, "user_ids": user_ids, "message": message, "exclude_user": exclude_user}
            await self.redis.publish(BROADCASTS, json.dumps(data))

    async def _deliver(self, channel, user_ids, message, exclude_user):
        """To this process's sockets in `channel`: of `user_ids`, or of everyone but `exclude_user`."""
        users = self.active_connections.get(channel, {})
        targets = list(users) if user_ids is None else [u for u in user_ids if u in users]
        for user_id in targets:
            if user_id != exclude_user and user_id in users:
                await self._send(channel, user_id, users[user_id], message)


manager = ConnectionManager()
