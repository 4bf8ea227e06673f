//! The shell: borrow the core, hand it an input, drain its actions, release the borrow, then
//! call JS. No JS callback ever runs while the core is borrowed, so listeners may re-enter.

use crate::prelude::*;

use core::cell::{Cell, RefCell};
use alloc::rc::{Rc, Weak};

use js_sys::{Array, Function, JsString, Map, JSON};
use wasm_bindgen::prelude::*;

use crate::core::client::{Client, Lazy, Outcome, SpecialTypes};
use crate::core::connection::{Action, ABNORMAL_CLOSE_CODE};
use crate::core::frame::{decode, Malformed};
use crate::core::key::Key;
use crate::core::options::{self, Value};
use crate::core::router::{ListenerId, Signal, Topic};
use crate::core::text::push_decimal;
use crate::core::time::Millis;

use super::decode::{conversation_of, Routes};
use super::js::{describe, frame_size, invoke, invoke_slots, number_or_null, object, parse_frame, performance_now, take_thrown, unsubscriber};
use super::notify::Notifier;
use super::options::to_value;
use super::page::{is_visible, VisibilityWatch};
use super::socket::Socket;
use super::timer::Timeout;
use super::url::socket_url;

/// The core as the browser instantiates it: JS strings out, JS values held; the listener
/// functions live in a JS array indexed by the router's slots.
pub type Core = Client<JsString, (), JsValue>;

/// The core's lazy inputs while it handles one message.
struct Page<'a> {
    shell: &'a Shell,
    message: &'a JsValue,
}

impl Lazy<JsValue> for Page<'_> {
    fn now(&mut self) -> Millis {
        now()
    }
    fn visible(&mut self) -> bool {
        self.shell.visible.get()
    }
    fn conversation_id(&mut self) -> JsValue {
        js_sys::Reflect::get(self.message, &self.shell.conversation_key).unwrap_or_default()
    }
}

/// Everything one `RealtimeContext` owns in the browser.
pub struct Shell {
    pub(super) me: Weak<Shell>,
    pub(super) core: RefCell<Core>,
    socket: RefCell<Option<Socket>>,
    timer: RefCell<Option<(Millis, Timeout)>>,
    /// The URL as given, the token parameter's name, and the socket URL they make with the
    /// current token.
    endpoint: (String, String),
    url: RefCell<String>,
    routes: Routes,
    pub(super) conversation_key: JsValue,
    ping: JsString,
    off: JsValue,
    listeners: Array,
    scratch: Cell<Vec<ListenerId>>,
    pub(super) freed: Cell<bool>,
    pub(super) notifier: Option<Notifier>,
    notification_type: u32,
    pub(super) notification_key: JsValue,
    pub(super) inbox_snapshot: RefCell<Option<JsValue>>,
    anonymous: Cell<u32>,
    pub(super) visible: Cell<bool>,
    _visibility: Option<VisibilityWatch>,
}

fn now() -> Millis {
    performance_now() as Millis
}

/// The id of route value `name` in `types`, given the next free one if it is new.
fn intern(types: &Map, name: &JsValue) -> u32 {
    if let Some(id) = types.get(name).as_f64() {
        return id as u32;
    }
    let id = types.size();
    types.set(name, &JsValue::from(id));
    id
}

impl Shell {
    /// Validates `options` and builds an idle shell; the error names the bad option.
    pub fn new(options: &JsValue) -> Result<Rc<Shell>, String> {
        let opts = options::parse(&to_value(options)).map_err(|e| e.message())?;
        let url = socket_url(&opts.url, opts.token.as_deref(), &opts.token_param)?;
        let ping = match opts.ping {
            None => JsString::from("{\"type\":\"ping\"}"),
            Some(Value::Text(text)) => JsString::from(text),
            Some(_) => js_sys::Reflect::get(options, &"heartbeat".into())
                .and_then(|hb| js_sys::Reflect::get(&hb, &"ping".into()))
                .and_then(|ping| JSON::stringify(&ping))
                .map_err(|_| String::from("option \"heartbeat.ping\": could not be serialized as JSON"))?,
        };
        let types = Map::new();
        let intern = |name: &str| intern(&types, &JsValue::from_str(name));
        let special = SpecialTypes {
            pong: opts.pong_type.as_deref().map(&intern),
            notify: opts.notify.iter().flat_map(|n| n.types.iter()).map(|t| intern(t)).collect(),
        };
        let notification_type = intern(&opts.notification_type);
        let seed = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
        let core = Client::new(opts.settings, seed, now(), special, opts.max_notifications);
        Ok(Rc::new_cyclic(|me: &Weak<Shell>| {
            let weak = me.clone();
            let off = Closure::<dyn Fn(u32, u32)>::new(move |slot, seq| {
                if let Some(shell) = weak.upgrade() {
                    if shell.core.borrow_mut().router.unsubscribe(ListenerId { slot, seq }) {
                        shell.listeners.set(slot, JsValue::UNDEFINED);
                    }
                }
            });
            Shell {
                me: me.clone(),
                core: RefCell::new(core),
                socket: RefCell::new(None),
                timer: RefCell::new(None),
                endpoint: (opts.url, opts.token_param),
                url: RefCell::new(url),
                routes: Routes { key: JsValue::from_str(&opts.route_key), types },
                conversation_key: JsValue::from_str(&opts.conversation_key),
                ping,
                off: off.into_js_value(),
                listeners: Array::new(),
                scratch: Cell::new(Vec::new()),
                freed: Cell::new(false),
                notifier: opts.notify.as_ref().map(Notifier::new),
                notification_type,
                notification_key: JsValue::from_str(&opts.notification_key),
                inbox_snapshot: RefCell::new(None),
                anonymous: Cell::new(0),
                visible: Cell::new(is_visible()),
                _visibility: VisibilityWatch::start(me.clone()),
            }
        }))
    }

    /// A number for a notification without id, unique in this context.
    pub(super) fn next_anonymous(&self) -> u32 {
        self.anonymous.set(self.anonymous.get() + 1);
        self.anonymous.get()
    }

    /// The conversation field name as a JS string.
    pub fn conversation_key(&self) -> &JsValue {
        &self.conversation_key
    }

    // ---- caller inputs ----

    /// `connect()`.
    pub fn connect(&self) {
        self.input(|core, now| core.connection.connect(now));
    }

    /// `disconnect()`.
    pub fn disconnect(&self) {
        self.input(|core, now| core.connection.disconnect(now));
    }

    /// `retry()`.
    pub fn retry(&self) {
        self.input(|core, now| core.connection.retry(now));
    }

    /// `send()`: `Ok(true)` written, `Ok(false)` queued, `Err` when the queue is full.
    pub fn send(&self, frame: JsString) -> Result<bool, String> {
        let sent = self.core.borrow_mut().connection.send(frame);
        self.drive();
        sent.map_err(|(full, _)| {
            let mut s = String::from("send: the queue is full (queue.maxMessages = ");
            push_decimal(&mut s, full.max as u64);
            s.push_str("); the message was not sent");
            s
        })
    }

    /// Registers `callback` for `topic`; returns its idempotent unsubscribe function.
    pub fn subscribe(&self, topic: Topic, callback: Function) -> Function {
        let id = self.core.borrow_mut().router.subscribe(topic, ());
        self.listeners.set(id.slot, callback.into());
        unsubscriber(&self.off, id.slot, id.seq)
    }

    /// `setToken()`: the next connection attempt uses `token` (`None`: none); an open socket
    /// is kept.
    pub fn set_token(&self, token: Option<&str>) -> Result<(), String> {
        let url = socket_url(&self.endpoint.0, token, &self.endpoint.1)?;
        *self.url.borrow_mut() = url;
        Ok(())
    }

    /// The type id of a route value (a JS string), registering it if new.
    pub fn type_id(&self, route: &JsValue) -> u32 {
        intern(&self.routes.types, route)
    }

    /// Calls one listener now (as `onState` does on subscribe), reporting a throw.
    pub fn call_now(&self, callback: &Function, arg: &JsValue) {
        if invoke(callback, arg) > 0 {
            self.listener_threw(&take_thrown());
        }
    }

    // ---- socket and timer inputs ----

    /// The socket of `generation` opened.
    pub fn on_open(&self, generation: u32) {
        self.input(|core, now| core.connection.handle_open(generation, now));
    }

    /// The socket of `generation` closed.
    pub fn on_close(&self, generation: u32, code: u16) {
        if self.socket.borrow().as_ref().is_some_and(|s| s.generation() == generation) {
            self.socket.borrow_mut().take();
        }
        self.input(|core, now| core.connection.handle_close(generation, code, now));
    }

    /// A frame arrived: decode it and call the listeners of each message, in order.
    pub fn on_message(&self, generation: u32, data: JsValue) {
        let size = frame_size(&data);
        let text = size >= 0.0;
        let size = if text { size } else { -1.0 - size };
        if !self.core.borrow_mut().handle_frame(generation, size as u64) {
            return;
        }
        if !text {
            return self.malformed(Malformed::Binary);
        }
        self.route_frame(parse_frame(&data));
    }

    /// `receive()`: routes a frame that did not come from this context's socket (JSON text,
    /// or a message object or array already parsed), exactly as if it had.
    pub fn receive(&self, data: JsValue) {
        if self.freed.get() {
            return;
        }
        self.route_frame(parse_frame(&data));
    }

    fn route_frame(&self, frame: JsValue) {
        decode(frame, &self.routes, &mut |item| match item {
            Ok((message, type_id)) => self.dispatch(&message, type_id),
            Err(reason) => self.malformed(reason),
        });
    }

    fn on_timer(&self) {
        self.timer.borrow_mut().take();
        self.input(|core, now| core.connection.handle_timeout(now));
    }

    // ---- state for JS ----

    /// The `state` object.
    pub fn state(&self) -> JsValue {
        let core = self.core.borrow();
        let c = &core.connection;
        let since = js_sys::Date::now() - (performance_now() - c.since() as f64);
        object(&[
            ("status", JsValue::from_str(c.status().as_str())),
            ("attempt", JsValue::from(c.attempt())),
            ("nextRetryInMs", number_or_null(c.next_retry_in())),
            ("error", c.error().map_or(JsValue::NULL, |e| JsValue::from_str(&e.message()))),
            ("since", JsValue::from_f64((since + 0.5) as u64 as f64)),
        ])
    }

    /// The `stats()` object.
    pub fn stats(&self) -> JsValue {
        let core = self.core.borrow();
        let s = &core.stats;
        let n = |v: u64| JsValue::from_f64(v as f64);
        object(&[
            ("messagesIn", n(s.messages_in)),
            ("messagesOut", n(s.messages_out)),
            ("bytesIn", n(s.bytes_in)),
            ("bytesOut", n(s.bytes_out)),
            ("reconnects", n(core.connection.reconnects())),
            ("malformedDropped", n(s.malformed_dropped)),
            ("listenerErrors", n(s.listener_errors)),
            ("queued", n(core.connection.queued() as u64)),
            ("lastRttMs", number_or_null(core.connection.last_rtt())),
        ])
    }

    /// `free()`: closes the socket, cancels the timer, drops every listener; nothing is
    /// called afterwards, even by a dispatch in progress.
    pub fn shutdown(&self) {
        self.freed.set(true);
        if let Some(socket) = self.socket.borrow_mut().take() {
            socket.close(1000, "client freed");
        }
        self.timer.borrow_mut().take();
        self.core.borrow_mut().router.clear();
        self.listeners.set_length(0);
    }

    // ---- the driver ----

    /// Hands one input to the core, then carries out what it asks.
    fn input(&self, f: impl FnOnce(&mut Core, Millis)) {
        if self.freed.get() {
            return;
        }
        f(&mut self.core.borrow_mut(), now());
        self.drive();
    }

    fn drive(&self) {
        loop {
            if self.freed.get() {
                return;
            }
            let action = self.core.borrow_mut().connection.poll_action();
            match action {
                None => break,
                Some(Action::Open { generation }) => self.open_socket(generation),
                Some(Action::Close { generation, code, reason }) => {
                    let socket = self.socket.borrow_mut().take_if(|s| s.generation() == generation);
                    if let Some(socket) = socket {
                        socket.close(code, reason);
                    }
                }
                Some(Action::Transmit(frame)) => {
                    if !self.write(&frame) {
                        self.core.borrow_mut().connection.unsent(frame);
                    }
                }
                Some(Action::Ping) => {
                    self.write(&self.ping);
                }
            }
        }
        self.arm_timer();
        if self.core.borrow_mut().connection.take_state_change() {
            self.deliver_signal(Signal::State, || self.state());
        }
    }

    fn open_socket(&self, generation: u32) {
        self.socket.borrow_mut().take();
        let opened = Socket::open(&self.url.borrow(), generation, &self.me);
        match opened {
            Ok(socket) => *self.socket.borrow_mut() = Some(socket),
            Err(thrown) => {
                self.report("socket", &describe(&thrown));
                self.core.borrow_mut().connection.handle_close(generation, ABNORMAL_CLOSE_CODE, now());
            }
        }
    }

    fn write(&self, frame: &JsString) -> bool {
        let written = self.socket.borrow().as_ref().is_some_and(|s| s.send(frame));
        if written {
            self.core.borrow_mut().count_sent(frame.length() as u64);
        }
        written
    }

    /// Arms the one timer for the core's next deadline. A deadline that moved later leaves an
    /// earlier timer armed (it fires, finds nothing due and re-arms), so frames never touch it.
    fn arm_timer(&self) {
        let next = self.core.borrow().connection.poll_timeout();
        let mut timer = self.timer.borrow_mut();
        let Some(at) = next else {
            *timer = None;
            return;
        };
        if timer.as_ref().is_some_and(|(armed, _)| *armed <= at) {
            return;
        }
        let weak = self.me.clone();
        let delay = at.saturating_sub(now()).min(crate::core::time::MAX_TIMER_MS) as u32;
        *timer = Some((
            at,
            Timeout::new(delay, move || {
                if let Some(shell) = weak.upgrade() {
                    shell.on_timer();
                }
            }),
        ));
    }

    // ---- calling JS ----

    fn dispatch(&self, message: &JsValue, type_id: Option<u32>) {
        if self.freed.get() {
            return;
        }
        let mut out = self.scratch.take();
        let (outcome, conversation) = {
            let mut core = self.core.borrow_mut();
            let wanted = core.router.has_conversation_listeners() || core.is_notify_type(type_id);
            let conversation = match wanted {
                true => conversation_of(message, &self.conversation_key),
                false => None,
            };
            let mut page = Page { shell: self, message };
            let outcome = core.handle_message(type_id, conversation.clone(), &mut page, &mut out);
            (outcome, conversation)
        };
        self.deliver(&out, message, true);
        out.clear();
        self.scratch.set(out);
        if type_id == Some(self.notification_type) {
            self.store_live(message);
        }
        self.follow_up(message, conversation.as_ref(), outcome);
    }

    /// After the listeners: the unread change and the browser notification a message caused.
    fn follow_up(&self, message: &JsValue, conversation: Option<&Key>, outcome: Outcome<JsValue>) {
        if let Some(change) = outcome.unread {
            self.unread_changed(change);
        }
        if let (true, Some(notifier)) = (outcome.notify && !self.freed.get(), &self.notifier) {
            if let Err(thrown) = notifier.show(message, conversation, &self.me) {
                self.report("notification", &describe(&thrown));
            }
        }
    }

    /// Calls each listener still registered, in order, two per crossing; stops at once after
    /// `free()`. A listener removed by an earlier one in the same dispatch is skipped.
    fn deliver(&self, ids: &[ListenerId], arg: &JsValue, report_throws: bool) {
        let mut at = 0;
        while at < ids.len() {
            if self.freed.get() {
                return;
            }
            let (first, second) = {
                let core = self.core.borrow();
                let live = |id: Option<&ListenerId>| id.filter(|id| core.router.is_live(**id)).map(|id| id.slot);
                (live(ids.get(at)), live(ids.get(at + 1)))
            };
            at += 2;
            let failures = match (first, second) {
                (Some(a), b) => invoke_slots(&self.listeners, arg, a, b.map_or(-1, |b| b as i32)),
                (None, Some(b)) => invoke_slots(&self.listeners, arg, b, -1),
                (None, None) => 0,
            };
            for _ in 0..failures {
                let thrown = take_thrown();
                match report_throws {
                    true => self.listener_threw(&thrown),
                    false => self.core.borrow_mut().stats.listener_errors += 1,
                }
            }
        }
    }

    /// Calls every listener of `signal` with the value `make` builds, built only if one listens.
    pub(super) fn deliver_signal(&self, signal: Signal, make: impl FnOnce() -> JsValue) {
        let mut ids = Vec::new();
        self.core.borrow().router.route_signal(signal, &mut ids);
        if !ids.is_empty() {
            self.deliver(&ids, &make(), signal != Signal::Error);
        }
    }

    fn listener_threw(&self, thrown: &JsValue) {
        self.core.borrow_mut().stats.listener_errors += 1;
        self.report("listener_threw", &describe(thrown));
    }

    fn malformed(&self, reason: Malformed) {
        self.core.borrow_mut().handle_malformed();
        self.report(reason.kind(), reason.message());
    }

    /// Tells the `onError` listeners; one that throws is counted, not reported again.
    fn report(&self, kind: &str, message: &str) {
        self.deliver_signal(Signal::Error, || object(&[("kind", JsValue::from_str(kind)), ("message", JsValue::from_str(message))]));
    }
}
