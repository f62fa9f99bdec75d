// What the engine needs in its Temporal namespace, checked at start and created where the engine has the right:
// the namespace must exist (only an operator creates one), and the custom search attributes are added through the
// OperatorService when missing. Whatever cannot be done stops the start with the operator command that does it,
// never a silent failure at the first filing (an unregistered search attribute fails every workflow start).

import { temporal } from '@temporalio/proto';

/** Search attribute types by the names the `temporal` CLI and tcld use. */
export type SearchAttributeKind = 'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

const INDEXED: Record<SearchAttributeKind, temporal.api.enums.v1.IndexedValueType> = {
  Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Text: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  Int: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  Double: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  Bool: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  Datetime: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KeywordList: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

function kindOf(value: temporal.api.enums.v1.IndexedValueType | null | undefined): string {
  const found = (Object.keys(INDEXED) as SearchAttributeKind[]).find((kind) => INDEXED[kind] === value);
  return found ?? `type ${value}`;
}

/** The two services provisioning uses; a client `Connection` and a worker's `NativeConnection` both have them. */
export interface OperatorConnection {
  workflowService: { describeNamespace(request: temporal.api.workflowservice.v1.IDescribeNamespaceRequest): Promise<unknown> };
  operatorService: {
    listSearchAttributes(request: temporal.api.operatorservice.v1.IListSearchAttributesRequest): Promise<temporal.api.operatorservice.v1.IListSearchAttributesResponse>;
    addSearchAttributes(request: temporal.api.operatorservice.v1.IAddSearchAttributesRequest): Promise<unknown>;
  };
}

export interface NamespaceProvisioning {
  namespace: string;
  /** Custom search attributes the engine's workflows and queries use, by name. */
  searchAttributes: Record<string, SearchAttributeKind>;
  /** How long an added attribute (or a namespace registered a moment ago) may take to be listed. Default 30 s. */
  visibleWithinMs?: number;
  /** Told what was created. */
  log?: (message: string) => void;
}

/** A start that cannot go on: the message names what is missing and the command that creates it. */
export class TemporalProvisioningError extends Error {
  override readonly name = 'TemporalProvisioningError';
}

// gRPC status codes as the SDK's connections report them.
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const PERMISSION_DENIED = 7;
const UNIMPLEMENTED = 12;
const UNAUTHENTICATED = 16;

function codeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

function reasonOf(error: unknown): string {
  return (error as { details?: string })?.details || (error instanceof Error ? error.message : String(error));
}

export function createNamespaceCommand(namespace: string): string {
  return `temporal operator namespace create --namespace ${namespace}`;
}

export function createSearchAttributeCommands(namespace: string, name: string, kind: SearchAttributeKind): string {
  return (
    `temporal operator search-attribute create --namespace ${namespace} --name ${name} --type ${kind}` +
    ` (Temporal Cloud: tcld namespace search-attributes add --namespace ${namespace} --search-attribute "${name}=${kind}")`
  );
}

/** Checks the namespace and adds missing search attributes; resolves with the names it added. */
export async function provisionNamespace(connection: OperatorConnection, options: NamespaceProvisioning): Promise<{ added: string[] }> {
  const { namespace, searchAttributes } = options;
  const visibleWithinMs = options.visibleWithinMs ?? 30_000;

  try {
    await connection.workflowService.describeNamespace({ namespace });
  } catch (error) {
    const code = codeOf(error);
    if (code === NOT_FOUND) {
      throw new TemporalProvisioningError(
        `Temporal namespace "${namespace}" does not exist (TEMPORAL_NAMESPACE). An operator creates it: ${createNamespaceCommand(namespace)}` +
          ` (Temporal Cloud: create it in the Cloud UI or with tcld namespace create)`,
      );
    }
    if (code === PERMISSION_DENIED || code === UNAUTHENTICATED) {
      throw new TemporalProvisioningError(`not allowed to describe Temporal namespace "${namespace}": ${reasonOf(error)}; check TEMPORAL_NAMESPACE and the credentials`);
    }
    throw new TemporalProvisioningError(`describing Temporal namespace "${namespace}" failed: ${reasonOf(error)}`);
  }

  const deadline = Date.now() + visibleWithinMs;
  const missingCommands = (names: string[]) => names.map((name) => createSearchAttributeCommands(namespace, name, searchAttributes[name])).join('; ');

  // A namespace registered a moment ago answers DescribeNamespace before the operator service knows it.
  const list = async (): Promise<Record<string, temporal.api.enums.v1.IndexedValueType>> => {
    for (;;) {
      try {
        const response = await connection.operatorService.listSearchAttributes({ namespace });
        return (response.customAttributes ?? {}) as Record<string, temporal.api.enums.v1.IndexedValueType>;
      } catch (error) {
        const code = codeOf(error);
        if (code === NOT_FOUND && Date.now() < deadline) {
          await sleep(250);
          continue;
        }
        throw new TemporalProvisioningError(
          `cannot list the search attributes of Temporal namespace "${namespace}" (${reasonOf(error)}), so the engine cannot check that they exist.` +
            ` Make sure they do: ${missingCommands(Object.keys(searchAttributes))}`,
        );
      }
    }
  };

  const existing = await list();
  const wrongType = Object.keys(searchAttributes).filter((name) => name in existing && existing[name] !== INDEXED[searchAttributes[name]]);
  if (wrongType.length > 0) {
    const what = wrongType.map((name) => `"${name}" is ${kindOf(existing[name])}, the engine needs ${searchAttributes[name]}`).join('; ');
    throw new TemporalProvisioningError(`search attributes of Temporal namespace "${namespace}" have the wrong type: ${what}. An operator must resolve this (a search attribute's type cannot be changed)`);
  }
  const missing = Object.keys(searchAttributes).filter((name) => !(name in existing));
  if (missing.length === 0) return { added: [] };

  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((name) => [name, INDEXED[searchAttributes[name]]])),
    });
  } catch (error) {
    // Another process of the engine (the API and the worker start together) may have added it first.
    if (codeOf(error) !== ALREADY_EXISTS) {
      const refused = codeOf(error) === PERMISSION_DENIED || codeOf(error) === UNAUTHENTICATED || codeOf(error) === UNIMPLEMENTED;
      throw new TemporalProvisioningError(
        `search attribute${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${name}"`).join(', ')} missing in Temporal namespace "${namespace}"` +
          ` and the engine ${refused ? 'is not allowed to add' : 'could not add'} ${missing.length > 1 ? 'them' : 'it'} (${reasonOf(error)}). An operator creates ${missing.length > 1 ? 'them' : 'it'}: ${missingCommands(missing)}`,
      );
    }
  }

  // The frontend's namespace cache shows a new attribute a moment later; workflows cannot use it before.
  for (;;) {
    const now = await list();
    if (missing.every((name) => now[name] === INDEXED[searchAttributes[name]])) break;
    if (Date.now() >= deadline) {
      throw new TemporalProvisioningError(
        `search attribute${missing.length > 1 ? 's' : ''} ${missing.join(', ')} added to Temporal namespace "${namespace}" but not listed within ${visibleWithinMs / 1000} s; check with temporal operator search-attribute list --namespace ${namespace}`,
      );
    }
    await sleep(250);
  }
  options.log?.(`added search attribute${missing.length > 1 ? 's' : ''} ${missing.map((name) => `${name} (${searchAttributes[name]})`).join(', ')} to Temporal namespace "${namespace}"`);
  return { added: missing };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
