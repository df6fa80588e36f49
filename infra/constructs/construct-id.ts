/** Turns a topology name (`ticket-metrics`) into a construct id (`TicketMetrics`), keeping logical ids readable. */
export const constructId = (name: string): string =>
  name.replace(/(^|-)([a-z0-9])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());
