// The demo page's texts in English and Simplified Chinese, and the readable message for each
// server error code (docs/errors.md). Text between backticks is shown as code.

/** @typedef {'en' | 'zh-CN'} Lang */

export const TEXTS = {
  en: {
    docTitle: 'Sign up · verifyd demo',
    language: 'Language',
    title: 'Create your account',
    lede: 'Confirm a phone number or an email address to continue.',
    tabSms: 'Phone',
    tabEmail: 'Email',
    phone: 'Mobile number',
    phoneHint: 'A mainland China mobile number, e.g.\u00a0139\u00a01234\u00a05678.',
    email: 'Email address',
    emailHint: 'We’ll send a 6-digit code and a confirm link to this address.',
    captcha: 'Characters in the image',
    captchaHint: 'Not case-sensitive. Can’t read it? Select the image for a new one, or Listen to hear six digits instead.',
    captchaAlt: 'Captcha: type the characters in this image into the field next to it. Press to get a new image.',
    listen: 'Listen',
    listening: 'Type the six digits you hear. Press Listen again to replay them.',
    code: 'Verification code',
    codeHint: '6 digits, sent by text message.',
    codeHintEmail: '6 digits, from the email we send you.',
    send: 'Send code',
    resend: 'Send again',
    sending: 'Sending…',
    wait: 'Again in {t}',
    submit: 'Verify and sign up',
    checking: 'Checking…',
    successTitle: 'You’re verified',
    successText: '{who} is confirmed. Welcome aboard!',
    backendRedeemed: 'The back end redeemed your {channel} receipt, once: that is what signed you up, not this page.',
    backendRefused: 'The back end refused the receipt ({reason}).',
    again: 'Start over',
    footer: 'Demo: with `npm start`, codes are printed on the server’s console instead of being sent.',
    needPhone: 'Enter your mobile number.',
    needEmail: 'Enter your email address.',
    needCaptcha: 'Type the characters shown in the image.',
    needCode: 'Enter the 6-digit code.',
    sent: 'Code sent to {who}. It is valid for {t}.',
    newImage: 'A new image is shown.',
    imageExpired: 'The image expired, so a new one is shown. Type its characters.',
    imageFailed: 'The image could not be loaded. Select the image area to try again.',
    wrongCode: 'That code is not right, or it has expired. Check it, or send a new code.',
    seconds: '{n}\u00a0s',
    minutes: '{n}\u00a0min',
    hours: '{n}\u00a0h',
  },
  'zh-CN': {
    docTitle: '注册 · verifyd 演示',
    language: '语言',
    title: '创建账号',
    lede: '验证手机号或邮箱地址后继续。',
    tabSms: '手机号',
    tabEmail: '邮箱',
    phone: '手机号码',
    phoneHint: '中国大陆手机号，例如 139\u00a01234\u00a05678。',
    email: '邮箱地址',
    emailHint: '我们会向该地址发送 6 位验证码和确认链接。',
    captcha: '图中字符',
    captchaHint: '不区分大小写。看不清？点击图片换一张，或点“听语音”听六位数字。',
    captchaAlt: '图形验证码：请在旁边的输入框中输入图中的字符。按下可换一张。',
    listen: '听语音',
    listening: '请输入听到的六位数字。再按“听语音”可重播。',
    code: '验证码',
    codeHint: '6 位数字，通过短信发送。',
    codeHintEmail: '6 位数字，见我们发给您的邮件。',
    send: '获取验证码',
    resend: '重新发送',
    sending: '发送中…',
    wait: '{t}后重发',
    submit: '验证并注册',
    checking: '验证中…',
    successTitle: '验证成功',
    successText: '{who} 已验证。欢迎加入！',
    backendRedeemed: '后端已核销这张 {channel} 凭证（仅一次）：完成注册的是后端，而不是本页面。',
    backendRefused: '后端拒绝了这张凭证（{reason}）。',
    again: '重新开始',
    footer: '演示：使用 `npm start` 时，验证码打印在服务器控制台上，不会真正发送。',
    needPhone: '请输入手机号码。',
    needEmail: '请输入邮箱地址。',
    needCaptcha: '请输入图中的字符。',
    needCode: '请输入 6 位验证码。',
    sent: '验证码已发送至 {who}，{t}内有效。',
    newImage: '已换一张新图片。',
    imageExpired: '图片已过期，已换一张新的，请输入新图中的字符。',
    imageFailed: '图片加载失败，请点击图片区域重试。',
    wrongCode: '验证码不正确或已过期，请检查，或重新获取。',
    seconds: '{n}\u00a0秒',
    minutes: '{n}\u00a0分钟',
    hours: '{n}\u00a0小时',
  },
};

/** Readable texts for the server's error codes; `{t}` is the wait (retry_after). */
const ERRORS = {
  en: {
    CAPTCHA_INVALID: 'The characters did not match the image. Here is a new one: please try again.',
    INVALID_PHONE: 'That does not look like a mobile number. Please check it.',
    PHONE_COUNTRY_NOT_ALLOWED: 'Codes cannot be sent to numbers of this country or region.',
    PHONE_RANGE_NOT_ALLOWED: 'Codes cannot be sent to satellite or premium-rate numbers. Please use a mobile number.',
    RECIPIENT_REJECTED: 'This number or address cannot receive codes. Please use another one.',
    INVALID_EMAIL: 'That email address is not valid. Please check it.',
    SEND_TOO_SOON: 'A code was sent moments ago. You can ask for another when the countdown on the button ends.',
    SEND_LIMIT_RECIPIENT: 'Too many codes were sent here. Use one already sent, or try again in {t}.',
    SEND_LIMIT_IP: 'Too many codes were requested from your network. Try again in {t}.',
    SEND_LIMIT_PREFIX: 'Too many codes were requested for similar numbers. Try again in {t}.',
    SEND_BUDGET_EXHAUSTED: 'No more text messages can be sent today. Please try again tomorrow.',
    PROVIDER_THROTTLED: 'The SMS provider is holding back messages to this number. Try again in {t}.',
    CHECK_LOCKED: 'Too many wrong codes. Checking is paused for {t}.',
    RATE_LIMITED: 'Too many requests. Please wait {t} and try again.',
    STORE_UNAVAILABLE: 'The service is busy. Please try again in a moment.',
    SEND_QUEUE_FULL: 'The service is busy. Please try again in a moment.',
    INTERNAL_ERROR: 'Something went wrong on our side. Please try again.',
    NETWORK_ERROR: 'The server could not be reached. Check your connection and try again.',
  },
  'zh-CN': {
    CAPTCHA_INVALID: '图中字符输入有误，已换一张新图片，请重新输入。',
    INVALID_PHONE: '手机号码格式不正确，请检查。',
    PHONE_COUNTRY_NOT_ALLOWED: '暂不支持向该国家或地区的号码发送验证码。',
    PHONE_RANGE_NOT_ALLOWED: '不支持向卫星电话或特殊计费号码发送验证码，请使用普通手机号码。',
    RECIPIENT_REJECTED: '该号码或地址无法接收验证码，请更换。',
    INVALID_EMAIL: '邮箱地址格式不正确，请检查。',
    SEND_TOO_SOON: '验证码刚刚已发送，请在按钮上的倒计时结束后再获取。',
    SEND_LIMIT_RECIPIENT: '发送次数过多。请使用已收到的验证码，或 {t}后再试。',
    SEND_LIMIT_IP: '当前网络请求验证码过于频繁，请 {t}后再试。',
    SEND_LIMIT_PREFIX: '相近号码的请求过多，请 {t}后再试。',
    SEND_BUDGET_EXHAUSTED: '今日短信发送额度已用完，请明天再试。',
    PROVIDER_THROTTLED: '短信服务商暂时限制了该号码的发送，请 {t}后再试。',
    CHECK_LOCKED: '错误次数过多，请 {t}后再验证。',
    RATE_LIMITED: '请求过于频繁，请 {t}后再试。',
    STORE_UNAVAILABLE: '服务繁忙，请稍后再试。',
    SEND_QUEUE_FULL: '服务繁忙，请稍后再试。',
    INTERNAL_ERROR: '服务器出错了，请重试。',
    NETWORK_ERROR: '无法连接服务器，请检查网络后重试。',
  },
};

/** The supported language the browser prefers: any `zh*` gives zh-CN, anything else en. */
export function preferredLang(languages = navigator.languages ?? [navigator.language]) {
  for (const tag of languages) {
    const lower = String(tag).toLowerCase();
    if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
  }
  return 'en';
}

/** `TEXTS[lang][key]` with `{name}` placeholders filled from `params`. */
export function text(lang, key, params = {}) {
  const template = TEXTS[lang][key] ?? TEXTS.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

/** A wait in seconds, in words: 42 s, 5 min, 2 h. */
export function duration(lang, seconds) {
  if (seconds < 90) return text(lang, 'seconds', { n: Math.max(1, Math.ceil(seconds)) });
  if (seconds < 5400) return text(lang, 'minutes', { n: Math.ceil(seconds / 60) });
  return text(lang, 'hours', { n: Math.ceil(seconds / 3600) });
}

/**
 * The readable message for a failed request; codes without one (schema errors and the like)
 * fall back to the server's own message.
 * @param {Lang} lang @param {{ code: string, message: string, retryAfter?: number }} failure
 */
export function errorText(lang, { code, message, retryAfter }) {
  const template = ERRORS[lang][code];
  if (template === undefined) return message;
  return template.replace('{t}', duration(lang, retryAfter ?? 60));
}
