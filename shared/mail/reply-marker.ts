/**
 * The line our outbound mail puts above the quoted conversation. Inbound
 * reply stripping keeps only what the customer typed above it, so both sides
 * import this one constant.
 */
export const REPLY_ABOVE_THIS_LINE = '##- Please type your reply above this line -##';
