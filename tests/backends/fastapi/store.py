"""The app's data: users and chats in memory, messages in SQLite (DB_PATH), so message ids keep
growing across a restart as a real database's do (a client that de-duplicates by message_id
would drop a reused one)."""
import os
import sqlite3
from datetime import datetime, timezone

USERS = {
    1: {"id": 1, "username": "ada", "full_name": "Ada Lovelace", "password": "pw"},
    2: {"id": 2, "username": "bob", "full_name": "Bob Kahn", "password": "pw"},
    3: {"id": 3, "username": "cy", "full_name": "Cy Young", "password": "pw"},
}
CHATS = {5: [1, 2], 6: [1, 3], 7: [1, 2, 3]}

db = sqlite3.connect(os.environ.get("DB_PATH", ":memory:"), isolation_level=None)
db.row_factory = sqlite3.Row
db.execute(
    "CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY AUTOINCREMENT, chat_id INTEGER NOT NULL,"
    " sender_id INTEGER NOT NULL, content TEXT NOT NULL, attachment TEXT, timestamp TEXT NOT NULL)"
)


def chats_of(user_id):
    return [chat_id for chat_id, members in CHATS.items() if user_id in members]


def add_message(chat_id, sender_id, content, attachment=None):
    timestamp = datetime.now(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds")
    cursor = db.execute(
        "INSERT INTO messages (chat_id, sender_id, content, attachment, timestamp) VALUES (?, ?, ?, ?, ?)",
        (chat_id, sender_id, content, attachment, timestamp),
    )
    return {"id": cursor.lastrowid, "chat_id": chat_id, "sender_id": sender_id, "content": content, "attachment": attachment, "timestamp": timestamp}


def messages_of(chat_id):
    return [dict(row) for row in db.execute("SELECT * FROM messages WHERE chat_id = ? ORDER BY id", (chat_id,))]
