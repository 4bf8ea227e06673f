"""Seed 004's FastAPI backend: the ConnectionManager behind its per-channel WebSocket endpoints
(/ws/{channel}?token=), a user-level endpoint (/ws/realtime?token=) that puts one socket in every
channel of the user, and REST routes that emit events."""
import json
import logging
import os
from collections import Counter, deque
from contextlib import asynccontextmanager
from typing import List, Optional

from fastapi import FastAPI, Header, HTTPException, WebSocket, WebSocketDisconnect, status
from pydantic import BaseModel

from auth import create_access_token, user_id_from_token
from chat import chat_channel, online_users_event, send_chat_message, send_read, send_typing, went_offline, went_online
from services.websocket_manager import manager
from store import CHATS, USERS, chats_of, messages_of

logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(message)s")


@asynccontextmanager
async def lifespan(app: FastAPI):
    await manager.start(os.environ.get("REDIS_URL"))  # set: several processes share broadcasts
    yield
    await manager.stop()


app = FastAPI(lifespan=lifespan)

CHANNELS = {"connections", "notifications", "feed", "online"}

# What the tests read (GET /api/debug/stats): handshakes per path, refusals, frames received.
attempts, refused = Counter(), Counter()
frames = deque(maxlen=1000)


async def authenticate(websocket: WebSocket, token: Optional[str]):
    """The token's user id, or None after closing the socket with 1008 (policy violation).

    The socket is accepted first: a close before accept() refuses the handshake (HTTP 403),
    which the browser reports as 1006, and a client retries that forever. After accept, the
    browser sees 1008 and realtime-context stops with an `unauthorized` error."""
    attempts[websocket.url.path] += 1
    user_id = user_id_from_token(token) if token else None
    await websocket.accept()
    if user_id is None:
        refused[websocket.url.path] += 1
        await websocket.close(code=status.WS_1008_POLICY_VIOLATION, reason="Invalid token")
    return user_id


async def receive_frames(websocket: WebSocket, user_id: int):
    """The client's JSON objects, one at a time; answers {"type": "ping"} itself."""
    while True:
        text = await websocket.receive_text()
        frames.append({"path": websocket.url.path, "user_id": user_id, "text": text})
        try:
            data = json.loads(text)
        except ValueError:
            continue
        if not isinstance(data, dict):
            continue
        if data.get("type") == "ping":
            await manager.send_personal_message({"type": "pong"}, websocket)
            continue
        yield data


@app.websocket("/ws/realtime")
async def realtime_endpoint(websocket: WebSocket, token: Optional[str] = None):
    """One socket per user: in every channel of the user. Client frames name their chat."""
    user_id = await authenticate(websocket, token)
    if user_id is None:
        return
    channels = sorted(CHANNELS) + [chat_channel(chat_id) for chat_id in chats_of(user_id)]
    for channel in channels:
        await manager.connect(websocket, channel, user_id)
    await went_online(user_id)
    try:
        await manager.send_personal_message(online_users_event(user_id), websocket)  # who else is online
        async for data in receive_frames(websocket, user_id):
            chat_id = data.get("chat_id")
            if type(chat_id) is not int:
                continue
            if data.get("type") == "message" and isinstance(data.get("content"), str):
                await send_chat_message(chat_id, user_id, data["content"], data.get("attachment"))
            elif data.get("type") == "typing":
                await send_typing(chat_id, user_id, data.get("is_typing"))
            elif data.get("type") == "read" and type(data.get("last_id")) is int:
                await send_read(chat_id, user_id, data["last_id"])
    except WebSocketDisconnect:
        pass
    finally:
        manager.disconnect_everywhere(websocket, user_id)
        await went_offline(user_id)


@app.websocket("/ws/messages/{chat_id}")
async def chat_endpoint(websocket: WebSocket, chat_id: int, token: Optional[str] = None):
    user_id = await authenticate(websocket, token)
    if user_id is None:
        return
    if user_id not in CHATS.get(chat_id, []):
        await websocket.close(code=4004, reason="No such chat")
        return
    channel = chat_channel(chat_id)
    await manager.connect(websocket, channel, user_id)
    try:
        async for data in receive_frames(websocket, user_id):
            if data.get("type") == "message" and isinstance(data.get("content"), str):
                await send_chat_message(chat_id, user_id, data["content"], data.get("attachment"))
            elif data.get("type") == "typing":
                await send_typing(chat_id, user_id, data.get("is_typing"))
    except WebSocketDisconnect:
        pass
    finally:
        manager.disconnect(websocket, channel, user_id)


@app.websocket("/ws/{channel}")
async def channel_endpoint(websocket: WebSocket, channel: str, token: Optional[str] = None):
    user_id = await authenticate(websocket, token)
    if user_id is None:
        return
    if channel not in CHANNELS:
        await websocket.close(code=4004, reason="No such channel")
        return
    await manager.connect(websocket, channel, user_id)
    if channel == "online":
        await went_online(user_id)
    try:
        async for _ in receive_frames(websocket, user_id):
            pass  # these channels only push
    except WebSocketDisconnect:
        pass
    finally:
        manager.disconnect(websocket, channel, user_id)
        if channel == "online":
            await went_offline(user_id)


# REST ------------------------------------------------------------------------------------------


class Login(BaseModel):
    username: str
    password: str


class Emit(BaseModel):
    channel: str
    message: dict
    user_ids: Optional[List[int]] = None  # None: everyone in the channel


class NewMessage(BaseModel):
    content: str
    attachment: Optional[str] = None


def current_user(authorization: Optional[str]) -> int:
    user_id = user_id_from_token(authorization[7:]) if authorization and authorization.startswith("Bearer ") else None
    if user_id is None:
        raise HTTPException(status_code=401, detail="Could not validate credentials")
    return user_id


@app.get("/api/health")
async def health():
    return {"ok": True, "pid": os.getpid(), "redis": manager.redis is not None}


@app.post("/api/token")
async def login(body: Login):
    for user in USERS.values():
        if user["username"] == body.username and user["password"] == body.password:
            return {"access_token": create_access_token(user["id"]), "token_type": "bearer", "user_id": user["id"]}
    raise HTTPException(status_code=401, detail="Incorrect username or password")


@app.post("/api/emit")
async def emit(body: Emit):
    """What the app's routes do when something happens (004's "Server-Side Broadcasting")."""
    if body.user_ids is None:
        await manager.broadcast_to_channel(body.channel, body.message)
    else:
        await manager.broadcast_to_users(body.channel, body.user_ids, body.message)
    return {"ok": True, "pid": os.getpid()}


@app.post("/api/chats/{chat_id}/messages", status_code=201)
async def post_message(chat_id: int, body: NewMessage, authorization: Optional[str] = Header(None)):
    user_id = current_user(authorization)
    message = await send_chat_message(chat_id, user_id, body.content, body.attachment)
    if message is None:
        raise HTTPException(status_code=404, detail="Chat not found")
    return message


@app.get("/api/chats/{chat_id}/messages")
async def get_messages(chat_id: int, authorization: Optional[str] = Header(None)):
    user_id = current_user(authorization)
    if user_id not in CHATS.get(chat_id, []):
        raise HTTPException(status_code=404, detail="Chat not found")
    return messages_of(chat_id)


@app.get("/api/debug/stats")
async def debug_stats():
    sockets = {f"{channel} {user_id}": len(s) for channel, users in manager.active_connections.items() for user_id, s in users.items()}
    return {"pid": os.getpid(), "attempts": dict(attempts), "refused": dict(refused), "sockets": sockets, "frames": list(frames)}
