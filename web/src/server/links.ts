/** The sign-in page, coming back to `callbackPath` (a same-origin path) afterwards. */
export function signInHref(callbackPath: string): string {
  return `/api/auth/signin?callbackUrl=${encodeURIComponent(callbackPath)}`;
}
