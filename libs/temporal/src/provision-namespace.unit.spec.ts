import { temporal } from '@temporalio/proto';
import { OperatorConnection, provisionNamespace, TemporalProvisioningError } from './provision-namespace';

const KEYWORD = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
const TEXT = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT;

/** A gRPC error as the SDK's connections throw it. */
const grpcError = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details });

/** A namespace on a fake server; `refuseAdd` answers AddSearchAttributes as Temporal Cloud or a restricted role does. */
function fakeServer(options: { namespaces?: string[]; attributes?: Record<string, number>; refuseAdd?: Error; listDelay?: number; listError?: Error } = {}) {
  const namespaces = options.namespaces ?? ['default'];
  const attributes: Record<string, number> = { ...options.attributes };
  let pendingLists = options.listDelay ?? 0;
  const added: Record<string, number>[] = [];
  const connection: OperatorConnection = {
    workflowService: {
      async describeNamespace({ namespace }) {
        if (!namespaces.includes(namespace!)) throw grpcError(5, `Namespace ${namespace} is not found.`);
        return {};
      },
    },
    operatorService: {
      async listSearchAttributes() {
        if (options.listError) throw options.listError;
        // An added attribute shows only after a few lists, as the frontend's namespace cache catches up.
        return { customAttributes: added.length > 0 && pendingLists-- > 0 ? {} : { ...attributes } };
      },
      async addSearchAttributes({ searchAttributes }) {
        if (options.refuseAdd) throw options.refuseAdd;
        added.push(searchAttributes as Record<string, number>);
        Object.assign(attributes, searchAttributes);
        return {};
      },
    },
  };
  return { connection, added };
}

const platform = { Platform: 'Keyword' } as const;

describe('provisioning the Temporal namespace at start', () => {
  it('adds a missing search attribute and waits until it is listed', async () => {
    const server = fakeServer({ listDelay: 3 });
    const log: string[] = [];
    await expect(provisionNamespace(server.connection, { namespace: 'default', searchAttributes: platform, log: (m) => log.push(m) })).resolves.toEqual({ added: ['Platform'] });
    expect(server.added).toEqual([{ Platform: KEYWORD }]);
    expect(log).toEqual(['added search attribute Platform (Keyword) to Temporal namespace "default"']);
  });

  it('leaves an existing attribute alone', async () => {
    const server = fakeServer({ attributes: { Platform: KEYWORD } });
    await expect(provisionNamespace(server.connection, { namespace: 'default', searchAttributes: platform })).resolves.toEqual({ added: [] });
    expect(server.added).toEqual([]);
  });

  it('fails on a missing namespace, naming the command that creates it', async () => {
    const server = fakeServer({ namespaces: ['default'] });
    const start = provisionNamespace(server.connection, { namespace: 'reports-prod', searchAttributes: platform });
    await expect(start).rejects.toThrow(TemporalProvisioningError);
    await expect(start).rejects.toThrow(/namespace "reports-prod" does not exist .*temporal operator namespace create --namespace reports-prod/);
  });

  it('fails when adding the attribute is refused (Temporal Cloud, no operator role), naming the commands that do it', async () => {
    const server = fakeServer({ namespaces: ['reports.a1b2c'], refuseAdd: grpcError(7, 'Request unauthorized.') });
    const start = provisionNamespace(server.connection, { namespace: 'reports.a1b2c', searchAttributes: platform });
    await expect(start).rejects.toThrow(TemporalProvisioningError);
    await expect(start).rejects.toThrow(/"Platform" missing in Temporal namespace "reports.a1b2c" and the engine is not allowed to add it \(Request unauthorized.\)/);
    await expect(start).rejects.toThrow('temporal operator search-attribute create --namespace reports.a1b2c --name Platform --type Keyword');
    await expect(start).rejects.toThrow('tcld namespace search-attributes add --namespace reports.a1b2c --search-attribute "Platform=Keyword"');
  });

  it('fails when the attributes cannot be listed (a server without the operator service)', async () => {
    const server = fakeServer({ listError: grpcError(12, 'Method ListSearchAttributes is unimplemented') });
    await expect(provisionNamespace(server.connection, { namespace: 'default', searchAttributes: platform })).rejects.toThrow(
      /cannot list the search attributes .*unimplemented.*temporal operator search-attribute create --namespace default --name Platform --type Keyword/,
    );
  });

  it('fails when the attribute exists with another type', async () => {
    const server = fakeServer({ attributes: { Platform: TEXT } });
    await expect(provisionNamespace(server.connection, { namespace: 'default', searchAttributes: platform })).rejects.toThrow(/"Platform" is Text, the engine needs Keyword/);
  });

  it('fails when an added attribute never shows', async () => {
    const server = fakeServer({ listDelay: 1_000_000 });
    await expect(provisionNamespace(server.connection, { namespace: 'default', searchAttributes: platform, visibleWithinMs: 600 })).rejects.toThrow(/added to Temporal namespace "default" but not listed within 0.6 s/);
  });
});
