// GraphQL errors as the server presents them (graph/errors.go): every one carries extensions.code, and a
// BAD_USER_INPUT names the offending input in extensions.field ("dailyBudget", "targeting.ageMax", …).

export interface GraphQLErrorPayload {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; field?: string; [key: string]: unknown };
}

/** A GraphQL response that carried errors and no data: the operation did not run. */
export class GraphQLResponseError extends Error {
  constructor(readonly errors: readonly GraphQLErrorPayload[]) {
    super(errors.map((e) => e.message).join('; ') || 'The request failed.');
    this.name = 'GraphQLResponseError';
  }

  get codes(): string[] {
    return this.errors.map((e) => e.extensions?.code ?? '');
  }
}

/** The session ended (HTTP 401): the app goes to sign-in. */
export class SessionEndedError extends Error {
  constructor() {
    super('Your session has ended. Please sign in again.');
    this.name = 'SessionEndedError';
  }
}

/**
 * FieldErrors splits a failed mutation's errors into those that name one of the form's fields and the rest.
 * A field matches when the server's path starts with it: "creatives.0.headline" belongs to "creatives".
 */
export interface FieldErrors {
  fields: Record<string, string>;
  form: string[];
}

export function fieldErrors(err: unknown, formFields: readonly string[]): FieldErrors {
  const out: FieldErrors = { fields: {}, form: [] };
  if (!(err instanceof GraphQLResponseError)) {
    out.form.push(errorMessage(err));
    return out;
  }
  for (const e of err.errors) {
    const path = e.extensions?.code === 'BAD_USER_INPUT' ? e.extensions.field : undefined;
    const field = path && formFields.find((f) => path === f || path.startsWith(`${f}.`));
    if (field && !out.fields[field]) out.fields[field] = messageOf(e);
    else out.form.push(errorMessage(new GraphQLResponseError([e]))); // with its field's name, if any
  }
  return out;
}

/** The server prefixes input errors with their field ("dailyBudget: must be positive"); the form shows the field. */
function messageOf(e: GraphQLErrorPayload): string {
  const field = e.extensions?.field;
  if (field && e.message.startsWith(`${field}: `)) return capitalize(e.message.slice(field.length + 2));
  return capitalize(e.message);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Words for any error the UI shows: never a stack, never a blank. */
export function errorMessage(err: unknown): string {
  if (err instanceof GraphQLResponseError) {
    if (err.codes.includes('FORBIDDEN')) return 'Your role does not allow this.';
    if (err.codes.includes('RATE_LIMITED')) return 'Too many requests. Wait a minute and try again.';
    if (err.codes.includes('INTERNAL')) return 'Something went wrong on the server. Try again; if it persists, contact your administrator.';
    return err.errors.map((e) => capitalize(e.message)).join(' ');
  }
  if (err instanceof Error && err.message) return err.message;
  return 'Something went wrong.';
}
