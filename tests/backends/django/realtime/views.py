import json
import os

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import events, stats


async def health(request):
    return JsonResponse({"ok": True, "pid": os.getpid()})


@csrf_exempt
@require_POST
async def emit(request):
    """POST {"to": user_id, "app": "realtime" | "notifications" | "events", "frame": {...}}: sends
    `frame` to the user's groups of that note's consumer, through the function the app's views
    call (events.py). Stands in for the views that emit today (friend requests, notifications)."""
    body = json.loads(request.body or b"{}")
    to, app, frame = body.get("to"), body.get("app", "realtime"), dict(body.get("frame") or {})
    if type(to) is not int:
        return JsonResponse({"detail": '"to" must be a user id'}, status=400)
    if app == "realtime" and frame.get("type") == "notification":
        await events.notify(to, frame["notification"])
    elif app == "realtime" and frame.get("type") == "friend_request_update":
        await events.friend_request_update(to, frame.get("action"), frame.get("friend_request"), frame.get("count"))
    elif app == "notifications" and frame.get("type") in events.LEGACY_EVENT_TYPES:
        await events.notification_event(to, frame)
    elif app == "events" and frame.get("event_type") in events.USER_EVENT_TYPES:
        await events.user_event(to, frame.pop("event_type"), frame)
    else:
        return JsonResponse({"detail": "unknown app or event"}, status=400)
    return JsonResponse({"ok": True, "pid": os.getpid()})


async def debug_stats(request):
    return JsonResponse({"pid": os.getpid(), **stats.snapshot()})
