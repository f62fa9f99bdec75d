// The contract as files: path (from the repository root) → content. Kept beside the schemas they come from.
import { asyncApiDocument } from './asyncapi';
import { REPORT_EVENT_TYPES, reportLifecycleMessageSchema } from './events/report-event-schemas';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function contractFiles(): Record<string, string> {
  return {
    'libs/contracts/asyncapi.json': json(asyncApiDocument()),
    ...Object.fromEntries(REPORT_EVENT_TYPES.map((type) => [`libs/contracts/schemas/${type}.v1.json`, json(reportLifecycleMessageSchema(type))])),
  };
}
