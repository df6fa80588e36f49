/** The words of the NPS survey, in one place for the mail and the pages. */

export const npsQuestion = (deskName: string): string =>
  `On a scale of 0–10, how likely are you to recommend ${deskName} to a friend or colleague?`;

export const NPS_REASON_QUESTION = 'What is the main reason for your score?';

export const NPS_SCORES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

/** A comment is kept to this many characters (the page's textarea says so too). */
export const MAX_COMMENT_LENGTH = 2000;
