// The contract as files: path (from the repository root) → content. Kept beside the schemas they come from.
import { asyncApiDocument } from './asyncapi';
import { reportEventSchemaVersions, reportLifecycleMessageSchema } from './events/report-event-schemas';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function contractFiles(): Record<string, string> {
  return {
    'libs/contracts/asyncapi.json': json(asyncApiDocument()),
    ...Object.fromEntries(reportEventSchemaVersions().map(({ type, version }) => [`libs/contracts/schemas/${type}.v${version}.json`, json(reportLifecycleMessageSchema(type, version))])),
  };
}
