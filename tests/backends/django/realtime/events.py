"""What the app's views call when something happens: one function per event of the notes, each
sending to the groups of the consumer that note's frontend connects to.

  000  /ws/realtime/        RealtimeConsumer   notifications_{id}, friend_requests_{id} (numbered, see delivery)
  001  /ws/inbox/           InboxConsumer      inbox_{id}
  002  /ws/notifications/   NotificationConsumer  user_notifications_{id}
  003  /ws/events/          EventConsumer      user_{id}
"""
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from chat.services import member_ids, participant_ids

from . import delivery


def notifications_group(user_id):  # 000
    return f"notifications_{user_id}"


def friend_requests_group(user_id):  # 000
    return f"friend_requests_{user_id}"


def inbox_group(user_id):  # 001
    return f"inbox_{user_id}"


def legacy_notifications_group(user_id):  # 002
    return f"user_notifications_{user_id}"


def user_group(user_id):  # 003
    return f"user_{user_id}"


# 000 ---------------------------------------------------------------------------------------


async def notify(user_id, notification):
    """A new in-app notification (000's notification_message)."""
    await delivery.push(
        user_id, notifications_group(user_id), "notification.message", {"type": "notification", "notification": notification}
    )


async def friend_request_update(user_id, action, friend_request=None, count=None):
    """A friend request was received, accepted, declined or cancelled (000's friend_request_update)."""
    frame = {"type": "friend_request_update", "action": action, "friend_request": friend_request, "count": count}
    await delivery.push(user_id, friend_requests_group(user_id), "friend_request.update", frame)


# 002 ---------------------------------------------------------------------------------------

LEGACY_EVENT_TYPES = {"friend_request", "friend_accepted", "new_message"}


async def notification_event(user_id, payload):
    """002's events: {"type": "friend_request" | "friend_accepted", "from_user": {id, username}}
    or {"type": "new_message", "from_user": {...}, "message": {id, content}}."""
    await get_channel_layer().group_send(legacy_notifications_group(user_id), {"type": "notify.event", "payload": payload})


# 003 ---------------------------------------------------------------------------------------

USER_EVENT_TYPES = {"new_message", "new_conversation", "system_alert"}


async def user_event(user_id, event_type, message):
    """003's events: the consumer sends {"event_type": event_type, **message}."""
    if event_type not in USER_EVENT_TYPES:
        raise ValueError(f"unknown event_type {event_type!r}")
    await get_channel_layer().group_send(user_group(user_id), {"type": event_type, "message": message})


# chat (001, and the chat events of 000 and 002) --------------------------------------------


@database_sync_to_async
def _chat_frames(message):
    sender = message.sender
    name = sender.first_name or sender.username
    created_at = message.created_at.isoformat()
    inbox = {  # 001's incoming format
        "type": message.message_type,
        "message": message.text,
        "conversation_id": message.conversation_id,
        "sender_id": sender.id,
        "sender_name": name,
        "sender_avatar": f"/avatars/{sender.username}.png",
        "created_at": created_at,
        "message_id": message.id,
    }
    unified = {  # 000's /ws/realtime/: notify.types' default "new_message"
        "type": "new_message",
        "conversation_id": message.conversation_id,
        "message": message.text,
        "message_id": message.id,
        "sender_id": sender.id,
        "sender_name": name,
        "created_at": created_at,
    }
    legacy = {  # 002
        "type": "new_message",
        "from_user": {"id": sender.id, "username": sender.username},
        "message": {"id": message.id, "content": message.text},
    }
    return participant_ids(message), sender.id, inbox, unified, legacy


async def chat_message_created(message):
    """A stored chat message: to every participant's inbox (the sender's other tabs too), and as
    a notification event to everyone else."""
    participants, sender_id, inbox, unified, legacy = await _chat_frames(message)
    layer = get_channel_layer()
    for user_id in participants:
        await layer.group_send(inbox_group(user_id), {"type": "chat.message", "message": inbox})
    for user_id in participants:
        if user_id == sender_id:
            continue
        await delivery.push(user_id, notifications_group(user_id), "chat.message", unified)
        await notification_event(user_id, legacy)


async def typing(user, conversation_id, is_typing):
    """001's typing indicator: {type: "typing", conversation_id, user_id, is_typing} to the inboxes of
    the conversation's other participants; nothing when `user` is not one of them."""
    participants = await database_sync_to_async(member_ids)(user, conversation_id)
    if user.id not in participants:
        return
    frame = {"type": "typing", "conversation_id": conversation_id, "user_id": user.id, "is_typing": is_typing}
    layer = get_channel_layer()
    for user_id in participants:
        if user_id != user.id:
            await layer.group_send(inbox_group(user_id), {"type": "chat.typing", "frame": frame})
