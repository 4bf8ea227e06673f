// The legacy connection logic, as each of seed 000's contexts carries its own copy: one
// WebSocket to `path` while `token` is set, reconnecting with a doubling delay.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

const socketUrl = (path, token) => `${window.location.origin.replace(/^http/, 'ws')}${path}?token=${encodeURIComponent(token)}`;

/**
 * `{status, error, subscribe(type, cb) → unsubscribe, send(obj) → bool, retry}`; `send`
 * returns false and drops the message when the socket is not open.
 */
export function useSocket(path, token) {
  const [status, setStatus] = useState('idle');
  const [error, setError] = useState(null);
  const [generation, setGeneration] = useState(0);
  const listeners = useRef(new Map());
  const socket = useRef(null);

  useEffect(() => {
    if (!token) return undefined;
    let stopped = false;
    let timer = null;
    let attempt = 0;
    const connect = () => {
      setStatus(attempt ? 'reconnecting' : 'connecting');
      const ws = new WebSocket(socketUrl(path, token));
      socket.current = ws;
      ws.onopen = () => {
        attempt = 0;
        setStatus('open');
        setError(null);
      };
      ws.onmessage = (event) => {
        let data;
        try {
          data = JSON.parse(event.data);
        } catch {
          return;
        }
        for (const callback of listeners.current.get(data.type) ?? []) callback(data);
      };
      ws.onclose = (event) => {
        socket.current = null;
        if (stopped) return;
        if (event.code === 4001) {
          setStatus('closed');
          setError('unauthorized');
          return;
        }
        attempt += 1;
        setStatus('reconnecting');
        setError(`connection lost (code ${event.code})`);
        timer = setTimeout(connect, Math.min(500 * 2 ** (attempt - 1), 5000));
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      socket.current?.close(1000);
      socket.current = null;
      setStatus('idle');
    };
  }, [path, token, generation]);

  const subscribe = useCallback((type, callback) => {
    if (!listeners.current.has(type)) listeners.current.set(type, new Set());
    listeners.current.get(type).add(callback);
    return () => listeners.current.get(type).delete(callback);
  }, []);
  const send = useCallback((data) => {
    const ws = socket.current;
    if (ws?.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(data));
    return true;
  }, []);
  const retry = useCallback(() => setGeneration((g) => g + 1), []);
  return useMemo(() => ({ status, error, subscribe, send, retry }), [status, error, subscribe, send, retry]);
}
