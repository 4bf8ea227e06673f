//! The in-app notification store: newest first, at most `max`, never the same id twice.
//!
//! Storing a live notification costs a lookup in a sorted index and a push at the front,
//! whatever the store holds; only a fetched list, a removal or a listing walks it.

use crate::prelude::*;

use alloc::collections::VecDeque;

use super::vecmap::VecMap;

/// A notification's id: `123` and `"123"` are one (the shell normalises them), and one
/// without an id gets a number of its own.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Id {
    /// A safe integer, or its canonical decimal text.
    Int(i64),
    /// Any other text.
    Text(Box<str>),
    /// No id: unique within the context.
    Anonymous(u32),
}

/// One stored notification.
#[derive(Debug, Clone, PartialEq)]
pub struct Item<V> {
    /// Its id.
    pub id: Id,
    /// The server's object.
    pub value: V,
    /// Whether the user has read it.
    pub read: bool,
    /// It arrived on the socket (not in a fetched list).
    live: bool,
    /// Orders the items: larger is newer.
    seq: u64,
}

/// The store. `V` is the server's notification object (a JS value in the browser).
#[derive(Debug)]
pub struct Inbox<V> {
    /// Newest first, so `seq` decreases from the front.
    items: VecDeque<Item<V>>,
    /// Id → `seq` of its item.
    index: VecMap<Id, u64>,
    next_seq: u64,
    unread: usize,
    max: usize,
}

impl<V> Inbox<V> {
    /// An empty store that keeps at most `max` notifications (at least one).
    pub fn new(max: usize) -> Self {
        Inbox { items: VecDeque::new(), index: VecMap::default(), next_seq: 0, unread: 0, max: max.max(1) }
    }

    /// A notification arrived on the socket: it goes first; a repeat of a stored id replaces
    /// that item's value in place and keeps its read flag. The oldest beyond `max` is dropped.
    pub fn add_live(&mut self, id: Id, value: V, read: bool) {
        if let Some(at) = self.position(&id) {
            self.items[at].value = value;
            return;
        }
        let seq = self.take_seq();
        *self.index.get_or_insert_with(id.clone(), || seq) = seq;
        self.unread += !read as usize;
        self.items.push_front(Item { id, value, read, live: true, seq });
        if self.items.len() > self.max {
            self.drop_oldest();
        }
    }

    /// A list fetched over REST (newest first) replaces the store: for an id in the list, the
    /// fetched copy and its read flag win; live items missing from the list are kept, ahead of
    /// it, newest first; items of an earlier fetch missing from this one are gone. Within the
    /// list, the first copy of an id wins.
    pub fn set_fetched(&mut self, fetched: impl IntoIterator<Item = (Id, V, bool)>) {
        let mut seen: VecMap<Id, ()> = VecMap::default();
        let mut list = Vec::new();
        for (id, value, read) in fetched {
            let mut new = false;
            seen.get_or_insert_with(id.clone(), || new = true);
            if new {
                list.push(Item { id, value, read, live: false, seq: 0 });
            }
        }
        let old = core::mem::take(&mut self.items);
        let kept = old.into_iter().filter(|i| i.live && seen.get(&i.id).is_none());
        let all: Vec<Item<V>> = kept.chain(list).take(self.max).collect();
        self.index = VecMap::default();
        self.unread = 0;
        // Sequence numbers anew, decreasing from the front.
        self.next_seq += all.len() as u64;
        for (i, mut item) in all.into_iter().enumerate() {
            item.seq = self.next_seq - 1 - i as u64;
            self.unread += !item.read as usize;
            self.index.get_or_insert_with(item.id.clone(), || item.seq);
            self.items.push_back(item);
        }
    }

    /// Marks one read; `false` if it was unknown or already read.
    pub fn mark_read(&mut self, id: &Id) -> bool {
        match self.position(id) {
            Some(at) if !self.items[at].read => {
                self.items[at].read = true;
                self.unread -= 1;
                true
            }
            _ => false,
        }
    }

    /// Marks every one read; `false` if none was unread.
    pub fn mark_all_read(&mut self) -> bool {
        let changed = self.unread > 0;
        self.items.iter_mut().for_each(|i| i.read = true);
        self.unread = 0;
        changed
    }

    /// Removes one; `false` if it was unknown.
    pub fn remove(&mut self, id: &Id) -> bool {
        let Some(at) = self.position(id) else { return false };
        if let Some(item) = self.items.remove(at) {
            self.forget(item);
        }
        true
    }

    /// How many are unread.
    pub fn unread(&self) -> usize {
        self.unread
    }

    /// All, newest first.
    pub fn items(&self) -> impl Iterator<Item = &Item<V>> {
        self.items.iter()
    }

    /// Where the item of `id` stands.
    fn position(&self, id: &Id) -> Option<usize> {
        let seq = *self.index.get(id)?;
        self.items.binary_search_by(|item| seq.cmp(&item.seq)).ok()
    }

    fn take_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    fn drop_oldest(&mut self) {
        if let Some(item) = self.items.pop_back() {
            self.forget(item);
        }
    }

    fn forget(&mut self, item: Item<V>) {
        self.index.remove(&item.id);
        self.unread -= !item.read as usize;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Id::{Anonymous, Int, Text};

    fn ids(inbox: &Inbox<&'static str>) -> Vec<(Id, &'static str, bool)> {
        inbox.items().map(|i| (i.id.clone(), i.value, i.read)).collect()
    }

    #[test]
    fn live_items_go_first_and_a_repeat_updates_in_place_keeping_read() {
        let mut s = Inbox::new(10);
        s.add_live(Int(1), "a", false);
        s.add_live(Int(2), "b", false);
        assert!(s.mark_read(&Int(1)));
        s.add_live(Int(1), "a2", false);
        assert_eq!(ids(&s), [(Int(2), "b", false), (Int(1), "a2", true)]);
        assert_eq!(s.unread(), 1);
    }

    #[test]
    fn the_oldest_beyond_max_are_dropped_and_forgotten() {
        let mut s = Inbox::new(2);
        for (n, v) in [(1, "a"), (2, "b"), (3, "c")] {
            s.add_live(Int(n), v, false);
        }
        assert_eq!(ids(&s), [(Int(3), "c", false), (Int(2), "b", false)]);
        assert_eq!(s.unread(), 2);
        s.add_live(Int(1), "a-again", true);
        assert_eq!(ids(&s)[0], (Int(1), "a-again", true), "a dropped id is new again");
        assert!(!s.mark_read(&Int(2)), "dropped");
    }

    #[test]
    fn a_fetch_wins_for_its_ids_keeps_missing_live_ones_first_and_drops_stale_fetched_ones() {
        let mut s = Inbox::new(10);
        s.set_fetched([(Int(9), "old-fetched", false)]);
        s.add_live(Int(1), "live-1", false);
        s.add_live(Int(2), "live-2", false);
        s.set_fetched([(Int(2), "fetched-2", true), (Int(3), "fetched-3", false), (Int(3), "dup", true)]);
        assert_eq!(ids(&s), [(Int(1), "live-1", false), (Int(2), "fetched-2", true), (Int(3), "fetched-3", false)]);
        assert_eq!(s.unread(), 2);
        s.add_live(Int(3), "live-3", false);
        assert_eq!(ids(&s)[2], (Int(3), "live-3", false), "updated in place after a fetch");
        s.add_live(Int(4), "live-4", false);
        assert_eq!(ids(&s)[0].0, Int(4));
    }

    #[test]
    fn marking_and_removing() {
        let mut s = Inbox::new(10);
        s.add_live(Text("x".into()), "x", false);
        s.add_live(Anonymous(1), "anon", false);
        s.add_live(Int(5), "five", true);
        assert_eq!(s.unread(), 2);
        assert!(!s.mark_read(&Int(5)), "already read");
        assert!(!s.mark_read(&Int(6)), "unknown");
        assert!(s.remove(&Anonymous(1)));
        assert!(!s.remove(&Anonymous(1)));
        assert_eq!(s.unread(), 1);
        assert!(s.mark_all_read());
        assert!(!s.mark_all_read());
        assert_eq!(s.unread(), 0);
        assert!(!s.mark_read(&Text("x".into())), "already read");
        assert!(s.remove(&Text("x".into())));
        assert_eq!(ids(&s), [(Int(5), "five", true)]);
    }

    #[test]
    fn a_full_store_takes_each_live_notification_in_bounded_work() {
        let mut s = Inbox::new(200);
        for n in 0..100_000 {
            s.add_live(Int(n), "v", n % 2 == 0);
        }
        assert_eq!(s.items().count(), 200);
        assert_eq!(s.unread(), 100);
        assert_eq!(s.items().next().map(|i| i.id.clone()), Some(Int(99_999)));
        assert!(s.mark_read(&Int(99_801)) && !s.mark_read(&Int(99_799)));
    }
}
