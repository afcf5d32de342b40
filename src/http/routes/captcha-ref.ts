// The `captcha` field of send requests, shared by the SMS and email routes: a captcha id (or the
// seed's uuid) with the visitor's answer.

import { VerifyError } from '../../errors.ts';

export interface CaptchaRefBody {
  id?: string;
  uuid?: string;
  answer: string;
}

/** The captcha to check; throws INVALID_REQUEST when neither id nor uuid is given. */
export function captchaRef({ id, uuid, answer }: CaptchaRefBody): { id: string; answer: string } {
  const ref = id ?? uuid;
  if (ref === undefined) throw new VerifyError('INVALID_REQUEST', { message: 'captcha needs an id (or uuid) and an answer.' });
  return { id: ref, answer };
}
