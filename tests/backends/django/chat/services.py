from django.db import IntegrityError, transaction

from .models import Conversation, Message


def store_chat_message(user, conversation_id, text, message_type="TEXT", client_id=None):
    """Stores a message of `user` in a conversation they belong to: (message, created), or
    (None, False) when there is no such conversation for them. A repeated client_id returns the
    message stored the first time."""
    conversation = Conversation.objects.filter(id=conversation_id, participants=user).first()
    if conversation is None:
        return None, False
    if client_id is not None:
        existing = Message.objects.filter(sender=user, client_id=client_id).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            message = Message.objects.create(
                conversation=conversation, sender=user, text=text, message_type=message_type, client_id=client_id
            )
    except IntegrityError:  # the same client_id stored by another process a moment ago
        return Message.objects.get(sender=user, client_id=client_id), False
    return message, True


def participant_ids(message):
    return list(message.conversation.participants.values_list("id", flat=True))


def member_ids(user, conversation_id):
    """The participants of a conversation `user` belongs to; [] when there is no such conversation for them."""
    conversation = Conversation.objects.filter(id=conversation_id, participants=user).first()
    return [] if conversation is None else list(conversation.participants.values_list("id", flat=True))


def message_json(message):
    return {
        "id": message.id,
        "conversation_id": message.conversation_id,
        "sender_id": message.sender_id,
        "sender_name": message.sender.first_name or message.sender.username,
        "message": message.text,
        "type": message.message_type,
        "created_at": message.created_at.isoformat(),
    }
