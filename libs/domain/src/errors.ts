/** Why a command was refused, as a stable code an integration can branch on. */
export type IllegalStepCode =
  | 'not-filed'
  | 'already-filed'
  | 'already-triaged'
  | 'not-triaged'
  | 'case-closed'
  | 'case-not-closed'
  | 'case-paused'
  | 'case-not-paused'
  | 'request-already-running'
  | 'request-already-fulfilled'
  | 'request-not-sent'
  | 'response-already-recorded'
  | 'response-does-not-fit-request'
  | 'reason-required'
  | 'no-removal-to-verify'
  | 'clock-not-running'
  | 'step-mismatch'
  | 'deadline-not-reached'
  | 'last-step-reached'
  | 'outcome-not-allowed'
  | 'duplicate-of-itself'
  | 'policy-not-for-platform'
  | 'policy-version-not-newer'
  | 'invalid-policy'
  | 'invalid-input'
  | 'already-assigned'
  /** An admin registers a platform whose name (in any case) is registered already. */
  | 'platform-already-registered'
  /** The command named a case version (HTTP If-Match) that is no longer the current one. */
  | 'version-mismatch'
  /** A request to the platform that triage did not choose: re-triage the case first. */
  | 'request-not-chosen-at-triage'
  /** A re-triage that would withdraw an action already taken (its request was sent). */
  | 'action-already-taken'
  /** A re-triage that changes nothing. */
  | 'assessment-unchanged'
  /** `duplicateOf` names no filed report. */
  | 'original-report-not-found';

/**
 * The only error `decide` throws: a step the case does not allow now. Its message is written for the
 * back-office user who tried it; the code is for machines.
 */
export class IllegalStepError extends Error {
  override readonly name = 'IllegalStepError';

  constructor(
    readonly code: IllegalStepCode,
    message: string,
  ) {
    super(message);
  }
}
