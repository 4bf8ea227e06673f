//! Typing indicators: when this user's typing goes out (a start at most once per throttle while
//! typing, a stop after an idle pause), and who else is typing where (each typist is dropped
//! unless refreshed in time, at most [`MAX_TYPISTS`] per conversation).

use crate::prelude::*;

use super::client::Live;
use super::key::Key;
use super::time::Millis;
use super::vecmap::VecMap;

/// The most typists kept per conversation. A UI names a few ("several people are typing"
/// past that); the bound keeps a flood of typing frames from growing the state, or the time
/// each frame takes.
pub const MAX_TYPISTS: usize = 16;

/// The `typing` option's timings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypingTimes {
    /// While typing, at most one start frame per this.
    pub throttle: Millis,
    /// A stop goes out this long after the last keystroke.
    pub idle: Millis,
    /// Another user's typing is forgotten this long after their last start.
    pub expire: Millis,
}

impl Default for TypingTimes {
    fn default() -> Self {
        TypingTimes { throttle: 3000, idle: 2000, expire: 5000 }
    }
}

/// This user typing in one conversation.
#[derive(Debug)]
struct Own<V> {
    key: Key,
    id: V,
    /// When the last start frame went out on this socket (`None`: none did).
    started: Option<Millis>,
    idle_at: Millis,
}

/// Another user typing in a conversation.
#[derive(Debug)]
struct Typist<V> {
    user: Key,
    user_id: V,
    expires: Millis,
}

/// The other users typing in one conversation, in the order they started.
#[derive(Debug)]
struct Typists<V> {
    conversation_id: V,
    users: Vec<Typist<V>>,
}

/// Typing state. `V` is an id as the shell keeps it (first given form).
#[derive(Debug)]
pub struct Typing<V> {
    times: TypingTimes,
    own: Vec<Own<V>>,
    /// By conversation; a conversation without typists has no entry.
    others: VecMap<Key, Typists<V>>,
    /// No typist expires before this (`None`: there is none). A refresh leaves it early: the
    /// expiry check it brings then finds the true earliest.
    earliest: Option<Millis>,
}

impl<V: Clone> Typing<V> {
    /// No one typing.
    pub fn new(times: TypingTimes) -> Self {
        Typing { times, own: Vec::new(), others: VecMap::default(), earliest: None }
    }

    /// This user is (or stopped) typing in conversation `key` (`id` as given). Returns the
    /// frame to write now, if any: `Some(true)` a start, `Some(false)` a stop. `writable`:
    /// the socket takes frames now (typing is never queued; a start not written goes out on
    /// the next keystroke that finds the socket open).
    pub fn set(&mut self, key: Key, id: V, typing: bool, now: Millis, writable: bool) -> Option<bool> {
        let at = self.own.iter().position(|o| o.key == key);
        if !typing {
            let own = self.own.swap_remove(at?);
            return (own.started.is_some() && writable).then_some(false);
        }
        let own = match at {
            Some(i) => &mut self.own[i],
            None => {
                self.own.push(Own { key, id, started: None, idle_at: now });
                self.own.last_mut()?
            }
        };
        own.idle_at = now + self.times.idle;
        let due = own.started.is_none_or(|s| now >= s + self.times.throttle);
        (due && writable).then(|| {
            own.started = Some(now);
            true
        })
    }

    /// Another user's typing frame in `conversation`: returns whether its typists changed
    /// (a refresh of one already typing only moves the expiry; a start in a conversation with
    /// [`MAX_TYPISTS`] typists is left out).
    pub fn handle(&mut self, conversation: Key, conversation_id: impl FnOnce() -> V, user: (Key, V), typing: bool, now: Millis) -> bool {
        let expires = now + self.times.expire;
        if !typing {
            let Some(list) = self.others.get_mut(&conversation) else { return false };
            let Some(i) = list.users.iter().position(|t| t.user == user.0) else { return false };
            list.users.remove(i);
            if list.users.is_empty() {
                self.others.remove(&conversation);
            }
            return true;
        }
        let list = self.others.get_or_insert_with(conversation, || Typists { conversation_id: conversation_id(), users: Vec::new() });
        if let Some(typist) = list.users.iter_mut().find(|t| t.user == user.0) {
            typist.expires = expires;
            return false;
        }
        if list.users.len() == MAX_TYPISTS {
            return false;
        }
        list.users.push(Typist { user: user.0, user_id: user.1, expires });
        self.earliest = Some(self.earliest.map_or(expires, |e| e.min(expires)));
        true
    }

    /// At `now`: appends to `out` the stops owed after an idle pause (when `writable`) and
    /// the conversations whose typists expired (once each).
    pub fn expire(&mut self, now: Millis, writable: bool, out: &mut Vec<Live<V>>) {
        let mut i = 0;
        while let Some(own) = self.own.get(i) {
            if now < own.idle_at {
                i += 1;
                continue;
            }
            let own = self.own.swap_remove(i);
            if own.started.is_some() && writable {
                out.push(Live::TypingStop(own.key, own.id));
            }
        }
        self.remove_others(now, out);
    }

    /// The connection left `open`: every typist is forgotten (their conversations appended
    /// to `out`) and this user's starts count as unsent.
    pub fn disconnected(&mut self, out: &mut Vec<Live<V>>) {
        for own in &mut self.own {
            own.started = None;
        }
        self.remove_others(Millis::MAX, out);
    }

    /// Forgets the typists expired at `now`; each conversation that changed is appended once.
    fn remove_others(&mut self, now: Millis, out: &mut Vec<Live<V>>) {
        if self.earliest.is_none_or(|e| now < e) {
            return;
        }
        let mut earliest: Option<Millis> = None;
        self.others.retain(|key, list| {
            let before = list.users.len();
            list.users.retain(|t| now < t.expires);
            if list.users.len() != before {
                out.push(Live::Typists(*key, list.conversation_id.clone()));
            }
            for t in &list.users {
                earliest = Some(earliest.map_or(t.expires, |e| e.min(t.expires)));
            }
            !list.users.is_empty()
        });
        self.earliest = earliest;
    }

    /// Who is typing in `conversation`, in the order they started.
    pub fn users(&self, conversation: Key) -> impl Iterator<Item = &V> {
        self.others.get(&conversation).into_iter().flat_map(|list| list.users.iter().map(|t| &t.user_id))
    }

    /// The earliest idle stop or expiry (no later than either).
    pub fn next_deadline(&self) -> Option<Millis> {
        self.own.iter().map(|o| o.idle_at).chain(self.earliest).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type T = Typing<&'static str>;

    fn typing() -> T {
        Typing::new(TypingTimes::default())
    }

    const C: Key = Key::Int(5);

    #[test]
    fn a_start_goes_out_at_most_once_per_throttle_while_typing() {
        let mut t = typing();
        assert_eq!(t.set(C, "5", true, 0, true), Some(true));
        for now in [100, 1000, 1999, 2999] {
            assert_eq!(t.set(C, "5", true, now, true), None, "{now}: within the throttle");
        }
        assert_eq!(t.set(C, "5", true, 3000, true), Some(true), "3 s after the start: a refresh");
        assert_eq!(t.set(C, "5", true, 3100, true), None);
    }

    #[test]
    fn a_stop_goes_out_after_the_idle_pause_and_only_after_a_start() {
        let mut t = typing();
        t.set(C, "5", true, 0, true);
        t.set(C, "5", true, 1500, true);
        assert_eq!(t.next_deadline(), Some(3500), "2 s after the last keystroke");
        let mut out = Vec::new();
        t.expire(3499, true, &mut out);
        assert!(out.is_empty());
        t.expire(3500, true, &mut out);
        assert_eq!(out, [Live::TypingStop(C, "5")]);
        assert!(t.next_deadline().is_none());
        assert_eq!(t.set(C, "5", true, 3600, true), Some(true), "typing again starts again at once");
    }

    #[test]
    fn an_explicit_stop_goes_out_at_once_once() {
        let mut t = typing();
        assert_eq!(t.set(C, "5", false, 0, true), None, "no start, no stop");
        t.set(C, "5", true, 0, true);
        assert_eq!(t.set(C, "5", false, 10, true), Some(false));
        assert_eq!(t.set(C, "5", false, 20, true), None, "stopped already");
        assert!(t.next_deadline().is_none());
    }

    #[test]
    fn nothing_is_written_while_closed_and_a_start_follows_once_open() {
        let mut t = typing();
        assert_eq!(t.set(C, "5", true, 0, false), None);
        assert_eq!(t.set(C, "5", true, 500, true), Some(true), "the first keystroke on an open socket");
        let mut out = Vec::new();
        t.disconnected(&mut out);
        assert_eq!(t.set(C, "5", true, 900, true), Some(true), "a new socket gets its start, throttle or not");
        t.disconnected(&mut out);
        assert_eq!(t.set(C, "5", false, 950, true), None, "the server of this socket saw no start");
        t.set(C, "5", true, 1000, false);
        t.expire(3000, true, &mut out);
        assert!(out.is_empty(), "no stop for a start never written");
    }

    #[test]
    fn conversations_are_apart() {
        let mut t = typing();
        assert_eq!(t.set(C, "5", true, 0, true), Some(true));
        assert_eq!(t.set(Key::Int(6), "6", true, 10, true), Some(true));
        assert_eq!(t.set(C, "5", false, 20, true), Some(false));
        assert_eq!(t.next_deadline(), Some(2010));
    }

    #[test]
    fn typists_are_listed_in_start_order_and_expire_unless_refreshed() {
        let mut t = typing();
        let id = || "5";
        assert!(t.handle(C, id, (Key::Int(2), "2"), true, 0));
        assert!(t.handle(C, id, (Key::Int(3), "3"), true, 1000));
        assert!(!t.handle(C, id, (Key::Int(2), "2"), true, 3000), "a refresh is no change");
        assert!(!t.handle(Key::Int(6), || "6", (Key::Int(2), "2"), false, 3000), "a stop of no one is no change");
        assert_eq!(t.users(C).collect::<Vec<_>>(), [&"2", &"3"]);
        assert_eq!(t.next_deadline(), Some(5000), "2's first expiry, moved by its refresh: a check finds nothing");
        let mut out = Vec::new();
        t.expire(5000, true, &mut out);
        assert!(out.is_empty());
        assert_eq!(t.next_deadline(), Some(6000), "3 expires 5 s after its start");
        t.expire(6000, true, &mut out);
        assert_eq!((t.users(C).collect::<Vec<_>>(), &out), (vec![&"2"], &vec![Live::Typists(C, "5")]));
        out.clear();
        t.expire(8000, true, &mut out);
        assert_eq!((t.users(C).count(), out), (0, vec![Live::Typists(C, "5")]), "no stop of this user's");
    }

    #[test]
    fn a_conversation_keeps_at_most_max_typists_and_a_flood_keeps_the_state_bounded() {
        let mut t = Typing::<u64>::new(TypingTimes::default());
        for user in 0..MAX_TYPISTS as i64 + 5 {
            let changed = t.handle(C, || 5, (Key::Int(user), user as u64), true, 0);
            assert_eq!(changed, user < MAX_TYPISTS as i64, "{user}");
        }
        assert_eq!(t.users(C).count(), MAX_TYPISTS);
        assert!(t.handle(C, || 5, (Key::Int(0), 0), false, 10), "a stop makes room");
        assert!(t.handle(C, || 5, (Key::Int(99), 99), true, 20));
        assert_eq!(t.users(C).last(), Some(&99));
        for n in 0..100_000u64 {
            t.handle(Key::Int((n % 20) as i64), || n % 20, (Key::Int((n % 5000) as i64), n), true, 1000 + n / 100);
        }
        assert_eq!(t.others.values().map(|list| list.users.len()).sum::<usize>(), 20 * MAX_TYPISTS);
        let mut out = Vec::new();
        t.expire(Millis::MAX - 1, true, &mut out);
        assert_eq!((out.len(), t.others.len(), t.next_deadline()), (20, 0, None), "each conversation told once");
    }

    #[test]
    fn a_stop_frame_ends_a_typist_and_a_disconnect_ends_all_once_per_conversation() {
        let mut t = typing();
        t.handle(C, || "5", (Key::Int(2), "2"), true, 0);
        assert!(t.handle(C, || "5", (Key::Int(2), "2"), false, 10));
        t.handle(C, || "5", (Key::Int(2), "2"), true, 20);
        t.handle(C, || "5", (Key::Int(3), "3"), true, 20);
        t.handle(Key::Int(6), || "6", (Key::Int(3), "3"), true, 20);
        let mut out = Vec::new();
        t.disconnected(&mut out);
        assert_eq!(out, [Live::Typists(C, "5"), Live::Typists(Key::Int(6), "6")]);
        assert_eq!(t.next_deadline(), None);
    }
}
