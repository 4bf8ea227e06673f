import json

from asgiref.sync import sync_to_async
from django.contrib.auth import authenticate
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .tokens import make_access_token


@csrf_exempt
@require_POST
async def obtain_token(request):
    """POST {"username", "password"} -> {"access"} (simplejwt's TokenObtainPairView, access only)."""
    body = json.loads(request.body or b"{}")
    user = await sync_to_async(authenticate)(username=body.get("username"), password=body.get("password"))
    if user is None:
        return JsonResponse({"detail": "No active account found with the given credentials"}, status=401)
    return JsonResponse({"access": make_access_token(user), "user_id": user.id})
