//! The shell: everything one context owns in the browser, its listeners, signals and the
//! per-message path. It borrows the core, hands it an input, takes its decision, releases the
//! borrow, then calls JS: no JS callback ever runs while the core is borrowed, so listeners may
//! re-enter. The connection's actions are carried out in `driver.rs`.

use crate::prelude::*;

use core::cell::{Cell, RefCell};
use alloc::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use js_sys::{Array, Function, JsString, Map};
use wasm_bindgen::prelude::*;

use crate::core::client::{Client, Features, Lazy, SpecialTypes, UserOf};
use crate::core::dedup::Route as DedupRoute;
use crate::core::frame::Malformed;
use crate::core::inbox::Id;
use crate::core::key::Key;
use crate::core::options::{self, Value};
use crate::core::router::{ListenerId, Signal, Topic};
use crate::core::text::decimal;
use crate::core::texts::Texts;
use crate::core::time::Millis;
use crate::core::unread::UnreadChange;
use crate::core::vecmap::VecMap;

use super::js::{describe, field, Callable, Fields, object, parse_json, performance_now, stringify, path, value_at, with_names, TypeIds};
use super::live::LiveKeys;
use super::notify::Notifier;
use super::options::to_value;
use super::page::{is_online, is_visible, PageWatch};
use super::socket::Socket;
use super::storage::StoredOutbox;
use super::tabs::TabLink;
use super::store::{id_of, Store, StoreChange};
use super::url::socket_url;

/// The core as the browser holds it: frames are JS strings, listeners JS functions (behind an
/// `Rc`, so a dispatch copies them without a crossing), ids kept as first given.
pub(super) type Core = Client<JsString, Rc<Function>, JsValue>;

/// Listeners a message reaches, in order, with the ids that tell whether each is still there.
type Listeners = Vec<(ListenerId, Rc<Function>)>;

/// What messages of one route value need: the core's decision for each, or only their type's
/// listeners (the core's [`Client::direct`] list), read once and kept until the next
/// (un)subscribe.
struct Route {
    decide: bool,
    listeners: Listeners,
}

/// The routes read so far: by type id, and one for every route value nobody registered.
#[derive(Default)]
struct Routes {
    by_type: Vec<Option<Rc<Route>>>,
    unknown: Option<Rc<Route>>,
    /// Some listener waits on a conversation: a kept route holds only for messages without one.
    check_conversation: bool,
}

pub(super) fn now() -> Millis {
    performance_now() as Millis
}

/// The core's lazy inputs while it handles one message.
struct Page<'a> {
    shell: &'a Shell,
    conversation: &'a JsValue,
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
        self.conversation.clone()
    }
    fn ack_id(&mut self) -> Option<String> {
        field(self.message, self.shell.ack_key.as_ref()?).as_string()
    }
    fn user(&mut self, of: UserOf) -> Option<(Key, JsValue)> {
        self.shell.user_of(self.message, of)
    }
    fn is_typing(&mut self) -> bool {
        self.shell.says_typing(self.message)
    }
    fn snapshot(&mut self) -> Vec<(Key, JsValue)> {
        self.shell.snapshot_of(self.message)
    }
    fn message_id(&mut self) -> Option<JsValue> {
        self.shell.message_id_of(self.message)
    }
    fn sender(&mut self) -> Option<Key> {
        let sender = value_at(self.message, self.shell.sender_key.as_deref()?)?;
        self.shell.key_of(&sender, false)
    }
}

std::thread_local! {
    /// Every shell alive, by id: how an unsubscribe function finds its context, if it still
    /// exists.
    static SHELLS: RefCell<VecMap<u32, Weak<Shell>>> = RefCell::new(VecMap::default());
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
    /// The one function behind every unsubscribe function: `off(context, slot, seq)`, bound
    /// to its arguments by [`Shell::subscribe`].
    static OFF: Function = Closure::<dyn Fn(u32, u32, u32)>::new(|context, slot, seq| {
        let shell = SHELLS.with(|shells| shells.borrow().get(&context).and_then(Weak::upgrade));
        if let Some(shell) = shell {
            shell.unsubscribe(ListenerId { slot, seq });
        }
    })
    .into_js_value()
    .unchecked_into();
}

/// Everything one `RealtimeContext` owns in the browser.
pub(crate) struct Shell {
    pub(super) me: Weak<Shell>,
    /// Its key in `SHELLS`.
    id: u32,
    pub(super) core: RefCell<Core>,
    pub(super) socket: RefCell<Option<Socket>>,
    pub(super) timer: RefCell<Option<(Millis, Timeout)>>,
    /// The URL as given and the token parameter's name; the socket URL they make with the
    /// current token.
    pub(super) endpoint: (String, String),
    pub(super) url: RefCell<String>,
    route_key: JsValue,
    pub(super) conversation_key: JsValue,
    /// Route value → type id.
    types: Map,
    routes: RefCell<Routes>,
    /// Buffers the per-message path reuses (taken while in use, so a re-entrant message
    /// starts with empty ones).
    ids: Cell<Vec<ListenerId>>,
    listeners: Cell<Listeners>,
    texts: RefCell<Texts>,
    pub(super) ping: JsString,
    pub(super) queue_max: usize,
    /// Counts removals of listeners (and `free()`): a dispatch rechecks its list only after one.
    removals: Cell<u32>,
    /// Counts frames the socket refused while closing.
    pub(super) refusals: Cell<u32>,
    pub(super) freed: Cell<bool>,
    notifier: Option<Notifier>,
    /// Type ids of in-app notification messages (`notificationType`).
    notification_types: Vec<u32>,
    notification_key: JsValue,
    /// `messageFrame`: the fields `sendMessage` writes (conversation, text, type) and the default type.
    pub(crate) message_frame: [JsValue; 4],
    store: Store,
    pub(super) visible: Cell<bool>,
    page: RefCell<Option<PageWatch>>,
    /// `idKey`, when de-duplication is on.
    id_key: Option<JsValue>,
    /// The last `idKey` value delivered (`undefined` until one is), for the resume frame.
    pub(super) last_id: RefCell<JsValue>,
    /// The resume frame's route value and last-id field (`resume`).
    pub(super) resume: Option<(JsValue, JsValue)>,
    /// The field an acknowledged send carries its `client_id` in (`ack.idKey`).
    pub(crate) ack_key: Option<JsValue>,
    /// The Promises of acknowledged sends, by send number: `(resolve, reject)`.
    pub(super) pending: RefCell<VecMap<u32, (Function, Function)>>,
    pub(super) ack_timeout: Millis,
    /// Larger frames are dropped unparsed (`maxFrameBytes`).
    max_frame: f64,
    /// Where the outbox is mirrored (`persistOutbox`).
    pub(super) stored: Option<StoredOutbox>,
    /// `setTokenProvider()`.
    pub(super) token_provider: RefCell<Option<Function>>,
    /// The link to this user's other tabs, when sharing the socket.
    pub(super) tabs: RefCell<Option<TabLink>>,
    /// Sharing is on: the leader relays its frames.
    sharing: Cell<bool>,
    /// What the leader last said of its `state` (`undefined`: nothing yet).
    pub(super) leader_state: RefCell<JsValue>,
    /// How many tabs the leader counts, for a follower's `stats()`.
    pub(super) follower_tabs: Cell<u32>,
    /// The fields typing, presence and receipts read and write.
    pub(super) live_keys: LiveKeys,
    /// With `userId`: the path of `notify.senderKey`, the field naming a message's sender.
    sender_key: Option<Vec<JsValue>>,
}

/// The id of route value `name` in `types`, given the next free one if it is new.
fn intern(types: &Map, name: &str) -> u32 {
    let name = JsValue::from_str(name);
    if let Some(id) = types.unchecked_ref::<TypeIds>().type_id(&name) {
        return id;
    }
    let id = types.size();
    types.set(&name, &JsValue::from(id));
    id
}

impl Shell {
    /// Validates `options` and builds an idle shell; the error names the bad option.
    pub(crate) fn new(options: &JsValue) -> Result<Rc<Shell>, String> {
        let opts = options::parse(&to_value(options)).map_err(|e| e.message())?;
        let ping = match &opts.ping {
            None => JsString::from("{\"type\":\"ping\"}"),
            Some(Value::Text(text)) => JsString::from(text.as_str()),
            Some(_) => js_sys::Reflect::get(options, &"heartbeat".into())
                .and_then(|hb| js_sys::Reflect::get(&hb, &"ping".into()))
                .and_then(|ping| stringify(&ping))
                .ok()
                .and_then(|text| text.dyn_into::<JsString>().ok())
                .ok_or_else(|| String::from("option \"heartbeat.ping\": could not be serialized as JSON"))?,
        };
        let url = socket_url(&opts.url, opts.token.as_deref(), &opts.token_param)?;
        let types = Map::new();
        let special = SpecialTypes {
            pong: opts.pong_type.as_deref().map(|t| intern(&types, t)),
            notify: opts.notify.iter().flat_map(|n| n.types.iter()).map(|t| intern(&types, t)).collect(),
            ack: opts.ack.as_ref().map(|a| intern(&types, &a.ack_type)),
            typing: opts.typing.as_ref().map(|t| intern(&types, &t.route)),
            online: opts.presence.as_ref().map(|p| intern(&types, &p.online_type)),
            offline: opts.presence.as_ref().map(|p| intern(&types, &p.offline_type)),
            snapshot: opts.presence.as_ref().map(|p| intern(&types, &p.snapshot_type)),
        };
        let notification_types = opts.notification_types.iter().map(|t| intern(&types, t)).collect();
        let m = &opts.message_frame;
        let message_frame = [&m.conversation_key, &m.text_key, &m.type_key, &m.kind].map(|s| JsValue::from_str(s));
        let seed = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
        let mut texts = Texts::default();
        let queue_max = opts.settings.queue_max;
        let ack_timeout = opts.settings.ack_timeout;
        let features = Features {
            dedup_window: opts.id_key.as_ref().map(|_| opts.dedup_window),
            typing: opts.typing.as_ref().map(|t| t.times),
            receipts: opts.read_receipts.is_some(),
            own: opts.user_id.as_deref().and_then(|id| texts.key(id, true)),
        };
        let sender_key = opts.notify.as_ref().filter(|_| opts.user_id.is_some()).map(|n| path(&n.sender_key));
        let live_keys = LiveKeys::new(&opts);
        let core = Client::new(opts.settings, seed, now(), special, features);
        let id = NEXT_ID.replace(NEXT_ID.get().wrapping_add(1));
        let stored = opts.persist_outbox.then(|| StoredOutbox::open(&opts.url, opts.user_key.as_deref(), id)).flatten();
        let shell = Rc::new_cyclic(|me: &Weak<Shell>| Shell {
            me: me.clone(),
            id,
            core: RefCell::new(core),
            socket: RefCell::new(None),
            timer: RefCell::new(None),
            endpoint: (opts.url, opts.token_param),
            url: RefCell::new(url),
            route_key: JsValue::from_str(&opts.route_key),
            conversation_key: JsValue::from_str(&opts.conversation_key),
            types,
            routes: RefCell::new(Routes::default()),
            ids: Cell::new(Vec::new()),
            listeners: Cell::new(Vec::new()),
            texts: RefCell::new(texts),
            ping,
            queue_max,
            removals: Cell::new(0),
            refusals: Cell::new(0),
            freed: Cell::new(false),
            notifier: opts.notify.as_ref().map(Notifier::new),
            notification_types,
            message_frame,
            notification_key: JsValue::from_str(&opts.notification_key),
            store: Store::new(opts.max_notifications),
            visible: Cell::new(is_visible()),
            page: RefCell::new(None),
            id_key: opts.id_key.as_deref().map(JsValue::from_str),
            last_id: RefCell::new(JsValue::UNDEFINED),
            resume: opts.resume.as_ref().map(|r| (JsValue::from_str(&r.route), JsValue::from_str(&r.last_id_key))),
            ack_key: opts.ack.as_ref().map(|a| JsValue::from_str(&a.id_key)),
            pending: RefCell::new(VecMap::default()),
            ack_timeout,
            max_frame: opts.max_frame_bytes as f64,
            stored,
            token_provider: RefCell::new(None),
            tabs: RefCell::new(None),
            sharing: Cell::new(false),
            leader_state: RefCell::new(JsValue::UNDEFINED),
            follower_tabs: Cell::new(1),
            live_keys,
            sender_key,
        });
        *shell.page.borrow_mut() = Some(PageWatch::start(shell.me.clone()));
        SHELLS.with(|shells| *shells.borrow_mut().get_or_insert_with(id, Weak::new) = shell.me.clone());
        shell.adopt_stored_outbox();
        if let (true, Some(user)) = (opts.share_across_tabs && super::tabs::supported(), opts.user_key.as_deref()) {
            shell.join_tabs(&shell.endpoint.0.clone(), user);
            shell.sharing.set(shell.tabs.borrow().is_some());
        }
        if !is_online() {
            shell.on_network(false);
        }
        Ok(shell)
    }

    /// Takes over the frames an earlier page of this url and user left unsent.
    fn adopt_stored_outbox(&self) {
        let Some(stored) = &self.stored else { return };
        let live = |n: u32, key: &str| {
            n != self.id
                && SHELLS.with(|shells| shells.borrow().get(&n).and_then(Weak::upgrade))
                    .is_some_and(|s| s.stored.as_ref().is_some_and(|st| st.key() == key))
        };
        let restored = stored.adopt(live);
        if restored.is_empty() {
            return;
        }
        let mut core = self.core.borrow_mut();
        for (frame, ack_id) in restored {
            core.connection.restore(frame, ack_id);
        }
        drop(core);
        self.persist();
    }

    /// Whether messages of `type_id` go to the in-app store.
    fn is_notification(&self, type_id: Option<u32>) -> bool {
        type_id.is_some_and(|t| self.notification_types.contains(&t))
    }

    /// The field naming a message's type (`routeKey`).
    pub(crate) fn route_key(&self) -> &JsValue {
        &self.route_key
    }

    /// A weak handle on this shell, for closures the browser calls later.
    pub(crate) fn weak(&self) -> Weak<Shell> {
        self.me.clone()
    }

    /// Whether `free()` was called.
    pub(crate) fn is_freed(&self) -> bool {
        self.freed.get()
    }

    /// The type id of a route value, registering it if new.
    pub(crate) fn type_id(&self, route: &str) -> u32 {
        intern(&self.types, route)
    }

    /// Registers `callback` for `topic`; returns its unsubscribe function, safe to call any
    /// number of times, also after `free()`: the one `off` function bound to this context and
    /// listener, so a subscription makes no closure (nothing waits for the JS GC to be freed).
    pub(crate) fn subscribe(&self, topic: Topic, callback: Function) -> Function {
        let id = self.core.borrow_mut().router.subscribe(topic, Rc::new(callback));
        self.routes_changed();
        let (context, slot, seq) = (JsValue::from(self.id), JsValue::from(id.slot), JsValue::from(id.seq));
        OFF.with(|off| off.bind3(&JsValue::NULL, &context, &slot, &seq).unchecked_into())
    }

    /// Removes a listener (once: a removed id is never reused).
    fn unsubscribe(&self, id: ListenerId) {
        if self.freed.get() {
            return;
        }
        if self.core.borrow_mut().router.unsubscribe(id) {
            self.removals.set(self.removals.get().wrapping_add(1));
            self.routes_changed();
        }
    }

    /// The key of a conversation id (a number or a string); text is interned if `intern`,
    /// else looked up (`None` if never interned: no listener or count can know it).
    pub(crate) fn key_of(&self, id: &JsValue, intern: bool) -> Option<Key> {
        match id_of(id)? {
            Id::Text(text) => self.texts.borrow_mut().key(&text, intern),
            Id::Int(i) => Some(Key::Int(i)),
            Id::Anonymous(_) => None,
        }
    }

    /// The text form of a key (`42`, `conv_9`), as notification tags use it.
    pub(crate) fn key_text(&self, key: Key) -> String {
        match key {
            Key::Int(n) => decimal(n),
            Key::Text(t) => String::from(self.texts.borrow().text(t)),
        }
    }

    /// Calls one listener now (as `onState` does on subscribe), reporting a throw.
    pub(crate) fn call_now(&self, callback: &Function, arg: &JsValue) {
        if let Err(thrown) = callback.call1(&JsValue::UNDEFINED, arg) {
            self.threw(&thrown);
        }
    }

    // ---- socket, timer and page inputs ----

    /// The page's visibility changed: the connection is told; once visible, the active
    /// conversation counts as seen.
    pub(crate) fn on_visibility(&self, visible: bool) {
        if self.freed.get() {
            return;
        }
        self.visible.set(visible);
        self.input(|core, now| core.connection.set_visible(visible, now));
        if self.freed.get() {
            return;
        }
        self.share_view();
        if !visible {
            return;
        }
        super::notify::refresh_permission();
        let (active, change) = {
            let mut core = self.core.borrow_mut();
            let active = core.unread.active().map(|(key, _)| *key);
            (active, active.and_then(|key| core.unread.mark_read(&key)))
        };
        if let Some(key) = active {
            self.share_read(key);
            self.read_here(key);
        }
        self.after_read(active, change);
    }

    /// `navigator.onLine` changed.
    pub(crate) fn on_network(&self, online: bool) {
        self.input(|core, now| core.connection.set_online(online, now));
    }

    /// A browser notification was clicked.
    pub(crate) fn on_notification_click(&self, message: &JsValue) {
        self.signal(Signal::NotificationClick, || message.clone());
    }

    // ---- the per-message path ----

    /// A frame arrived on the socket of `generation`.
    pub(crate) fn on_frame(&self, generation: u32, data: JsValue) {
        if self.freed.get() {
            return;
        }
        // A text frame is a string; a binary one an `ArrayBuffer`, which has no `length`.
        let length = data.unchecked_ref::<Fields>().length();
        let text = !length.is_nan();
        let size = if text { length } else { data.dyn_ref::<js_sys::ArrayBuffer>().map_or(0, |b| b.byte_length()) as f64 };
        if !self.core.borrow_mut().handle_frame(generation, size as u64) {
            return;
        }
        if self.sharing.get() && text && size <= self.max_frame {
            self.relay_frame(&data);
        }
        match (text, size > self.max_frame) {
            (_, true) => self.malformed(Malformed::Oversize),
            (true, false) => self.route_text(&data),
            (false, false) => self.malformed(Malformed::Binary),
        }
    }

    /// `receive()`: routes JSON text, or a message object or array already parsed, exactly as
    /// if it had arrived on the socket.
    pub(crate) fn receive(&self, data: &JsValue) {
        match data.is_string() {
            true if data.unchecked_ref::<Fields>().length() > self.max_frame => self.malformed(Malformed::Oversize),
            true => self.route_text(data),
            false => self.route(data),
        }
    }

    fn route_text(&self, text: &JsValue) {
        match parse_json(text) {
            Ok(frame) => self.route(&frame),
            Err(_) => self.malformed(Malformed::InvalidJson),
        }
    }

    /// A parsed frame: one message, or a batch routed element by element. A message is read
    /// first (an object, its route value, that value's type id): for most frames that is all
    /// it takes to know what they are.
    fn route(&self, frame: &JsValue) {
        if !frame.is_object() {
            return self.malformed(Malformed::NotAnObject);
        }
        let route = field(frame, &self.route_key);
        match self.types.unchecked_ref::<TypeIds>().type_id(&route) {
            Some(type_id) => self.message(frame, Some(type_id)),
            None if Array::is_array(frame) => self.batch(frame.unchecked_ref()),
            None if route.is_string() => self.message(frame, None),
            None => self.malformed(Malformed::MissingRouteKey),
        }
    }

    /// A batch: each element routed in order (an array inside it is not a message).
    fn batch(&self, batch: &Array) {
        for i in 0..batch.length() {
            if self.freed.get() {
                return;
            }
            let item = batch.get(i);
            match Array::is_array(&item) {
                true => self.malformed(Malformed::NotAnObject),
                false => self.route(&item),
            }
        }
    }

    /// One message of route type `type_id` (`None`: a route value nobody registered): the
    /// listeners its route keeps, or, when the core has more to decide, the core's decision;
    /// in order.
    fn message(&self, msg: &JsValue, type_id: Option<u32>) {
        if let Some(id_key) = &self.id_key {
            if self.is_duplicate(id_key, msg, type_id) {
                return;
            }
        }
        let (kept, check_conversation) = self.kept_route(type_id);
        let conversation = match check_conversation || kept.decide {
            true => Some(field(msg, &self.conversation_key)).filter(|c| !c.is_undefined()),
            false => None,
        };
        if kept.decide || conversation.is_some() {
            return self.decided(msg, type_id, conversation);
        }
        self.call_all(&kept.listeners, msg, true);
        if self.is_notification(type_id) && !self.freed.get() {
            self.store_live(msg);
        }
    }

    /// With `idKey` (`id_key`): whether the message was seen already (it is then counted and dropped);
    /// if not, its id becomes the last one seen, which the resume frame carries.
    #[inline(never)]
    fn is_duplicate(&self, id_key: &JsValue, msg: &JsValue, type_id: Option<u32>) -> bool {
        let value = field(msg, id_key);
        let Some(id) = id_of(&value) else { return false };
        let route = match type_id {
            Some(t) => DedupRoute::Type(t),
            None => DedupRoute::Text(field(msg, &self.route_key).as_string().unwrap_or_default().into()),
        };
        if self.core.borrow_mut().is_duplicate((route, id)) {
            return true;
        }
        *self.last_id.borrow_mut() = value;
        false
    }

    /// What messages of `type_id` need, read from the core once per (un)subscribe.
    fn kept_route(&self, type_id: Option<u32>) -> (Rc<Route>, bool) {
        let mut routes = self.routes.borrow_mut();
        let check = routes.check_conversation;
        let slot = match type_id {
            Some(t) => {
                let t = t as usize;
                if routes.by_type.len() <= t {
                    routes.by_type.resize(t + 1, None);
                }
                &mut routes.by_type[t]
            }
            None => &mut routes.unknown,
        };
        if let Some(route) = slot {
            return (route.clone(), check);
        }
        let core = self.core.borrow();
        let route = Rc::new(match core.direct(type_id) {
            Some(ids) => Route { decide: false, listeners: ids.iter().filter_map(|id| Some((*id, core.router.listener(*id)?.clone()))).collect() },
            None => Route { decide: true, listeners: Vec::new() },
        });
        *slot = Some(route.clone());
        (route, check)
    }

    /// After every (un)subscribe: what each route needs is read anew.
    fn routes_changed(&self) {
        let check = self.core.borrow().router.has_conversation_listeners();
        *self.routes.borrow_mut() = Routes { check_conversation: check, ..Routes::default() };
    }

    /// A message the core decides: its listeners, then what else it did.
    fn decided(&self, msg: &JsValue, type_id: Option<u32>, conversation: Option<JsValue>) {
        let conversation = conversation.unwrap_or(JsValue::UNDEFINED);
        let (outcome, key, listeners) = {
            let mut core = self.core.borrow_mut();
            let key = match conversation.is_undefined() {
                true => None,
                false => self.key_of(&conversation, core.keeps_conversation(type_id)),
            };
            let mut ids = self.ids.take();
            let mut page = Page { shell: self, conversation: &conversation, message: msg };
            let outcome = core.handle_message(type_id, key, &mut page, &mut ids);
            let mut listeners = self.listeners.take();
            listeners.extend(ids.drain(..).filter_map(|id| Some((id, core.router.listener(id)?.clone()))));
            self.ids.set(ids);
            (outcome, key, listeners)
        };
        if let Some(seq) = outcome.acked {
            self.persist();
            self.settle(seq, Ok(msg));
        }
        self.call_all(&listeners, msg, true);
        let mut listeners = listeners;
        listeners.clear();
        self.listeners.set(listeners);
        if self.freed.get() {
            return;
        }
        if self.is_notification(type_id) {
            self.store_live(msg);
        }
        if let Some(change) = outcome.unread.filter(|_| !self.freed.get()) {
            self.unread_changed(change);
        }
        if self.core.borrow().has_live() {
            self.drive();
        }
        if let (true, Some(notifier)) = (outcome.notify && !self.freed.get(), &self.notifier) {
            if let Err(thrown) = notifier.show(msg, key, self) {
                self.report("notification", &describe(&thrown));
            }
        }
    }

    /// Calls each listener with `arg`, in order, skipping any removed by an earlier one and
    /// stopping at once after `free()`. `report`: a throw is reported, else only counted
    /// (error listeners, whose throws are not reported again).
    fn call_all(&self, listeners: &Listeners, arg: &JsValue, report: bool) {
        let removals = self.removals.get();
        for (id, f) in listeners {
            if self.removals.get() != removals && (self.freed.get() || self.core.borrow().router.listener(*id).is_none()) {
                if self.freed.get() {
                    return;
                }
                continue;
            }
            if let Err(thrown) = f.unchecked_ref::<Callable>().call_with(&JsValue::UNDEFINED, arg) {
                match report {
                    true => self.threw(&thrown),
                    false if !self.freed.get() => self.core.borrow_mut().stats.listener_errors += 1,
                    false => {}
                }
            }
        }
    }

    /// Calls every listener of `signal` with the value `make` builds, built only if one listens.
    pub(crate) fn signal(&self, signal: Signal, make: impl FnOnce() -> JsValue) {
        if self.freed.get() {
            return;
        }
        let listeners: Listeners = {
            let core = self.core.borrow();
            let mut ids = Vec::new();
            core.router.route_signal(signal, &mut ids);
            ids.into_iter().filter_map(|id| Some((id, core.router.listener(id)?.clone()))).collect()
        };
        if !listeners.is_empty() {
            self.call_all(&listeners, &make(), signal != Signal::Error);
        }
    }

    fn threw(&self, thrown: &JsValue) {
        if self.freed.get() {
            return;
        }
        self.core.borrow_mut().stats.listener_errors += 1;
        self.report("listener_threw", &describe(thrown));
    }

    fn malformed(&self, reason: Malformed) {
        self.core.borrow_mut().handle_malformed();
        self.report(reason.kind(), reason.message());
    }

    /// Tells the `onError` listeners; one that throws is counted, not reported again.
    pub(crate) fn report(&self, kind: &str, message: &str) {
        self.signal(Signal::Error, || with_names(|n| object(&[(&n.kind, kind.into()), (&n.message, message.into())])));
    }

    // ---- unread counts ----

    fn unread_changed(&self, change: UnreadChange<JsValue>) {
        let total = self.core.borrow().unread.total() as f64;
        self.signal(Signal::Unread, || {
            with_names(|n| object(&[(&n.conversation_id, change.id), (&n.count, change.count.into()), (&n.total, total.into())]))
        });
    }

    /// After conversation `key` (none: no conversation) was read: its browser notifications
    /// close, and a count that changed is told.
    pub(crate) fn after_read(&self, key: Option<Key>, change: Option<UnreadChange<JsValue>>) {
        if let (Some(key), Some(notifier)) = (key, &self.notifier) {
            notifier.close_conversation(&key);
        }
        if let Some(change) = change {
            self.unread_changed(change);
        }
    }

    /// Runs `f` on the core (never while calling JS).
    pub(crate) fn with_core<R>(&self, f: impl FnOnce(&mut Core) -> R) -> R {
        f(&mut self.core.borrow_mut())
    }

    // ---- notifications ----

    /// The notifier, when `notify` is on.
    pub(crate) fn notifier(&self) -> Option<&Notifier> {
        self.notifier.as_ref()
    }

    /// The in-app store.
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// Applies a change of the in-app store (`id` for one notification) and tells its
    /// listeners; `share`: the user made it here, so the other tabs apply it too.
    pub(crate) fn change_store(&self, change: StoreChange, id: &JsValue, share: bool) {
        if share {
            self.share_store(change.name(), id);
        }
        if self.store.change(change, id_of(id)) {
            self.store_changed();
        }
    }

    /// Tells the `onNotifications` listeners that the store changed.
    pub(crate) fn store_changed(&self) {
        self.signal(Signal::Notifications, || self.store.snapshot());
    }

    fn store_live(&self, msg: &JsValue) {
        let inner = field(msg, &self.notification_key);
        self.store.add_live(if inner.is_object() { inner } else { msg.clone() });
        self.store_changed();
    }

    /// `free()`: closes the socket, cancels the timer, drops every listener and queued frame;
    /// nothing is called afterwards, even by a dispatch in progress.
    pub(crate) fn shutdown(&self) {
        if self.freed.replace(true) {
            return;
        }
        self.removals.set(self.removals.get().wrapping_add(1));
        let socket = self.socket.borrow_mut().take();
        if let Some(socket) = socket {
            socket.close(1000, "client freed");
        }
        self.timer.borrow_mut().take();
        self.page.borrow_mut().take();
        self.leave_tabs();
        self.token_provider.borrow_mut().take();
        if let Some(stored) = &self.stored {
            stored.clear();
        }
        let pending = core::mem::take(&mut *self.pending.borrow_mut());
        let freed = JsValue::from(js_sys::Error::new("RealtimeContext: freed before the ack arrived"));
        for (_, reject) in pending.into_values() {
            let _ = reject.call1(&JsValue::UNDEFINED, &freed);
        }
        if let Some(notifier) = &self.notifier {
            notifier.dispose();
        }
        *self.routes.borrow_mut() = Routes::default();
        self.core.borrow_mut().clear();
    }

}

impl Drop for Shell {
    fn drop(&mut self) {
        SHELLS.with(|shells| shells.borrow_mut().remove(&self.id));
    }
}
