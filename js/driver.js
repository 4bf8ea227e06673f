// The connection's hands: hands the wasm core each input with the time, then carries out what
// it asks — open or close the one WebSocket, write a frame or the ping — and arms the one timer
// for its next deadline. Every socket carries its generation, and events of a replaced socket
// never reach the core.
import { MAX_MS } from './options.js';
import { socketUrl } from './url.js';

// Inputs of Core.input.
export const CONNECT = 0;
export const DISCONNECT = 1;
export const RETRY = 2;
const TIMER = 3;
const OPENED = 4;
const CLOSED = 5;
/** Close reasons of the core's `CloseReason`, in its order. */
const REASONS = ['client disconnect', 'client retry', 'connect timeout', 'heartbeat timeout'];

/** The time the core reads: whole ms of `performance.now()`. */
export const now = () => Math.floor(performance.now());

/** Carries out one core's connection actions, until `stop()`. */
export class Driver {
  #core;
  #events;
  #endpoint;
  #url;
  #ping;
  #socket = null;
  #timer = null;
  #timerAt = 0;
  #frames = new Map();
  #nextFrame = 0;
  #stopped = false;

  /**
   * Drives `core` for the socket at `url` (see url.js), made from the checked options `o`, whose
   * heartbeat `ping` it writes. `events.frame(generation, data)` gets each incoming frame,
   * `events.state()` each change of state, `events.error(thrown)` a socket that could not be made.
   */
  constructor(core, url, o, events) {
    this.#core = core;
    this.#events = events;
    this.#endpoint = [o.url, o.tokenParam];
    this.#url = url;
    this.#ping = o.heartbeat?.ping;
  }

  /** Hands the core `event` (CONNECT, DISCONNECT, RETRY, or a socket's) and carries out what it asks. */
  input(event, generation = 0, code = 0) {
    this.#core.input(event, generation, code, now());
    this.#drive();
  }

  /** Writes or queues the text `frame`: 1 written, 0 queued (also when the socket refused it), -1 refused (queue full). */
  send(frame) {
    const handle = (this.#nextFrame = (this.#nextFrame + 1) >>> 0);
    this.#frames.set(handle, frame);
    const sent = this.#core.send(handle);
    if (sent < 0) this.#frames.delete(handle);
    this.#drive();
    // A frame still held was given back: the socket was already closing.
    return sent > 0 && this.#frames.has(handle) ? 0 : sent;
  }

  /** The token (or null) for every later connection attempt. */
  setToken(token) {
    this.#url = socketUrl(this.#endpoint[0], token, this.#endpoint[1]);
  }

  /** Closes the socket and cancels the timer for good; the core is not called again. */
  stop() {
    this.#stopped = true;
    if (this.#socket) this.#close(this.#socket, 1000, 'client freed');
    this.#socket = null;
    clearTimeout(this.#timer);
  }

  #drive() {
    const core = this.#core;
    for (let action; !this.#stopped && (action = core.poll()) !== 0; ) {
      // kind + 8 × reason + 32 × code + 2^21 × generation or frame (see Core.poll)
      const arg = Math.floor(action / 2097152);
      switch (action % 8) {
        case 1:
          this.#open(arg);
          break;
        case 2: {
          const socket = this.#socket;
          if (socket?.generation === arg) {
            this.#socket = null;
            this.#close(socket, Math.floor(action / 32) % 65536, REASONS[Math.floor(action / 8) % 4]);
          }
          break;
        }
        case 3:
          if (this.#write(this.#frames.get(arg))) this.#frames.delete(arg);
          else core.unsent(arg);
          break;
        case 4:
          this.#write(this.#ping);
          break;
        default:
          this.#events.state();
      }
    }
    if (!this.#stopped) this.#arm();
  }

  #open(generation) {
    if (this.#socket) this.#close(this.#socket, 1000, 'client closed');
    this.#socket = null;
    let ws;
    try {
      ws = new WebSocket(this.#url);
    } catch (e) {
      this.#events.error(e);
      if (!this.#stopped) this.#core.input(CLOSED, generation, 1006, now());
      return;
    }
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => this.input(OPENED, generation);
    ws.onmessage = (event) => this.#events.frame(generation, event.data);
    ws.onclose = (event) => {
      if (this.#socket?.ws === ws) this.#socket = null;
      this.input(CLOSED, generation, event.code);
    };
    this.#socket = { ws, generation };
  }

  /** Closes a socket whose events must no longer reach the core. */
  #close({ ws }, code, reason) {
    ws.onopen = ws.onmessage = ws.onclose = null;
    ws.close(code, reason);
  }

  #write(frame) {
    const ws = this.#socket?.ws;
    if (ws?.readyState !== 1) return false;
    try {
      ws.send(frame);
    } catch {
      return false;
    }
    this.#core.sent(frame.length);
    return true;
  }

  /**
   * Arms the one timer for the core's next deadline. A deadline that moved later leaves an
   * earlier timer armed (it fires, finds nothing due and re-arms), so frames never touch it.
   */
  #arm() {
    const at = this.#core.deadline();
    if (this.#timer !== null && at >= 0 && this.#timerAt <= at) return;
    clearTimeout(this.#timer);
    this.#timer = null;
    if (at < 0) return;
    this.#timerAt = at;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.input(TIMER);
    }, Math.min(Math.max(at - now(), 0), MAX_MS));
  }
}
