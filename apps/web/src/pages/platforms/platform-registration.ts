// The "Register a platform" form's values, their check as POST /api/platforms checks them (apps/api/src/platforms/
// dto/platform-list.dto.ts, libs/domain/src/platform/platform-registry.ts), and the body they make.

import type { ApiSchemas } from '../../api/client';
import { PLATFORM } from '../file-report/report-form';

export interface PlatformRegistrationValues {
  name: string;
  displayName: string;
  reason: string;
}

export type RegistrationProblem = 'required' | 'name' | 'blank' | { tooLong: number };

export type RegistrationErrors = Partial<Record<keyof PlatformRegistrationValues, RegistrationProblem>>;

export const DISPLAY_NAME_MAX = 100;
export const REASON_MAX = 2000;

export function emptyRegistration(): PlatformRegistrationValues {
  return { name: '', displayName: '', reason: '' };
}

export function validateRegistration(values: PlatformRegistrationValues): RegistrationErrors {
  const errors: RegistrationErrors = {};
  if (values.name === '') errors.name = 'required';
  else if (!PLATFORM.test(values.name)) errors.name = 'name';
  // Optional texts: empty means "not given"; given, they must not be blank and are bounded.
  const optionalText = (field: 'displayName' | 'reason', max: number) => {
    const value = values[field];
    if (value === '') return;
    if (!value.trim()) errors[field] = 'blank';
    else if (value.length > max) errors[field] = { tooLong: max };
  };
  optionalText('displayName', DISPLAY_NAME_MAX);
  optionalText('reason', REASON_MAX);
  return errors;
}

export function registrationBody(values: PlatformRegistrationValues): ApiSchemas['PlatformRegistrationDto'] {
  return {
    name: values.name,
    ...(values.displayName !== '' && { displayName: values.displayName.trim() }),
    ...(values.reason !== '' && { reason: values.reason.trim() }),
  };
}
