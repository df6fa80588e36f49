/** Tags (on tickets, users, organizations) are lower-case words without spaces, unique, in first-seen order. */
export const normalizeTags = (tags: readonly string[]): string[] => [
  ...new Set(tags.flatMap((tag) => tag.trim().toLowerCase().split(/\s+/)).filter(Boolean)),
];
