// Every workflow the worker registers (its `workflowsPath` points here).
export { reportLifecycle } from './report-lifecycle.workflow';
export { platformDossier } from './platform-dossier.workflow';
export { policyRollout } from './policy-rollout.workflow';
