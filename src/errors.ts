// The one table of error codes: every failure a client can see has a stable code, an HTTP
// status and a default message here, and a row in docs/errors.md.

export const ERRORS = {
  UUID_MISSING: { status: 403, message: 'The uuid query parameter is required.' },
  INVALID_UUID: { status: 400, message: 'The uuid must be a canonical UUID string (8-4-4-4-12 hex digits).' },
  INVALID_REQUEST: { status: 400, message: 'The request does not match the expected schema.' },
  INVALID_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request body must be application/json.' },
  BODY_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  API_KEY_MISSING: { status: 401, message: 'This endpoint is for the application back end: send its key as Authorization: Bearer <key>.' },
  API_KEY_INVALID: { status: 401, message: 'The back-end key is not valid.' },
  NOT_FOUND: { status: 404, message: 'No such route.' },
  CAPTCHA_TYPE_NOT_ENABLED: { status: 400, message: 'This kind of captcha is not offered here; ask for one of the kinds the service enables.' },
  CAPTCHA_INVALID: { status: 400, message: 'The captcha answer is wrong, expired or already used; fetch a new captcha.' },
  POW_REQUIRED: { status: 400, message: 'This request needs a solved proof-of-work challenge (the `pow` field); fetch one from /v1/pow/challenge.' },
  POW_INVALID: { status: 400, message: 'The proof of work was not issued by this service, was altered, or its work is wrong; fetch a new challenge.' },
  POW_EXPIRED: { status: 400, message: 'The proof-of-work challenge expired before it was submitted; fetch a new one.' },
  POW_USED: { status: 400, message: 'This proof of work was already used; solve a new challenge.' },
  POW_ACTION_MISMATCH: { status: 400, message: 'The challenge was fetched for another action; fetch one for this action.' },
  POW_LEVEL_TOO_LOW: { status: 400, message: 'Sends to this number range need a harder challenge right now; fetch one for this number (?phone=) and solve it.' },
  INVALID_PHONE: { status: 400, message: 'The phone number is not a valid mobile number.' },
  PHONE_COUNTRY_NOT_ALLOWED: { status: 400, message: 'Codes are not sent to numbers of this country.' },
  PHONE_RANGE_NOT_ALLOWED: { status: 400, message: 'Codes are not sent to numbers in this range (satellite or premium-rate numbers).' },
  RECIPIENT_REJECTED: { status: 400, message: 'The provider refused this recipient as invalid; check the number or address.' },
  INVALID_EMAIL: { status: 400, message: 'The email address is not valid.' },
  TOKEN_INVALID: { status: 400, message: 'The confirm link is invalid, expired or already used.' },
  SEND_TOO_SOON: { status: 429, message: 'A code was sent to this recipient moments ago; wait before asking again.' },
  SEND_LIMIT_RECIPIENT: { status: 429, message: 'Too many codes were sent to this recipient; try again later.' },
  SEND_LIMIT_IP: { status: 429, message: 'Too many codes were requested from this network; try again later.' },
  SEND_LIMIT_PREFIX: { status: 429, message: 'Too many codes were sent to numbers in this range; try again later.' },
  SEND_BUDGET_EXHAUSTED: { status: 429, message: "Today's sending budget is used up; try again tomorrow." },
  PROVIDER_THROTTLED: { status: 429, message: 'The delivery provider is throttling this recipient; try again later.' },
  CHECK_LOCKED: { status: 429, message: 'Too many wrong codes for this recipient; checks are locked for a while.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; retry after the given number of seconds.' },
  STORE_UNAVAILABLE: { status: 503, message: 'The code store is unavailable; retry shortly.' },
  STORE_FULL: { status: 503, message: 'The code store has no room for new codes or limits right now; retry shortly.' },
  SEND_QUEUE_FULL: { status: 503, message: 'Too many messages are waiting to be sent; retry shortly.' },
  WEBP_UNAVAILABLE: { status: 501, message: 'WebP images need the optional package sharp, which this server does not have; ask for jpeg or png.' },
  API_DOCS_VIEWER_MISSING: { status: 501, message: 'The OpenAPI viewer (@fastify/swagger-ui) is not installed here; the document itself is at /openapi.json.' },
  INTERNAL_ERROR: { status: 500, message: 'An unexpected error occurred.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface VerifyErrorDetails {
  /** Seconds until the client may retry; sent as `Retry-After` and `retry_after`. */
  retryAfter?: number;
  /** Overrides the table's message with something more specific. */
  message?: string;
  cause?: unknown;
}

/** The only error type the core throws on purpose; `http/` maps it to a status and JSON body. */
export class VerifyError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, { retryAfter, message, cause }: VerifyErrorDetails = {}) {
    super(message ?? ERRORS[code].message, cause === undefined ? undefined : { cause });
    this.name = 'VerifyError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.retryAfter = retryAfter;
  }

  /** The JSON body every error response carries. */
  toJSON(): { error: { code: ErrorCode; message: string; retry_after?: number } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.retryAfter === undefined ? {} : { retry_after: this.retryAfter }),
      },
    };
  }
}

export function isVerifyError(err: unknown): err is VerifyError {
  return err instanceof VerifyError;
}
