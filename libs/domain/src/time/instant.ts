// Instants travel as ISO 8601 strings (they go into events and onto Kafka); arithmetic happens in epoch ms.

export type Instant = string;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function isInstant(text: unknown): text is Instant {
  return typeof text === 'string' && ISO_INSTANT.test(text) && !Number.isNaN(Date.parse(text));
}

export function toMillis(instant: Instant): number {
  return Date.parse(instant);
}

/** Normalised form, so that equal instants compare equal as strings. */
export function toInstant(millis: number): Instant {
  return new Date(millis).toISOString();
}
