//! The connection state machine: one socket at a time, reconnect, heartbeat, the outbox and
//! its acks, token refresh, and what the network and the page's visibility allow.
//!
//! Sans-IO: inputs arrive as method calls carrying `now`; outputs leave through
//! [`Connection::poll_action`], and [`Connection::poll_timeout`] names the next deadline.
//! Every socket the shell opens carries a generation; events from an older one are ignored.

use crate::prelude::*;

use alloc::collections::VecDeque;

use super::backoff::{Backoff, Policy};
use super::outbox::{Entry, Outbox, QueueFull};
use super::rng::Rng;
use super::time::Millis;

/// Where the connection stands (the `status` of the JS `state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Never asked to connect.
    Idle,
    /// A first attempt (from `connect()` or `retry()`) is in flight.
    Connecting,
    /// The socket is open.
    Open,
    /// Waiting for, or making, an automatic retry.
    Reconnecting,
    /// Stopped: by `disconnect()`, an auth close, or giving up (see the error).
    Closed,
}

/// Why the connection is closed or retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionError {
    /// The server closed with 4001, 4003 or 1008: no retry.
    Unauthorized(u16),
    /// `maxAttempts` consecutive attempts failed.
    GaveUp(u32),
    /// The socket closed and reconnecting is disabled.
    Lost(u16),
    /// The last attempt failed; a retry is scheduled.
    AttemptFailed(u16),
    /// The open socket dropped; a retry is scheduled.
    Dropped(u16),
    /// The server refused the token with this code; a fresh one is being asked for.
    Refreshing(u16),
    /// The browser is offline: the attempt waits for the network.
    Offline,
    /// The page was hidden for `hiddenGraceMs` with `pauseWhenHidden`: it reopens when shown.
    Paused,
}

/// Why the client closes a socket: the close frame's reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    /// `disconnect()`.
    Disconnect,
    /// `retry()` replaced the socket.
    Retry,
    /// The socket did not open in time.
    ConnectTimeout,
    /// The server stayed silent after a ping.
    HeartbeatTimeout,
    /// The page stayed hidden (`pauseWhenHidden`).
    PageHidden,
}

/// Close codes that mean "your credentials are not accepted": reconnecting would loop.
pub const AUTH_CLOSE_CODES: [u16; 3] = [4001, 4003, 1008];
/// The code the client closes with when a heartbeat or connect deadline passes.
pub const TIMEOUT_CLOSE_CODE: u16 = 4000;
/// The code the browser reports for a connection that ended without a close frame.
pub const ABNORMAL_CLOSE_CODE: u16 = 1006;
/// A deadline found later than this when its timer fires means the page was asleep (a
/// throttled or frozen background tab): what the socket delivered meanwhile may still be on
/// its way, so a timeout is judged [`WAKE_GRACE_MS`] later, once.
pub const LATE_MS: Millis = 3_000;
/// How long after a late wake-up a timeout is judged.
pub const WAKE_GRACE_MS: Millis = 1_000;
/// A socket open this long proved its token: a later auth close may ask for a fresh one again.
pub const TOKEN_PROVEN_MS: Millis = 10_000;

/// Heartbeat settings (`heartbeat` option).
#[derive(Debug, Clone, PartialEq)]
pub struct Heartbeat {
    /// Silence after which a ping is sent.
    pub interval: Millis,
    /// Silence after a ping after which the socket is closed and replaced.
    pub timeout: Millis,
}

/// Connection settings drawn from the options.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// `None` when `reconnect: false`.
    pub reconnect: Option<Policy>,
    /// `None` when `heartbeat: false`.
    pub heartbeat: Option<Heartbeat>,
    /// A socket not open by then is a failed attempt.
    pub connect_timeout: Millis,
    /// Capacity of the outbox.
    pub queue_max: usize,
    /// Open-connection time an acknowledged send waits for its ack.
    pub ack_timeout: Millis,
    /// Write [`Action::Resume`] first on every open.
    pub resume: bool,
    /// Close the socket after the page has been hidden this long (`pauseWhenHidden`).
    pub pause_when_hidden: Option<Millis>,
}

#[cfg(test)]
impl Default for Settings {
    fn default() -> Self {
        Settings {
            reconnect: Some(Policy::default()),
            heartbeat: Some(Heartbeat { interval: 25_000, timeout: 10_000 }),
            connect_timeout: 5_000,
            queue_max: 1_000,
            ack_timeout: 10_000,
            resume: false,
            pause_when_hidden: None,
        }
    }
}

/// What the shell must do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action<P> {
    /// Open a socket tagged `generation`, replacing (after closing) any other.
    Open {
        /// Tag to pass back with this socket's events.
        generation: u32,
    },
    /// Close the socket of `generation` with `code`; its later events are ignored.
    Close {
        /// The socket to close.
        generation: u32,
        /// Close code (1000 or 4000-4999).
        code: u16,
        /// Why.
        reason: CloseReason,
    },
    /// Write this frame on the open socket; if it is refused, hand it back at once with
    /// [`Connection::unsent`].
    Transmit(P),
    /// Write this acknowledged frame on the open socket; if it is refused, call
    /// [`Connection::stalled`] at once (it stays in the outbox either way).
    TransmitAcked(P),
    /// Write the heartbeat ping on the open socket.
    Ping,
    /// Write the resume frame (the last id seen), before any other frame of this socket.
    Resume,
    /// Ask the token provider for a fresh token, then call [`Connection::token_refreshed`]
    /// or [`Connection::token_refresh_failed`].
    RefreshToken,
    /// The acknowledged send `seq` got no ack within its timeout; it left the outbox.
    AckTimeout(u32),
}

#[derive(Debug, Clone, Copy)]
enum Timer {
    Retry = 0,
    ConnectTimeout = 1,
    Ping = 2,
    PongTimeout = 3,
    Pause = 4,
}

/// Timers whose firing judges the socket: a late wake-up defers them once.
const JUDGES: [Timer; 2] = [Timer::ConnectTimeout, Timer::PongTimeout];

/// The state machine. `P` is the frame type the shell sends (a JS string in the browser).
#[derive(Debug)]
pub struct Connection<P> {
    settings: Settings,
    backoff: Option<Backoff>,
    status: Status,
    error: Option<ConnectionError>,
    since: Millis,
    /// The attempt in flight or scheduled, 1-based; 0 when none.
    attempt: u32,
    /// Retries scheduled in the current series (indexes the backoff).
    retries: u32,
    next_retry_in: Option<Millis>,
    generation: u32,
    socket_live: bool,
    /// The open socket refused a frame (it was already closing): sends queue until the next open.
    refused: bool,
    deadlines: [Option<Millis>; 5],
    /// A frame arrived since the last heartbeat check.
    heard: bool,
    ping_sent_at: Option<Millis>,
    last_rtt: Option<Millis>,
    reconnects: u64,
    outbox: Outbox<P>,
    actions: VecDeque<Action<P>>,
    state_changed: bool,
    /// The latest `now` of any input: when a frame taken from the outbox is written.
    now: Millis,
    /// `navigator.onLine`.
    online: bool,
    /// An attempt is due but waits for the network, in this status.
    held: Option<Status>,
    /// Closed by `pauseWhenHidden`: showing the page reconnects.
    paused: bool,
    /// A token provider is set.
    refresh: bool,
    /// The close code that made it ask for a fresh token, while it waits for one.
    refreshing: Option<u16>,
    /// A fresh token was asked for and no socket has proved it yet: another refusal is final.
    refresh_spent: bool,
    /// When the current socket opened.
    opened_at: Millis,
    /// A late wake-up deferred the judging timeouts; the next firing judges.
    woke: bool,
}

impl<P: Clone> Connection<P> {
    /// An idle connection; `seed` drives the retry jitter.
    pub fn new(settings: Settings, seed: u64, now: Millis) -> Self {
        let mut rng = Rng::new(seed ^ 0x5EED);
        Connection {
            backoff: settings.reconnect.clone().map(|p| Backoff::new(p, seed)),
            outbox: Outbox::new(settings.queue_max, &mut rng),
            settings,
            status: Status::Idle,
            error: None,
            since: now,
            attempt: 0,
            retries: 0,
            next_retry_in: None,
            generation: 0,
            socket_live: false,
            refused: false,
            deadlines: [None; 5],
            heard: false,
            ping_sent_at: None,
            last_rtt: None,
            reconnects: 0,
            actions: VecDeque::new(),
            state_changed: false,
            now,
            online: true,
            held: None,
            paused: false,
            refresh: false,
            refreshing: None,
            refresh_spent: false,
            opened_at: now,
            woke: false,
        }
    }

    // ---- inputs from the caller ----

    /// Starts connecting unless already connecting, open or retrying.
    pub fn connect(&mut self, now: Millis) {
        self.now = now;
        if matches!(self.status, Status::Idle | Status::Closed) {
            self.start_series(now);
        }
    }

    /// Closes with 1000 and stops every retry; the outbox is kept.
    pub fn disconnect(&mut self, now: Millis) {
        self.now = now;
        self.drop_socket(1000, CloseReason::Disconnect);
        self.stop(now, None);
    }

    /// Reconnects now with the attempt counter reset; does nothing while open.
    pub fn retry(&mut self, now: Millis) {
        self.now = now;
        if self.status != Status::Open {
            self.drop_socket(1000, CloseReason::Retry);
            self.start_series(now);
        }
    }

    /// Queues a frame, written at once while open: `Ok(true)` if it goes out now.
    pub fn send(&mut self, frame: P) -> Result<bool, (QueueFull, P)> {
        let now = self.takes_frames_now();
        self.outbox.push(frame, None, 0, now).map(|()| now)
    }

    /// Writes a frame that is worth nothing later (typing) if the socket takes frames now;
    /// otherwise it is not kept. Returns whether it goes out.
    pub fn send_now(&mut self, frame: P) -> bool {
        let now = self.takes_frames_now();
        now && self.outbox.push(frame, None, 0, true).is_ok()
    }

    /// A fresh `client_id` for an acknowledged send, and the send's number.
    pub fn next_ack_id(&mut self) -> (u32, Box<str>) {
        self.outbox.next_ack_id()
    }

    /// Queues an acknowledged frame carrying `ack`'s `client_id` (from
    /// [`Connection::next_ack_id`]): it stays in the outbox until [`Connection::handle_ack`].
    pub fn send_acked(&mut self, frame: P, ack: (u32, Box<str>), now: Millis) -> Result<bool, (QueueFull, P)> {
        self.now = now;
        let at_once = self.takes_frames_now();
        self.outbox.push(frame, Some(ack), self.settings.ack_timeout, at_once).map(|()| at_once)
    }

    /// A frame kept by an earlier page (its `client_id` when it was acknowledged).
    pub fn restore(&mut self, frame: P, ack_id: Option<Box<str>>) {
        self.outbox.restore(frame, ack_id, self.settings.ack_timeout);
    }

    /// The ack of `client_id` arrived: returns the number of the send it settles.
    pub fn handle_ack(&mut self, client_id: &str) -> Option<u32> {
        self.outbox.acknowledge(client_id)
    }

    /// The plain frame of the last [`Action::Transmit`] was not written (the socket was
    /// already closing): it goes back in its place, and nothing more is written until the
    /// next open.
    pub fn unsent(&mut self, frame: P) {
        self.outbox.refused(frame);
        self.refused = true;
    }

    /// The frame of the last [`Action::TransmitAcked`] was not written: nothing more is
    /// written until the next open, which writes it again.
    pub fn stalled(&mut self) {
        self.outbox.stalled(self.now);
        self.refused = true;
    }

    /// Drops every frame of the outbox.
    pub fn clear_outbox(&mut self) {
        self.outbox.clear();
    }

    /// Every frame of the outbox, oldest first.
    pub fn outbox(&self) -> impl Iterator<Item = &Entry<P>> {
        self.outbox.entries()
    }

    /// Whether the outbox changed since the last call.
    pub fn take_outbox_change(&mut self) -> bool {
        self.outbox.take_change()
    }

    // ---- inputs from the page ----

    /// `navigator.onLine` changed: offline, no attempt is made; back online, a waiting or
    /// scheduled attempt is made at once with the attempt counter reset.
    pub fn set_online(&mut self, online: bool, now: Millis) {
        self.now = now;
        self.online = online;
        if online {
            self.wake(now);
        } else if self.status == Status::Reconnecting && self.deadlines[Timer::Retry as usize].take().is_some() {
            self.hold(now, Status::Reconnecting);
        }
    }

    /// The page became visible or hidden. Shown, a waiting, scheduled or paused attempt is
    /// made at once; hidden long enough with `pauseWhenHidden`, the socket is closed.
    pub fn set_visible(&mut self, visible: bool, now: Millis) {
        self.now = now;
        if visible {
            self.deadlines[Timer::Pause as usize] = None;
            self.wake(now);
        } else if let Some(grace) = self.settings.pause_when_hidden {
            if !matches!(self.status, Status::Idle | Status::Closed) {
                self.deadlines[Timer::Pause as usize] = Some(now + grace);
            }
        }
    }

    /// Whether a token provider is set (an auth close then asks it for a fresh token once).
    pub fn set_token_refresh(&mut self, on: bool) {
        self.refresh = on;
    }

    /// The provider gave a fresh token (already in the URL): the attempt is made.
    pub fn token_refreshed(&mut self, now: Millis) {
        self.now = now;
        if self.refreshing.take().is_some() {
            self.attempt = self.attempt.max(1);
            self.open_socket(now, Status::Reconnecting);
        }
    }

    /// The provider failed or gave no token: closed as unauthorized.
    pub fn token_refresh_failed(&mut self, now: Millis) {
        self.now = now;
        if let Some(code) = self.refreshing.take() {
            self.stop(now, Some(ConnectionError::Unauthorized(code)));
        }
    }

    // ---- inputs from the socket ----

    /// The socket of `generation` opened.
    pub fn handle_open(&mut self, generation: u32, now: Millis) {
        if !self.is_current(generation) {
            return;
        }
        self.now = now;
        self.opened_at = now;
        self.deadlines[Timer::ConnectTimeout as usize] = None;
        self.refused = false;
        self.attempt = 0;
        self.retries = 0;
        self.next_retry_in = None;
        self.set_status(now, Status::Open, None);
        self.heard = false;
        self.arm_ping(now);
        if self.settings.resume {
            self.actions.push_back(Action::Resume);
        }
        self.outbox.rewind();
    }

    /// A frame arrived on the socket of `generation`; returns whether it is the current one.
    /// Any frame proves liveness. It needs no clock: the heartbeat checks at its deadlines
    /// whether anything was heard, so the per-message path never reads the time.
    pub fn handle_frame(&mut self, generation: u32) -> bool {
        if !self.is_current(generation) || self.status != Status::Open {
            return false;
        }
        self.heard = true;
        true
    }

    /// The frame just handled was a pong: records the round trip of the last ping.
    pub fn handle_pong(&mut self, now: Millis) {
        if let Some(sent) = self.ping_sent_at.take() {
            self.last_rtt = Some(now.saturating_sub(sent));
        }
    }

    /// The socket of `generation` closed with `code` (1006 when it failed without a close frame).
    pub fn handle_close(&mut self, generation: u32, code: u16, now: Millis) {
        if !self.is_current(generation) {
            return;
        }
        self.now = now;
        self.socket_live = false;
        self.generation = self.generation.wrapping_add(1);
        let was_open = self.status == Status::Open;
        self.socket_ended(now, code, was_open);
    }

    /// Fires every deadline that has passed. A judging deadline found [`LATE_MS`] late (the
    /// page was asleep) is judged [`WAKE_GRACE_MS`] later instead, once: what arrived
    /// meanwhile is handled first, so a throttled tab does not take a live socket for dead.
    pub fn handle_timeout(&mut self, now: Millis) {
        self.now = now;
        self.defer_if_late(now);
        if self.due(Timer::Pause, now) {
            self.drop_socket(1000, CloseReason::PageHidden);
            self.stop(now, Some(ConnectionError::Paused));
            self.paused = true;
            return;
        }
        if self.due(Timer::Retry, now) {
            self.reconnects += 1;
            self.open_socket(now, Status::Reconnecting);
        }
        if self.due(Timer::ConnectTimeout, now) {
            self.drop_socket(TIMEOUT_CLOSE_CODE, CloseReason::ConnectTimeout);
            self.socket_ended(now, ABNORMAL_CLOSE_CODE, false);
        }
        if self.due(Timer::PongTimeout, now) {
            if core::mem::take(&mut self.heard) {
                self.arm_ping(now);
            } else {
                self.drop_socket(TIMEOUT_CLOSE_CODE, CloseReason::HeartbeatTimeout);
                self.socket_ended(now, ABNORMAL_CLOSE_CODE, true);
            }
        }
        if self.due(Timer::Ping, now) {
            if core::mem::take(&mut self.heard) {
                self.arm_ping(now);
            } else if let Some(hb) = &self.settings.heartbeat {
                self.deadlines[Timer::PongTimeout as usize] = Some(now + hb.timeout);
                self.ping_sent_at = Some(now);
                self.actions.push_back(Action::Ping);
            }
        }
        let actions = &mut self.actions;
        self.outbox.expire(now, |seq| actions.push_back(Action::AckTimeout(seq)));
    }

    // ---- outputs ----

    /// The next action for the shell, in order; then, while the socket is open and takes
    /// them, the outbox's frames one at a time.
    pub fn poll_action(&mut self) -> Option<Action<P>> {
        if let Some(action) = self.actions.pop_front() {
            return Some(action);
        }
        if !self.writable() {
            return None;
        }
        self.outbox.next(self.now).map(|(frame, acked)| match acked {
            true => Action::TransmitAcked(frame),
            false => Action::Transmit(frame),
        })
    }

    /// The earliest pending deadline (the outbox's ack timeouts included).
    pub fn poll_timeout(&self) -> Option<Millis> {
        let timers = self.deadlines.iter().flatten().min().copied();
        match (timers, self.outbox.next_deadline()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether the visible state changed since the last call.
    pub fn take_state_change(&mut self) -> bool {
        core::mem::take(&mut self.state_changed)
    }

    // ---- what the JS `state` and `stats()` show ----

    /// Current status.
    pub fn status(&self) -> Status {
        self.status
    }
    /// Why it is closed or retrying, if it is.
    pub fn error(&self) -> Option<ConnectionError> {
        self.error
    }
    /// The attempt in flight or scheduled (1-based), 0 when none.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }
    /// The delay of the retry scheduled last, while one is pending.
    pub fn next_retry_in(&self) -> Option<Millis> {
        self.next_retry_in
    }
    /// When the status last changed.
    pub fn since(&self) -> Millis {
        self.since
    }
    /// Frames never written yet.
    pub fn queued(&self) -> usize {
        self.outbox.queued()
    }
    /// Acknowledged frames written and waiting for their ack.
    pub fn unacked(&self) -> usize {
        self.outbox.unacked()
    }
    /// Round trip of the last answered ping.
    pub fn last_rtt(&self) -> Option<Millis> {
        self.last_rtt
    }
    /// Automatic reconnect attempts started so far.
    pub fn reconnects(&self) -> u64 {
        self.reconnects
    }

    // ---- transitions ----

    fn is_current(&self, generation: u32) -> bool {
        self.socket_live && generation == self.generation
    }

    /// Whether a frame taken from the outbox now would be written.
    fn writable(&self) -> bool {
        self.takes_frames_now() && self.outbox.has_next()
    }

    /// Whether the socket is open and takes frames.
    pub fn takes_frames_now(&self) -> bool {
        self.status == Status::Open && !self.refused
    }

    fn start_series(&mut self, now: Millis) {
        self.attempt = 1;
        self.retries = 0;
        self.refreshing = None;
        self.paused = false;
        self.open_socket(now, Status::Connecting);
    }

    /// Back online or shown: an attempt waiting, scheduled, paused or given up is made now,
    /// with the attempt counter reset.
    fn wake(&mut self, now: Millis) {
        let gave_up = matches!(self.error, Some(ConnectionError::GaveUp(_)));
        let waiting = self.held.is_some() || self.paused || self.status == Status::Reconnecting && self.refreshing.is_none();
        if !self.socket_live && (waiting || gave_up && self.status == Status::Closed) {
            let status = self.held.take().unwrap_or(Status::Reconnecting);
            self.reconnects += u64::from(status == Status::Reconnecting);
            self.paused = false;
            self.attempt = 1;
            self.retries = 0;
            self.open_socket(now, status);
        }
    }

    /// The attempt due now waits for the network, in `status`.
    fn hold(&mut self, now: Millis, status: Status) {
        self.held = Some(status);
        self.next_retry_in = None;
        self.set_status(now, status, Some(ConnectionError::Offline));
    }

    /// Stops every attempt: closed, with `error`.
    fn stop(&mut self, now: Millis, error: Option<ConnectionError>) {
        self.deadlines = [None; 5];
        self.attempt = 0;
        self.held = None;
        self.paused = false;
        self.refreshing = None;
        self.set_status(now, Status::Closed, error);
    }

    fn open_socket(&mut self, now: Millis, status: Status) {
        self.clear_timers();
        if !self.online {
            return self.hold(now, status);
        }
        self.held = None;
        self.generation = self.generation.wrapping_add(1);
        self.socket_live = true;
        self.next_retry_in = None;
        self.deadlines[Timer::ConnectTimeout as usize] = Some(now + self.settings.connect_timeout);
        self.actions.push_back(Action::Open { generation: self.generation });
        let error = self.error.filter(|_| status == Status::Reconnecting);
        self.set_status(now, status, error);
    }

    /// Asks the shell to close the live socket, whose later events are then ignored.
    fn drop_socket(&mut self, code: u16, reason: CloseReason) {
        if self.socket_live {
            self.actions.push_back(Action::Close { generation: self.generation, code, reason });
            self.socket_live = false;
            self.generation = self.generation.wrapping_add(1);
        }
    }

    /// The socket is gone: an open one dropped, or an attempt failed.
    fn socket_ended(&mut self, now: Millis, code: u16, was_open: bool) {
        self.clear_timers();
        self.ping_sent_at = None;
        if was_open && now.saturating_sub(self.opened_at) >= TOKEN_PROVEN_MS {
            self.refresh_spent = false;
        }
        if AUTH_CLOSE_CODES.contains(&code) {
            if !self.refresh || core::mem::replace(&mut self.refresh_spent, true) {
                return self.stop(now, Some(ConnectionError::Unauthorized(code)));
            }
            self.refreshing = Some(code);
            self.actions.push_back(Action::RefreshToken);
            return self.set_status(now, Status::Reconnecting, Some(ConnectionError::Refreshing(code)));
        }
        let Some(max_attempts) = self.settings.reconnect.as_ref().map(|p| p.max_attempts) else {
            return self.stop(now, Some(ConnectionError::Lost(code)));
        };
        let (next, error) = if was_open {
            (1, ConnectionError::Dropped(code))
        } else if self.attempt >= max_attempts {
            let failed = self.attempt;
            return self.stop(now, Some(ConnectionError::GaveUp(failed)));
        } else {
            (self.attempt + 1, ConnectionError::AttemptFailed(code))
        };
        if was_open {
            self.retries = 0;
        }
        let delay = match self.backoff.as_mut() {
            Some(backoff) => backoff.delay(self.retries),
            None => 0,
        };
        self.retries += 1;
        self.attempt = next;
        if !self.online {
            return self.hold(now, Status::Reconnecting);
        }
        self.next_retry_in = Some(delay);
        self.deadlines[Timer::Retry as usize] = Some(now + delay);
        self.set_status(now, Status::Reconnecting, Some(error));
    }

    /// A judging deadline is due [`LATE_MS`] late, for the first time since one fired on
    /// time: every due judging deadline (ack timeouts included) moves [`WAKE_GRACE_MS`] on.
    fn defer_if_late(&mut self, now: Millis) {
        let due = JUDGES.iter().filter_map(|t| self.deadlines[*t as usize]).chain(self.outbox.next_deadline());
        let Some(earliest) = due.filter(|at| *at <= now).min() else {
            return;
        };
        if now - earliest <= LATE_MS || core::mem::replace(&mut self.woke, true) {
            self.woke = false;
            return;
        }
        for timer in JUDGES {
            if let Some(at) = self.deadlines[timer as usize].as_mut().filter(|at| **at <= now) {
                *at = now + WAKE_GRACE_MS;
            }
        }
        self.outbox.postpone(now, now + WAKE_GRACE_MS);
    }

    fn arm_ping(&mut self, now: Millis) {
        if let Some(hb) = &self.settings.heartbeat {
            self.deadlines[Timer::Ping as usize] = Some(now + hb.interval);
        }
    }

    fn due(&mut self, timer: Timer, now: Millis) -> bool {
        let slot = &mut self.deadlines[timer as usize];
        match *slot {
            Some(at) if at <= now => {
                *slot = None;
                true
            }
            _ => false,
        }
    }

    /// Clears every deadline of the socket (the page's pause deadline stays).
    fn clear_timers(&mut self) {
        let pause = self.deadlines[Timer::Pause as usize];
        self.deadlines = [None; 5];
        self.deadlines[Timer::Pause as usize] = pause;
    }

    fn set_status(&mut self, now: Millis, status: Status, error: Option<ConnectionError>) {
        if status != self.status {
            self.since = now;
            if self.status == Status::Open {
                self.outbox.pause(now);
            }
        }
        if status == Status::Closed {
            self.next_retry_in = None;
        }
        self.status = status;
        self.error = error;
        self.state_changed = true;
    }
}

#[cfg(test)]
#[path = "connection_tests.rs"]
mod tests;
