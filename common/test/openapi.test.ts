import { readFile } from 'node:fs/promises';
import { compileErrors, validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { apiClientTypes, API_CLIENT_TYPES_FILE } from '../src/api/client-types-source';
import { API_OPERATIONS, operationErrors } from '../src/api/operations';
import { openApiDocument } from '../src/api/openapi';
import { HTTP_STATUS_BY_ERROR_CODE } from '../src/errors';
import { createContractChecker } from '../src/testing/openapi-contract';

describe('the server API OpenAPI document', () => {
  const document = JSON.parse(JSON.stringify(openApiDocument())) as {
    openapi: string;
    paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  };

  it('is a valid OpenAPI 3.1 document (@readme/openapi-parser)', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? '' : compileErrors(result)).toBe('');
  });

  it('documents every operation with its 200 and the status of each error code it can answer', () => {
    for (const op of Object.values(API_OPERATIONS)) {
      const responses = document.paths[op.path]?.[op.method]?.responses;
      expect(responses, `${op.method} ${op.path}`).toBeDefined();
      const statuses = new Set(['200', ...operationErrors(op).map((c) => String(HTTP_STATUS_BY_ERROR_CODE[c]))]);
      expect(new Set(Object.keys(responses!)), `${op.method} ${op.path}`).toEqual(statuses);
    }
  });

  it('the typed client (src/api/client-types.ts) is generated from this document: run `pnpm --filter @app/common api:types` when this fails', async () => {
    expect(await readFile(API_CLIENT_TYPES_FILE, 'utf8')).toBe(await apiClientTypes());
  });

  describe('the contract checker', () => {
    const checker = createContractChecker();
    const redeemed = { status: 'pending', quota: 1000, referrer: { name: 'Ada' } };

    it('accepts an answer that matches', () => {
      expect(checker.check('POST', '/members/u-1/redeem', 200, redeemed)).toEqual([]);
      expect(checker.check('POST', '/members/u-1/redeem', 409, { error: { code: 'code_exhausted', message: 'Full.' } })).toEqual([]);
    });

    it('fails an answer that drifted: a field missing, added, renamed or of another type', () => {
      const { quota: _quota, ...missing } = redeemed;
      expect(checker.check('POST', '/members/u-1/redeem', 200, missing).join()).toMatch(/quota/);
      expect(checker.check('POST', '/members/u-1/redeem', 200, { ...redeemed, extra: 1 }).join()).toMatch(/additional/);
      expect(checker.check('POST', '/members/u-1/redeem', 200, { ...redeemed, quota: '1000' }).join()).toMatch(/integer/);
      expect(checker.check('POST', '/members/u-1/redeem', 200, { ...redeemed, status: 'done' }).join()).toMatch(/allowed values/);
    });

    it('fails an undocumented status, an error code its status does not carry, and an unknown path', () => {
      expect(checker.check('GET', '/referrals', 404, { error: { code: 'not_found', message: 'x' } }).join()).toMatch(/not documented/);
      expect(checker.check('POST', '/members/u-1/redeem', 409, { error: { code: 'self_referral', message: 'x' } }).join()).toMatch(/allowed values/);
      expect(checker.check('GET', '/nothing', 200, {}).join()).toMatch(/no such path/);
    });
  });
});
