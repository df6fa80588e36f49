/**
 * Domain errors: values the core raises at its boundary. The HTTP layer maps each class once to a
 * status and a Zendesk-style body (shared/http/error-response.ts); callers never match on messages.
 */
export abstract class DomainError extends Error {
  override readonly name: string = this.constructor.name;
}

export class NotFoundError extends DomainError {
  constructor(what = 'Not found') {
    super(what);
  }
}

export class ForbiddenError extends DomainError {
  constructor(reason = 'You do not have access to this resource') {
    super(reason);
  }
}

export interface FieldError {
  description: string;
  error?: string;
}

/** A record that fails validation (Zendesk's 422 RecordInvalid); `details` is keyed by field name. */
export class ValidationError extends DomainError {
  constructor(readonly details: Record<string, FieldError[]>) {
    super(
      Object.values(details)
        .flat()
        .map((detail) => detail.description)
        .join('; '),
    );
  }

  static field(field: string, description: string, error?: string): ValidationError {
    return new ValidationError({ [field]: [error ? { description, error } : { description }] });
  }
}

/** A `safe_update` whose `updated_stamp` no longer matches the stored record. */
export class UpdateConflictError extends DomainError {
  constructor() {
    super(
      'Safe Update prevented the update due to outdated ticket data. Please fetch the latest ticket data and try again.',
    );
  }
}

/** A malformed request: bad JSON, bad query or pagination parameters (Zendesk's 400). */
export class InvalidRequestError extends DomainError {
  constructor(
    description: string,
    readonly code?: string,
  ) {
    super(description);
  }
}
