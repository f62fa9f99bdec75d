/** The little of a SQL database the gateway needs; the engine's database (libs/database) fits it. */
export interface SqlClient {
  query<R extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}
