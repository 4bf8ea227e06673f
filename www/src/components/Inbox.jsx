import { useEffect, useState } from 'react';
import { useAuth } from '../auth.jsx';
import { useUnread } from '../realtime/index.js';
import { Chat } from './Chat.jsx';

function ConversationItem({ conversation, selected, onSelect }) {
  const unread = useUnread(conversation.id);
  return (
    <li>
      <button type="button" className={selected ? 'selected' : ''} onClick={() => onSelect(conversation.id)} data-testid={`conv-${conversation.id}`}>
        <span>{conversation.title}</span>
        {unread > 0 && (
          <span className="badge" data-testid={`conv-unread-${conversation.id}`}>
            {unread}
          </span>
        )}
      </button>
    </li>
  );
}

/** The conversations with their unread badges, and the selected one's chat. */
export function Inbox() {
  const { api } = useAuth();
  const [conversations, setConversations] = useState([]);
  const [selected, setSelected] = useState(1);
  useEffect(() => {
    api.conversations().then(setConversations, () => setConversations([]));
  }, [api]);
  const current = conversations.find((c) => c.id === selected);
  return (
    <section className="card inbox">
      <ul className="conversations">
        {conversations.map((c) => (
          <ConversationItem key={c.id} conversation={c} selected={c.id === selected} onSelect={setSelected} />
        ))}
      </ul>
      {current && <Chat key={current.id} conversation={current} />}
    </section>
  );
}
