// The proof-of-work demo page: the ALTCHA widget solves a challenge for `sms-send`, and the
// helper sends the code with its payload, refetching by itself when the challenge expired or
// the number range needs a dearer one.

import { checkSms, pow, sendSms } from './verifyd.js';

const form = /** @type {HTMLFormElement} */ (document.getElementById('pow-form'));
const phone = /** @type {HTMLInputElement} */ (document.getElementById('pow-phone'));
const code = /** @type {HTMLInputElement} */ (document.getElementById('pow-code'));
const status = /** @type {HTMLElement} */ (document.getElementById('pow-status'));
const widget = document.getElementById('pow-widget');
// Where verifyd serves this page: its own folder, so the page works under any path prefix.
const baseUrl = new URL('.', import.meta.url).href;
const prover = pow({ action: 'sms-send', widget, baseUrl });

document.getElementById('pow-send')?.addEventListener('click', async () => {
  status.textContent = 'Working…';
  const sent = await sendSms({ phone: phone.value.trim(), pow: prover }, { baseUrl });
  status.textContent = sent.ok ? 'Code sent.' : `${sent.code}: ${sent.message}`;
});

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const checked = await checkSms({ phone: phone.value.trim(), code: code.value }, { baseUrl });
  status.textContent = !checked.ok ? `${checked.code}: ${checked.message}` : checked.valid ? `Verified; receipt ${checked.receipt.slice(0, 16)}…` : 'Wrong code.';
});
