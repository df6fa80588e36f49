/** The port through which committed domain events leave a function (EventBridge in AWS). */
export interface OutgoingEvent {
  source: string;
  detailType: string;
  detail: unknown;
  /** ISO 8601; the instant the underlying change was committed. */
  time: string;
}

export interface EventBus {
  publish(events: readonly OutgoingEvent[]): Promise<void>;
}
