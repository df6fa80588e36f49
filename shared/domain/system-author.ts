/**
 * The author of audits and comments Relaydesk itself writes (automations, mail feedback notes): no
 * user stands behind them, and user ids start at 1.
 */
export const SYSTEM_AUTHOR_ID = 0;
