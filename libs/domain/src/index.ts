// The public face of libs/domain: the report-lifecycle decider and the escalation policy.
export * from './event-sourcing';
export * from './errors';
export * from './time/duration';
export * from './time/instant';
export * from './time/german-calendar';
export * from './time/deadline-clock';
export * from './policy/escalation-policy';
export * from './report/vocabulary';
export * from './report/commands';
export * from './report/events';
export * from './report/state';
export * from './report/overdue';
export * from './report/decide';
export * from './report/evolve';
export * from './report/report-decider';
export * from './dossier/app-store-dossier';
export * from './policy/policy-changes';
