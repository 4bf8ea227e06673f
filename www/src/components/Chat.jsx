import { useEffect, useState } from 'react';
import { useAuth } from '../auth.jsx';
import { nameList } from '../names.js';
import { useConversation, useTyping } from '../realtime/index.js';

/** Adds `incoming` messages to `list`, each message id once, in arrival order. */
function merge(list, incoming) {
  const seen = new Set(list.map((m) => m.message_id));
  return [...list, ...incoming.filter((m) => !seen.has(m.message_id))];
}

/** "Ada is typing…", "Ada and Bob are typing…"; null while nobody types. */
function typingText(users) {
  if (users.length === 0) return null;
  return `${nameList(users)} ${users.length === 1 ? 'is' : 'are'} typing…`;
}

/** One conversation: its history, live messages, who is typing and a send box. */
export function Chat({ conversation }) {
  const { api, user } = useAuth();
  const [messages, setMessages] = useState([]);
  const [draft, setDraft] = useState('');
  const [offline, setOffline] = useState(false);
  const { sendMessage } = useConversation(conversation.id, (m) => setMessages((list) => merge(list, [m])));
  const { typingUsers, setTyping } = useTyping(conversation.id);
  const typing = typingText(typingUsers);
  useEffect(() => {
    api.messages(conversation.id).then((history) => setMessages((live) => merge(history, live)), () => {});
  }, [api, conversation.id]);
  const send = (event) => {
    event.preventDefault();
    if (!draft.trim()) return;
    try {
      setOffline(!sendMessage(conversation.id, draft));
    } catch {
      setOffline(true);
    }
    setDraft('');
    setTyping(false);
  };
  // The library throttles the starts and sends the stop after a pause by itself.
  const edit = (event) => {
    setDraft(event.target.value);
    setTyping(event.target.value !== '');
  };
  return (
    <div className="chat">
      <h2>{conversation.title}</h2>
      <ol className="messages-list">
        {messages.map((m) => (
          <li key={m.message_id} className={m.sender_name === user ? 'mine' : 'theirs'} data-testid="chat-message">
            <b>{m.sender_name}</b> {m.message}
          </li>
        ))}
      </ol>
      {typing && (
        <p className="typing muted" data-testid="typing">
          {typing}
        </p>
      )}
      <form onSubmit={send}>
        <input value={draft} onChange={edit} placeholder="Write a message" data-testid="chat-input" />
        <button type="submit" data-testid="chat-send">
          Send
        </button>
      </form>
      {offline && (
        <p className="muted" data-testid="chat-offline">
          Not connected right now: the last message was not sent at once.
        </p>
      )}
    </div>
  );
}
