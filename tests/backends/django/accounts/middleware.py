"""JWT auth for WebSockets: `?token=<access token>` in the query string.

No token: scope["user"] is AnonymousUser and the consumer decides (ours close with 4001).
A bad, expired or unknown-user token: the middleware answers the handshake itself, accepting and
then closing with 4001, so the browser sees the code (a handshake refused before accept reaches
the browser as 1006, which a client takes for a network failure and retries forever).
"""
from urllib.parse import parse_qs

import jwt
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from realtime import stats

from .tokens import user_id_from_token

UNAUTHORIZED = 4001


@database_sync_to_async
def get_user(user_id):
    try:
        return get_user_model().objects.get(id=user_id, is_active=True)
    except get_user_model().DoesNotExist:
        return None


class JWTAuthMiddleware(BaseMiddleware):
    async def __call__(self, scope, receive, send):
        scope = dict(scope)
        stats.connection_attempt(scope["path"])
        token = (parse_qs(scope.get("query_string", b"").decode()).get("token") or [None])[0]
        if not token:
            scope["user"] = AnonymousUser()
            return await super().__call__(scope, receive, send)
        try:
            user = await get_user(user_id_from_token(token))
        except jwt.InvalidTokenError:
            user = None
        if user is None:
            stats.rejected(scope["path"])
            return await self.refuse(receive, send)
        scope["user"] = user
        return await super().__call__(scope, receive, send)

    @staticmethod
    async def refuse(receive, send):
        message = await receive()
        if message["type"] == "websocket.connect":
            await send({"type": "websocket.accept"})
            await send({"type": "websocket.close", "code": UNAUTHORIZED})
