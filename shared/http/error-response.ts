/** Maps errors to Zendesk's error bodies (design: zendesk-api.md §0b and §1.5). */
import { ZodError } from 'zod';
import {
  DomainError,
  type FieldError,
  ForbiddenError,
  InvalidRequestError,
  NotFoundError,
  UpdateConflictError,
  ValidationError,
} from '../domain/errors.ts';

export interface ErrorResponse {
  statusCode: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

export class AuthenticationError extends DomainError {}

/** The caller used up this minute's requests. The only error that carries Retry-After (node-zendesk reads it). */
export class RateLimitedError extends DomainError {
  constructor(
    readonly limit: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`Rate limit of ${limit} requests per minute exceeded; retry in ${retryAfterSeconds} seconds`);
  }
}

export const UNKNOWN_ROUTE: ErrorResponse = {
  statusCode: 404,
  body: { error: 'InvalidEndpoint', description: 'Not found' },
};

/** A zod failure on an input is a record validation error named after the offending field. */
export const validationErrorFromZod = (error: ZodError): ValidationError => {
  const details: Record<string, FieldError[]> = {};
  for (const issue of error.issues) {
    const field = String(issue.path.filter((part) => typeof part === 'string').at(-1) ?? 'base');
    const label =
      field === 'base' ? 'Record' : field.charAt(0).toUpperCase() + field.slice(1).replace(/_/g, ' ');
    details[field] = [...(details[field] ?? []), { description: `${label}: ${issue.message}` }];
  }
  return new ValidationError(details);
};

export const errorResponse = (error: unknown): ErrorResponse | undefined => {
  if (error instanceof ZodError) return errorResponse(validationErrorFromZod(error));
  if (error instanceof AuthenticationError)
    return { statusCode: 401, body: { error: "Couldn't authenticate you" } };
  if (error instanceof RateLimitedError) {
    return {
      statusCode: 429,
      body: { error: 'TooManyRequests', description: error.message },
      headers: {
        'Retry-After': String(error.retryAfterSeconds),
        'X-Rate-Limit': String(error.limit),
        'X-Rate-Limit-Remaining': '0',
      },
    };
  }
  if (error instanceof ForbiddenError) {
    return { statusCode: 403, body: { error: 'Forbidden', description: error.message } };
  }
  if (error instanceof NotFoundError) {
    return { statusCode: 404, body: { error: 'RecordNotFound', description: 'Not found' } };
  }
  if (error instanceof UpdateConflictError) {
    return { statusCode: 409, body: { error: 'UpdateConflict', description: error.message } };
  }
  if (error instanceof ValidationError) {
    return {
      statusCode: 422,
      body: { error: 'RecordInvalid', description: 'Record validation errors', details: error.details },
    };
  }
  if (error instanceof InvalidRequestError) {
    return error.code
      ? { statusCode: 400, body: { errors: [{ code: error.code, title: error.message }] } }
      : { statusCode: 400, body: { error: 'InvalidRequest', description: error.message } };
  }
  return undefined;
};
