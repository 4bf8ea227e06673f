//! The whole core in one value: connection, listeners and counters, fed one frame at a time.

use crate::prelude::*;

use super::connection::{Connection, Settings, Status};
use super::dedup::{Seen, Window};
use super::key::Key;
use super::limit::Limiter;
use super::presence::Presence;
use super::receipts::Receipts;
use super::router::{ListenerId, Router, Signal};
use super::stats::Stats;
use super::tabs::{Peers, Relay, Role};
use super::time::Millis;
use super::typing::{Typing, TypingTimes};
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
    /// Other users' typing (`None` without the `typing` option).
    pub typing: Option<u32>,
    /// Presence: a user came online, went offline, the snapshot of who is (`None` without
    /// the `presence` option).
    pub online: Option<u32>,
    /// See `online`.
    pub offline: Option<u32>,
    /// See `online`.
    pub snapshot: Option<u32>,
}

impl SpecialTypes {
    /// Whether `type_id` is one of these types.
    fn contains(&self, type_id: Option<u32>) -> bool {
        type_id.is_some() && [self.pong, self.ack, self.typing, self.online, self.offline, self.snapshot].contains(&type_id)
    }
}

/// What the core keeps beyond the connection and the unread counts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Features {
    /// With `idKey`: how many recent (route, id) keys de-duplication remembers.
    pub dedup_window: Option<usize>,
    /// With `typing`: its timings.
    pub typing: Option<TypingTimes>,
    /// With `readReceipts`.
    pub receipts: bool,
    /// With `userId`: the user's own key, so that their own messages and typing, echoed back
    /// from another tab or device, neither count nor notify nor show as typing.
    pub own: Option<Key>,
}

/// Which user a typing or presence message names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserOf {
    /// The typist (`typing.userKey`).
    Typing,
    /// The user coming or going (`presence.userKey`).
    Presence,
}

/// What changed beyond a message's listeners, for the shell to tell or write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Live<V> {
    /// Write this user's typing stop in conversation (key, id) after an idle pause.
    TypingStop(Key, V),
    /// The typists of conversation (key, id) changed.
    Typists(Key, V),
    /// The online users changed.
    Presence,
    /// Send a read receipt: (conversation id, last message id).
    Receipt(V, V),
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
    /// The user a typing or presence message names, its key and id as given.
    fn user(&mut self, of: UserOf) -> Option<(Key, V)>;
    /// Whether a typing message says typing (its flag, absent: yes).
    fn is_typing(&mut self) -> bool;
    /// The users of a presence snapshot.
    fn snapshot(&mut self) -> Vec<(Key, V)>;
    /// The message's id (`readReceipts.idKey`), read for receipts.
    fn message_id(&mut self) -> Option<V>;
    /// The key of the user who sent a notify-type message (`notify.senderKey`), read with `userId`.
    fn sender(&mut self) -> Option<Key>;
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
    /// Typing indicators, with `typing`.
    pub typing: Option<Typing<V>>,
    /// Who is online.
    pub presence: Presence<V>,
    /// Read receipts owed, with `readReceipts`.
    receipts: Option<Receipts<V>>,
    /// Changes for the shell, oldest first (a few at a time).
    live: Vec<Live<V>>,
    types: SpecialTypes,
    /// The user's own key (`userId`).
    own: Option<Key>,
}

impl<P: Clone, F, V: Clone> Client<P, F, V> {
    /// A core that treats `types` specially and keeps `features`.
    pub fn new(settings: Settings, seed: u64, now: Millis, types: SpecialTypes, features: Features) -> Self {
        Client {
            connection: Connection::new(settings, seed, now),
            router: Router::default(),
            stats: Stats::default(),
            unread: Unread::default(),
            limiter: Limiter::default(),
            dedup: features.dedup_window.map(Window::new),
            relay: Relay::new(Role::Solo),
            peers: Peers::default(),
            typing: features.typing.map(Typing::new),
            presence: Presence::default(),
            receipts: features.receipts.then(Receipts::default),
            live: Vec::new(),
            types,
            own: features.own,
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

    /// Whether messages of `type_id` make the core keep their conversation (a count, typists):
    /// the shell then interns a text id it has not seen.
    pub fn keeps_conversation(&self, type_id: Option<u32>) -> bool {
        self.is_notify_type(type_id) || type_id.is_some() && type_id == self.types.typing
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
        if self.types.contains(type_id) {
            self.handle_live(type_id, conversation, lazy);
        }
        if !self.is_notify_type(type_id) || self.is_own(lazy) {
            return outcome;
        }
        let Some(key) = conversation else {
            outcome.notify = self.relay.role.notifies();
            return outcome;
        };
        let here = self.unread.is_active(&key) && lazy.visible();
        let elsewhere = !here && self.peers.shows(&key);
        if let Some(receipts) = &mut self.receipts {
            if let Some(id) = lazy.message_id() {
                receipts.arrived(key, || lazy.conversation_id(), id, elsewhere);
            }
        }
        if here {
            self.read(&key, true);
        }
        if !(here || elsewhere) {
            let (id, count) = self.unread.add(key, || lazy.conversation_id());
            if self.router.has_signal_listeners(Signal::Unread) {
                outcome.unread = Some(UnreadChange { key, id: id.clone(), count });
            }
            outcome.notify = self.relay.role.notifies();
        }
        outcome
    }

    /// Whether a notify-type message is the user's own (`userId`), echoed back by the server.
    fn is_own(&self, lazy: &mut impl Lazy<V>) -> bool {
        self.own.is_some() && lazy.sender() == self.own
    }

    /// A typing or presence message: the typists or the online users it changes.
    fn handle_live(&mut self, type_id: Option<u32>, conversation: Option<Key>, lazy: &mut impl Lazy<V>) {
        let t = &self.types;
        let changed = if type_id == t.typing {
            let (Some(typing), Some(key)) = (&mut self.typing, conversation) else { return };
            let Some(user) = lazy.user(UserOf::Typing).filter(|(key, _)| Some(*key) != self.own) else { return };
            let (is_typing, now) = (lazy.is_typing(), lazy.now());
            if !typing.handle(key, || lazy.conversation_id(), user, is_typing, now) {
                return;
            }
            Live::Typists(key, lazy.conversation_id())
        } else if type_id == t.snapshot {
            match self.presence.replace(lazy.snapshot()) {
                true => Live::Presence,
                false => return,
            }
        } else if type_id == t.online || type_id == t.offline {
            let Some(user) = lazy.user(UserOf::Presence) else { return };
            let changed = match type_id == t.online {
                true => self.presence.online(user),
                false => self.presence.offline(&user.0),
            };
            match changed {
                true => Live::Presence,
                false => return,
            }
        } else {
            return;
        };
        self.live.push(changed);
    }

    /// The user read conversation `key`, in this tab (`here`) or another: with
    /// `readReceipts`, the tab where it was read owes a receipt if a message arrived since
    /// the last one.
    pub fn read(&mut self, key: &Key, here: bool) {
        if let Some((conversation, last)) = self.receipts.as_mut().and_then(|r| r.read(key)).filter(|_| here) {
            self.live.push(Live::Receipt(conversation, last));
        }
    }

    /// This user is (or stopped) typing in conversation `key` (`id` as given): the frame to
    /// write now, if any (`Some(true)` a start, `Some(false)` a stop). `None` also without
    /// the `typing` option.
    pub fn set_typing(&mut self, key: Key, id: V, typing: bool, now: Millis) -> Option<bool> {
        let writable = self.connection.takes_frames_now();
        self.typing.as_mut()?.set(key, id, typing, now, writable)
    }

    /// Fires every deadline that has passed: the connection's, typing's idle stops and expiries.
    pub fn handle_timeout(&mut self, now: Millis) {
        self.connection.handle_timeout(now);
        if let Some(typing) = &mut self.typing {
            typing.expire(now, self.connection.takes_frames_now(), &mut self.live);
        }
    }

    /// The earliest deadline: the connection's or typing's.
    pub fn poll_timeout(&self) -> Option<Millis> {
        let connection = self.connection.poll_timeout();
        match self.typing.as_ref().and_then(Typing::next_deadline) {
            Some(t) => Some(connection.map_or(t, |c| c.min(t))),
            None => connection,
        }
    }

    /// Whether the connection's visible state changed since the last call. When it left
    /// `open`, who is typing and who is online are no longer known: both are cleared.
    pub fn take_state_change(&mut self) -> bool {
        let changed = self.connection.take_state_change();
        if changed && self.connection.status() != Status::Open {
            if let Some(typing) = &mut self.typing {
                typing.disconnected(&mut self.live);
            }
            if self.presence.clear() {
                self.live.push(Live::Presence);
            }
        }
        changed
    }

    /// The next change for the shell to tell or write, in order.
    pub fn poll_live(&mut self) -> Option<Live<V>> {
        (!self.live.is_empty()).then(|| self.live.remove(0))
    }

    /// Whether a change waits for [`Client::poll_live`].
    pub fn has_live(&self) -> bool {
        !self.live.is_empty()
    }

    /// The listeners a message of `type_id` without a conversation reaches, when that is all
    /// the core does with it: it is no heartbeat answer, no notify type, and no `"*"` listener
    /// waits. The shell may then skip [`Client::handle_message`] (and, while no listener waits
    /// on a conversation, do so for messages with one too).
    pub fn direct(&self, type_id: Option<u32>) -> Option<&[ListenerId]> {
        let special = self.types.contains(type_id) || self.is_notify_type(type_id);
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
        let types = SpecialTypes { pong: Some(0), notify: vec![2], ack: Some(4), typing: Some(5), online: Some(6), offline: Some(7), snapshot: Some(8) };
        Client::new(Settings::default(), 1, 0, types, Features { dedup_window: Some(2), typing: Some(TypingTimes::default()), receipts: true, own: None })
    }

    /// Fixed lazy inputs; `now` may be read only for pongs and typing.
    #[derive(Default)]
    struct Page {
        now: Option<Millis>,
        visible: bool,
        ack: Option<String>,
        user: Option<(Key, &'static str)>,
        stopped: bool,
        snapshot: Vec<(Key, &'static str)>,
        id: Option<&'static str>,
        sender: Option<Key>,
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
        fn user(&mut self, _: UserOf) -> Option<(Key, &'static str)> {
            self.user
        }
        fn is_typing(&mut self) -> bool {
            !self.stopped
        }
        fn snapshot(&mut self) -> Vec<(Key, &'static str)> {
            self.snapshot.clone()
        }
        fn message_id(&mut self) -> Option<&'static str> {
            self.id
        }
        fn sender(&mut self) -> Option<Key> {
            self.sender
        }
    }

    fn message(c: &mut TestClient, type_id: u32, conversation: Option<i64>, visible: bool) -> (Vec<&'static str>, Outcome<&'static str>) {
        let mut out = Vec::new();
        let outcome = c.handle_message(Some(type_id), conversation.map(Key::Int), &mut Page { now: None, visible, ack: None, ..Page::default() }, &mut out);
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
        c.handle_message(Some(0), None, &mut Page { now: Some(25_042), visible: true, ack: None, ..Page::default() }, &mut out);
        assert!(out.is_empty(), "a pong reaches no listener, \"*\" included");
        assert_eq!(c.connection.last_rtt(), Some(32));
        c.handle_message(Some(1), None, &mut Page { now: None, visible: true, ack: None, ..Page::default() }, &mut out);
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
    fn the_users_own_messages_and_typing_reach_listeners_but_never_count_notify_or_type() {
        let mut c = client();
        c.own = Some(Key::Int(2));
        c.router.subscribe(Topic::Type(2), "new_message");
        c.router.subscribe(Topic::Type(5), "typing");
        fn from(c: &mut TestClient, sender: Option<i64>, conversation: Option<i64>) -> (usize, Outcome<&'static str>) {
            let mut out = Vec::new();
            let mut page = Page { sender: sender.map(Key::Int), ..Page::default() };
            let outcome = c.handle_message(Some(2), conversation.map(Key::Int), &mut page, &mut out);
            (out.len(), outcome)
        }
        let none = Outcome { notify: false, unread: None, acked: None };
        assert_eq!(from(&mut c, Some(2), Some(7)), (1, none.clone()), "own, in a conversation");
        assert_eq!(from(&mut c, Some(2), None), (1, none), "own, without one");
        assert_eq!(c.unread.total(), 0);
        assert!(from(&mut c, Some(3), Some(7)).1.notify, "someone else's");
        assert!(from(&mut c, None, Some(7)).1.notify, "no sender: not known to be own");
        assert_eq!(c.unread.total(), 2);
        assert_eq!(typing_frame(&mut c, 7, 2, false, 0), ["typing"], "own typing reaches its listener");
        assert_eq!(c.typing.as_ref().unwrap().users(Key::Int(7)).count(), 0, "but is no typist");
        typing_frame(&mut c, 7, 3, false, 0);
        assert_eq!(c.typing.as_ref().unwrap().users(Key::Int(7)).count(), 1);
        c.own = None;
        assert!(from(&mut c, Some(2), Some(8)).1.notify, "without userId nothing is own");
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
            c.handle_message(type_id, None, &mut Page { now: None, visible: true, ack: None, ..Page::default() }, &mut out);
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
        let mut page = Page { now: None, visible: true, ack: Some(id), ..Page::default() };
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

    fn typing_frame(c: &mut TestClient, conversation: i64, user: i64, stopped: bool, now: Millis) -> Vec<&'static str> {
        let mut out = Vec::new();
        let mut page = Page { now: Some(now), user: Some((Key::Int(user), "u")), stopped, ..Page::default() };
        c.handle_message(Some(5), Some(Key::Int(conversation)), &mut page, &mut out);
        out.iter().map(|id| *c.router.listener(*id).unwrap()).collect()
    }

    fn lives(c: &mut TestClient) -> Vec<Live<&'static str>> {
        core::iter::from_fn(|| c.poll_live()).collect()
    }

    fn open(c: &mut TestClient) {
        c.connection.connect(0);
        c.connection.handle_open(1, 0);
        while c.connection.poll_action().is_some() {}
        c.take_state_change();
    }

    #[test]
    fn typing_frames_reach_their_listeners_and_change_the_typists() {
        let mut c = client();
        c.router.subscribe(Topic::Type(5), "typing");
        assert_eq!(typing_frame(&mut c, 7, 2, false, 0), ["typing"]);
        assert_eq!(lives(&mut c), [Live::Typists(Key::Int(7), "id")]);
        typing_frame(&mut c, 7, 2, false, 1000);
        assert!(lives(&mut c).is_empty(), "a refresh changes nothing");
        assert_eq!(c.poll_timeout(), Some(5000), "the first expiry, which the refresh moved");
        c.handle_timeout(5000);
        assert!(lives(&mut c).is_empty());
        assert_eq!(c.poll_timeout(), Some(6000), "the typist expires 5 s after the refresh");
        c.handle_timeout(6000);
        assert_eq!(lives(&mut c), [Live::Typists(Key::Int(7), "id")]);
        assert_eq!(c.typing.as_ref().unwrap().users(Key::Int(7)).count(), 0);
        typing_frame(&mut c, 7, 2, false, 7000);
        typing_frame(&mut c, 7, 2, true, 7100);
        assert_eq!(lives(&mut c).len(), 2, "a start and a stop");
    }

    #[test]
    fn this_users_typing_goes_out_only_while_open_and_stops_after_idle() {
        let mut c = client();
        assert_eq!(c.set_typing(Key::Int(7), "7", true, 0), None, "not open: nothing is written or queued");
        open(&mut c);
        assert_eq!(c.set_typing(Key::Int(7), "7", true, 10), Some(true));
        assert_eq!(c.set_typing(Key::Int(7), "7", true, 20), None);
        assert_eq!(c.poll_timeout(), Some(2020), "the idle stop comes before the heartbeat");
        c.handle_timeout(2020);
        assert_eq!(lives(&mut c), [Live::TypingStop(Key::Int(7), "7")]);
    }

    #[test]
    fn closing_clears_typists_and_presence() {
        let mut c = client();
        open(&mut c);
        typing_frame(&mut c, 7, 2, false, 0);
        let mut out = Vec::new();
        c.handle_message(Some(6), None, &mut Page { user: Some((Key::Int(2), "2")), ..Page::default() }, &mut out);
        assert_eq!(lives(&mut c), [Live::Typists(Key::Int(7), "id"), Live::Presence]);
        c.connection.handle_close(1, 1006, 100);
        assert!(c.take_state_change());
        assert_eq!(lives(&mut c), [Live::Typists(Key::Int(7), "id"), Live::Presence]);
        assert_eq!(c.presence.users().count(), 0);
    }

    #[test]
    fn presence_follows_online_offline_and_the_snapshot() {
        let mut c = client();
        let mut out = Vec::new();
        let user = |n| Page { user: Some((Key::Int(n), "u")), ..Page::default() };
        c.handle_message(Some(6), None, &mut user(1), &mut out);
        c.handle_message(Some(6), None, &mut user(1), &mut out);
        c.handle_message(Some(7), None, &mut user(3), &mut out);
        assert_eq!(lives(&mut c), [Live::Presence], "only 1 coming online changed the set");
        let mut snapshot = Page { snapshot: vec![(Key::Int(4), "4"), (Key::Int(1), "1")], ..Page::default() };
        c.handle_message(Some(8), None, &mut snapshot, &mut out);
        assert_eq!((lives(&mut c), c.presence.users().copied().collect::<Vec<_>>()), (vec![Live::Presence], vec!["4", "1"]));
        c.handle_message(Some(7), None, &mut user(4), &mut out);
        assert!(!c.presence.contains(&Key::Int(4)) && c.presence.contains(&Key::Int(1)));
    }

    #[test]
    fn receipts_go_out_once_per_change_from_the_tab_where_it_was_read() {
        let mut c = client();
        let mut out = Vec::new();
        let new_message = |id| Page { id: Some(id), visible: true, ..Page::default() };
        c.handle_message(Some(2), Some(Key::Int(7)), &mut new_message("m1"), &mut out);
        assert!(lives(&mut c).is_empty(), "not read yet");
        c.read(&Key::Int(7), true);
        assert_eq!(lives(&mut c), [Live::Receipt("id", "m1")]);
        c.read(&Key::Int(7), true);
        assert!(lives(&mut c).is_empty(), "once per change");
        c.unread.set_active(Some((Key::Int(7), "id")));
        c.handle_message(Some(2), Some(Key::Int(7)), &mut new_message("m2"), &mut out);
        assert_eq!(lives(&mut c), [Live::Receipt("id", "m2")], "seen on arrival in the active, visible conversation");
        c.unread.set_active(None);
        c.handle_message(Some(2), Some(Key::Int(7)), &mut new_message("m3"), &mut out);
        c.read(&Key::Int(7), false);
        c.read(&Key::Int(7), true);
        assert!(lives(&mut c).is_empty(), "read in another tab, which sent the receipt");
    }
}
