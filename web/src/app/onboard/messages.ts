import { ERROR_MESSAGES } from '@app/common';

/** What the sign-up form can say is wrong. The page shows only these, never text from the URL. */
export const SIGN_UP_PROBLEMS = {
  nameMissing: 'Please enter a name',
  nameTooLong: 'Please use at most 100 characters',
  nameCharacters: 'Please use only letters, digits, spaces and punctuation',
  terms: 'Please accept the terms to continue',
  form: 'Please check the form',
} as const;

const KNOWN = new Set<string>([...Object.values(SIGN_UP_PROBLEMS), ...Object.values(ERROR_MESSAGES)]);

/** The `problem` of /onboard's URL if it is one of ours (a link cannot make the page say anything else). */
export function knownProblem(text: string | undefined): string | null {
  return text !== undefined && KNOWN.has(text) ? text : null;
}
