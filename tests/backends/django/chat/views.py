import json

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

import jwt
from accounts.tokens import user_id_from_token
from realtime import events

from .models import Message
from .services import message_json, store_chat_message


def _user(request):
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    try:
        return get_user_model().objects.filter(id=user_id_from_token(header[7:])).first()
    except jwt.InvalidTokenError:
        return None


@csrf_exempt
async def conversation_messages(request, conversation_id):
    """GET: the conversation's history (REST, for a page's first load). POST {"message"}: sends
    one, as the inbox socket does, and emits it to every participant."""
    user = await sync_to_async(_user)(request)
    if user is None:
        return JsonResponse({"detail": "Authentication credentials were not provided."}, status=401)
    if request.method == "POST":
        body = json.loads(request.body or b"{}")
        message, _ = await sync_to_async(store_chat_message)(user, conversation_id, str(body.get("message", "")))
        if message is None:
            return JsonResponse({"detail": "Not found."}, status=404)
        await events.chat_message_created(message)
        return JsonResponse(await sync_to_async(message_json)(message), status=201)

    def history():
        rows = Message.objects.filter(conversation_id=conversation_id, conversation__participants=user)
        return [message_json(m) for m in rows.select_related("sender")]

    return JsonResponse(await sync_to_async(history)(), safe=False)
