/** What the member types to confirm that their account goes (the delete form). */
export const DELETE_CONFIRMATION_WORD = 'delete';

/** What the member page can say went wrong besides the error codes, by its `?error=` key. */
export const PAGE_PROBLEMS: Record<string, string> = {
  'delete-confirm': `Your account was not deleted: type "${DELETE_CONFIRMATION_WORD}" in the box to confirm.`,
};
