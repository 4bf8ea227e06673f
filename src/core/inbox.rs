//! The in-app notification store: newest first, at most `max`, never the same id twice.

use crate::prelude::*;

use alloc::collections::VecDeque;

use super::key::Key;

/// One stored notification.
#[derive(Debug, Clone, PartialEq)]
pub struct Item<V> {
    /// Its id, normalised.
    pub key: Key,
    /// The server's object.
    pub value: V,
    /// Whether the user has read it.
    pub read: bool,
    live: bool,
}

/// The store. `V` is the server's notification object (a JS value in the browser).
#[derive(Debug)]
pub struct Inbox<V> {
    items: VecDeque<Item<V>>,
    max: usize,
}

impl<V> Inbox<V> {
    /// An empty store that keeps at most `max` notifications.
    pub fn new(max: usize) -> Self {
        Inbox { items: VecDeque::new(), max }
    }

    /// A notification arrived on the socket: it goes first (a repeat of a stored id replaces
    /// that item's value in place and keeps its read flag). The oldest beyond `max` are dropped.
    pub fn add_live(&mut self, key: Key, value: V, read: bool) {
        if let Some(item) = self.items.iter_mut().find(|i| i.key == key) {
            item.value = value;
            return;
        }
        self.items.push_front(Item { key, value, read, live: true });
        self.items.truncate(self.max);
    }

    /// A list fetched over REST (newest first) replaces the store: for an id in the list, the
    /// fetched copy and its read flag win; live items missing from the list are kept, ahead of
    /// it, newest first; items of an earlier fetch missing from this one are gone.
    pub fn set_fetched(&mut self, fetched: impl IntoIterator<Item = (Key, V, bool)>) {
        let mut list: Vec<Item<V>> = Vec::new();
        for (key, value, read) in fetched {
            if !list.iter().any(|i| i.key == key) {
                list.push(Item { key, value, read, live: false });
            }
        }
        self.items.retain(|i| i.live && !list.iter().any(|f| f.key == i.key));
        self.items.extend(list);
        self.items.truncate(self.max);
    }

    /// Marks one read; `false` if it was unknown or already read.
    pub fn mark_read(&mut self, key: &Key) -> bool {
        match self.items.iter_mut().find(|i| i.key == *key) {
            Some(item) if !item.read => {
                item.read = true;
                true
            }
            _ => false,
        }
    }

    /// Marks every one read; `false` if none was unread.
    pub fn mark_all_read(&mut self) -> bool {
        let mut changed = false;
        for item in self.items.iter_mut().filter(|i| !i.read) {
            item.read = true;
            changed = true;
        }
        changed
    }

    /// Removes one; `false` if it was unknown.
    pub fn remove(&mut self, key: &Key) -> bool {
        let before = self.items.len();
        self.items.retain(|i| i.key != *key);
        self.items.len() != before
    }

    /// How many are unread.
    pub fn unread(&self) -> usize {
        self.items.iter().filter(|i| !i.read).count()
    }

    /// All, newest first.
    pub fn items(&self) -> impl Iterator<Item = &Item<V>> {
        self.items.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Key::Int;

    fn ids(inbox: &Inbox<&'static str>) -> Vec<(i64, &'static str, bool)> {
        inbox.items().map(|i| (if let Int(n) = i.key { n } else { -1 }, i.value, i.read)).collect()
    }

    #[test]
    fn live_items_go_first_and_the_oldest_beyond_max_are_dropped() {
        let mut inbox = Inbox::new(3);
        for n in 1..=4 {
            inbox.add_live(Int(n), "live", false);
        }
        assert_eq!(ids(&inbox), [(4, "live", false), (3, "live", false), (2, "live", false)]);
    }

    #[test]
    fn the_same_id_is_never_stored_twice() {
        let mut inbox = Inbox::new(10);
        inbox.add_live(Int(1), "first", false);
        inbox.mark_read(&Int(1));
        inbox.add_live(Int(2), "other", false);
        inbox.add_live(Int(1), "again", false);
        assert_eq!(ids(&inbox), [(2, "other", false), (1, "again", true)]);
        inbox.set_fetched([(Int(3), "a", false), (Int(3), "dup", false)]);
        assert_eq!(inbox.items().filter(|i| i.key == Int(3)).count(), 1);
    }

    #[test]
    fn a_fetch_racing_live_messages_stays_consistent() {
        let mut inbox = Inbox::new(10);
        inbox.set_fetched([(Int(1), "old-fetch", false), (Int(9), "deleted-on-server", false)]);
        inbox.add_live(Int(5), "live-5", false);
        inbox.add_live(Int(6), "live-6", false);
        inbox.add_live(Int(2), "live-2", false);
        // The fetch knows 2 (read, its copy wins) and 1, not 5, 6 or 9.
        inbox.set_fetched([(Int(2), "fetched-2", true), (Int(1), "fetched-1", false)]);
        assert_eq!(
            ids(&inbox),
            [(6, "live-6", false), (5, "live-5", false), (2, "fetched-2", true), (1, "fetched-1", false)]
        );
        assert_eq!(inbox.unread(), 3);
    }

    #[test]
    fn read_flags_and_removal() {
        let mut inbox = Inbox::new(10);
        inbox.add_live(Int(1), "a", false);
        inbox.add_live(Int(2), "b", false);
        assert!(inbox.mark_read(&Int(1)));
        assert!(!inbox.mark_read(&Int(1)));
        assert!(!inbox.mark_read(&Int(7)));
        assert_eq!(inbox.unread(), 1);
        assert!(inbox.mark_all_read());
        assert!(!inbox.mark_all_read());
        assert_eq!(inbox.unread(), 0);
        assert!(inbox.remove(&Int(2)));
        assert!(!inbox.remove(&Int(2)));
        assert_eq!(ids(&inbox), [(1, "a", true)]);
    }
}
