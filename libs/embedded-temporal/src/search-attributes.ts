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

  /** The real server's refusal of the first unregistered name among `fields`, or null. */
  unregisteredIn(fields: Record<string, unknown> | null | undefined): string | null {
    const unknown = Object.keys(fields ?? {}).find((name) => !this.isKnown(name));
    return unknown === undefined ? null : `Namespace default has no mapping defined for search attribute ${unknown}`;
  }
}
