/** Identity constants the local runtime puts in the ARNs and envelopes AWS would fill in. */
export const LOCAL_ACCOUNT = 'local';
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_EVENT_BUS = 'relaydesk-local';

/** EventBridge and Scheduler times have second precision: `2024-05-01T12:00:00Z`. */
export const eventBridgeTime = (instant: Date): string => `${instant.toISOString().slice(0, 19)}Z`;
