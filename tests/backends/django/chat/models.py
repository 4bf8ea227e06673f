from django.conf import settings
from django.db import models


class Conversation(models.Model):
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="conversations")


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    message_type = models.CharField(max_length=16, default="TEXT")
    created_at = models.DateTimeField(auto_now_add=True)
    # The client's id of an acknowledged send (realtime-context's sendAcked): a resent copy
    # finds the message it made the first time instead of storing it again.
    client_id = models.CharField(max_length=256, null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["sender", "client_id"], name="one_message_per_client_id")]
