'use server';

import { FRAUD_SIGNALS, PROGRAM_SETTING_KEYS, updateProgram } from '@app/common';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { CROSS_ORIGIN_FORM_MESSAGE, isSameOriginRequest, requireAdmin } from '@/server/admin';
import { db } from '@/server/db';

const PAGE = '/admin/program';

/** What the form shows after a save that was refused (nothing was saved). */
export interface ProgramFormState {
  error: string | null;
}

/** A form field as a number when it is one written plainly ("800"), else as given, for the schema to refuse with its message. */
function numberField(formData: FormData, name: string): unknown {
  const value = formData.get(name);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return /^-?\d+$/.test(text) ? Number(text) : text;
}

/**
 * Saves the operator's settings as the next version of the program
 * (docs/reviewing-referrals.md, "Changing the program"): same-origin check,
 * operator check (404 for anyone else), then updateProgram, which validates
 * every setting and its range, refuses a version that changed meanwhile
 * (`expectedVersion`), and records who and why. Works without JavaScript.
 */
export async function saveProgram(_previous: ProgramFormState, formData: FormData): Promise<ProgramFormState> {
  if (!(await isSameOriginRequest())) return { error: CROSS_ORIGIN_FORM_MESSAGE };
  const admin = await requireAdmin();
  const settings = {
    ...Object.fromEntries(PROGRAM_SETTING_KEYS.map((key) => [key, numberField(formData, key)])),
    signalWeights: Object.fromEntries(FRAUD_SIGNALS.map((signal) => [signal, numberField(formData, `signalWeights.${signal}`)])),
  };
  const expected = numberField(formData, 'expectedVersion');
  const reason = formData.get('reason');
  const result = await updateProgram({
    db: await db(),
    settings,
    expectedVersion: typeof expected === 'number' ? expected : undefined,
    actor: { id: admin.id, email: admin.email },
    reason: typeof reason === 'string' ? reason : '',
  });
  if (!result.ok) return { error: result.message };
  // Every page that shows a number of the program.
  revalidatePath('/', 'layout');
  redirect(`${PAGE}?saved=${result.program.version}`);
}
