from django.urls import path

from .consumers import EventConsumer, InboxConsumer, NotificationConsumer, RealtimeConsumer

websocket_urlpatterns = [
    path("ws/realtime/", RealtimeConsumer.as_asgi()),  # 000 (+ the delivery rules)
    path("ws/inbox/", InboxConsumer.as_asgi()),  # 001
    path("ws/notifications/", NotificationConsumer.as_asgi()),  # 002
    path("ws/events/", EventConsumer.as_asgi()),  # 003
]
