export * from './read-model';
