/** One structured (JSON) logger per function, from Powertools; LOG_LEVEL / POWERTOOLS_LOG_LEVEL tune it. */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'relaydesk' });
