import { fail, type Failure } from '../errors';

/** Longest reason an operator may give for a decision, a deletion or a program change. */
export const OPERATOR_REASON_MAX_LENGTH = 500;

/**
 * An operator's reason, as every operator action takes it (the audit log and
 * the program's history keep it): trimmed, not empty, at most
 * OPERATOR_REASON_MAX_LENGTH characters, plain text (line breaks and tabs
 * allowed, no other control character: PostgreSQL text cannot even hold a NUL).
 */
export function parseOperatorReason(input: string): { ok: true; reason: string } | Failure<'invalid_input'> {
  const reason = input.trim();
  if (!reason || reason.length > OPERATOR_REASON_MAX_LENGTH || /[^\P{Cc}\t\n\r]/u.test(reason)) {
    return fail('invalid_input', {
      message: `Give a reason in plain text, at most ${OPERATOR_REASON_MAX_LENGTH} characters: it goes into the audit log.`,
    });
  }
  return { ok: true, reason };
}

/** An id from a form or a URL: plain text (no control characters), or it names nothing. */
export function isPlainId(id: string): boolean {
  return !/\p{Cc}/u.test(id);
}
