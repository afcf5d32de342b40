// The wording of the verification mail, per locale and purpose. Plain strings only: the
// templates fill in `{brand}`, escape and lay them out.

import type { Locale, Purpose } from '../core/types.ts';

export interface PurposeCopy {
  subject: string;
  /** The sentence above the code. */
  intro: string;
}

export interface EmailCopy {
  purposes: Record<Purpose, PurposeCopy>;
  /** The sentence above the button. */
  linkIntro: string;
  button: string;
  /** The sentence above the link written out, for when the button does not work. */
  linkFallback: string;
  expiry: (codeLifetime: string, linkLifetime: string) => string;
  ignore: string;
}

export const EMAIL_COPY: Record<Locale, EmailCopy> = {
  en: {
    purposes: {
      register: {
        subject: 'Confirm your email address for {brand}',
        intro: 'Use this code to finish signing up for {brand}:',
      },
      login: {
        subject: 'Your {brand} sign-in code',
        intro: 'Use this code to sign in to {brand}:',
      },
      reset_password: {
        subject: 'Reset your {brand} password',
        intro: 'Use this code to reset your {brand} password:',
      },
      bind_phone: {
        subject: 'Confirm linking a phone number to your {brand} account',
        intro: 'Use this code to confirm linking a phone number to your {brand} account:',
      },
      custom: {
        subject: 'Your {brand} verification code',
        intro: 'Use this code to verify your email address for {brand}:',
      },
    },
    linkIntro: 'Or confirm with one click:',
    button: 'Confirm my email address',
    linkFallback: 'If the button does not work, copy this link into your browser:',
    expiry: (code, link) => `The code expires in ${code}; the link in ${link}.`,
    ignore: 'If you did not ask for this, ignore this mail: nothing will change.',
  },
  'zh-CN': {
    purposes: {
      register: {
        subject: '确认你在 {brand} 的邮箱地址',
        intro: '请使用以下验证码完成 {brand} 的注册：',
      },
      login: {
        subject: '你的 {brand} 登录验证码',
        intro: '请使用以下验证码登录 {brand}：',
      },
      reset_password: {
        subject: '重置你的 {brand} 密码',
        intro: '请使用以下验证码重置你的 {brand} 密码：',
      },
      bind_phone: {
        subject: '确认为你的 {brand} 账号绑定手机号',
        intro: '请使用以下验证码确认为你的 {brand} 账号绑定手机号：',
      },
      custom: {
        subject: '你的 {brand} 验证码',
        intro: '请使用以下验证码验证你在 {brand} 的邮箱地址：',
      },
    },
    linkIntro: '也可以一键确认：',
    button: '确认我的邮箱地址',
    linkFallback: '如果按钮无法点击，请将以下链接复制到浏览器中打开：',
    expiry: (code, link) => `验证码 ${code}内有效，链接 ${link}内有效。`,
    ignore: '如果这不是你本人的操作，请忽略这封邮件，你的账号不会有任何变化。',
  },
};
