from django.urls import path

from accounts.views import obtain_token
from chat.views import conversation_messages
from realtime.views import debug_stats, emit, health

urlpatterns = [
    path("api/health/", health),
    path("api/token/", obtain_token),
    path("api/conversations/<int:conversation_id>/messages/", conversation_messages),
    # What the app's own views do when something happens (a friend request, a notification):
    # here as one endpoint, so the tests can make the server emit any event of the notes.
    path("api/emit/", emit),
    path("api/debug/stats/", debug_stats),
]
