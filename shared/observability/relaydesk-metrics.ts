/**
 * The namespace and service every Relaydesk EMF metric is written under, shared with the alarms and
 * dashboard that query them, and the one Powertools instance the metric modules flush lines from.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';

export const METRICS_NAMESPACE = 'Relaydesk';
export const METRICS_SERVICE = 'relaydesk';

/** Every use is a single-metric flush (`metrics.singleMetric()`), so nothing is buffered between modules. */
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE });
