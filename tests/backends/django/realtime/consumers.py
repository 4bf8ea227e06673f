"""The WebSocket consumers of the four Django notes, one endpoint each (see routing.py)."""
import json
import re

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from chat.services import store_chat_message

from . import delivery, events, stats

UNAUTHORIZED = 4001
DIGITS = re.compile(r"[0-9]{1,16}")


class UserConsumer(AsyncJsonWebsocketConsumer):
    """What every consumer here shares.

    - An anonymous user is accepted and then closed with 4001: a close before accept() refuses
      the handshake, which the browser reports as 1006, and a client retries that forever.
    - `{route_key: "ping"}` is answered with `{route_key: "pong"}` (the client's heartbeat).
    - A frame that is no JSON object is ignored: the base class would raise and close the socket.
    - The user's groups are joined on connect and left on disconnect.
    """

    route_key = "type"

    def groups_of(self, user_id):
        return []

    async def connect(self):
        self.user = self.scope["user"]
        self.path = self.scope["path"]
        await self.accept()
        if self.user.is_anonymous:
            stats.rejected(self.path)
            await self.close(code=UNAUTHORIZED)
            return
        self.uid = self.user.id
        self.joined = []
        await self.before_join()
        for group in self.groups_of(self.uid):
            await self.channel_layer.group_add(group, self.channel_name)
            self.joined.append(group)
        stats.socket_opened(self.path, self.uid)
        await self.after_join()

    async def before_join(self):
        pass

    async def after_join(self):
        pass

    async def disconnect(self, code):
        if hasattr(self, "joined"):
            stats.socket_closed(self.path, self.uid)
            for group in self.joined:
                await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if not hasattr(self, "uid"):
            return
        stats.received(self.path, self.uid, text_data)
        try:
            content = json.loads(text_data or "")
        except ValueError:
            return
        if not isinstance(content, dict):
            return
        if content.get(self.route_key) == "ping":
            await self.send_json({self.route_key: "pong"})
            return
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs):
        pass


# 000: one socket per user for notifications and friend requests ----------------------------


class RealtimeConsumer(UserConsumer):
    """/ws/realtime/: seed 000's unified consumer (both of the user's groups on one socket), with
    the delivery rules of docs/delivery-servers.md: every frame numbered (`id`), `resume` from a
    last id, and acknowledged sends (`client_id`) applied once. `self.sent` is the highest id
    this socket has sent."""

    def groups_of(self, user_id):
        return [events.notifications_group(user_id), events.friend_requests_group(user_id)]

    async def before_join(self):
        # This socket gets the frames pushed from now on; earlier ones only on resume.
        self.sent = await delivery.store().last_id(self.uid)

    async def after_join(self):
        await self.flush()  # a frame pushed between reading the counter and joining the groups

    # The group events are pokes: the frames themselves come from the history, in id order.
    async def notification_message(self, event):
        await self.flush()

    async def friend_request_update(self, event):
        await self.flush()

    async def chat_message(self, event):
        await self.flush()

    async def flush(self):
        for frame_id, text in await delivery.store().after(self.uid, self.sent):
            await self.send(text_data=text)
            self.sent = frame_id

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "resume":
            await self.resume(content.get("last_id"))
        elif "client_id" in content:
            await self.receive_once(content)
        else:
            await self.apply(content)

    async def resume(self, last_id):
        if isinstance(last_id, str) and DIGITS.fullmatch(last_id):
            last_id = int(last_id)
        if type(last_id) is not int:
            return
        # Frames this socket already sent live go out again; the client drops them by id.
        self.sent = min(self.sent, last_id)
        await self.flush()

    async def receive_once(self, content):
        client_id = content["client_id"]
        if not isinstance(client_id, str) or not 0 < len(client_id) <= 256:
            return  # neither applied nor acked
        store = delivery.store()
        if await store.first_seen(self.uid, client_id):
            try:
                await self.apply(content)
            except Exception:
                await store.forget(self.uid, client_id)  # not applied: the next copy will be
                raise  # closes the socket; the client reconnects and writes the frame again
        await self.send_json({"type": "ack", "client_id": client_id})

    async def apply(self, content):
        """A frame from the client: seed 001's chat message, on this socket too."""
        conversation_id, text = content.get("conversation_id"), content.get("message")
        if type(conversation_id) is not int or not isinstance(text, str):
            return
        message, created = await database_sync_to_async(store_chat_message)(
            self.user, conversation_id, text, client_id=content.get("client_id")
        )
        if created:
            await events.chat_message_created(message)


# 001: one socket per user for every conversation -------------------------------------------


class InboxConsumer(UserConsumer):
    """/ws/inbox/: seed 001's user-level chat socket. The client sends
    {"conversation_id", "message", "type": "TEXT"}, or {"type": "typing", "conversation_id",
    "is_typing"}; every outgoing frame carries conversation_id."""

    def groups_of(self, user_id):
        return [events.inbox_group(user_id)]

    async def receive_json(self, content, **kwargs):
        conversation_id, text = content.get("conversation_id"), content.get("message")
        if content.get("type") == "typing":
            if type(conversation_id) is int:
                await events.typing(self.user, conversation_id, bool(content.get("is_typing", True)))
            return
        message_type = content.get("type", "TEXT")
        if type(conversation_id) is not int or not isinstance(text, str) or not isinstance(message_type, str):
            await self.send_json({"type": "error", "conversation_id": conversation_id, "message": "expected conversation_id, message, type"})
            return
        message, _ = await database_sync_to_async(store_chat_message)(self.user, conversation_id, text, message_type)
        if message is None:
            await self.send_json({"type": "error", "conversation_id": conversation_id, "message": "no such conversation"})
            return
        await events.chat_message_created(message)

    async def chat_message(self, event):
        await self.send_json(event["message"])

    async def chat_typing(self, event):
        await self.send_json(event["frame"])


# 002: friend requests, acceptances and messages ----------------------------------------------


class NotificationConsumer(UserConsumer):
    """/ws/notifications/?token=<JWT>: seed 002's consumer ("notifications/ app")."""

    def groups_of(self, user_id):
        return [events.legacy_notifications_group(user_id)]

    async def notify_event(self, event):
        await self.send_json(event["payload"])


# 003: event_type messages ------------------------------------------------------------------


class EventConsumer(UserConsumer):
    """Seed 003's NotificationConsumer, with JWT auth instead of ?user_id= (its "Backend
    Requirements"): frames are routed by `event_type`. 003 mounts it at /ws/notifications/,
    which 002 holds in this one project, so here it is /ws/events/."""

    route_key = "event_type"

    def groups_of(self, user_id):
        return [events.user_group(user_id)]

    async def new_message(self, event):
        await self.send(text_data=json.dumps({"event_type": "new_message", **event["message"]}))

    async def new_conversation(self, event):
        await self.send(text_data=json.dumps({"event_type": "new_conversation", **event["message"]}))

    async def system_alert(self, event):
        await self.send(text_data=json.dumps({"event_type": "system_alert", **event["message"]}))
