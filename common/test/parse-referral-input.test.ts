import { describe, expect, it } from 'vitest';
import { MAX_REFERRAL_INPUT_LENGTH, parseReferralInput } from '../src/referrals/parse-referral-input';

const CODE = 'ref-3f2b8c1e-9a4d-4e6f-8b1a-2c3d4e5f6a7b';

describe('parseReferralInput', () => {
  it.each([
    ['a bare code', CODE],
    ['a code in upper case with whitespace', `  ${CODE.toUpperCase()}\n`],
    ['a full referral link', `https://app.example.com/referrals/${CODE}`],
    ['a link with a trailing slash, query and hash', `https://app.example.com/referrals/${CODE}/?utm=x#top`],
    ['a relative link', `/referrals/${CODE}`],
    ['a link without a scheme', `app.example.com/referrals/${CODE}`],
    ['a ?referral_code= link', `https://app.example.com/signin?referral_code=${CODE}`],
    ['a ?referral_code= link in upper case', `HTTPS://APP.EXAMPLE.COM/SIGNIN?REFERRAL_CODE=${CODE.toUpperCase()}`],
    ['a percent-encoded code in a link', `https://app.example.com/referrals/${encodeURIComponent(CODE).replace('-', '%2D')}`],
    ['a percent-encoded upper-case code', `https://app.example.com/referrals/${CODE.toUpperCase().replace('-', '%2d')}`],
    ['an upper-case path', `https://app.example.com/REFERRALS/${CODE.toUpperCase()}`],
    ['a link whose path has the code and whose query has junk', `https://app.example.com/referrals/${CODE}?referral_code=`],
  ])('accepts %s', (_label, input) => {
    expect(parseReferralInput(input)).toEqual({ ok: true, referralCode: CODE });
  });

  it.each([
    ['an empty string', ''],
    ['whitespace', '   '],
    ['a code without the prefix', CODE.slice(4)],
    ['a code with a wrong prefix', `ref_${CODE.slice(4)}`],
    ['a truncated uuid', CODE.slice(0, -1)],
    ['a uuid with a non-hex digit', `${CODE.slice(0, -1)}g`],
    ['a code with trailing junk', `${CODE}x`],
    ['SQL', `${CODE}' or '1'='1`],
    ['a link to another path', `https://app.example.com/other/${CODE}/more`],
    ['a link without a code', 'https://app.example.com/referrals/'],
    ['a link with a bad code', 'https://app.example.com/referrals/ref-nope'],
    ['a broken percent-encoding', 'https://app.example.com/referrals/%E0%A4%A'],
    ['an over-long input', `${CODE}${' '.repeat(MAX_REFERRAL_INPUT_LENGTH)}`],
    ['unicode look-alikes', CODE.replace('e', '\u0435')],
  ])('rejects %s as invalid_code', (_label, input) => {
    expect(parseReferralInput(input)).toMatchObject({ ok: false, code: 'invalid_code' });
  });

  it.each([null, undefined, 42, {}, [CODE], { toString: () => CODE }])('rejects the non-string %j', (input) => {
    expect(parseReferralInput(input)).toMatchObject({ ok: false, code: 'invalid_code' });
  });
});
