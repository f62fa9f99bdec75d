// PGlite's contrib extensions are exported as package subpaths, which this project's module resolution ("node")
// does not read for types; Node and jest resolve them at run time.
declare module '@electric-sql/pglite/contrib/pg_trgm' {
  import type { Extension } from '@electric-sql/pglite';
  export const pg_trgm: Extension;
}
