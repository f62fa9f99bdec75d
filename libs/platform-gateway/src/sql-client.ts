/** The little of a SQL client the gateway needs; both PGlite and a `pg` Pool fit it as they are. */
export interface SqlClient {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}
