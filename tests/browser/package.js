export { default, RealtimeContext } from '/js/index.js';
