/**
 * The bench's baseline for the first usable screen: React 19 rendering one heading and one
 * enabled primary button, built and loaded like the app's page, with no data to fetch.
 */
import { StrictMode, createElement as h } from 'react';
import { createRoot } from 'react-dom/client';

function App() {
  return h('div', { className: 'footer-primary' }, h('h1', null, 'Install'), h('button', { className: 'primary', type: 'button' }, 'Next'));
}

const root = document.getElementById('root');
if (root) createRoot(root).render(h(StrictMode, null, h(App)));
