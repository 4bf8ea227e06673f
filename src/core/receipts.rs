//! Read receipts: per conversation, the last message id seen and whether a receipt already
//! told the server, so each change is sent once.

use super::key::Key;
use super::vecmap::VecMap;

/// A conversation's last message: its id, and whether a receipt carried it.
#[derive(Debug)]
struct Last<V> {
    conversation_id: V,
    message_id: V,
    sent: bool,
}

/// The receipts owed. `V` is an id as first given.
#[derive(Debug)]
pub struct Receipts<V> {
    last: VecMap<Key, Last<V>>,
}

impl<V> Default for Receipts<V> {
    fn default() -> Self {
        Receipts { last: VecMap::default() }
    }
}

impl<V: Clone> Receipts<V> {
    /// Message `message_id` arrived in conversation `key`; `told`: another tab sends its receipt.
    pub fn arrived(&mut self, key: Key, conversation_id: impl FnOnce() -> V, message_id: V, told: bool) {
        let last = self.last.get_or_insert_with(key, || Last { conversation_id: conversation_id(), message_id: message_id.clone(), sent: told });
        last.message_id = message_id;
        last.sent = told;
    }

    /// Conversation `key` was read: the receipt to send, `(conversation id, last message id)`,
    /// unless nothing arrived since the last one.
    pub fn read(&mut self, key: &Key) -> Option<(V, V)> {
        let last = self.last.get_mut(key).filter(|last| !last.sent)?;
        last.sent = true;
        Some((last.conversation_id.clone(), last.message_id.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_change_is_sent_once() {
        let mut r = Receipts::default();
        let c = Key::Int(5);
        assert_eq!(r.read(&c), None, "nothing arrived");
        r.arrived(c, || "5", "m1", false);
        r.arrived(c, || "5", "m2", false);
        assert_eq!(r.read(&c), Some(("5", "m2")), "the last message");
        assert_eq!(r.read(&c), None, "no change since");
        r.arrived(c, || "5", "m3", false);
        assert_eq!(r.read(&c), Some(("5", "m3")));
    }

    #[test]
    fn a_message_another_tab_shows_is_its_to_tell() {
        let mut r = Receipts::default();
        let c = Key::Int(5);
        r.arrived(c, || "5", "m1", false);
        r.arrived(c, || "5", "m2", true);
        assert_eq!(r.read(&c), None, "the tab that showed m2 sent its receipt");
        assert_eq!(r.read(&Key::Int(6)), None, "another conversation");
    }
}
