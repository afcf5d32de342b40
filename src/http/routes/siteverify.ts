// POST /v1/siteverify: Cloudflare Turnstile's siteverify, answered by verifyd, so a back end that
// verifies Turnstile tokens redeems verifyd receipts by changing one URL. JSON, form-encoded or
// multipart, as Turnstile clients post.

import { isVerifyError, VerifyError } from '../../errors.ts';
import type { Verifier } from '../../core/verifier.ts';
import { bearerToken, type BackendAccess } from '../backend-auth.ts';
import { json, route, type HttpAnswer, type Route } from '../routing.ts';

interface SiteverifyBody {
  /** The back-end key (Turnstile's secret); `Authorization: Bearer` works too. */
  secret?: string;
  /** The receipt the page handed over. */
  response?: string;
  /** Accepted for compatibility; receipts are not bound to an address (mobile clients change them). */
  remoteip?: string;
  idempotency_key?: string;
  /** verifyd's own: what the back end expects, checked before the receipt is spent. */
  action?: string;
  hostname?: string;
  phone?: string;
  email?: string;
}

const text = (maxLength: number) => ({ type: 'string', maxLength }) as const;

/** A bad request: Turnstile's shape for its clients, and verifyd's one error shape beside it. */
function fail(reason: string, err: VerifyError): HttpAnswer {
  return json({ success: false, 'error-codes': [reason], ...err.toJSON() }, err.status);
}

export function siteverifyRoutes({ verifier, backend }: { verifier: Verifier; backend: BackendAccess }): Route[] {
  return [
    route<SiteverifyBody | undefined>({
      method: 'POST',
      path: '/v1/siteverify',
      // A cross-site form gains nothing here: nothing happens without the key.
      accepts: ['form', 'multipart'],
      schema: {
        body: {
          type: ['object', 'null'],
          properties: {
            secret: text(512),
            response: text(4096),
            remoteip: text(64),
            idempotency_key: text(128),
            action: text(64),
            hostname: text(253),
            phone: text(32),
            email: text(320),
          },
        },
      },
      // Turnstile clients parse `success`: a body that fails the schema still gets that shape.
      ownValidationErrors: true,
      handle: async (request, invalid) => {
        if (invalid) return fail('bad-request', invalid);
        const body = request.body ?? {};
        const presented = body.secret ?? bearerToken(request);
        if (presented === undefined || presented === '') return fail('missing-input-secret', new VerifyError('API_KEY_MISSING'));
        if (backend.keyName(presented) === null) return fail('invalid-input-secret', new VerifyError('API_KEY_INVALID'));

        const recipient = body.phone ?? body.email;
        let outcome;
        try {
          outcome = await verifier.redeemReceipt(body.response, {
            ...(body.action === undefined ? {} : { action: body.action }),
            ...(body.hostname === undefined ? {} : { hostname: body.hostname }),
            ...(recipient === undefined ? {} : { recipient }),
            ...(body.idempotency_key === undefined ? {} : { idempotencyKey: body.idempotency_key }),
          });
        } catch (err) {
          // Fail closed: Turnstile clients read `success`, others the error code.
          if (isVerifyError(err)) return fail('internal-error', err);
          throw err;
        }
        // A refused receipt is a verdict: 200 in Turnstile's shape, `success` and `error-codes`.
        if (!outcome.success) return json({ success: false, 'error-codes': [outcome.error] });
        const { claims } = outcome;
        return json({
          success: true,
          'error-codes': [],
          challenge_ts: new Date(claims.issuedAt * 1000).toISOString(),
          hostname: claims.hostname,
          action: claims.action,
          cdata: claims.cdata,
          channel: claims.channel,
          ...(claims.channel === 'captcha' || claims.channel === 'pow' ? {} : { purpose: claims.action }),
          ...(recipient === undefined ? {} : { recipient_match: true }),
        });
      },
    }),
  ];
}
