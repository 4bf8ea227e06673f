"""The users and conversations the tests use: ada (1), bob (2), cy (3); conversation 42 is ada +
bob, 43 is ada + bob + cy, 44 is ada + cy. Password "pw" for everyone. Idempotent."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from chat.models import Conversation

USERS = [(1, "ada", "Ada"), (2, "bob", "Bob"), (3, "cy", "Cy")]
CONVERSATIONS = {42: [1, 2], 43: [1, 2, 3], 44: [1, 3]}


class Command(BaseCommand):
    help = "Creates the test users and conversations."

    def handle(self, *args, **options):
        User = get_user_model()
        for user_id, username, first_name in USERS:
            user, created = User.objects.get_or_create(id=user_id, defaults={"username": username, "first_name": first_name})
            if created:
                user.set_password("pw")
                user.save()
        for conversation_id, members in CONVERSATIONS.items():
            conversation, _ = Conversation.objects.get_or_create(id=conversation_id)
            conversation.participants.set(members)
        self.stdout.write("seeded")
