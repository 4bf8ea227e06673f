//! The whole core in one value: connection, listeners and counters, fed one frame at a time.

use crate::prelude::*;

use super::connection::{Connection, Settings};
use super::dedup::{Seen, Window};
use super::key::Key;
use super::limit::Limiter;
use super::router::{ListenerId, Router, Signal};
use super::stats::Stats;
use super::tabs::{Peers, Relay, Role};
use super::time::Millis;
use super::unread::{Unread, UnreadChange};

/// Type ids the core treats specially (the shell interns the strings).
#[derive(Debug, Clone, Default)]
pub struct SpecialTypes {
    /// Heartbeat answers: consumed, never routed (`None` without heartbeat).
    pub pong: Option<u32>,
    /// Types that count as unread and may raise a browser notification.
    pub notify: Vec<u32>,
    /// Acks of acknowledged sends (`None` without the `ack` option).
    pub ack: Option<u32>,
}

/// Inputs the core reads only when a message needs them: in the browser none is free to read.
pub trait Lazy<V> {
    /// The current time (read for heartbeat answers).
    fn now(&mut self) -> Millis;
    /// Whether the page is visible (read for the active conversation's notify-type messages).
    fn visible(&mut self) -> bool;
    /// The conversation id as the message carries it (read when a conversation is first counted).
    fn conversation_id(&mut self) -> V;
    /// The `client_id` an ack carries (read for acks).
    fn ack_id(&mut self) -> Option<String>;
}

/// What a message does beyond reaching its listeners.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome<V> {
    /// Raise a browser notification for it.
    pub notify: bool,
    /// The unread count it changed, when someone listens to unread changes.
    pub unread: Option<UnreadChange<V>>,
    /// The acknowledged send it settles.
    pub acked: Option<u32>,
}

/// The core of one `RealtimeContext`. `P` is the outgoing frame type, `F` the callback type,
/// `V` what the shell keeps of an id as first given (see [`super::unread::Unread`]).
#[derive(Debug)]
pub struct Client<P, F, V> {
    /// The socket's state machine.
    pub connection: Connection<P>,
    /// Who gets what.
    pub router: Router<F>,
    /// Counters for `stats()`.
    pub stats: Stats,
    /// Unread counts and the active conversation.
    pub unread: Unread<V>,
    /// Browser notifications' rate limit.
    pub limiter: Limiter,
    /// Recent message keys, with `idKey`.
    dedup: Option<Window>,
    /// This tab's part in sharing the socket, and the relay of a follower.
    pub relay: Relay,
    /// The other tabs of this user and the conversations they show.
    pub peers: Peers,
    types: SpecialTypes,
}

impl<P: Clone, F, V: Clone> Client<P, F, V> {
    /// A core that treats `types` specially and, given a `dedup_window`, drops duplicates.
    pub fn new(settings: Settings, seed: u64, now: Millis, types: SpecialTypes, dedup_window: Option<usize>) -> Self {
        Client {
            connection: Connection::new(settings, seed, now),
            router: Router::default(),
            stats: Stats::default(),
            unread: Unread::default(),
            limiter: Limiter::default(),
            dedup: dedup_window.map(Window::new),
            relay: Relay::new(Role::Solo),
            peers: Peers::default(),
            types,
        }
    }

    /// Whether a message of this (route, id) was seen among the last `dedupWindow`: then it
    /// is counted and must reach no one. Call before [`Client::handle_message`].
    pub fn is_duplicate(&mut self, key: Seen) -> bool {
        let duplicate = self.dedup.as_mut().is_some_and(|w| w.check(key));
        self.stats.duplicates_dropped += duplicate as u64;
        duplicate
    }

    /// Whether messages of `type_id` answer the heartbeat.
    fn is_pong(&self, type_id: Option<u32>) -> bool {
        type_id.is_some() && type_id == self.types.pong
    }

    /// Whether messages of `type_id` count as unread and may notify.
    pub fn is_notify_type(&self, type_id: Option<u32>) -> bool {
        type_id.is_some_and(|t| self.types.notify.contains(&t))
    }

    /// A frame of `size` arrived on socket `generation`: counts it and notes liveness.
    /// Returns `false` for a frame of a socket that was replaced, which must be ignored.
    pub fn handle_frame(&mut self, generation: u32, size: u64) -> bool {
        if !self.connection.handle_frame(generation) {
            return false;
        }
        self.stats.messages_in += 1;
        self.stats.bytes_in += size;
        true
    }

    /// One decoded message: appends to `out` the listeners it reaches, in order, and says what
    /// else it does. A heartbeat answer is consumed here (its round trip timed) and reaches no
    /// one. A message of a notify type counts as unread and notifies unless its conversation is
    /// the active one and the page is visible; one without a conversation only notifies.
    pub fn handle_message(
        &mut self,
        type_id: Option<u32>,
        conversation: Option<Key>,
        lazy: &mut impl Lazy<V>,
        out: &mut Vec<ListenerId>,
    ) -> Outcome<V> {
        let mut outcome = Outcome { notify: false, unread: None, acked: None };
        if self.is_pong(type_id) {
            self.connection.handle_pong(lazy.now());
            return outcome;
        }
        if type_id.is_some() && type_id == self.types.ack {
            outcome.acked = lazy.ack_id().and_then(|id| self.connection.handle_ack(&id));
        }
        self.router.route(type_id, conversation.as_ref(), out);
        if self.is_notify_type(type_id) {
            match conversation {
                Some(key) if !(self.unread.is_active(&key) && lazy.visible() || self.peers.shows(&key)) => {
                    let (id, count) = self.unread.add(key, || lazy.conversation_id());
                    if self.router.has_signal_listeners(Signal::Unread) {
                        outcome.unread = Some(UnreadChange { key, id: id.clone(), count });
                    }
                    outcome.notify = self.relay.role.notifies();
                }
                Some(_) => {}
                None => outcome.notify = self.relay.role.notifies(),
            }
        }
        outcome
    }

    /// The listeners a message of `type_id` without a conversation reaches, when that is all
    /// the core does with it: it is no heartbeat answer, no notify type, and no `"*"` listener
    /// waits. The shell may then skip [`Client::handle_message`] (and, while no listener waits
    /// on a conversation, do so for messages with one too).
    pub fn direct(&self, type_id: Option<u32>) -> Option<&[ListenerId]> {
        let special = self.is_pong(type_id) || self.is_notify_type(type_id) || type_id.is_some() && type_id == self.types.ack;
        (!special && !self.router.has_any_listeners()).then(|| self.router.type_listeners(type_id))
    }

    /// Drops every listener and frame of the outbox (at `free()`): what they hold is released.
    pub fn clear(&mut self) {
        self.router = Router::default();
        self.connection.clear_outbox();
    }

    /// A frame or batch element was dropped as malformed.
    pub fn handle_malformed(&mut self) {
        self.stats.malformed_dropped += 1;
    }

    /// A frame of `size` was written.
    pub fn count_sent(&mut self, size: u64) {
        self.stats.messages_out += 1;
        self.stats.bytes_out += size;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::connection::Action;
    use crate::core::router::Topic;

    type TestClient = Client<u32, &'static str, &'static str>;

    fn client() -> TestClient {
        Client::new(Settings::default(), 1, 0, SpecialTypes { pong: Some(0), notify: vec![2], ack: Some(4) }, Some(2))
    }

    /// Fixed lazy inputs; `now` may be read only for pongs.
    struct Page {
        now: Option<Millis>,
        visible: bool,
        ack: Option<String>,
    }

    impl Lazy<&'static str> for Page {
        fn now(&mut self) -> Millis {
            self.now.expect("only heartbeat answers read the clock")
        }
        fn visible(&mut self) -> bool {
            self.visible
        }
        fn conversation_id(&mut self) -> &'static str {
            "id"
        }
        fn ack_id(&mut self) -> Option<String> {
            self.ack.clone()
        }
    }

    fn message(c: &mut TestClient, type_id: u32, conversation: Option<i64>, visible: bool) -> (Vec<&'static str>, Outcome<&'static str>) {
        let mut out = Vec::new();
        let outcome = c.handle_message(Some(type_id), conversation.map(Key::Int), &mut Page { now: None, visible, ack: None }, &mut out);
        (out.iter().map(|id| *c.router.listener(*id).unwrap()).collect(), outcome)
    }

    #[test]
    fn pongs_are_consumed_and_measure_the_round_trip() {
        let mut c = client();
        c.router.subscribe(Topic::Any, "any");
        c.router.subscribe(Topic::Type(0), "pong-listener");
        c.connection.connect(0);
        assert_eq!(c.connection.poll_action(), Some(Action::Open { generation: 1 }));
        c.connection.handle_open(1, 10);
        c.connection.handle_timeout(25_010);
        assert_eq!(c.connection.poll_action(), Some(Action::Ping));
        assert!(c.handle_frame(1, 15));
        let mut out = Vec::new();
        c.handle_message(Some(0), None, &mut Page { now: Some(25_042), visible: true, ack: None }, &mut out);
        assert!(out.is_empty(), "a pong reaches no listener, \"*\" included");
        assert_eq!(c.connection.last_rtt(), Some(32));
        c.handle_message(Some(1), None, &mut Page { now: None, visible: true, ack: None }, &mut out);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn notify_types_count_as_unread_unless_seen_in_the_active_visible_conversation() {
        let mut c = client();
        c.router.subscribe(Topic::Signal(Signal::Unread), "unread");
        c.router.subscribe(Topic::Type(2), "new_message");
        let (reached, outcome) = message(&mut c, 2, Some(7), true);
        assert_eq!(reached, ["new_message"]);
        assert!(outcome.notify);
        assert_eq!((outcome.unread.map(|u| u.count), c.unread.total()), (Some(1), 1));
        c.unread.set_active(Some((Key::Int(7), "id")));
        let (reached, outcome) = message(&mut c, 2, Some(7), true);
        assert_eq!((reached.len(), outcome), (1, Outcome { notify: false, unread: None, acked: None }), "active and visible: seen");
        let (_, outcome) = message(&mut c, 2, Some(7), false);
        assert!(outcome.notify && outcome.unread.is_some(), "active but hidden: counted and notified");
        let (_, outcome) = message(&mut c, 2, Some(8), true);
        assert!(outcome.notify && outcome.unread.is_some(), "another conversation: counted and notified");
        assert_eq!(c.unread.total(), 2, "activating 7 zeroed its first message");
    }

    #[test]
    fn a_conversation_another_visible_tab_shows_is_seen_and_only_one_tab_notifies() {
        let mut c = client();
        c.peers.set_view(9, Some(Key::Int(7)));
        let (_, outcome) = message(&mut c, 2, Some(7), false);
        assert_eq!((outcome.notify, c.unread.total()), (false, 0), "seen in the other tab");
        c.relay.role = Role::Follower;
        let (_, outcome) = message(&mut c, 2, Some(8), true);
        assert_eq!((outcome.notify, c.unread.total()), (false, 1), "counted, but the leader notifies");
        c.relay.role = Role::Leader;
        assert!(message(&mut c, 2, Some(8), true).1.notify);
    }

    #[test]
    fn other_types_never_count_and_messages_without_conversation_only_notify() {
        let mut c = client();
        let (_, outcome) = message(&mut c, 1, Some(7), false);
        assert_eq!(outcome, Outcome { notify: false, unread: None, acked: None });
        let (_, outcome) = message(&mut c, 2, None, true);
        assert_eq!(outcome, Outcome { notify: true, unread: None, acked: None });
    }

    #[test]
    fn unread_changes_are_only_reported_when_someone_listens() {
        let mut c = client();
        let (_, outcome) = message(&mut c, 2, Some(7), true);
        assert_eq!(outcome, Outcome { notify: true, unread: None, acked: None });
        assert_eq!(c.unread.count(&Key::Int(7)), 1, "counted all the same");
    }

    #[test]
    fn direct_listeners_are_exactly_what_routing_decides() {
        let mut c = client();
        c.router.subscribe(Topic::Type(1), "one");
        c.router.subscribe(Topic::Type(1), "one-again");
        c.router.subscribe(Topic::Type(3), "three");
        c.router.subscribe(Topic::Type(2), "notify-type");
        for type_id in [None, Some(0), Some(1), Some(2), Some(3), Some(4), Some(9)] {
            let Some(direct) = c.direct(type_id).map(<[ListenerId]>::to_vec) else {
                assert!([Some(0), Some(2), Some(4)].contains(&type_id), "only the pong, notify and ack types need the core");
                continue;
            };
            let mut out = Vec::new();
            c.handle_message(type_id, None, &mut Page { now: None, visible: true, ack: None }, &mut out);
            assert_eq!(direct, out.as_slice(), "{type_id:?}");
        }
        c.router.subscribe(Topic::Any, "any");
        assert_eq!(c.direct(Some(1)), None, "a \"*\" listener needs the core's merge");
    }

    #[test]
    fn acks_settle_their_send_and_still_reach_their_listeners() {
        let mut c = client();
        c.router.subscribe(Topic::Type(4), "ack-listener");
        let ack = c.connection.next_ack_id();
        let (seq, id) = (ack.0, String::from(&*ack.1));
        assert!(c.connection.send_acked(9, ack, 0).is_ok());
        let mut out = Vec::new();
        let mut page = Page { now: None, visible: true, ack: Some(id) };
        let outcome = c.handle_message(Some(4), None, &mut page, &mut out);
        assert_eq!((outcome.acked, out.len()), (Some(seq), 1));
        let outcome = c.handle_message(Some(4), None, &mut page, &mut out);
        assert_eq!(outcome.acked, None, "a second ack of the same send settles nothing");
        assert_eq!(c.connection.queued() + c.connection.unacked(), 0);
    }

    #[test]
    fn duplicates_within_the_window_are_dropped_and_counted() {
        use crate::core::dedup::Route;
        use crate::core::inbox::Id;
        let mut c = client();
        let key = |n| (Route::Type(1), Id::Int(n));
        assert!(!c.is_duplicate(key(1)));
        assert!(c.is_duplicate(key(1)));
        assert!(!c.is_duplicate(key(2)) && !c.is_duplicate(key(3)));
        assert!(!c.is_duplicate(key(1)), "a window of two forgot 1");
        assert_eq!(c.stats.duplicates_dropped, 1);
    }

    #[test]
    fn frames_of_a_replaced_socket_are_not_counted() {
        let mut c = client();
        c.connection.connect(0);
        c.connection.handle_open(1, 1);
        assert!(c.handle_frame(1, 100));
        c.connection.disconnect(3);
        assert!(!c.handle_frame(1, 100));
        assert_eq!((c.stats.messages_in, c.stats.bytes_in), (1, 100));
    }
}
