// Request validation: the global pipe, and composite decorators for what many DTOs share. Each decorator
// also carries the OpenAPI description of its property, because the Swagger CLI plugin does not run under
// plain tsc or swc; declaring validation and documentation in one place keeps them from drifting apart.

import { applyDecorators, ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  validate,
  ValidateIf,
  ValidateNested,
  ValidationError,
  ValidatorOptions,
} from 'class-validator';
import { CLOCK_KINDS, defaultEscalationPolicy, isInstant, isValidDuration, LADDER_STEPS, policyCellChangeProblems, policyProblems, SEVERITIES } from '@engine/domain';
import { FieldProblems, RequestValidationError } from './api-error';
import { unstorableInputProblems } from './storable-input';

export const REPORT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const PLATFORM_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  // Off because bodies without fields (resume, deletion-request) are DTO classes without validation metadata;
  // whitelisting still refuses any field sent to them.
  forbidUnknownValues: false,
  validationError: { target: false, value: false },
};

/** Flattens class-validator's tree into one entry per field, with dotted paths. */
export function fieldProblems(errors: ValidationError[], prefix = ''): FieldProblems[] {
  const result: FieldProblems[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const problems = Object.values(error.constraints ?? {}).flatMap((message) => message.split('\n'));
    if (problems.length > 0) result.push({ field, problems });
    if (error.children?.length) result.push(...fieldProblems(error.children, field));
  }
  return result;
}

/**
 * Refuses a body that is not a JSON object before class-validator sees it (it would read an array's items as
 * fields), and any body or query that the event store could not keep.
 */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      if (value === undefined) value = {};
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new RequestValidationError([{ field: 'body', problems: ['the body must be a JSON object'] }]);
      }
    }
    if (metadata.type === 'body' || metadata.type === 'query') {
      const problems = unstorableInputProblems(value, metadata.type);
      if (problems.length > 0) throw new RequestValidationError(problems);
    }
    return super.transform(value, metadata);
  }
}

/** The global pipe: strips nothing silently (unknown fields are refused), converts to the DTO classes. */
export function createValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    // One problem per field: "reason is required" says it all; its type and length follow from that.
    stopAtFirstError: true,
    exceptionFactory: (errors) => new RequestValidationError(fieldProblems(errors)),
  });
}

/**
 * Validates a plain value against a DTO class outside the pipe (a bulk action's `data`, whose class depends
 * on the route), reporting fields under `fieldPrefix`.
 */
export async function validateAs<T extends object>(dto: new () => T, plain: unknown, fieldPrefix: string): Promise<T> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    throw new RequestValidationError([{ field: fieldPrefix, problems: [`${fieldPrefix} must be an object`] }]);
  }
  const instance = plainToInstance(dto, plain);
  const errors = await validate(instance, { ...VALIDATOR_OPTIONS, stopAtFirstError: true });
  if (errors.length > 0) throw new RequestValidationError(fieldProblems(errors, fieldPrefix));
  return instance;
}

/**
 * A validated body as plain data: no class instances, no keys whose value is undefined (DTO classes declare
 * every field, sent or not). This is what goes on to workflows and into events.
 */
export function plainData<T extends object>(dto: T): T {
  return JSON.parse(JSON.stringify(dto)) as T;
}

export interface PropertyOptions {
  optional?: boolean;
  description?: string;
}

function documented(options: PropertyOptions, api: ApiPropertyOptions): PropertyDecorator {
  const doc = { ...api, required: !options.optional, ...(options.description ? { description: options.description } : {}) };
  return options.optional
    ? applyDecorators(IsOptional(), ApiProperty(doc as ApiPropertyOptions))
    : applyDecorators(IsDefined({ message: '$property is required' }), ApiProperty(doc as ApiPropertyOptions));
}

/** A report's id: letters, digits, `.`, `_`, `-`, starting with a letter or digit, at most 128 characters. */
export function ReportIdProperty(options: PropertyOptions = {}): PropertyDecorator {
  return applyDecorators(
    documented(options, { type: String, pattern: REPORT_ID_PATTERN.source, example: 'rep-2026-000123' }),
    IsString(),
    Matches(REPORT_ID_PATTERN, {
      message: '$property must be a report id: 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit',
    }),
  );
}

/** A platform's name as policies and reports use it (`telegram`). */
export function PlatformProperty(options: PropertyOptions = {}): PropertyDecorator {
  return applyDecorators(
    documented(options, { type: String, pattern: PLATFORM_PATTERN.source, example: 'telegram' }),
    IsString(),
    Matches(PLATFORM_PATTERN, {
      message: '$property must be a platform name: 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit',
    }),
  );
}

/** Free text a person writes: a reason, a note. Not blank, bounded. */
export function TextProperty(options: PropertyOptions & { maxLength?: number } = {}): PropertyDecorator {
  const maxLength = options.maxLength ?? 2000;
  return applyDecorators(
    documented(options, { type: String, minLength: 1, maxLength }),
    IsString(),
    Matches(/\S/, { message: '$property must not be empty' }),
    MaxLength(maxLength),
  );
}

/** One of a fixed list of words, the list taken from the domain so that nothing is written twice. */
export function EnumProperty(values: readonly string[], options: PropertyOptions = {}): PropertyDecorator {
  return applyDecorators(
    documented(options, { enum: [...values], type: String }),
    IsIn([...values], { message: `$property must be one of: ${values.join(', ')}` }),
  );
}

export function BooleanProperty(options: PropertyOptions = {}): PropertyDecorator {
  return applyDecorators(documented(options, { type: Boolean }), IsBoolean());
}

/** A boolean in a query string, where it arrives as the text `true` or `false`. */
export function QueryBooleanProperty(options: PropertyOptions = {}): PropertyDecorator {
  return applyDecorators(
    documented({ ...options, optional: true }, { type: Boolean }),
    Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsBoolean({ message: '$property must be true or false' }),
  );
}

/** A whole number in a query string. */
export function QueryIntegerProperty(options: PropertyOptions & { min: number; max: number; default?: number }): PropertyDecorator {
  return applyDecorators(
    documented({ ...options, optional: true }, { type: Number, minimum: options.min, maximum: options.max, default: options.default }),
    Type(() => Number),
    IsInt(),
    Min(options.min),
    Max(options.max),
  );
}

/** An ISO 8601 instant with a zone (`2026-02-01T09:30:00Z`), as events carry them. */
export function InstantProperty(options: PropertyOptions = {}): PropertyDecorator {
  return applyDecorators(
    documented(options, { type: String, format: 'date-time', example: '2026-02-01T09:30:00Z' }),
    ValidatedBy('isInstant', (value) => isInstant(value), '$property must be an ISO 8601 instant with a time zone, such as 2026-02-01T09:30:00Z'),
  );
}

/** An ISO 8601 duration of weeks, days, hours, minutes, seconds (`PT1H`, `P7D`). */
export function DurationProperty(options: PropertyOptions = {}): PropertyDecorator {
  return applyDecorators(
    documented(options, { type: String, example: 'PT24H' }),
    ValidatedBy(
      'isDuration',
      (value) => typeof value === 'string' && isValidDuration(value),
      '$property must be an ISO 8601 duration of weeks, days, hours, minutes or seconds (PT1H, PT30S, P7D, P2W)',
    ),
  );
}

/** A nested object (or list of them) validated by its own DTO class. */
export function NestedProperty(
  type: () => new () => object,
  options: PropertyOptions & { each?: boolean; minItems?: number; maxItems?: number } = {},
): PropertyDecorator {
  const decorators = [
    // A lazy type in its own `type:` key: @nestjs/swagger recognises a thunk by its name ("type"); the parameter's
    // arrow has none, and the document got an empty reference ("#/components/schemas/") for nested bodies.
    documented(options, { type: () => type(), isArray: options.each, minItems: options.minItems, maxItems: options.maxItems }),
    ValidateNested({ each: options.each }),
    Type(type),
  ];
  if (options.each) {
    decorators.push(IsArray());
    if (options.minItems !== undefined) decorators.push(ArrayMinSize(options.minItems));
    if (options.maxItems !== undefined) decorators.push(ArrayMaxSize(options.maxItems));
  } else {
    decorators.push(ValidatedBy('isObject', (value) => typeof value === 'object' && value !== null && !Array.isArray(value), '$property must be an object'));
  }
  return applyDecorators(...decorators);
}

const STEP_RULE_KEYS = ['duration', 'basis'];

/** Everything wrong with a rules table (severity × clock × ladder step), as the domain judges it. */
export function rulesTableProblems(rules: unknown): string[] {
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) return ['rules must be an object'];
  const problems = policyProblems({ platform: 'any', version: 1, rules })
    .filter((problem) => problem.startsWith('rules'));
  // The domain reads the keys it knows; a misspelt key would otherwise be silently ignored.
  const unknown = (where: string, value: unknown, known: readonly string[]) => {
    if (typeof value !== 'object' || value === null) return;
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) problems.push(`${where}.${key} is not known (expected ${known.join(', ')})`);
    }
  };
  const table = rules as Record<string, Record<string, Record<string, unknown>>>;
  unknown('rules', table, SEVERITIES);
  for (const severity of SEVERITIES) {
    unknown(`rules.${severity}`, table[severity], CLOCK_KINDS);
    for (const clock of CLOCK_KINDS) {
      unknown(`rules.${severity}.${clock}`, table[severity]?.[clock], LADDER_STEPS);
      for (const step of LADDER_STEPS) {
        unknown(`rules.${severity}.${clock}.${step}`, table[severity]?.[clock]?.[step], STEP_RULE_KEYS);
      }
    }
  }
  return problems;
}

/**
 * Some cells of a rules table (those to change): each one named must be in the table and valid, and at least one
 * is named. Checked as the whole table would be, with the cells given in place of the defaults'.
 */
export function partialRulesTableProblems(rules: unknown): string[] {
  const structure = policyCellChangeProblems(rules, 'rules');
  if (structure.length > 0) return structure;
  const cells = rules as Record<string, Record<string, Record<string, unknown>>>;
  const defaults = defaultEscalationPolicy('any').rules;
  const table = Object.fromEntries(
    SEVERITIES.map((severity) => [
      severity,
      Object.fromEntries(
        CLOCK_KINDS.map((clock) => [clock, Object.fromEntries(LADDER_STEPS.map((step) => [step, cells[severity]?.[clock]?.[step] ?? defaults[severity][clock][step]]))]),
      ),
    ]),
  );
  return rulesTableProblems(table);
}

/** A partial rules table: only the cells to change (see partialRulesTableProblems). */
export function PolicyCellsProperty(options: PropertyOptions & { schema: () => new () => object }): PropertyDecorator {
  return applyDecorators(
    documented(options, {
      type: () => options.schema(),
      description:
        options.description ??
        `Only the cells to change: rules[severity][clock][step] = { duration, basis }; the other cells stay as in the version in force.`,
    }),
    ValidatedBy('isPartialRulesTable', (value) => partialRulesTableProblems(value).length === 0, (value) => partialRulesTableProblems(value).join('\n')),
  );
}

/**
 * A policy's rules table: for each severity and clock, each ladder step's duration and time basis. `schema` is
 * the DTO class that documents the table cell by cell; validation is the domain's own (rulesTableProblems).
 */
export function PolicyRulesProperty(options: PropertyOptions & { schema: () => new () => object }): PropertyDecorator {
  return applyDecorators(
    documented(options, {
      type: () => options.schema(),
      description:
        options.description ??
        `rules[severity][clock][step] = { duration: ISO 8601 duration, basis: "calendar" | "business" } for severities ${SEVERITIES.join(', ')}, clocks ${CLOCK_KINDS.join(', ')}, steps ${LADDER_STEPS.join(', ')}`,
    }),
    ValidatedBy('isRulesTable', (value) => rulesTableProblems(value).length === 0, (value) => rulesTableProblems(value).join('\n')),
  );
}

/** A custom check as a property decorator; a message function may return several problems, one a line. */
export function ValidatedBy(
  name: string,
  check: (value: unknown, object: object) => boolean,
  message: string | ((value: unknown) => string),
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value, args) => check(value, args?.object ?? {}),
        defaultMessage: (args) =>
          typeof message === 'string' ? message.replace('$property', args?.property ?? String(propertyName)) : message(args?.value),
      },
    });
  };
}

/**
 * A field of one branch of a discriminated body (`decision: 'dismiss' | 'actionable'`): validated when the
 * branch is chosen, refused when sent with the other branch.
 */
export function OnlyWhen(discriminator: string, branch: string): PropertyDecorator {
  const onlyWhen: PropertyDecorator = (target: object, propertyName: string | symbol) => {
    const property = propertyName as string;
    registerDecorator({
      name: 'onlyWhen',
      target: target.constructor,
      propertyName: property,
      validator: {
        validate: (value, args) => value === undefined || (args?.object as Record<string, unknown>)[discriminator] === branch,
        defaultMessage: () => `${property} is only allowed when ${discriminator} is ${branch}`,
      },
    });
  };
  return applyDecorators(
    // The branch's own checks run when the branch is chosen or the field is sent anyway (then refused above).
    ValidateIf((object: Record<string, unknown>, value: unknown) => object[discriminator] === branch || value !== undefined),
    onlyWhen,
    ApiProperty({ required: false, description: `Required when ${discriminator} is "${branch}"; refused otherwise.` }),
  );
}
