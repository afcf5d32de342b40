// Loads the ALTCHA widget that verifyd serves (no CDN) and gives it its workers as files of the
// same origin, so it runs under a Content-Security-Policy without inline code or blob: workers.
// Import it once before using <altcha-widget>; link /altcha/altcha.css for its look.

import './altcha/altcha.js';

const worker = (file) => () => new Worker(new URL(`./altcha/${file}`, import.meta.url));
globalThis.$altcha.algorithms.set('PBKDF2/SHA-256', worker('pbkdf2.js'));
globalThis.$altcha.algorithms.set('SHA-256', worker('sha.js'));
