// verifyd browser helper: renders a captcha with refresh (and a "listen" button for its audio
// alternative), and calls the SMS and email endpoints,
// returning results instead of throwing. No dependencies, no build step; import it as an ES
// module from the verifyd server (`<script type="module">import verifyd from
// 'https://verify.example.com/verifyd.js'</script>`) or copy it into your own assets.

/**
 * @typedef {'register' | 'login' | 'reset_password' | 'bind_phone' | 'custom'} Purpose
 * @typedef {'zh-CN' | 'en'} Locale
 * @typedef {{ id: string, answer: string }} CaptchaAnswer
 * @typedef {'first' | 'click' | 'expiry' | 'call' | 'listen'} RefreshReason  why a new captcha came: the first image, the visitor asked for a new image, the old captcha was about to expire, refresh() was called, or the visitor pressed "listen" (an audio captcha, whose id the answer now goes to)
 *
 * @typedef {object} RequestOptions
 * @property {string} [baseUrl]  where verifyd is served, e.g. `https://verify.example.com`; default: this page's origin
 * @property {AbortSignal} [signal]
 *
 * @typedef {object} Failure  the server's error (see docs/errors.md), or `NETWORK_ERROR` when it was not reached
 * @property {false} ok
 * @property {string} code        stable code, e.g. `CAPTCHA_INVALID`, `SEND_TOO_SOON`
 * @property {string} message     the server's English message
 * @property {number} status      HTTP status; 0 when the server was not reached
 * @property {number} [retryAfter]  seconds to wait, on 429 responses
 *
 * @typedef {{ ok: true, expiresIn: number, resendAfter: number }} SmsSent
 * @typedef {{ ok: true, expiresIn: number, resendAfter: number }} EmailSent
 * @typedef {{ ok: true, valid: true, receipt: string } | { ok: true, valid: false }} CodeChecked
 *   a wrong code is a result, not a failure. A right one carries a `receipt`: hand it to your back
 *   end with the form, and let the back end redeem it (POST /v1/siteverify); never trust `valid` in the page
 *
 * @typedef {object} CaptchaOptions
 * @property {string} [baseUrl]        where verifyd is served; default: this page's origin
 * @property {'jpeg' | 'png' | 'webp'} [format]  image format; default: the server's (JPEG)
 * @property {string} [alt]            the image's alt text, which names the button that refreshes it
 * @property {number} [refreshBefore]  seconds before expiry when a new image is fetched by itself; default 15
 * @property {1 | 2} [scale]           pixels per CSS pixel of the image; default 2 on screens of device pixel ratio 1.5 or more, else 1
 * @property {(id: string, reason: RefreshReason) => void} [onChange]  called after each new image, the first one included
 * @property {(failure: Failure) => void} [onError]  called when no image (or clip) could be fetched
 * @property {boolean} [listen]        also show a "listen" button: it fetches an audio captcha (six spoken digits; the server must enable the `audio` kind, as it does by default) and plays it; the answer then goes to it, until a new image is asked for. Pressing it again replays the clip
 * @property {string} [listenLabel]    the listen button's text; default `Listen`
 * @property {Locale} [locale]         the clip's language; default: the server picks from the browser's Accept-Language
 *
 * @typedef {object} CaptchaWidget
 * @property {() => string | null} id           the current captcha's id; null before the first image arrives
 * @property {(text: string) => CaptchaAnswer} answer  the `captcha` field of a send request for `text`
 * @property {() => Promise<boolean>} refresh    fetches a new image; resolves false when that failed
 * @property {(alt: string) => void} setAlt      changes the alt text (e.g. when the page's language changes)
 * @property {(label: string) => void} setListenLabel  changes the listen button's text
 * @property {(locale: Locale) => void} setLocale  the language of the next clip
 * @property {() => 'image' | 'audio'} kind      which captcha the answer goes to
 * @property {() => void} destroy               stops the timers and removes the button
 */

/** 2 where a 1× image would be upscaled and blurry, 1 elsewhere (smaller bytes). */
const defaultScale = () => (typeof window !== 'undefined' && window.devicePixelRatio >= 1.5 ? 2 : 1);

const DEFAULT_ALT = 'Captcha: type the characters in this image into the answer field. Press to get a new image.';

/** @param {string} baseUrl @param {string} path */
const urlOf = (baseUrl, path) => baseUrl.replace(/\/+$/, '') + path;

/**
 * POSTs `body` as JSON and returns the parsed body on 2xx, or a Failure.
 * @param {string} path @param {unknown} body @param {RequestOptions} options
 * @returns {Promise<{ ok: true, body: any } | Failure>}
 */
async function post(path, body, { baseUrl = '', signal } = {}) {
  let response;
  try {
    response = await fetch(urlOf(baseUrl, path), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body ?? {}),
      credentials: 'omit',
      signal,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    return { ok: false, status: 0, code: 'NETWORK_ERROR', message: 'The verification service could not be reached.' };
  }
  const parsed = await response.json().catch(() => null);
  if (response.ok && parsed !== null) return { ok: true, body: parsed };
  const error = parsed?.error ?? {};
  const header = Number(response.headers.get('retry-after'));
  const retryAfter = typeof error.retry_after === 'number' ? error.retry_after : header > 0 ? header : undefined;
  return {
    ok: false,
    status: response.status,
    code: typeof error.code === 'string' ? error.code : 'HTTP_' + response.status,
    message: typeof error.message === 'string' ? error.message : response.statusText || 'Request failed.',
    ...(retryAfter === undefined ? {} : { retryAfter }),
  };
}

/**
 * Issues a captcha: `{ ok: true, id, image, expiresIn }` with `image` a data URL, or for
 * `type: 'audio'` `{ ok: true, id, audio, expiresIn }` with `audio` a WAV data URL in `locale`.
 * `scale: 2` asks for the same captcha at twice the pixels, to show at half its size on 2× screens.
 * @param {RequestOptions & { format?: 'jpeg' | 'png' | 'webp', scale?: 1 | 2, type?: 'text' | 'math' | 'chinese' | 'audio', locale?: Locale }} [options]
 * @returns {Promise<{ ok: true, id: string, image?: string, audio?: string, expiresIn: number } | Failure>}
 */
export async function newCaptcha({ format, scale, type, locale, ...options } = {}) {
  const body = { ...(format ? { format } : {}), ...(scale === 2 ? { scale } : {}), ...(type ? { type } : {}), ...(locale ? { locale } : {}) };
  const result = await post('/v1/captchas', body, options);
  if (!result.ok) return result;
  const { id, image, audio, expires_in: expiresIn } = result.body;
  return { ok: true, id, ...(audio ? { audio } : { image }), expiresIn };
}

/**
 * Renders a captcha into `element`: an image inside a button (click, Enter or Space fetch a new
 * one), replaced by itself `refreshBefore` seconds before it expires. The current id is also on
 * the image as `data-captcha-id`. A captcha is consumed by any send, right or wrong: call
 * `refresh()` after every send attempt.
 * @param {HTMLElement} element
 * @param {CaptchaOptions} [options]
 * @returns {CaptchaWidget}
 */
export function captcha(
  element,
  { baseUrl = '', format, alt = DEFAULT_ALT, refreshBefore = 15, scale = defaultScale(), onChange, onError, listen = false, listenLabel = 'Listen', locale } = {},
) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'verifyd-captcha';
  const img = document.createElement('img');
  img.alt = alt;
  img.width = 160;
  img.height = 60;
  // The server's configured size wins over the 160×60 placeholder; a 2× image shows at half its pixels.
  img.addEventListener('load', () => {
    img.width = img.naturalWidth / scale;
    img.height = img.naturalHeight / scale;
  });
  button.append(img);
  element.append(button);

  // The audio alternative: a button that fetches and plays a clip, and the <audio> that holds it.
  const listenButton = document.createElement('button');
  listenButton.type = 'button';
  listenButton.className = 'verifyd-listen';
  listenButton.textContent = listenLabel;
  const audio = document.createElement('audio');
  audio.className = 'verifyd-audio';
  audio.preload = 'auto';
  if (listen) element.append(listenButton, audio);

  /** @type {string | null} */
  let currentId = null;
  /** @type {'image' | 'audio'} */
  let kind = 'image';
  let expiresAt = 0;
  let timer = 0;
  let generation = 0;
  let audioLocale = locale;

  /** A new captcha of either kind arrived: its id is the one answers go to from now on. */
  const took = (/** @type {string} */ id, /** @type {number} */ expiresIn, /** @type {RefreshReason} */ reason) => {
    currentId = id;
    expiresAt = Date.now() + expiresIn * 1000;
    timer = window.setTimeout(() => void load('expiry'), Math.max(1, expiresIn - refreshBefore) * 1000);
    onChange?.(id, reason);
  };

  /** @param {RefreshReason} reason */
  const load = async (reason) => {
    const mine = ++generation;
    clearTimeout(timer);
    button.setAttribute('aria-busy', 'true');
    const result = await newCaptcha({ baseUrl, scale, ...(format ? { format } : {}) });
    if (mine !== generation) return result.ok; // a later refresh overtook this one
    button.removeAttribute('aria-busy');
    if (!result.ok) {
      onError?.(result);
      // Try again by itself after the wait the server asked for, or in 10 s.
      timer = window.setTimeout(() => void load(reason), (result.retryAfter ?? 10) * 1000);
      return false;
    }
    kind = 'image';
    audio.pause();
    audio.removeAttribute('src');
    button.classList.remove('verifyd-inactive');
    img.src = result.image;
    img.dataset.captchaId = result.id;
    took(result.id, result.expiresIn, reason);
    return true;
  };

  // The first press fetches a clip and plays it; later presses replay it until it is replaced.
  const playAudio = async () => {
    if (kind === 'audio' && audio.src) {
      audio.currentTime = 0;
      void audio.play().catch(() => {});
      return true;
    }
    const mine = ++generation;
    clearTimeout(timer);
    listenButton.setAttribute('aria-busy', 'true');
    const result = await newCaptcha({ baseUrl, type: 'audio', ...(audioLocale ? { locale: audioLocale } : {}) });
    listenButton.removeAttribute('aria-busy');
    if (mine !== generation) return result.ok;
    if (!result.ok) {
      onError?.(result);
      // A server without the audio kind will never have it: do not offer it again.
      if (result.code === 'CAPTCHA_TYPE_NOT_ENABLED') listenButton.hidden = true;
      // The image's captcha is still the current one; keep renewing it.
      timer = window.setTimeout(() => void load('expiry'), Math.max(1, (expiresAt - Date.now()) / 1000 - refreshBefore) * 1000);
      return false;
    }
    kind = 'audio';
    // The image's captcha is abandoned: show that the answer no longer goes to it.
    button.classList.add('verifyd-inactive');
    audio.src = result.audio;
    audio.dataset.captchaId = result.id;
    took(result.id, result.expiresIn, 'listen');
    void audio.play().catch(() => {});
    return true;
  };

  // Background tabs run timers late: catch up when the page is shown again.
  const onVisible = () => {
    if (document.visibilityState === 'visible' && currentId !== null && Date.now() > expiresAt - refreshBefore * 1000) void load('expiry');
  };
  button.addEventListener('click', () => void load('click'));
  listenButton.addEventListener('click', () => void playAudio());
  document.addEventListener('visibilitychange', onVisible);
  void load('first');

  return {
    id: () => currentId,
    // Digits heard are often typed in groups ("123 456"): spaces are dropped for a clip's answer.
    answer: (text) => ({ id: currentId ?? '', answer: kind === 'audio' ? String(text).replace(/\s+/g, '') : String(text).trim() }),
    refresh: () => load('call'),
    setAlt: (text) => {
      img.alt = text;
    },
    setListenLabel: (label) => {
      listenButton.textContent = label;
    },
    setLocale: (next) => {
      audioLocale = next;
    },
    kind: () => kind,
    destroy: () => {
      generation++;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
      audio.pause();
      button.remove();
      listenButton.remove();
      audio.remove();
    },
  };
}

/**
 * Sends an SMS code to `phone` (bare national number or E.164). Needs what the server requires
 * (`--sms-require`): a solved captcha, which is consumed whatever the outcome, a proof of work
 * (`pow`: a payload, or a Prover from `pow()`, which is asked again when the challenge expired
 * or the number needs a dearer one), or both.
 * @param {{ phone: string, captcha?: CaptchaAnswer, pow?: string | Prover, purpose?: Purpose, locale?: Locale }} request
 * @param {RequestOptions} [options]
 * @returns {Promise<SmsSent | Failure>}
 */
export async function sendSms({ phone, captcha: answer, pow: proof, purpose = 'register', locale }, options = {}) {
  const result = await withProof(proof, { phone }, (payload) =>
    post('/v1/sms/send', { phone, purpose, ...(answer ? { captcha: answer } : {}), ...(payload ? { pow: payload } : {}), ...(locale ? { locale } : {}) }, options),
  );
  return result.ok ? { ok: true, expiresIn: result.body.expires_in, resendAfter: result.body.resend_after } : result;
}

/**
 * Checks an SMS code; a correct code is consumed.
 * @param {{ phone: string, code: string, purpose?: Purpose }} request
 * @param {RequestOptions} [options]
 * @returns {Promise<CodeChecked | Failure>}
 */
export async function checkSms({ phone, code, purpose = 'register' }, options = {}) {
  return checked(await post('/v1/sms/check', { phone, purpose, code: String(code).trim() }, options));
}

/**
 * Sends an email with a code and a confirm link. The captcha is consumed whatever the outcome;
 * `pow` works as in sendSms. `resendAfter` is the server's fixed 60 s between two mails to one address.
 * @param {{ email: string, captcha?: CaptchaAnswer, pow?: string | Prover, purpose?: Purpose, locale?: Locale }} request
 * @param {RequestOptions} [options]
 * @returns {Promise<EmailSent | Failure>}
 */
export async function sendEmail({ email, captcha: answer, pow: proof, purpose = 'register', locale }, options = {}) {
  const result = await withProof(proof, {}, (payload) =>
    post('/v1/email/send', { email, purpose, ...(answer ? { captcha: answer } : {}), ...(payload ? { pow: payload } : {}), ...(locale ? { locale } : {}) }, options),
  );
  return result.ok ? { ok: true, expiresIn: result.body.expires_in, resendAfter: 60 } : result;
}

/**
 * Checks an email code; a correct code is consumed.
 * @param {{ email: string, code: string, purpose?: Purpose }} request
 * @param {RequestOptions} [options]
 * @returns {Promise<CodeChecked | Failure>}
 */
export async function checkEmail({ email, code, purpose = 'register' }, options = {}) {
  return checked(await post('/v1/email/check', { email, purpose, code: String(code).trim() }, options));
}

/** @param {{ ok: true, body: any } | Failure} result @returns {CodeChecked | Failure} */
function checked(result) {
  if (!result.ok) return result;
  return result.body.valid === true ? { ok: true, valid: true, receipt: result.body.receipt } : { ok: true, valid: false };
}

// ---- Proof of work (ALTCHA's protocol) ----

/**
 * @typedef {(hints: { phone?: string }) => Promise<string | Failure>} Prover  returns a fresh
 *   proof-of-work payload (fetching and solving a new challenge each time it is called)
 */

// A refused proof that a new challenge fixes: expired, or priced below what the number needs now.
const REFETCH = new Set(['POW_EXPIRED', 'POW_LEVEL_TOO_LOW']);

/**
 * Calls `request` with a payload from `proof`; when the server says the challenge expired or
 * was too cheap, asks the prover for a new one and tries once more, without the visitor noticing.
 * @param {string | Prover | undefined} proof @param {{ phone?: string }} hints
 * @param {(payload: string | undefined) => Promise<{ ok: true, body: any } | Failure>} request
 */
async function withProof(proof, hints, request) {
  if (typeof proof !== 'function') return request(proof);
  for (let attempt = 0; ; attempt++) {
    const payload = await proof(hints);
    if (typeof payload !== 'string') return payload;
    const result = await request(payload);
    if (result.ok || attempt === 1 || !REFETCH.has(result.code)) return result;
  }
}

/**
 * Fetches a proof-of-work challenge for `action` (e.g. `sms-send`), priced for `phone`'s number
 * range when given. The body is ALTCHA's challenge, plus `level` and `captcha_required`.
 * @param {{ action: string, phone?: string, version?: 1 | 2 }} request
 * @param {RequestOptions} [options]
 * @returns {Promise<{ ok: true, challenge: any } | Failure>}
 */
export async function powChallenge({ action, phone, version }, { baseUrl = '', signal } = {}) {
  const query = new URLSearchParams({ action, ...(phone ? { phone } : {}), ...(version === 1 ? { v: '1' } : {}) });
  try {
    const response = await fetch(urlOf(baseUrl, `/v1/pow/challenge?${query}`), { credentials: 'omit', signal });
    const body = await response.json().catch(() => null);
    if (response.ok && body !== null) return { ok: true, challenge: body };
    return { ok: false, status: response.status, code: body?.error?.code ?? 'HTTP_' + response.status, message: body?.error?.message ?? 'Request failed.' };
  } catch (err) {
    if (signal?.aborted) throw err;
    return { ok: false, status: 0, code: 'NETWORK_ERROR', message: 'The verification service could not be reached.' };
  }
}

/** @param {string} hex */
const fromHex = (hex) => new Uint8Array((hex.match(/../g) ?? []).map((h) => parseInt(h, 16)));
/** @param {Uint8Array} bytes */
const toHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
/** @param {unknown} body */
const encode = (body) => btoa(JSON.stringify(body));

/**
 * Solves a challenge on this thread with WebCrypto (each step is asynchronous, so the page stays
 * responsive) and returns the payload the widget would have made: v2 (PBKDF2-SHA256) counts up
 * until the derived key starts with `keyPrefix`; v1 until SHA-256(salt + number) is the challenge.
 * @param {any} challenge  as `powChallenge` returned it
 * @param {{ signal?: AbortSignal }} [options]
 * @returns {Promise<string>}
 */
export async function solvePow(challenge, { signal } = {}) {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  if (!challenge.parameters) {
    const { algorithm, salt, signature } = challenge;
    for (let number = 0; number <= challenge.maxnumber; number++) {
      signal?.throwIfAborted();
      const hash = toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(salt + number))));
      if (hash === challenge.challenge) return encode({ algorithm, challenge: challenge.challenge, number, salt, signature, took: took() });
    }
    throw new Error('no solution in range');
  }
  const { parameters, signature } = challenge;
  const nonce = fromHex(parameters.nonce);
  const salt = fromHex(parameters.salt);
  const prefix = parameters.keyPrefix;
  const password = new Uint8Array(nonce.length + 4);
  password.set(nonce);
  const view = new DataView(password.buffer);
  for (let counter = 0; counter < 2 ** 32; counter++) {
    signal?.throwIfAborted();
    view.setUint32(nonce.length, counter, false);
    const key = await crypto.subtle.importKey('raw', password, 'PBKDF2', false, ['deriveBits']);
    const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: parameters.cost }, key, parameters.keyLength * 8);
    const derivedKey = toHex(new Uint8Array(bits));
    if (derivedKey.startsWith(prefix)) return encode({ challenge: { parameters, signature }, solution: { counter, derivedKey, time: took() } });
  }
  throw new Error('no solution in range');
}

/**
 * A Prover for sendSms, sendEmail or your own form: each call fetches a challenge for `action`
 * (priced for the phone number when the send knows it) and solves it, by driving the page's
 * `<altcha-widget>` when `widget` is given (load /pow.js first), else with solvePow.
 * @param {{ action: string, widget?: any, baseUrl?: string }} options
 * @returns {Prover}
 */
export function pow({ action, widget, baseUrl = '' }) {
  return async ({ phone } = {}) => {
    const query = new URLSearchParams({ action, ...(phone ? { phone } : {}) });
    if (widget) {
      await widget.configure({ challenge: urlOf(baseUrl, `/v1/pow/challenge?${query}`) });
      const result = await widget.verify();
      return result?.payload ?? { ok: false, status: 0, code: 'POW_NOT_SOLVED', message: 'The proof of work could not be completed.' };
    }
    const fetched = await powChallenge({ action, ...(phone ? { phone } : {}) }, { baseUrl });
    return fetched.ok ? solvePow(fetched.challenge) : fetched;
  };
}

const verifyd = { captcha, newCaptcha, sendSms, checkSms, sendEmail, checkEmail, pow, powChallenge, solvePow };
export default verifyd;
