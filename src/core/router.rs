//! Listener registry and routing decisions. It holds callbacks as opaque values and says
//! which ones a message reaches, in the order they were added; it never calls them.

use crate::prelude::*;

use super::key::Key;
use super::vecmap::VecMap;

/// A registered listener: its slot and the sequence number that orders it and tells a
/// reused slot apart. Laid out as two 32-bit words, so the shell can read a list of them
/// straight from wasm memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(C)]
pub struct ListenerId {
    /// Index into the slot table (reused after removal).
    pub slot: u32,
    /// Increases with every registration; never reused.
    pub seq: u32,
}

/// Signals that are not messages: every listener of one gets every occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Connection state changed.
    State = 0,
    /// A non-fatal problem.
    Error = 1,
    /// An unread count changed.
    Unread = 2,
    /// The in-app notification store changed.
    Notifications = 3,
    /// A browser notification was clicked.
    NotificationClick = 4,
    /// Who is typing in a conversation changed.
    Typing = 5,
    /// Who is online changed.
    Presence = 6,
}

const SIGNALS: usize = 7;

/// What a listener asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Topic {
    /// Messages whose route value has this type id.
    Type(u32),
    /// Every message (`"*"`).
    Any,
    /// Messages carrying this conversation.
    Conversation(Key),
    /// A signal.
    Signal(Signal),
}

#[derive(Debug)]
struct Slot<F> {
    seq: u32,
    topic: Topic,
    callback: F,
}

/// The registry. `F` is the callback type (a JS function in the browser).
#[derive(Debug)]
pub struct Router<F> {
    slots: Vec<Option<Slot<F>>>,
    free: Vec<u32>,
    next_seq: u32,
    by_type: Vec<Vec<ListenerId>>,
    any: Vec<ListenerId>,
    by_conversation: VecMap<Key, Vec<ListenerId>>,
    signals: [Vec<ListenerId>; SIGNALS],
}

impl<F> Default for Router<F> {
    fn default() -> Self {
        Router {
            slots: Vec::new(),
            free: Vec::new(),
            next_seq: 0,
            by_type: Vec::new(),
            any: Vec::new(),
            by_conversation: VecMap::default(),
            signals: Default::default(),
        }
    }
}

impl<F> Router<F> {
    /// Registers `callback` for `topic`; it is ordered after every listener added before.
    pub fn subscribe(&mut self, topic: Topic, callback: F) -> ListenerId {
        let seq = self.next_seq;
        self.next_seq = self.next_seq.wrapping_add(1);
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(None);
                self.slots.len() as u32 - 1
            }
        };
        let id = ListenerId { slot, seq };
        self.list_mut(&topic).push(id);
        self.slots[slot as usize] = Some(Slot { seq, topic, callback });
        id
    }

    /// Removes a listener; `false` if it was already gone (removal is idempotent).
    pub fn unsubscribe(&mut self, id: ListenerId) -> bool {
        let live = self.slots.get_mut(id.slot as usize).and_then(|s| s.take_if(|s| s.seq == id.seq));
        let Some(slot) = live else { return false };
        let list = self.list_mut(&slot.topic);
        list.retain(|l| *l != id);
        if list.is_empty() {
            if let Topic::Conversation(key) = &slot.topic {
                self.by_conversation.remove(key);
            }
        }
        self.free.push(id.slot);
        true
    }

    /// The callback of a listener that is still registered.
    pub fn listener(&self, id: ListenerId) -> Option<&F> {
        match self.slots.get(id.slot as usize) {
            Some(Some(slot)) if slot.seq == id.seq => Some(&slot.callback),
            _ => None,
        }
    }

    /// Whether any listener waits on a conversation.
    pub fn has_conversation_listeners(&self) -> bool {
        !self.by_conversation.is_empty()
    }

    /// Whether any listener takes every message (`"*"`).
    pub fn has_any_listeners(&self) -> bool {
        !self.any.is_empty()
    }

    /// The type ids below this one have had listeners.
    pub fn type_count(&self) -> u32 {
        self.by_type.len() as u32
    }

    /// The listeners of route type `type_id` (`None`: a route nobody registered), in order.
    pub fn type_listeners(&self, type_id: Option<u32>) -> &[ListenerId] {
        type_id.and_then(|t| self.by_type.get(t as usize)).map_or(&[], Vec::as_slice)
    }

    /// Appends to `out` the listeners a message reaches, in the order they were added:
    /// those of its type, the `"*"` ones and those of its conversation.
    pub fn route(&self, type_id: Option<u32>, conversation: Option<&Key>, out: &mut Vec<ListenerId>) {
        let start = out.len();
        let lists = [
            type_id.and_then(|t| self.by_type.get(t as usize)),
            Some(&self.any),
            conversation.and_then(|c| self.by_conversation.get(c)),
        ];
        for list in lists.into_iter().flatten() {
            if out.len() == start {
                // One push each: for a few ids this beats the bulk copy `extend_from_slice`
                // compiles to (`memory.copy`, a call out of wasm in V8).
                for id in list {
                    out.push(*id);
                }
                continue;
            }
            // Merge by sequence; the lists are short, so an insertion merge is smallest.
            for id in list {
                let at = out[start..].iter().rposition(|o| o.seq < id.seq).map_or(start, |i| start + i + 1);
                out.insert(at, *id);
            }
        }
    }

    /// Whether anyone listens to `signal` (so its payload need not be built otherwise).
    pub fn has_signal_listeners(&self, signal: Signal) -> bool {
        !self.signals[signal as usize].is_empty()
    }

    /// Appends to `out` every listener of `signal`, in the order they were added.
    pub fn route_signal(&self, signal: Signal, out: &mut Vec<ListenerId>) {
        out.extend_from_slice(&self.signals[signal as usize]);
    }

    fn list_mut(&mut self, topic: &Topic) -> &mut Vec<ListenerId> {
        match topic {
            Topic::Type(t) => {
                let t = *t as usize;
                if self.by_type.len() <= t {
                    self.by_type.resize_with(t + 1, Vec::new);
                }
                &mut self.by_type[t]
            }
            Topic::Any => &mut self.any,
            Topic::Conversation(key) => self.by_conversation.get_or_insert_with(*key, Vec::new),
            Topic::Signal(s) => &mut self.signals[*s as usize],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Key::Int;

    fn routed(r: &Router<&'static str>, t: Option<u32>, c: Option<Key>) -> Vec<&'static str> {
        let mut out = Vec::new();
        r.route(t, c.as_ref(), &mut out);
        out.iter().map(|id| *r.listener(*id).unwrap()).collect()
    }

    #[test]
    fn delivers_in_the_order_listeners_were_added_across_topics() {
        let mut r = Router::default();
        r.subscribe(Topic::Conversation(Int(5)), "conv-first");
        r.subscribe(Topic::Type(0), "type-a");
        r.subscribe(Topic::Any, "any");
        r.subscribe(Topic::Type(1), "type-b");
        r.subscribe(Topic::Type(0), "type-a-2");
        assert_eq!(routed(&r, Some(0), Some(Int(5))), ["conv-first", "type-a", "any", "type-a-2"]);
        assert_eq!(routed(&r, Some(1), None), ["any", "type-b"]);
        assert_eq!(routed(&r, None, Some(Int(6))), ["any"]);
        assert_eq!(routed(&r, Some(9), None), ["any"]);
    }

    #[test]
    fn unsubscribe_is_idempotent_and_a_reused_slot_is_a_new_listener() {
        let mut r = Router::default();
        let a = r.subscribe(Topic::Type(0), "a");
        assert!(r.unsubscribe(a));
        assert!(!r.unsubscribe(a));
        let b = r.subscribe(Topic::Type(0), "b");
        assert_eq!(b.slot, a.slot);
        assert!(r.listener(a).is_none(), "the old id must not reach the new listener");
        assert!(!r.unsubscribe(a));
        assert_eq!(routed(&r, Some(0), None), ["b"]);
    }

    #[test]
    fn conversation_tables_shrink_when_their_last_listener_leaves() {
        let mut r = Router::default();
        let a = r.subscribe(Topic::Conversation(Int(1)), "a");
        assert!(r.has_conversation_listeners());
        r.unsubscribe(a);
        assert!(!r.has_conversation_listeners());
    }

    #[test]
    fn signals_reach_only_their_listeners() {
        let mut r = Router::default();
        r.subscribe(Topic::Signal(Signal::State), "state");
        r.subscribe(Topic::Signal(Signal::Error), "error");
        r.subscribe(Topic::Any, "any");
        let mut out = Vec::new();
        r.route_signal(Signal::State, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(*r.listener(out[0]).unwrap(), "state");
        assert_eq!(routed(&r, Some(0), None), ["any"]);
    }

    #[test]
    fn many_subscribe_cycles_reuse_slots() {
        let mut r = Router::default();
        for _ in 0..10_000 {
            let id = r.subscribe(Topic::Type(3), "x");
            r.unsubscribe(id);
        }
        assert_eq!(r.slots.len(), 1);
        assert!(routed(&r, Some(3), None).is_empty());
    }
}
