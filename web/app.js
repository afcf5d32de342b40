// The demo sign-up page: two tabs (phone, email), each a captcha-gated "send code" with a
// countdown, then a code check. Built on the public browser helper, verifyd.js, as any site
// would use it.

import verifyd from './verifyd.js';
import { duration, errorText, preferredLang, text } from './messages.js';
import { looksLikeMobile } from './phone-check.js';

/** @type {import('./messages.js').Lang} */
// Where verifyd serves this page: its own folder, so the page works under any path prefix.
const baseUrl = new URL('.', import.meta.url).href;
const at = { baseUrl };

let lang = preferredLang();
const t = (key, params) => text(lang, key, params);

// What each tab sends and checks.
const CHANNELS = {
  sms: {
    need: 'needPhone',
    send: (contact, captcha) => verifyd.sendSms({ phone: contact, captcha, locale: lang }, at),
    check: (contact, code) => verifyd.checkSms({ phone: contact, code }, at),
    field: 'phone',
    contactErrors: ['INVALID_PHONE', 'PHONE_COUNTRY_NOT_ALLOWED', 'PHONE_RANGE_NOT_ALLOWED', 'RECIPIENT_REJECTED'],
    // Checked before a send, which would consume the solved captcha even for a typo.
    plausible: looksLikeMobile,
    notPlausible: 'INVALID_PHONE',
  },
  email: {
    need: 'needEmail',
    send: (contact, captcha) => verifyd.sendEmail({ email: contact, captcha, locale: lang }, at),
    check: (contact, code) => verifyd.checkEmail({ email: contact, code }, at),
    field: 'email',
    contactErrors: ['INVALID_EMAIL', 'RECIPIENT_REJECTED'],
  },
};

/** Everything that shows text re-renders through these when the language changes. */
const renderers = [];

function renderStaticTexts() {
  document.documentElement.lang = lang;
  document.title = t('docTitle');
  for (const el of document.querySelectorAll('[data-i18n]')) setRichText(el, t(el.dataset.i18n));
  document.getElementById('lang').value = lang;
  for (const render of renderers) render();
}

// Text between backticks becomes <code>; everything else stays text (no innerHTML).
function setRichText(el, value) {
  el.replaceChildren(
    ...value.split('`').map((part, i) => {
      if (i % 2 === 0) return document.createTextNode(part);
      const code = document.createElement('code');
      code.textContent = part;
      return code;
    }),
  );
}

function setupFlow(panel) {
  const channel = CHANNELS[panel.dataset.channel];
  const form = panel.querySelector('form');
  const contact = form.elements.namedItem('contact');
  const answer = form.elements.namedItem('answer');
  const code = form.elements.namedItem('code');
  const sendButton = form.querySelector('.send');
  const submitButton = form.querySelector('[type=submit]');
  const status = panel.querySelector('.status');
  const success = panel.querySelector('.success');

  /** @type {{ key?: string, params?: object, failure?: object, tone: 'info' | 'error' | 'success' } | null} */
  let message = null;
  let countdownEnd = 0;
  let countdownTimer = 0;
  let everSent = false;
  let busy = false;
  let checking = false;
  let verifiedContact = '';
  /** What the demo's back end answered when it redeemed the receipt. */
  let redeemed = null;

  /** @type {import('./verifyd.js').CaptchaWidget | null} */
  let captcha = null;
  // The captcha is fetched when its tab is first shown, so a page load issues only one.
  function ensureCaptcha() {
    if (captcha || panel.hidden) return;
    captcha = verifyd.captcha(panel.querySelector('.captcha-slot'), {
      baseUrl,
      alt: t('captchaAlt'),
      listen: true,
      listenLabel: t('listen'),
      locale: lang,
      onChange: (_id, reason) => {
        answer.value = '';
        if (reason === 'click') say({ key: 'newImage', tone: 'info' }, answer);
        if (reason === 'expiry') say({ key: 'imageExpired', tone: 'info' }, answer);
        if (reason === 'listen') {
          say({ key: 'listening', tone: 'info' }, answer);
          answer.focus();
        }
      },
      onError: () => say({ key: 'imageFailed', tone: 'error' }, answer),
    });
    panel.querySelector('.verifyd-captcha').setAttribute('aria-describedby', answer.getAttribute('aria-describedby'));
  }
  panel.addEventListener('tab-shown', ensureCaptcha);
  ensureCaptcha();

  // Feedback goes where the eye is: right below the field it is about (below the code field and
  // its Send button by default), scrolled into view on a small screen.
  // Repeating the same text would not be announced again: empty the live region first.
  function say(next, near = code) {
    message = next;
    const field = near.closest('.field');
    if (field.nextElementSibling !== status) field.after(status);
    status.dataset.tone = next?.tone ?? '';
    const value = messageText();
    if (value !== '' && value === status.textContent) {
      status.textContent = '';
      setTimeout(renderMessage, 50);
    } else status.textContent = value;
    // After the focus moves (markInvalid), which scrolls to the field itself.
    if (value !== '') requestAnimationFrame(() => status.scrollIntoView({ block: 'nearest' }));
  }
  function messageText() {
    if (!message) return '';
    return message.failure ? errorText(lang, message.failure) : t(message.key, message.params);
  }
  function renderMessage() {
    status.textContent = messageText();
  }

  // An invalid field is described by its hint and by the status message that says what is wrong.
  const fields = [contact, answer, code];
  for (const el of fields) el.dataset.hints = el.getAttribute('aria-describedby') ?? '';
  function setInvalid(el, invalid) {
    if (invalid) el.setAttribute('aria-invalid', 'true');
    else el.removeAttribute('aria-invalid');
    el.setAttribute('aria-describedby', invalid ? `${el.dataset.hints} ${status.id}` : el.dataset.hints);
  }
  function markInvalid(input) {
    for (const el of fields) setInvalid(el, el === input);
    input?.focus();
  }
  for (const el of fields) el.addEventListener('input', () => setInvalid(el, false));

  function renderSendButton() {
    const left = Math.ceil((countdownEnd - Date.now()) / 1000);
    const waiting = left > 0;
    sendButton.setAttribute('aria-disabled', String(waiting || busy));
    sendButton.textContent = busy ? t('sending') : waiting ? t('wait', { t: duration(lang, left) }) : everSent ? t('resend') : t('send');
    if (!waiting) {
      clearInterval(countdownTimer);
      countdownTimer = 0;
    }
  }
  function startCountdown(seconds) {
    countdownEnd = Date.now() + seconds * 1000;
    clearInterval(countdownTimer);
    countdownTimer = setInterval(renderSendButton, 250);
    renderSendButton();
  }

  async function send() {
    if (busy || countdownEnd > Date.now()) return;
    if (!contact.value.trim()) return (say({ key: channel.need, tone: 'error' }, contact), markInvalid(contact));
    if (channel.plausible && !channel.plausible(contact.value)) {
      return (say({ failure: { code: channel.notPlausible }, tone: 'error' }, contact), markInvalid(contact));
    }
    if (!answer.value.trim() || !captcha) return (say({ key: 'needCaptcha', tone: 'error' }, answer), markInvalid(answer));
    busy = true;
    renderSendButton();
    const result = await channel.send(contact.value.trim(), captcha.answer(answer.value));
    busy = false;
    // Any send attempt consumes the captcha, right or wrong.
    void captcha.refresh();
    if (result.ok) {
      everSent = true;
      startCountdown(result.resendAfter);
      say({ key: 'sent', params: { who: contact.value.trim(), t: duration(lang, result.expiresIn) }, tone: 'success' });
      markInvalid(null);
      code.focus();
      return;
    }
    if (result.retryAfter) startCountdown(result.retryAfter);
    else renderSendButton();
    const about = result.code === 'CAPTCHA_INVALID' ? answer : channel.contactErrors.includes(result.code) ? contact : null;
    say({ failure: result, tone: 'error' }, about ?? code);
    if (about) markInvalid(about);
  }

  async function check() {
    if (checking) return;
    if (!contact.value.trim()) return (say({ key: channel.need, tone: 'error' }, contact), markInvalid(contact));
    if (!code.value.trim()) return (say({ key: 'needCode', tone: 'error' }), markInvalid(code));
    checking = true;
    submitButton.setAttribute('aria-disabled', 'true');
    submitButton.textContent = t('checking');
    const result = await channel.check(contact.value.trim(), code.value);
    checking = false;
    submitButton.removeAttribute('aria-disabled');
    submitButton.textContent = t('submit');
    if (!result.ok) {
      const aboutContact = channel.contactErrors.includes(result.code);
      say({ failure: result, tone: 'error' }, aboutContact ? contact : code);
      if (aboutContact) markInvalid(contact);
      else if (!result.retryAfter) markInvalid(code);
      return;
    }
    if (!result.valid) {
      say({ key: 'wrongCode', tone: 'error' });
      markInvalid(code);
      return;
    }
    verifiedContact = contact.value.trim();
    // The page never trusts `valid`: it hands the receipt to the application's back end, which
    // redeems it once (here the demo's own stand-in, /demo/signup; yours calls /v1/siteverify).
    redeemed = await signUp(result.receipt);
    form.hidden = true;
    success.hidden = false;
    renderSuccess();
    say(null);
    success.querySelector('h2').focus();
  }
  async function signUp(receipt) {
    try {
      const response = await fetch(new URL('demo/signup', baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ receipt, purpose: 'register', [channel.field]: verifiedContact }),
      });
      return response.ok ? await response.json() : null;
    } catch {
      return null;
    }
  }
  function renderSuccess() {
    success.querySelector('.success-text').textContent = t('successText', { who: verifiedContact });
    success.querySelector('.backend-text').textContent = redeemed?.signed_up
      ? t('backendRedeemed', { channel: redeemed.redeemed.channel === 'sms' ? 'SMS' : redeemed.redeemed.channel })
      : t('backendRefused', { reason: redeemed?.['error-codes']?.[0] ?? 'no answer' });
  }

  function startOver() {
    form.reset();
    markInvalid(null);
    success.hidden = true;
    form.hidden = false;
    say(null);
    void captcha?.refresh();
    contact.focus();
  }

  sendButton.addEventListener('click', () => void send());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void check();
  });
  // Enter in the first two fields asks for a code; in the code field it submits.
  for (const el of [contact, answer]) {
    el.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.isComposing) {
        event.preventDefault();
        void send();
      }
    });
  }
  success.querySelector('.again').addEventListener('click', startOver);

  renderers.push(() => {
    captcha?.setAlt(t('captchaAlt'));
    captcha?.setListenLabel(t('listen'));
    captcha?.setLocale(lang);
    renderSendButton();
    if (!checking) submitButton.textContent = t('submit');
    if (verifiedContact) renderSuccess();
    renderMessage();
  });
}

// Tabs, following the WAI-ARIA tabs pattern: arrow keys, Home and End move and select.
function setupTabs() {
  const tabs = [...document.querySelectorAll('[role=tab]')];
  const select = (tab, focus) => {
    for (const other of tabs) {
      const selected = other === tab;
      other.setAttribute('aria-selected', String(selected));
      other.tabIndex = selected ? 0 : -1;
      const panel = document.getElementById(other.getAttribute('aria-controls'));
      panel.hidden = !selected;
      if (selected) panel.dispatchEvent(new Event('tab-shown'));
    }
    if (focus) tab.focus();
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => select(tab, false));
    tab.addEventListener('keydown', (event) => {
      const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      select(tabs[(next + tabs.length) % tabs.length], true);
    });
  });
}

document.getElementById('lang').addEventListener('change', (event) => {
  lang = event.target.value === 'zh-CN' ? 'zh-CN' : 'en';
  renderStaticTexts();
});
setupTabs();
for (const panel of document.querySelectorAll('[role=tabpanel]')) setupFlow(panel);
renderStaticTexts();
