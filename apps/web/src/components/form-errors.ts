// react-hook-form keeps errors nested like the values (`contentLocations[0].url`); our checks give them by
// dotted path. These two helpers translate between the two.

import type { FieldErrors, FieldValues } from 'react-hook-form';

/** `{ 'contentLocations.0.url': 'url' }` → `{ contentLocations: [{ url: { type: 'url', message: 'url' } }] }`. */
export function nestErrors<V extends FieldValues>(flat: Record<string, unknown>): FieldErrors<V> {
  const root: Record<string, unknown> = {};
  for (const [path, problem] of Object.entries(flat)) {
    const keys = path.split('.');
    let node: Record<string, unknown> = root;
    keys.forEach((key, index) => {
      if (index === keys.length - 1) {
        const type = typeof problem === 'string' ? problem : 'custom';
        node[key] = { type, message: typeof problem === 'string' ? problem : JSON.stringify(problem), problem };
        return;
      }
      node[key] ??= /^\d+$/.test(keys[index + 1]) ? [] : {};
      node = node[key] as Record<string, unknown>;
    });
  }
  return root as FieldErrors<V>;
}

/** The problem at a dotted path of react-hook-form's errors, as nestErrors put it (or an API message). */
export function errorAt(errors: FieldErrors, path: string): { problem?: unknown; message?: string; type?: string } | undefined {
  let node: unknown = errors;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node && typeof node === 'object' && 'type' in node ? (node as { problem?: unknown; message?: string; type?: string }) : undefined;
}
