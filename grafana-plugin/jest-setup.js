// Node-environment tests (plugin.json rules, build artifacts, the browser test) have no DOM to set up.
const hasDom = typeof window !== 'undefined';

// Jest setup provided by Grafana scaffolding
if (hasDom) {
  require('./.config/jest-setup');
}

// @grafana/ui 13.2 imports react-dom/server (TruncatedText), which on React 19 needs MessageChannel; jsdom has none.
if (hasDom && typeof global.MessageChannel === 'undefined') {
  global.MessageChannel = class MessageChannel {
    constructor() {
      const make = () => ({ onmessage: null, postMessage() {}, close() {}, start() {} });
      this.port1 = make();
      this.port2 = make();
      this.port1.postMessage = (data) => setTimeout(() => this.port2.onmessage?.({ data }), 0);
      this.port2.postMessage = (data) => setTimeout(() => this.port1.onmessage?.({ data }), 0);
    }
  };
}

// Combobox measures text on a canvas (plugin-tools#2850); the scaffold's getContext returns undefined.
class NoopObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
if (hasDom) {
  HTMLCanvasElement.prototype.getContext = () => ({ measureText: (text) => ({ width: String(text).length * 7 }) });
  global.IntersectionObserver = global.IntersectionObserver || NoopObserver;
  global.ResizeObserver = global.ResizeObserver || NoopObserver;
}
