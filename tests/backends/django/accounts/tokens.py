"""Access tokens: HS256 JWTs with djangorestframework-simplejwt's claims, made with PyJWT."""
import time
import uuid

import jwt
from django.conf import settings


def make_access_token(user, lifetime=None):
    now = int(time.time())
    claims = {
        "token_type": "access",
        "exp": now + (lifetime or settings.JWT_ACCESS_LIFETIME_SECONDS),
        "iat": now,
        "jti": uuid.uuid4().hex,
        "user_id": user.id,
    }
    return jwt.encode(claims, settings.SECRET_KEY, algorithm="HS256")


def user_id_from_token(token):
    """The user id of a valid, unexpired access token; raises jwt.InvalidTokenError otherwise."""
    claims = jwt.decode(token, settings.SECRET_KEY, algorithms=["HS256"], options={"require": ["exp", "user_id"]})
    if claims.get("token_type") != "access":
        raise jwt.InvalidTokenError("not an access token")
    return claims["user_id"]
