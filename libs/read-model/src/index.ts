export * from './read-model';
export * from './projection-errors';
