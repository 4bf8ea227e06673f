"""Access tokens: HS256 JWTs with the user id in "sub" (python-jose style, made with PyJWT)."""
import os
import time

import jwt

SECRET_KEY = os.environ.get("JWT_SECRET", "insecure-test-secret-change-me")
ALGORITHM = "HS256"
ACCESS_TOKEN_EXPIRE_SECONDS = 30 * 60


def create_access_token(user_id: int) -> str:
    now = int(time.time())
    return jwt.encode({"sub": str(user_id), "iat": now, "exp": now + ACCESS_TOKEN_EXPIRE_SECONDS}, SECRET_KEY, algorithm=ALGORITHM)


def user_id_from_token(token: str):
    """The user id of a valid, unexpired token of a known user, else None."""
    from store import USERS

    try:
        claims = jwt.decode(token, SECRET_KEY, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]})
        user_id = int(claims["sub"])
    except (jwt.InvalidTokenError, ValueError):
        return None
    return user_id if user_id in USERS else None
