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

function normalise(candidate: string): string {
  return candidate.trim().toLowerCase();
}

function decodedPathCode(pathname: string): string | null {
  const match = LINK_PATH_PATTERN.exec(pathname);
  if (!match?.[1]) return null;
  try {
    return normalise(decodeURIComponent(match[1]));
  } catch {
    return null;
  }
}

/** The code in a `/referrals/<code>` path, else in a `referral_code` query parameter (any case). */
function codeFromLink(input: string): string | null {
  let url: URL;
  try {
    // A base makes relative links (`/referrals/<code>`) parse too.
    url = new URL(input, 'http://link.invalid');
  } catch {
    return null;
  }
  const fromPath = decodedPathCode(url.pathname) ?? decodedPathCode(url.pathname.toLowerCase());
  if (fromPath !== null && isReferralCode(fromPath)) return fromPath;
  for (const [key, value] of url.searchParams) {
    if (key.toLowerCase() === REFERRAL_CODE_QUERY_PARAM) return normalise(value);
  }
  return fromPath;
}

/**
 * Step 1 of a redemption (docs/referral-rules.md, "What input is accepted"): turns what a person typed or pasted
 * into a normalised referral code, without touching the database. Accepts a
 * bare code, a `/referrals/<code>` link or a `?referral_code=<code>` link, in
 * any case, with surrounding whitespace.
 */
export function parseReferralInput(input: unknown): Result<{ referralCode: string }, 'invalid_code'> {
  if (typeof input !== 'string' || input.length > MAX_REFERRAL_INPUT_LENGTH) return fail('invalid_code');
  const text = input.trim();
  const bare = normalise(text);
  const candidate = isReferralCode(bare) ? bare : codeFromLink(text);
  if (candidate === null || !isReferralCode(candidate)) return fail('invalid_code');
  return { ok: true, referralCode: candidate };
}
