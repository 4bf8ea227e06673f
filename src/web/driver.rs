//! The connection's hands: hands the core each input with the time, then carries out what it
//! asks (open or close the one WebSocket, write a frame or the ping) and arms the one timer for
//! its next deadline; and the `state` and `stats()` objects.

use crate::prelude::*;

use gloo_timers::callback::Timeout;
use js_sys::JsString;
use wasm_bindgen::prelude::*;

use crate::core::connection::{Action, CloseReason, ConnectionError, Status, ABNORMAL_CLOSE_CODE};
use crate::core::router::Signal;
use crate::core::text::push_decimal;
use crate::core::time::{Millis, MAX_TIMER_MS};

use super::js::{describe, number_or_null, object, performance_now, with_names};
use super::shell::{now, Core, Shell};
use super::socket::Socket;
use super::url::socket_url;

/// The texts of the core's `ConnectionError`s; the code or count follows.
fn error_text(error: ConnectionError) -> String {
    let (text, n) = match error {
        ConnectionError::Unauthorized(code) => ("unauthorized: the server closed with code ", code as u64),
        ConnectionError::GaveUp(attempts) => ("gave up reconnecting; failed attempts: ", attempts as u64),
        ConnectionError::Lost(code) => ("connection lost with close code ", code as u64),
        ConnectionError::AttemptFailed(code) => ("connection attempt failed with close code ", code as u64),
        ConnectionError::Dropped(code) => ("connection dropped with close code ", code as u64),
        ConnectionError::Refreshing(code) => ("token refused; asking the token provider for a fresh one; close code ", code as u64),
        ConnectionError::Offline => return "offline: waiting for the network".into(),
        ConnectionError::Paused => return "paused while the page is hidden (pauseWhenHidden)".into(),
    };
    let mut s = String::from(text);
    push_decimal(&mut s, n);
    s
}

fn status_text(status: Status) -> &'static str {
    match status {
        Status::Idle => "idle",
        Status::Connecting => "connecting",
        Status::Open => "open",
        Status::Reconnecting => "reconnecting",
        Status::Closed => "closed",
    }
}

fn reason_text(reason: CloseReason) -> &'static str {
    match reason {
        CloseReason::Disconnect => "client disconnect",
        CloseReason::Retry => "client retry",
        CloseReason::ConnectTimeout => "connect timeout",
        CloseReason::HeartbeatTimeout => "heartbeat timeout",
        CloseReason::PageHidden => "page hidden",
    }
}

impl Shell {
    // ---- caller inputs ----

    /// `connect()`.
    pub(crate) fn connect(&self) {
        self.input(|core, now| {
            core.relay.set_wanted(true);
            core.connection.connect(now);
        });
    }

    /// `disconnect()`.
    pub(crate) fn disconnect(&self) {
        self.input(|core, now| {
            core.relay.set_wanted(false);
            core.connection.disconnect(now);
        });
    }

    /// `retry()`.
    pub(crate) fn retry(&self) {
        self.input(|core, now| core.connection.retry(now));
    }

    /// Writes or queues a frame: `Ok(true)` written now, `Ok(false)` queued (also when the
    /// socket turned out to be closing), `Err` when the queue is full.
    pub(crate) fn send(&self, frame: JsString) -> Result<bool, String> {
        let refusals = self.refusals.get();
        let sent = self.core.borrow_mut().connection.send(frame);
        self.drive();
        match sent {
            Ok(written) => Ok(written && self.refusals.get() == refusals),
            Err(_) => Err(self.queue_full()),
        }
    }

    /// The error of a send the full outbox refused.
    pub(super) fn queue_full(&self) -> String {
        let mut s = String::from("send: the queue is full (queue.maxMessages = ");
        push_decimal(&mut s, self.queue_max as u64);
        s.push_str("); the message was not sent");
        s
    }

    /// `setToken()`: the next connection attempt uses `token` (`None`: none); an open socket
    /// is kept.
    pub(crate) fn set_token(&self, token: Option<&str>) -> Result<(), String> {
        *self.url.borrow_mut() = socket_url(&self.endpoint.0, token, &self.endpoint.1)?;
        Ok(())
    }

    /// The socket of `generation` opened.
    pub(crate) fn on_open(&self, generation: u32) {
        self.input(|core, now| core.connection.handle_open(generation, now));
    }

    /// The socket of `generation` closed.
    pub(crate) fn on_close(&self, generation: u32, code: u16) {
        self.socket.borrow_mut().take_if(|s| s.generation() == generation);
        self.input(|core, now| core.connection.handle_close(generation, code, now));
    }

    pub(super) fn on_timer(&self) {
        self.timer.borrow_mut().take();
        self.input(|core, now| core.handle_timeout(now));
    }

    // ---- state for JS ----

    /// The `state` object: a follower's is the leader's, once the leader told it.
    pub(crate) fn state(&self) -> JsValue {
        if self.is_follower() && self.leader_state.borrow().is_object() {
            return self.leader_state.borrow().clone();
        }
        let core = self.core.borrow();
        let c = &core.connection;
        let since = js_sys::Date::now() - (performance_now() - c.since() as f64);
        with_names(|n| {
            object(&[
                (&n.status, JsValue::from_str(status_text(c.status()))),
                (&n.attempt, JsValue::from(c.attempt())),
                (&n.next_retry_in_ms, number_or_null(c.next_retry_in())),
                (&n.error, c.error().map_or(JsValue::NULL, |e| JsValue::from_str(&error_text(e)))),
                (&n.since, JsValue::from_f64((since + 0.5).floor())),
            ])
        })
    }

    /// The `stats()` object.
    pub(crate) fn stats(&self) -> JsValue {
        let core = self.core.borrow();
        let (s, c) = (&core.stats, &core.connection);
        let n = |v: u64| JsValue::from_f64(v as f64);
        object(&[
            (&"messagesIn".into(), n(s.messages_in)),
            (&"messagesOut".into(), n(s.messages_out)),
            (&"bytesIn".into(), n(s.bytes_in)),
            (&"bytesOut".into(), n(s.bytes_out)),
            (&"reconnects".into(), n(c.reconnects())),
            (&"malformedDropped".into(), n(s.malformed_dropped)),
            (&"listenerErrors".into(), n(s.listener_errors)),
            (&"queued".into(), n(c.queued() as u64)),
            (&"lastRttMs".into(), number_or_null(c.last_rtt())),
            (&"duplicatesDropped".into(), n(s.duplicates_dropped)),
            (&"unacked".into(), n(c.unacked() as u64)),
            (&"role".into(), JsValue::from_str(core.relay.role.name())),
            (&"tabs".into(), JsValue::from(self.tab_count())),
        ])
    }

    // ---- the driver ----

    /// Hands one input to the core, then carries out what it asks.
    pub(super) fn input(&self, f: impl FnOnce(&mut Core, Millis)) {
        if self.freed.get() {
            return;
        }
        f(&mut self.core.borrow_mut(), now());
        self.drive();
    }

    /// Carries out the core's actions until none is left, then mirrors the outbox and arms
    /// the timer.
    pub(super) fn drive(&self) {
        loop {
            if self.freed.get() {
                return;
            }
            let action = self.core.borrow_mut().connection.poll_action();
            match action {
                Some(Action::Open { generation }) => self.open_socket(generation),
                Some(Action::Close { generation, .. }) if self.core.borrow().relay.is_relay(generation) => {
                    self.core.borrow_mut().relay.dropped(generation);
                }
                Some(Action::Close { generation, code, reason }) => {
                    let socket = self.socket.borrow_mut().take_if(|s| s.generation() == generation);
                    if let Some(socket) = socket {
                        socket.close(code, reason_text(reason));
                    }
                }
                Some(Action::Transmit(frame)) => {
                    if !self.write(&frame) {
                        self.refusals.set(self.refusals.get().wrapping_add(1));
                        self.core.borrow_mut().connection.unsent(frame);
                    }
                }
                Some(Action::TransmitAcked(frame)) => {
                    if !self.write(&frame) {
                        self.core.borrow_mut().connection.stalled();
                    }
                }
                Some(Action::Ping) if self.is_follower() => {
                    // The lock, not a ping, tells whether the leader is there.
                    let mut core = self.core.borrow_mut();
                    if let Some(generation) = core.relay.generation() {
                        core.connection.handle_frame(generation);
                    }
                }
                Some(Action::Ping) => {
                    self.write(&self.ping);
                }
                Some(Action::Resume) if self.is_follower() => {}
                Some(Action::Resume) => {
                    if let Some(frame) = self.resume_frame() {
                        self.write(&frame);
                    }
                }
                Some(Action::RefreshToken) => self.refresh_token(),
                Some(Action::AckTimeout(seq)) => self.ack_timed_out(seq),
                None => {
                    let changed = self.core.borrow_mut().take_state_change();
                    match (changed, self.is_follower()) {
                        (false, _) => {
                            let live = self.core.borrow_mut().poll_live();
                            match live {
                                Some(live) => self.carry_out(live),
                                None => break,
                            }
                        }
                        // A follower shows the leader's state, which the leader tells.
                        (true, true) => {}
                        (true, false) => {
                            self.signal(Signal::State, || self.state());
                            self.announce_state();
                        }
                    }
                }
            }
        }
        self.persist();
        self.arm_timer();
    }

    fn open_socket(&self, generation: u32) {
        if self.is_follower() {
            return self.open_relay(generation);
        }
        let old = self.socket.borrow_mut().take();
        if let Some(old) = old {
            old.close(1000, "client closed");
        }
        match Socket::open(&self.url.borrow(), generation, &self.me) {
            Ok(socket) => *self.socket.borrow_mut() = Some(socket),
            Err(thrown) => {
                self.report("socket", &describe(&thrown));
                if !self.freed.get() {
                    self.core.borrow_mut().connection.handle_close(generation, ABNORMAL_CLOSE_CODE, now());
                }
            }
        }
    }

    fn write(&self, frame: &JsString) -> bool {
        let written = match self.is_follower() {
            true => self.write_relayed(frame),
            false => self.socket.borrow().as_ref().is_some_and(|s| s.send(frame)),
        };
        if written {
            self.core.borrow_mut().count_sent(frame.length() as u64);
        }
        written
    }

    /// Arms the one timer for the core's next deadline. A deadline that moved later leaves an
    /// earlier timer armed (it fires, finds nothing due and re-arms), so frames never touch it.
    fn arm_timer(&self) {
        let next = self.core.borrow().poll_timeout();
        let mut timer = self.timer.borrow_mut();
        let Some(at) = next else {
            *timer = None;
            return;
        };
        if timer.as_ref().is_some_and(|(armed, _)| *armed <= at) {
            return;
        }
        let weak = self.me.clone();
        let delay = at.saturating_sub(now()).min(MAX_TIMER_MS) as u32;
        *timer = Some((
            at,
            Timeout::new(delay, move || {
                if let Some(shell) = weak.upgrade() {
                    shell.on_timer();
                }
            }),
        ));
    }
}
