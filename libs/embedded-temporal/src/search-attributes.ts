// Search attributes as the real server has them: the system ones, and custom ones that must be registered
// (OperatorService.AddSearchAttributes, or the CLI's --search-attribute) before a start, an upsert or a
// visibility query may name them. The real server refuses an unregistered name; so does the stand-in.
import { temporal } from '@temporalio/proto';
import { invalidArgument } from './errors';

const T = temporal.api.enums.v1.IndexedValueType;

/** The dev server's (1.32) system search attributes, by name. */
export const SYSTEM_SEARCH_ATTRIBUTES: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  BatcherNamespace: T.INDEXED_VALUE_TYPE_KEYWORD,
  BatcherUser: T.INDEXED_VALUE_TYPE_KEYWORD,
  BinaryChecksums: T.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  BuildIds: T.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  CloseTime: T.INDEXED_VALUE_TYPE_DATETIME,
  ExecutionDuration: T.INDEXED_VALUE_TYPE_INT,
  ExecutionStatus: T.INDEXED_VALUE_TYPE_KEYWORD,
  ExecutionTime: T.INDEXED_VALUE_TYPE_DATETIME,
  HistoryLength: T.INDEXED_VALUE_TYPE_INT,
  HistorySizeBytes: T.INDEXED_VALUE_TYPE_INT,
  ParentRunId: T.INDEXED_VALUE_TYPE_KEYWORD,
  ParentWorkflowId: T.INDEXED_VALUE_TYPE_KEYWORD,
  RootRunId: T.INDEXED_VALUE_TYPE_KEYWORD,
  RootWorkflowId: T.INDEXED_VALUE_TYPE_KEYWORD,
  RunId: T.INDEXED_VALUE_TYPE_KEYWORD,
  StartTime: T.INDEXED_VALUE_TYPE_DATETIME,
  StateTransitionCount: T.INDEXED_VALUE_TYPE_INT,
  TaskQueue: T.INDEXED_VALUE_TYPE_KEYWORD,
  TemporalChangeVersion: T.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  TemporalExternalPayloadCount: T.INDEXED_VALUE_TYPE_INT,
  TemporalExternalPayloadSizeBytes: T.INDEXED_VALUE_TYPE_INT,
  TemporalNamespaceDivision: T.INDEXED_VALUE_TYPE_KEYWORD,
  TemporalPauseInfo: T.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  TemporalReportedProblems: T.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  TemporalSchedulePaused: T.INDEXED_VALUE_TYPE_BOOL,
  TemporalScheduledById: T.INDEXED_VALUE_TYPE_KEYWORD,
  TemporalScheduledStartTime: T.INDEXED_VALUE_TYPE_DATETIME,
  TemporalUsedWorkerDeploymentVersions: T.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  TemporalWorkerDeployment: T.INDEXED_VALUE_TYPE_KEYWORD,
  TemporalWorkerDeploymentVersion: T.INDEXED_VALUE_TYPE_KEYWORD,
  TemporalWorkflowVersioningBehavior: T.INDEXED_VALUE_TYPE_KEYWORD,
  WorkflowId: T.INDEXED_VALUE_TYPE_KEYWORD,
  WorkflowType: T.INDEXED_VALUE_TYPE_KEYWORD,
};

/** System attributes that workflows set themselves (the SDK's patches, build ids): kept with the run's custom ones. */
const SET_BY_WORKFLOWS = new Set(['TemporalChangeVersion', 'BuildIds', 'BinaryChecksums']);

/** The type names the `temporal` CLI's --search-attribute takes. */
const TYPE_BY_NAME: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  text: T.INDEXED_VALUE_TYPE_TEXT,
  keyword: T.INDEXED_VALUE_TYPE_KEYWORD,
  int: T.INDEXED_VALUE_TYPE_INT,
  double: T.INDEXED_VALUE_TYPE_DOUBLE,
  bool: T.INDEXED_VALUE_TYPE_BOOL,
  datetime: T.INDEXED_VALUE_TYPE_DATETIME,
  keywordlist: T.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** `Name=Type` as the CLI's --search-attribute takes it. */
export function parseSearchAttributeFlag(flag: string): [string, temporal.api.enums.v1.IndexedValueType] {
  const [name, type] = flag.split('=');
  const indexed = TYPE_BY_NAME[(type ?? '').toLowerCase()];
  if (!name || indexed === undefined) throw new Error(`--search-attribute ${flag}: expected Name=Type, Type one of Text, Keyword, Int, Double, Bool, Datetime, KeywordList`);
  return [name, indexed];
}

export class SearchAttributeRegistry {
  readonly custom: Record<string, temporal.api.enums.v1.IndexedValueType> = {};

  /** Registers custom attributes; a name already registered is kept as it is (as the real server does). */
  add(attributes: Record<string, temporal.api.enums.v1.IndexedValueType>): boolean {
    let changed = false;
    for (const [name, type] of Object.entries(attributes)) {
      if (name in SYSTEM_SEARCH_ATTRIBUTES) throw invalidArgument(`Search attribute ${name} is reserved by system.`);
      if (name in this.custom) continue;
      this.custom[name] = type;
      changed = true;
    }
    return changed;
  }

  isKnown(name: string): boolean {
    return name in SYSTEM_SEARCH_ATTRIBUTES || name in this.custom;
  }

  /** Why a visibility query may not name `field` (the real server's words for an unregistered one), or null. */
  queryProblem(field: string): string | null {
    if (field in this.custom || SET_BY_WORKFLOWS.has(field)) return null;
    if (field in SYSTEM_SEARCH_ATTRIBUTES) return `${field} is not indexed by the embedded Temporal server`;
    return `invalid search attribute: ${field}`;
  }

  /** The real server's refusal of the first unregistered name, or value of the wrong type, among `fields`; or null. */
  problemIn(fields: Record<string, temporal.api.common.v1.IPayload> | null | undefined): string | null {
    for (const [name, payload] of Object.entries(fields ?? {})) {
      const type = SYSTEM_SEARCH_ATTRIBUTES[name] ?? this.custom[name];
      if (type === undefined) return `Namespace default has no mapping defined for search attribute ${name}`;
      const value = jsonValue(payload);
      if (value !== undefined && !fitsType(value, type)) {
        return `invalid value for search attribute ${name} of type ${TYPE_NAMES[type] ?? type}: ${formatLikeGo(value)}`;
      }
    }
    return null;
  }
}

const TYPE_NAMES: Record<number, string> = {
  [T.INDEXED_VALUE_TYPE_TEXT]: 'Text',
  [T.INDEXED_VALUE_TYPE_KEYWORD]: 'Keyword',
  [T.INDEXED_VALUE_TYPE_INT]: 'Int',
  [T.INDEXED_VALUE_TYPE_DOUBLE]: 'Double',
  [T.INDEXED_VALUE_TYPE_BOOL]: 'Bool',
  [T.INDEXED_VALUE_TYPE_DATETIME]: 'Datetime',
  [T.INDEXED_VALUE_TYPE_KEYWORD_LIST]: 'KeywordList',
};

/** A JSON payload's value; undefined for an empty one (an upsert that removes the attribute) or another encoding. */
function jsonValue(payload: temporal.api.common.v1.IPayload): unknown {
  if (!payload.data || payload.data.length === 0) return undefined;
  if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== 'json/plain') return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(payload.data).toString());
    return value === null ? undefined : value;
  } catch {
    return undefined;
  }
}

/** As the real server decodes: a scalar of the type, or a list of exactly one (a list of any length for KeywordList). */
function fitsType(value: unknown, type: number): boolean {
  const scalar = (v: unknown): boolean => {
    switch (type) {
      case T.INDEXED_VALUE_TYPE_INT:
        return Number.isInteger(v);
      case T.INDEXED_VALUE_TYPE_DOUBLE:
        return typeof v === 'number';
      case T.INDEXED_VALUE_TYPE_BOOL:
        return typeof v === 'boolean';
      case T.INDEXED_VALUE_TYPE_DATETIME:
        return typeof v === 'string' && !Number.isNaN(Date.parse(v));
      default:
        return typeof v === 'string';
    }
  };
  if (!Array.isArray(value)) return scalar(value);
  if (type === T.INDEXED_VALUE_TYPE_KEYWORD_LIST) return value.every(scalar);
  return value.length === 1 && scalar(value[0]);
}

/** Go's %v, which the real server's message uses: lists as [a b]. */
function formatLikeGo(value: unknown): string {
  return Array.isArray(value) ? `[${value.map(String).join(' ')}]` : String(value);
}
