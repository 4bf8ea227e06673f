//! Unread counts per conversation and the active conversation.

use super::key::Key;
use super::vecmap::VecMap;

/// A count that changed: what `onUnread` listeners get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadChange<V> {
    /// The conversation.
    pub key: Key,
    /// The conversation id as the server (or caller) first gave it.
    pub id: V,
    /// Its unread count now.
    pub count: u32,
}

/// Unread counts. `V` is what the shell keeps of an id as first given (in the browser: whether
/// it was a string), handed back to listeners so ids come back as the server sent them.
#[derive(Debug)]
pub struct Unread<V> {
    counts: VecMap<Key, (V, u32)>,
    total: u64,
    active: Option<(Key, V)>,
}

impl<V> Default for Unread<V> {
    fn default() -> Self {
        Unread { counts: VecMap::default(), total: 0, active: None }
    }
}

impl<V: Clone> Unread<V> {
    /// Whether `key` is the active conversation (whose messages the user sees while the page
    /// is visible).
    pub fn is_active(&self, key: &Key) -> bool {
        self.active.as_ref().is_some_and(|(active, _)| active == key)
    }

    /// Counts one unread message for `key`; `id()` is read when `key` is first counted.
    /// Returns the id as first given and the new count.
    pub fn add(&mut self, key: Key, id: impl FnOnce() -> V) -> (&V, u32) {
        let entry = self.counts.get_or_insert_with(key, || (id(), 0));
        entry.1 += 1;
        self.total += 1;
        (&entry.0, entry.1)
    }

    /// Zeroes the count of `key`; `None` if it was already zero.
    pub fn mark_read(&mut self, key: &Key) -> Option<UnreadChange<V>> {
        let (id, count) = self.counts.remove(key)?;
        self.total -= count as u64;
        Some(UnreadChange { key: *key, id, count: 0 })
    }

    /// Makes `key` the active conversation (or none) and zeroes its count.
    pub fn set_active(&mut self, active: Option<(Key, V)>) -> Option<UnreadChange<V>> {
        self.active = active;
        let key = self.active.as_ref()?.0;
        self.mark_read(&key)
    }

    /// The active conversation, as given.
    pub fn active(&self) -> Option<&(Key, V)> {
        self.active.as_ref()
    }

    /// The unread count of `key`.
    pub fn count(&self, key: &Key) -> u32 {
        self.counts.get(key).map_or(0, |(_, n)| *n)
    }

    /// The sum of all counts.
    pub fn total(&self) -> u64 {
        self.total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Key::{Int, Text};

    #[test]
    fn counts_per_conversation_and_in_total() {
        let mut u = Unread::default();
        assert_eq!(u.add(Int(1), || "1"), (&"1", 1));
        assert_eq!(u.total(), 1);
        assert_eq!(u.add(Int(1), || "1"), (&"1", 2));
        assert_eq!(u.add(Text(0), || "c").1, 1);
        assert_eq!((u.count(&Int(1)), u.count(&Int(9)), u.total()), (2, 0, 3));
    }

    #[test]
    fn ids_come_back_as_first_given() {
        let mut u = Unread::default();
        u.add(Int(123), || "\"123\"");
        assert_eq!(*u.add(Int(123), || unreachable!("read only the first time")).0, "\"123\"");
    }

    #[test]
    fn mark_read_zeroes_once() {
        let mut u = Unread::default();
        u.add(Int(1), || 1);
        u.add(Int(2), || 2);
        assert_eq!(u.mark_read(&Int(1)), Some(UnreadChange { key: Int(1), id: 1, count: 0 }));
        assert_eq!(u.mark_read(&Int(1)), None);
    }

    #[test]
    fn activating_a_conversation_zeroes_it() {
        let mut u = Unread::default();
        u.add(Int(1), || 1);
        assert_eq!(u.set_active(Some((Int(1), 1))).map(|c| c.count), Some(0));
        assert!(u.is_active(&Int(1)));
        assert!(!u.is_active(&Int(2)));
        assert_eq!(u.set_active(None), None);
        assert!(!u.is_active(&Int(1)));
    }
}
