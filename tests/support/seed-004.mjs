// Seed 004's components as its guide writes them (ChatComponent, ConnectionPanel,
// NotificationCenter, FeedComponent, UserStatusIndicator) on realtime-context/react's feature hooks,
// for the Node tests (feature-hooks.test.mjs) and the browser fixture (e2e/fixtures/seed-004). Each
// renders nothing and records what it showed in `seen` and what its callbacks got in `calls`.

/** Empty records: `seen` (the components' last render) and `calls` (their callbacks' arguments). */
export function records() {
  return {
    seen: { chat: null, chatRenders: 0, connections: null, online: null },
    calls: { typing: [], requests: [], accepted: [], toasts: [], posts: [], comments: [], online: [] },
  };
}

/** 004's components on React's `useState` and the feature hooks of `hooks`, recording into `records()`'s pair. */
export function seed004Components({ useState }, hooks, { seen, calls }) {
  const { useWebSocketChat, useWebSocketConnections, useWebSocketFeed, useWebSocketNotifications, useWebSocketOnline } = hooks;
  const toast = { info: (text) => calls.toasts.push(text) };

  /** 004's ChatComponent; its typing callback keeps a "User is typing..." list. */
  function ChatComponent({ chatId }) {
    seen.chatRenders += 1;
    const [messages, setMessages] = useState([]);
    const [typists, setTypists] = useState([]);
    const { sendMessage, setTyping, isConnected } = useWebSocketChat(
      chatId,
      (message) => {
        // Add message to UI
        setMessages((prev) => [...prev, message]);
      },
      (userId, isTyping) => {
        // Show "User is typing..." indicator
        calls.typing.push([userId, isTyping]);
        setTypists((prev) => (isTyping ? [...prev, userId] : prev.filter((id) => id !== userId)));
      },
    );
    seen.chat = { messages, typists, sendMessage, setTyping, isConnected };
    return null;
  }

  /** 004's ConnectionPanel. */
  function ConnectionPanel() {
    const { isConnected } = useWebSocketConnections(
      (data) => {
        // New connection request received
        calls.requests.push(data.from_user_id);
      },
      (userId) => {
        // Connection accepted
        calls.accepted.push(userId);
      },
    );
    seen.connections = isConnected;
    return null;
  }

  /** 004's NotificationCenter (its toast records), or with other `types`. */
  function NotificationCenter({ types }) {
    useWebSocketNotifications(
      (notification) => {
        // Show notification toast
        if (notification.type === 'comment_on_post') {
          toast.info(`${notification.user_name} commented on your post`);
        } else {
          toast.info(notification.type);
        }
      },
      types && { types },
    );
    return null;
  }

  /** 004's FeedComponent. */
  function FeedComponent() {
    useWebSocketFeed(
      (post) => {
        // New post received
        calls.posts.push(post);
      },
      (comment) => {
        // New comment received
        calls.comments.push(comment);
      },
    );
    return null;
  }

  /** 004's UserStatusIndicator. */
  function UserStatusIndicator() {
    const [onlineUsers, setOnlineUsers] = useState([]);
    useWebSocketOnline(
      (userId, fullName) => {
        // User came online
        calls.online.push(['online', userId, fullName]);
        setOnlineUsers((prev) => [...prev, userId]);
      },
      (userId) => {
        // User went offline
        calls.online.push(['offline', userId]);
        setOnlineUsers((prev) => prev.filter((id) => id !== userId));
      },
    );
    seen.online = onlineUsers;
    return null;
  }

  return { ChatComponent, ConnectionPanel, NotificationCenter, FeedComponent, UserStatusIndicator };
}
