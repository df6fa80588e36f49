/**
 * In-Reply-To and References for the next mail of a ticket's conversation. The history holds every id
 * the conversation's mail carried, oldest first: for our mail both our own id and the one SES gave it
 * (SES replaces the Message-ID, so the recipient's client knows only the SES one), and the ids of mail
 * we received.
 */

/** Enough for any client to thread, small enough to keep the header a few folded lines. */
export const MAX_REFERENCES = 20;

export interface ThreadHeaders {
  inReplyTo: string | undefined;
  references: string[];
}

/**
 * References keep the conversation's root and its most recent ids (RFC 5322 §3.6.4 trimming), and end
 * with our own new id: SES will replace this mail's Message-ID, so References is how our MAC'd id
 * reaches the recipient and comes back in their reply.
 */
export const threadHeaders = (history: readonly string[], ownMessageId: string): ThreadHeaders => {
  const ids = [...new Set(history.filter((id) => id !== ownMessageId))];
  const inReplyTo = ids.at(-1);
  const [root, ...rest] = ids;
  const kept = root === undefined ? [] : [root, ...rest.slice(-(MAX_REFERENCES - 2))];
  return { inReplyTo, references: [...kept, ownMessageId] };
};
