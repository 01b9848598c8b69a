import { REFERRAL_CODE_PREFIX, REFERRAL_CODE_QUERY_PARAM, REFERRAL_LINK_PATH } from '../constants';
import { fail, type Result } from '../errors';

/** Longest input worth parsing; a code is 40 characters and a link a few hundred. */
export const MAX_REFERRAL_INPUT_LENGTH = 2048;

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const REFERRAL_CODE_PATTERN = new RegExp(`^${REFERRAL_CODE_PREFIX}${UUID}$`);
const LINK_PATH_PATTERN = new RegExp(`${REFERRAL_LINK_PATH}/([^/]+)/?$`);

/** True for a normalised code: `ref-` and a UUID, lower case. */
export function isReferralCode(value: string): boolean {
  return REFERRAL_CODE_PATTERN.test(value);
}

function codeFromLink(input: string): string | null {
  let url: URL;
  try {
    // A base makes relative links (`/referrals/<code>`) parse too.
    url = new URL(input, 'http://link.invalid');
  } catch {
    return null;
  }
  const fromQuery = url.searchParams.get(REFERRAL_CODE_QUERY_PARAM);
  if (fromQuery !== null) return fromQuery.trim();
  const match = LINK_PATH_PATTERN.exec(url.pathname);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

/**
 * Step 1 of a redemption (DESIGN.md §4): turns what a person typed or pasted
 * into a normalised referral code, without touching the database. Accepts a
 * bare code, a `/referrals/<code>` link or a `?referral_code=<code>` link, in
 * any case, with surrounding whitespace.
 */
export function parseReferralInput(input: unknown): Result<{ referralCode: string }, 'invalid_code'> {
  if (typeof input !== 'string' || input.length > MAX_REFERRAL_INPUT_LENGTH) return fail('invalid_code');
  const text = input.trim().toLowerCase();
  const candidate = isReferralCode(text) ? text : codeFromLink(text);
  if (candidate === null || !isReferralCode(candidate)) return fail('invalid_code');
  return { ok: true, referralCode: candidate };
}
