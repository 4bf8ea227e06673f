"""Chat and presence events, shared by the per-channel endpoints, the user-level endpoint and REST."""
from services.websocket_manager import manager
from store import CHATS, USERS, add_message


def chat_channel(chat_id: int) -> str:
    return f"messages_{chat_id}"


def new_message_event(message):
    # 004's "Receive" format, plus chat_id and sender_name: one socket carries every chat, so
    # each frame must say which chat it belongs to (and who sent it, for a notification title).
    return {
        "type": "new_message",
        "message_id": message["id"],
        "chat_id": message["chat_id"],
        "sender_id": message["sender_id"],
        "sender_name": USERS[message["sender_id"]]["full_name"],
        "content": message["content"],
        "attachment": message["attachment"],
        "timestamp": message["timestamp"],
    }


async def send_chat_message(chat_id: int, user_id: int, content: str, attachment=None):
    if user_id not in CHATS.get(chat_id, []):
        return None
    message = add_message(chat_id, user_id, content, attachment)
    await manager.broadcast_to_channel(chat_channel(chat_id), new_message_event(message))
    return message


async def send_typing(chat_id: int, user_id: int, is_typing: bool):
    if user_id in CHATS.get(chat_id, []):
        event = {"type": "typing", "chat_id": chat_id, "user_id": user_id, "is_typing": bool(is_typing)}
        await manager.broadcast_to_channel(chat_channel(chat_id), event, exclude_user=user_id)


async def send_read(chat_id: int, user_id: int, last_id: int):
    """The user has read the chat up to message `last_id`: tell the chat's other members."""
    if user_id in CHATS.get(chat_id, []):
        event = {"type": "read", "chat_id": chat_id, "user_id": user_id, "last_id": last_id}
        await manager.broadcast_to_channel(chat_channel(chat_id), event, exclude_user=user_id)


def online_users_event(user_id: int):
    """Who else is in "online" now: the snapshot a user's socket gets after joining it. (This
    process's sockets only, as went_online counts them.)"""
    users = [{"user_id": other, "full_name": USERS[other]["full_name"]} for other in manager.active_connections.get("online", {}) if other != user_id]
    return {"type": "online_users", "users": users}


async def went_online(user_id: int):
    """After the user's socket joined "online": tell the others, if it is the user's first."""
    if len(manager.active_connections.get("online", {}).get(user_id, [])) == 1:
        event = {"type": "user_online", "user_id": user_id, "full_name": USERS[user_id]["full_name"]}
        await manager.broadcast_to_channel("online", event, exclude_user=user_id)


async def went_offline(user_id: int):
    """After the user's socket left "online": tell the others, if it was the user's last."""
    if not manager.is_connected("online", user_id):
        await manager.broadcast_to_channel("online", {"type": "user_offline", "user_id": user_id})
